"""Seeds → documents: discovery, decoding errors, metadata heuristics and sidecars."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import SeedError
from bot.ingest import Source, discover, parse_date, read_source, split_section
from tests.conftest import SEED_FILE

NEWS = """WorldCity council votes to expand bus network downtown

Posted: March 3, 2019

A photo of a bus // Credit: Jane Doe / Example Photos

The council voted 7-2 on Tuesday to expand the network.

“This is a good day,” said Mayor Ana Ruiz.
"""


def _source(path: Path) -> object:
    return read_source(path, display_path=f"seeds/{path.name}")


def test_seed_metadata_is_recognised() -> None:
    source = read_source(SEED_FILE, display_path="seeds/000_6a964d9d721bf48f.txt")
    document = source.document
    assert document.title == "Internal e-mails reveal FBI confused by Secure Communities"
    assert document.section == "Secure Communities"
    assert document.published == "2011-11-15"
    assert document.source == "Homeland Security News Wire"  # from the sidecar beside it
    kinds = [block.kind for block in source.blocks]
    assert kinds[:4] == ["headline", "dateline", "standfirst", "caption"]
    assert set(kinds[4:]) == {"body"}


def test_offsets_point_at_the_verbatim_text() -> None:
    source = read_source(SEED_FILE, display_path="seeds/x.txt")
    raw = SEED_FILE.read_text(encoding="utf-8")
    for block in source.blocks:
        assert raw[block.start : block.end] == block.text
    assert any("\u00a0" in block.text for block in source.blocks)  # no-break spaces kept


def test_other_news_article_shapes(tmp_path: Path) -> None:
    path = tmp_path / "bus.txt"
    path.write_text(NEWS, encoding="utf-8")
    source = read_source(path, display_path="seeds/bus.txt")
    assert source.document.section == "World"
    assert source.document.title == "City council votes to expand bus network downtown"
    assert source.document.published == "2019-03-03"
    assert [b.kind for b in source.blocks] == ["headline", "dateline", "caption", "body", "body"]


@pytest.mark.parametrize(
    ("headline", "section", "title"),
    [
        ("PoliticsSenate passes the budget bill", "Politics", "Senate passes the budget bill"),
        ("McDonald opens new restaurant in town", None, "McDonald opens new restaurant in town"),
        ("Plain headline with no label", None, "Plain headline with no label"),
        # labels of any case shape (invented headlines)
        (
            "Border securityNorthern border to get new patrol boats",
            "Border security",
            "Northern border to get new patrol boats",
        ),
        ("politicsSenate passes the budget bill", "politics", "Senate passes the budget bill"),
        ("WORLDCity council votes on bus lanes", "WORLD", "City council votes on bus lanes"),
        ("Arts & cultureThe museum reopens in May", "Arts & culture", "The museum reopens in May"),
        ("Health careNHS waiting lists grow again", "Health care", "NHS waiting lists grow again"),
        ("Sport: local teamsRiver club wins", "Sport: local teams", "River club wins"),
        # words with a capital inside are not seams
        ("iPhone sales slow in the spring", None, "iPhone sales slow in the spring"),
        ("NASA launches a probe to Mars", None, "NASA launches a probe to Mars"),
        ("Harbour newsTwo ferries", None, "Harbour newsTwo ferries"),  # too short for a title
        # a headline that opens with a quotation
        ("People‘The sea does not care’: a Q&A", "People", "‘The sea does not care’: a Q&A"),
        ("Opinion“We were never told” says mayor", "Opinion", "“We were never told” says mayor"),
        ("He said ‘No way’ to the plan", None, "He said ‘No way’ to the plan"),
    ],
)
def test_split_section(headline: str, section: str | None, title: str) -> None:
    assert split_section(headline) == (section, title)


@pytest.mark.parametrize(
    "headline", ["YouTube star opens a bakery in town", "JavaScript tools get faster every year"]
)
def test_a_word_the_document_writes_whole_is_not_split(headline: str) -> None:
    glued = headline.split()[0]
    assert split_section(headline, context=f"The {glued} channel grew.")[0] is None


def test_a_lowercase_label_is_split_from_an_article(tmp_path: Path) -> None:
    path = tmp_path / "patrol.txt"
    path.write_text(
        "Border securityNorthern border to get new patrol boats\n\nPublished 3 May 2021\n\n"
        "The coast guard will add six boats to the northern patrol, officials said.\n",
        encoding="utf-8",
    )
    document = read_source(path, display_path="seeds/patrol.txt").document
    assert (document.section, document.title) == (
        "Border security",
        "Northern border to get new patrol boats",
    )


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Published 15 November 2011", "2011-11-15"),
        ("November 15, 2011", "2011-11-15"),
        ("Updated Nov. 5, 2020 10:30", "2020-11-05"),
        ("2021-02-28", "2021-02-28"),
        ("Published 31 February 2011", None),
        ("no date here", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_markdown_front_matter_overrides(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "---\ntitle: Quarterly report\npublished: 2024-01-31\nsource: Example Times\n---\n\n"
        "# Ignored heading\n\nRevenue rose by a tenth.\n",
        encoding="utf-8",
    )
    source = read_source(path, display_path="seeds/note.md")
    assert source.document.title == "Quarterly report"
    assert source.document.published == "2024-01-31"
    assert source.document.source == "Example Times"
    assert [b.kind for b in source.paragraphs] == ["body"]


def test_markdown_front_matter_with_the_body_on_the_next_line(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    text = (
        '---\ntitle: Harbour plan\npublished: 2020-05-01\n---\n"We cannot wait," said Mary Lee.'
        '\n\n"It is too costly," said Tom Keane.\n'
    )
    path.write_text(text, encoding="utf-8")
    source = read_source(path, display_path="seeds/plan.md")
    assert (source.document.title, source.document.published) == ("Harbour plan", "2020-05-01")
    first, second = source.paragraphs
    assert source.text[first.start : first.end] == '"We cannot wait," said Mary Lee.'
    assert second.text == '"It is too costly," said Tom Keane.'


def test_sidecar_overrides_and_bad_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(NEWS, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"title": "Override", "url": "https://e.x/a"}')
    source = read_source(path, display_path="seeds/a.txt")
    assert (source.document.title, source.document.url) == ("Override", "https://e.x/a")
    (tmp_path / "a.meta.json").write_text("{not json")
    with pytest.raises(SeedError, match=r"a\.meta\.json: not valid"):
        read_source(path, display_path="seeds/a.txt")


def test_a_date_that_is_no_date_names_its_file_and_what_happens(tmp_path: Path) -> None:
    page = tmp_path / "notes.md"
    page.write_text("---\npublished: spring 2020\n---\n\n# Title\n\nText.\n", encoding="utf-8")
    with pytest.raises(SeedError) as raised:
        read_source(page, display_path="seeds/notes.md")
    assert str(raised.value) == (
        f"{page}: front matter: published 'spring 2020' is not a date (write it as 2020-03-01 "
        "or 1 March 2020), so its document is not indexed"
    )
    path = tmp_path / "a.txt"
    path.write_text(NEWS, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"published": "spring 2020"}')
    with pytest.raises(SeedError, match=r"a\.meta\.json: published .* so its document is not"):
        read_source(path, display_path="seeds/a.txt")


def test_discover_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a.md",
        "sub/c.txt",
        ".hidden.txt",
        ".git/d.txt",
        "e.json",
        "f.meta.json",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Text.", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)]
    assert found == ["a.md", "b.txt", "sub/c.txt"]


def test_missing_seeds_folder(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="does not exist"):
        discover(tmp_path / "nope")


def test_non_utf8_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 au lait.".encode("latin-1"))
    with pytest.raises(SeedError, match=r"latin1\.txt: not UTF-8"):
        read_source(path, display_path="seeds/latin1.txt")


def test_a_byte_order_mark_keeps_offsets_those_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + NEWS.encode("utf-8"))
    source = read_source(path, display_path="seeds/bom.txt")
    in_file = path.read_text(encoding="utf-8")  # as a reader of the file sees it, mark and all
    assert source.blocks[0].text == NEWS.split("\n")[0]  # no mark in the headline
    for block in source.blocks:
        assert in_file[block.start : block.end] == block.text


def test_utf16_text_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes(NEWS.encode("utf-16"))  # Notepad's "Unicode": a mark, then two bytes a char
    source = read_source(path, display_path="seeds/unicode.txt")
    assert source.text == NEWS and source.document.title.startswith("City council votes")


def test_binary_file_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(SeedError, match=r"image\.txt: looks like a binary file"):
        read_source(path, display_path="seeds/image.txt")


@pytest.mark.parametrize(
    ("first_line", "kind"),
    [
        ("NewsOil spill: harbour master warns ship “could take a week”", "headline"),
        ("Minister says cuts are ‘not on the table’", "headline"),
        ("Will the council act on the bus network?", "headline"),
        ("“We will fight on,” the mayor said.", "body"),
        ("“We will fight on”", "body"),
        ("The council voted 7-2 on Tuesday to expand the network.", "body"),
    ],
)
def test_a_headline_may_end_with_the_words_it_quotes(
    tmp_path: Path, first_line: str, kind: str
) -> None:
    path = tmp_path / "story.txt"
    path.write_text(
        f"{first_line}\n\nPublished 11 October 2017\n\nThe ship ran aground.\n", encoding="utf-8"
    )
    source = read_source(path, display_path="seeds/story.txt")
    assert source.blocks[0].kind == kind
    if kind == "headline":
        assert source.document.published == "2017-10-11"


def test_a_title_taken_from_a_file_name_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "harbour\nplan\tnotes.txt"
    path.write_text("The plan was approved on Tuesday by the harbour board.\n", encoding="utf-8")
    source = read_source(path, display_path="seeds/harbour\nplan\tnotes.txt")
    assert source.document.title == "harbour plan notes"


TRIAL_BODY = "A depot manager who used company fuel cards for six years was jailed on Friday."


def _trial_story(tmp_path: Path, header: str) -> tuple[Path, Source]:
    """A short court story under ``header``, read."""
    path = tmp_path / "trial.txt"
    path.write_text(f"{header}\n\n{TRIAL_BODY}\n\n“It was calculated,” said the judge.\n")
    return path, read_source(path, display_path="seeds/trial.txt")


@pytest.mark.parametrize(
    "header",
    [
        "Jury convicts depot manager of fuel card fraud\nCrime & Courts\n"
        "Published 12 March 2024\nBy Harriet Okafor",
        "Jury convicts depot manager of fuel card fraud\nPublished 12 March 2024\n"
        "By Harriet Okafor",
        "Jury convicts depot manager of fuel card fraud\nBy Harriet Okafor\n12 March 2024",
    ],
)
def test_a_header_typed_without_blank_lines_gives_title_date_and_author(
    tmp_path: Path, header: str
) -> None:
    path, source = _trial_story(tmp_path, header)
    body = TRIAL_BODY
    document = source.document
    assert document.title == "Jury convicts depot manager of fuel card fraud"
    assert document.published == "2024-03-12"
    assert document.author == "Harriet Okafor"
    first_body = next(block for block in source.blocks if block.text == body)
    assert first_body.kind == "body"
    assert all(path.read_text()[b.start : b.end] == b.text for b in source.blocks)


@pytest.mark.parametrize(
    ("header", "source"),
    [
        (
            "Jury convicts depot manager of fuel card fraud\n"
            "Portmell Gazette | 12 March 2024 | By Harriet Okafor\n"
            "https://www.portmellgazette.co.uk/courts/2024/03/12/fuel-card-fraud",
            "Portmell Gazette",
        ),
        (
            "Jury convicts depot manager of fuel card fraud\n\nSource: Portmell Gazette\n\n"
            "Published 12 March 2024\n\nBy Harriet Okafor\n\n"
            "www.portmellgazette.co.uk/courts/2024/03/12/fuel-card-fraud",
            "Portmell Gazette",
        ),
        (
            "Jury convicts depot manager of fuel card fraud\n12 March 2024 · By Harriet Okafor",
            None,
        ),
    ],
    ids=["fields on one line", "labelled source", "date and byline"],
)
def test_a_header_line_naming_outlet_date_and_writer_gives_each_and_is_never_quoted(
    tmp_path: Path, header: str, source: str | None
) -> None:
    _, read = _trial_story(tmp_path, header)
    document = read.document
    assert document.title == "Jury convicts depot manager of fuel card fraud"
    assert (document.published, document.author) == ("2024-03-12", "Harriet Okafor")
    assert document.source == source
    if "fraud\n\n" in header or "http" in header:
        assert document.url is not None and document.url.endswith("/fuel-card-fraud")
    assert read.paragraphs[0].text == TRIAL_BODY  # the address is no standfirst


def test_a_story_typed_straight_after_its_header_is_body(tmp_path: Path) -> None:
    header = "Jury convicts depot manager of fuel card fraud\nPortmell Gazette\n12 March 2024\n"
    body = (
        f"{TRIAL_BODY} He had denied the charges throughout a trial lasting nine days, telling"
        " the jury that the cards had been shared by everyone at the depot and that nobody had"
        " ever checked who used them."
    )
    path = tmp_path / "trial.txt"
    path.write_text(f"{header}By Harriet Okafor\n{body}\n\nThe judge spoke.\n", "utf-8")
    read = read_source(path, display_path="seeds/trial.txt")
    assert read.document.title == "Jury convicts depot manager of fuel card fraud"
    assert (read.document.published, read.document.author) == ("2024-03-12", "Harriet Okafor")
    assert read.paragraphs[0].text == body and read.paragraphs[0].kind == "body"
    assert all(path.read_text()[b.start : b.end] == b.text for b in read.blocks)


def test_a_letter_s_from_and_to_lines_are_not_a_masthead(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("From: Jane Doe\nTo: The Harbour Board\n\nI write about the plan.\n")
    document = read_source(path, display_path="seeds/letter.txt").document
    assert document.source is None and document.url is None


@pytest.mark.parametrize(
    "opening",
    [
        "Roses are red\nviolets are blue\nthe council met\nand so did you",  # no dateline, byline
        "Harbour Board\n1 Quay Street\nPortmell\nPublished 12 March 2024\nBy Harriet Okafor\n"
        "Minutes of the meeting\nApologies were received",  # longer than a header
    ],
)
def test_a_first_paragraph_of_short_lines_that_is_no_header_stays_whole(
    tmp_path: Path, opening: str
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(f"{opening}\n\nThe board approved the plan on Tuesday.\n")
    source = read_source(path, display_path="seeds/notes.txt")
    assert source.blocks[0].text == opening


@pytest.mark.parametrize(
    "byline",
    [
        "Harriet Okafor, Crime Correspondent",  # a name and a journalist's post, no "By"
        "Words: Harriet Okafor   Photos: Ines Carvalho",  # fields set apart by spaces
        "By: Harriet Okafor",
    ],
)
def test_a_byline_without_by_names_the_writer(tmp_path: Path, byline: str) -> None:
    header = f"Jury convicts depot manager of fuel card fraud\nPublished 12 March 2024\n{byline}"
    _, read = _trial_story(tmp_path, header)
    assert read.document.author == "Harriet Okafor"
    assert read.paragraphs[0].text == TRIAL_BODY  # the byline is no standfirst


def test_a_name_and_a_post_that_is_no_writer_is_no_byline(tmp_path: Path) -> None:
    header = "Jury convicts depot manager of fuel card fraud\nPublished 12 March 2024"
    _, read = _trial_story(tmp_path, f"{header}\nSecure Communities, Program Director")
    assert read.document.author is None
