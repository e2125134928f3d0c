"""Web pages, PDFs and Word files: read into one canonical text, indexed with their metadata,
and answered from with the real model and real FAISS — furniture never quoted, every quote an
exact slice of its document's canonical text, PDF quotes on their page, broken files skipped."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.answer import Answerer
from bot.build import BuildSummary, build_index
from bot.embed import SentenceTransformerEmbedder
from bot.errors import UnreadableDocumentError
from bot.formats import read_document
from bot.index import CURRENT, load_index, read_texts
from bot.ingest import byline_name, read_source
from bot.records import Answer, Quote
from bot.render.json import answer_to_json
from bot.render.text import attribution_line, render_text
from bot.settings import Settings
from bot.status import index_info
from tests import make_documents as make
from tests.conftest import ROOT, FakeEmbedder

BROKEN_FILES = ("corrupt.docx", "corrupt.pdf", "empty-page.html", "locked.pdf", "scanned.pdf")


# --- readers, one file at a time ------------------------------------------------------------


def _read(tmp_path: Path, name: str, data: bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(data)
    return read_source(path, display_path=f"seeds/{name}")


def test_news_page_keeps_the_article_and_its_metadata(tmp_path: Path) -> None:
    source = _read(tmp_path, "roads.html", make.news_page())
    document = source.document
    assert document.title == "Mayor vows to mend every road in Exampletown"  # not "… | Site"
    assert document.published == "2021-03-04"
    assert document.source == "The Daily Example"
    assert document.author == "Jane Reporter"
    assert document.url == "https://daily.example/news/2021/03/roads"
    assert document.format == "html"
    bodies = [block.text for block in source.paragraphs]
    assert len(bodies) == 5 and bodies[1].startswith("“We will fix every road")
    for furniture in make.PAGE_FURNITURE:
        assert furniture not in source.text


def test_thin_page_metadata_from_printed_lines_and_title(tmp_path: Path) -> None:
    source = _read(tmp_path, "heat.html", make.thin_page())
    document = source.document
    assert (document.title, document.published, document.author, document.source) == (
        "Heatwave pushes river levels to record low", "2022-07-18", "Sarah Miles",
        "The Valley Courier",
    )
    assert [block.kind for block in source.blocks][:2] == ["byline", "dateline"]
    assert len(source.paragraphs) == 3
    quotable = "\n".join(block.text for block in source.paragraphs)
    for furniture in make.THIN_PAGE_FURNITURE:
        assert furniture not in quotable


def test_pdf_paragraphs_rebuilt_across_lines_hyphens_and_pages(tmp_path: Path) -> None:
    source = _read(tmp_path, "harbour.pdf", make.two_page_pdf())
    document = source.document
    assert (document.title, document.published, document.author, document.format) == (
        "Harbour plan divides the town", "2020-05-01", "Sam Writer", "pdf"
    )
    assert make.PDF_HEADER not in source.text and "Page 1" not in source.text
    assert "reconstruction of the lighthouse pier" in source.text  # "recon-" + "struction"
    paragraphs = [block.text for block in source.paragraphs]
    assert len(paragraphs) == 5 and all("\n" not in p for p in paragraphs)
    assert paragraphs[0] == " ".join(make.PDF_PAGE_ONE[1])
    page_two = source.text.index("“We cannot afford")
    assert document.pages == (0, page_two)
    assert document.page_at(page_two - 3) == 1 and document.page_at(page_two) == 2


def test_pdf_without_metadata_takes_title_and_date_from_its_first_lines(tmp_path: Path) -> None:
    pdf = make.two_page_pdf(metadata=False, dateline="Published 12 April 2019")
    document = _read(tmp_path, "plain.pdf", pdf).document
    assert document.title == "Harbour plan divides the town"
    assert document.published == "2019-04-12"
    assert document.author is None


def test_word_file_core_properties_and_no_header_or_footer(tmp_path: Path) -> None:
    source = _read(tmp_path, "library.docx", make.word_file())
    document = source.document
    assert (document.title, document.published, document.author, document.format) == (
        "Library hours to be extended", "2019-09-10", "Priya Natarajan", "docx"
    )
    assert "Riverside Council Newsletter" not in source.text
    assert "Confidential" not in source.text
    assert [b.kind for b in source.blocks] == ["headline", "body", "body", "body"]


@pytest.mark.parametrize("declared", ["iso-8859-1", "ISO-8859-1", "us-ascii"])
def test_a_page_declared_latin_1_with_windows_punctuation(tmp_path: Path, declared: str) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset='
        f'{declared}">\n<title>Caf\xe9 owners fight new rent rules</title></head><body><article>'
        "\n<h1>Caf\xe9 owners fight new rent rules</h1>\n<p>Owners of the small caf\xe9s along "
        "the harbour front say the new rent rules will force them out of business before the "
        "summer season even begins this year.</p>\n<p>\x93We have been here for thirty years,"
        "\x94 said Ren\xe9e Dubois, who runs the caf\xe9. \x93It\x92s the first time I have "
        "been afraid.\x94</p>\n<p>The council said the rules would protect tenants.</p>\n"
        "</article></body></html>"
    ).encode("latin-1")
    text = _read(tmp_path, "rents.html", page).text
    assert "“We have been here for thirty years,” said Renée Dubois" in text
    assert "It’s the first time" in text


def test_a_lead_written_straight_after_the_headline(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Garden show draws record crowds</title></head><body><div id='story'>"
        "<h1>Garden show draws record crowds</h1>\nThe annual garden show drew a record forty "
        "thousand visitors over the weekend, organisers said.<br><br>\n“It was the busiest "
        "weekend in sixty years,” said Margaret Ellis, the show’s director.<br><br>\nVisitors "
        "queued for two hours to see the rose garden.<br><br></div></body></html>"
    ).encode()
    text = _read(tmp_path, "garden.html", page).text
    assert text.startswith("The annual garden show drew a record forty thousand visitors")
    assert "“It was the busiest weekend in sixty years,” said Margaret Ellis" in text


def test_a_site_notice_s_date_is_not_the_article_s(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Pool reopens</title></head><body>"
        "<div class='notice'>Our privacy policy was updated on 25 May 2018.</div>"
        "<article><h1>Pool reopens</h1><p>Published:</p><p>5 February 2022</p>"
        "<p>The town pool reopened on Monday after a two-year refit, the council said.</p>"
        "<p>“It is the best pool in the county,” said Ana Ruiz, the leisure manager.</p>"
        "</article></body></html>"
    ).encode()
    assert _read(tmp_path, "pool.html", page).document.published == "2022-02-05"


def test_word_file_text_as_word_shows_it(tmp_path: Path) -> None:
    text = _read(tmp_path, "edited.docx", make.edited_word_file()).text
    assert "Boat owners said the rise was badly timed, and several will move." in text
    assert "fair" not in text  # deleted
    assert "“We will run twelve extra sailings,” said Carla Diaz. Tickets cost £35." in text
    assert "MERGEFIELD" not in text
    assert "“The table is read too,” said Leo Grant." in text


def test_word_file_without_core_properties_uses_its_first_lines(tmp_path: Path) -> None:
    document = _read(tmp_path, "plain.docx", make.word_file(core=False)).document
    assert document.title == "Library hours to be extended"
    assert document.published == "2018-06-03"
    assert document.author is None  # python-docx's template author is not a byline


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("corrupt.pdf", "not a readable PDF"),
        ("corrupt.docx", "not a readable Word file"),
        ("empty-page.html", "no article text found"),
        ("locked.pdf", "PDF is encrypted"),
        ("scanned.pdf", "PDF has no text layer"),
        ("garbage.html", "binary data"),
        ("truncated.pdf", "PDF"),
        ("truncated.docx", "not a readable Word file"),
    ],
)
def test_broken_files_raise_one_clear_reason(tmp_path: Path, name: str, reason: str) -> None:
    data = {
        **make.BROKEN,
        "locked.pdf": make.encrypted_pdf(),
        "scanned.pdf": make.scanned_pdf(),
        "garbage.html": bytes(range(256)) * 8,
        "truncated.pdf": make.two_page_pdf()[:700],
        "truncated.docx": make.word_file()[:2000],
    }[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableDocumentError) as caught:
        read_document(path, data)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and reason in message and "\n" not in message


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("By Jane Reporter", "Jane Reporter"),
        ("By Ana de la Cruz, Madrid correspondent", "Ana de la Cruz"),
        ("Written by Jane Doe and John Roe | 4 March 2021", "Jane Doe and John Roe"),
        ("By Monday, the council had voted", None),
        ("by the river", None),
    ],
)
def test_bylines(line: str, name: str | None) -> None:
    assert byline_name(line) == name


def test_a_text_file_byline_is_its_author_and_not_quoted(tmp_path: Path) -> None:
    text = "Storm closes the ferry\n\nBy Lee Marsh\n\nThe ferry did not sail on Friday.\n"
    source = _read(tmp_path, "ferry.txt", text.encode())
    assert source.document.author == "Lee Marsh" and source.document.format == "text"
    assert [b.text for b in source.paragraphs] == ["The ferry did not sail on Friday."]


# --- built and answered with the real model -------------------------------------------------


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
    embedder: SentenceTransformerEmbedder,
    link_export: Callable[[Path], None],
) -> tuple[Settings, BuildSummary, list[str]]:
    base = tmp_path_factory.mktemp("formats")
    make.write_documents(base / "seeds")
    settings = Settings(BOT_SEEDS_DIR=base / "seeds", BOT_INDEX_DIR=base / "index")  # type: ignore[arg-type]
    link_export(settings.index_dir)
    warnings: list[str] = []
    summary = build_index(settings, embedder=embedder, warn=warnings.append)
    return settings, summary, warnings


@pytest.fixture(scope="module")
def formats_answerer(
    built: tuple[Settings, BuildSummary, list[str]], embedder: SentenceTransformerEmbedder
) -> Answerer:
    settings = built[0]
    return Answerer(settings, embedder, load_index(settings.index_dir, model=settings.model))


def test_build_skips_each_broken_file_with_one_line_and_goes_on(
    built: tuple[Settings, BuildSummary, list[str]],
) -> None:
    settings, summary, warnings = built
    assert summary.documents == 4
    assert sorted(summary.skipped) == [f"seeds/{name}" for name in BROKEN_FILES]
    assert len(warnings) == len(BROKEN_FILES)
    for name, warning in zip(BROKEN_FILES, sorted(warnings), strict=True):
        # the file's path as given, like every other warning (not one relative to the seeds'
        # parent folder, which need not be where the build was run)
        where = settings.seeds_dir / name
        assert warning.startswith(f"{where}: ") and warning.endswith(", skipped")


def test_index_info_gives_each_document_its_format_and_metadata(
    built: tuple[Settings, BuildSummary, list[str]],
) -> None:
    info = index_info(built[0])
    assert info["stale"] is False
    documents = {d["path"]: d for d in info["documents"]}
    assert {path: d["format"] for path, d in documents.items()} == {
        "seeds/fleet.pdf": "pdf", "seeds/harbour.pdf": "pdf", "seeds/library.docx": "docx",
        "seeds/roads.html": "html",
    }
    roads = documents["seeds/roads.html"]
    assert (roads["title"], roads["published"], roads["source"], roads["author"]) == (
        "Mayor vows to mend every road in Exampletown", "2021-03-04", "The Daily Example",
        "Jane Reporter",
    )


def test_no_furniture_is_indexed(built: tuple[Settings, BuildSummary, list[str]]) -> None:
    settings = built[0]
    index = load_index(settings.index_dir, model=settings.model)
    indexed = "\n".join(chunk.text for chunk in index.chunks)
    for furniture in (*make.PAGE_FURNITURE, make.PDF_HEADER, "Page 1 of 2", "Page 2 of 2",
                      "Riverside Council Newsletter", "Confidential", "Coastal Quarterly",
                      "- 1 -", "- 2 -"):
        assert furniture not in indexed


def _canonical(settings: Settings) -> dict[str, str]:
    return read_texts((settings.index_dir / CURRENT).resolve())


def _assert_verbatim(answer: Answer, settings: Settings) -> Quote:
    texts = _canonical(settings)
    assert answer.answered and answer.kind == "quotes", render_text(answer)
    for quote in answer.quotes:
        assert texts[quote.document.path][quote.char_start : quote.char_end] == quote.text
    return answer.quotes[0]


@pytest.mark.parametrize(
    ("question", "path", "speaker", "words"),
    [
        ("What did the mayor promise about the roads?", "seeds/roads.html", "Alan Smith",
         "We will fix every road"),
        ("What did Rita Jones say about the plan?", "seeds/roads.html",
         "Rita Jones", "It is a fantasy"),
        ("What did the harbour master say about the walls?", "seeds/harbour.pdf", "Mary Lee",
         "The walls are crumbling"),
        ("What did the head librarian say about opening later?", "seeds/library.docx",
         "Tom Baker", "want the doors open later"),
        ("What did the fisherman say about the boats?", "seeds/fleet.pdf", "Tom Hughes",
         "so many boats here again"),
    ],
)
def test_quotes_come_from_the_right_document_and_speaker(
    formats_answerer: Answerer,
    built: tuple[Settings, BuildSummary, list[str]],
    question: str,
    path: str,
    speaker: str,
    words: str,
) -> None:
    answer = formats_answerer.answer(question)
    first = _assert_verbatim(answer, built[0])
    assert first.document.path == path and words in first.text
    assert first.attribution is not None and first.attribution.speaker == speaker


def test_a_pdf_quote_carries_its_page(
    formats_answerer: Answerer, built: tuple[Settings, BuildSummary, list[str]]
) -> None:
    answer = formats_answerer.answer("What did the harbour master say about the walls?")
    first = _assert_verbatim(answer, built[0])
    assert first.page == 2
    assert "p. 2" in attribution_line(first)
    as_json = answer_to_json(answer)["quotes"][0]
    assert as_json["page"] == 2 and as_json["document"]["format"] == "pdf"
    assert as_json["document"]["author"] == "Sam Writer"
    early = formats_answerer.answer("How many votes did the harbour plan pass by?")
    assert _assert_verbatim(early, built[0]).page == 1
    flowed = formats_answerer.answer("What did the fisherman say about the boats?")
    assert _assert_verbatim(flowed, built[0]).page == 2


def test_quotes_from_unpaged_documents_have_no_page(formats_answerer: Answerer) -> None:
    answer = formats_answerer.answer("What did the mayor promise about the roads?")
    assert answer.quotes[0].page is None
    assert answer_to_json(answer)["quotes"][0]["page"] is None


@pytest.mark.parametrize(
    ("question", "author"),
    [
        ("Who wrote the article about the mayor and the roads?", "Jane Reporter"),
        ("Who wrote the report on the harbour plan?", "Sam Writer"),
        ("Who is the author of the piece about library hours?", "Priya Natarajan"),
        ("Who wrote the story about the fishing fleet?", "Ruth Okafor"),
    ],
)
def test_who_wrote_it_answers_from_the_byline(
    formats_answerer: Answerer, question: str, author: str
) -> None:
    answer = formats_answerer.answer(question)
    assert answer.kind == "metadata", render_text(answer)
    assert author in answer.message and "does not name its author" not in answer.message


# --- incremental builds and staleness -------------------------------------------------------


def test_unchanged_documents_are_reused_and_an_edited_pdf_re_embedded(tmp_path: Path) -> None:
    make.write_documents(tmp_path / "seeds")
    settings = Settings(BOT_SEEDS_DIR=tmp_path / "seeds", BOT_INDEX_DIR=tmp_path / "index")  # type: ignore[arg-type]
    first = build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    again = build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    assert again.embedded_chunks == 0 and again.reused_chunks == first.chunks
    assert again.skipped == first.skipped
    assert _canonical(settings) == _read_all_canonical(settings)
    assert index_info(settings)["stale"] is False

    pdf = make.two_page_pdf(dateline="Published 2 May 2020")
    (tmp_path / "seeds" / "harbour.pdf").write_bytes(pdf)
    assert index_info(settings)["stale"] is True
    third = build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    index = load_index(settings.index_dir, model=settings.model)
    harbour = next(i for i, d in enumerate(index.documents) if d.path == "seeds/harbour.pdf")
    pdf_chunks = sum(1 for chunk in index.chunks if chunk.document == harbour)
    assert third.embedded_chunks == pdf_chunks and third.reused_chunks == third.chunks - pdf_chunks
    assert _canonical(settings) == _read_all_canonical(settings)
    assert index_info(settings)["stale"] is False


def _read_all_canonical(settings: Settings) -> dict[str, str]:
    return {
        f"seeds/{path.name}": read_source(path, display_path=f"seeds/{path.name}").text
        for path in sorted(settings.seeds_dir.iterdir())
        if path.name not in BROKEN_FILES
    }


def test_a_broken_file_fixed_later_is_indexed(tmp_path: Path) -> None:
    make.write_documents(tmp_path / "seeds", broken=False)
    (tmp_path / "seeds" / "later.docx").write_bytes(make.BROKEN["corrupt.docx"])
    settings = Settings(BOT_SEEDS_DIR=tmp_path / "seeds", BOT_INDEX_DIR=tmp_path / "index")  # type: ignore[arg-type]
    assert build_index(settings, embedder_factory=lambda _s: FakeEmbedder()).skipped == (
        "seeds/later.docx",
    )
    (tmp_path / "seeds" / "later.docx").write_bytes(make.word_file(core=False))
    assert index_info(settings)["stale"] is True
    fixed = build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    assert fixed.skipped == () and fixed.documents == 5


# --- the command line -----------------------------------------------------------------------

_QUICK_CLI = """
import sys
from tests.conftest import FakeEmbedder
import bot.build
import bot.cli
bot.build.default_embedder = lambda settings: FakeEmbedder()
raise SystemExit(bot.cli.main(sys.argv[1:]))
"""


@pytest.mark.e2e
def test_cli_build_warns_per_broken_file_and_counts_them(tmp_path: Path) -> None:
    make.write_documents(tmp_path / "seeds")
    env = {"BOT_SEEDS_DIR": "seeds", "BOT_INDEX_DIR": "index", "PYTHONPATH": str(ROOT),
           "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", _QUICK_CLI, "index", "build"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == len(BROKEN_FILES) and "Traceback" not in result.stderr
    assert re.search(r"Indexed 4 document\(s\): .*; 5 file\(s\) skipped$", result.stdout.strip())
    info = subprocess.run(
        [sys.executable, "-m", "bot", "index", "info", "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    formats = sorted(d["format"] for d in json.loads(info.stdout)["documents"])
    assert formats == ["docx", "html", "pdf", "pdf"]


def test_pdf_flowed_by_its_library_across_a_page_break(tmp_path: Path) -> None:
    source = _read(tmp_path, "fleet.pdf", make.flowing_pdf())
    document = source.document
    assert (document.title, document.published, document.author) == (
        "Fishing fleet returns to the old port", "2022-08-14", "Ruth Okafor"
    )
    assert "Coastal Quarterly" not in source.text and "- 1 -" not in source.text
    paragraphs = [block.text for block in source.paragraphs]
    assert len(paragraphs) == 7 and paragraphs[-1].startswith("“I never thought")
    assert all(p.endswith(make.FLOWING_PARAGRAPH) for p in paragraphs[:-1])
    assert len(document.pages) == 2
    crossing = next(b for b in source.paragraphs if b.start < document.pages[1] < b.end)
    assert document.page_at(crossing.start) == 1 and document.page_at(crossing.end - 1) == 2
    assert document.page_at(source.text.index("“I never thought")) == 2


def test_a_one_page_pdf_keeps_its_headline_not_its_running_head(tmp_path: Path) -> None:
    source = _read(tmp_path, "short.pdf", make.flowing_pdf(paragraphs=2))
    assert source.document.title == "Fishing fleet returns to the old port"
    assert source.document.pages == (0,)
    assert "Coastal Quarterly" not in source.text and "- 1 -" not in source.text


def test_the_canonical_texts_are_a_checked_part_of_the_build(tmp_path: Path) -> None:
    from bot.errors import IndexCorruptError

    make.write_documents(tmp_path / "seeds", broken=False)
    settings = Settings(BOT_SEEDS_DIR=tmp_path / "seeds", BOT_INDEX_DIR=tmp_path / "index")  # type: ignore[arg-type]
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    live = (settings.index_dir / CURRENT).resolve()
    manifest = json.loads((live / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parts"]["texts.jsonl"] == (live / "texts.jsonl").stat().st_size
    with (live / "texts.jsonl").open("r+b") as texts:
        texts.truncate(100)
    with pytest.raises(IndexCorruptError, match="texts.jsonl is truncated"):
        load_index(settings.index_dir, model=settings.model)


def test_a_word_title_style_is_the_headline_even_when_metadata_differs(tmp_path: Path) -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Library hours extended after survey", style="Title")
    document.add_paragraph("By Priya N. Natarajan")
    document.add_paragraph("The library will open later on weekdays, the council said.")
    document.core_properties.title = "Library hours"
    document.core_properties.author = "Office User"
    out = io.BytesIO()
    document.save(out)
    source = _read(tmp_path, "styled.docx", out.getvalue())
    assert source.document.title == "Library hours"
    assert source.document.author == "Priya N. Natarajan"
    assert [b.kind for b in source.blocks] == ["headline", "byline", "body"]


def test_pdf_ligatures_are_spelled_out(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=make._dejavu())
    pdf.add_page()
    pdf.set_font("DejaVu", size=12)
    pdf.text(20, 20, "The ﬁrst ofﬁcial ﬂight was a great success.")
    source = _read(tmp_path, "ligatures.pdf", bytes(pdf.output()))
    assert source.text == "The first official flight was a great success."


def test_a_document_named_by_its_format(formats_answerer: Answerer) -> None:
    answer = formats_answerer.answer("When was the Word document published?")
    assert answer.message.count("was published") == 1
    assert "Library hours to be extended" in answer.message


@pytest.mark.parametrize(
    ("line_end", "next_line", "joined"),
    [
        ("an exam-", "ple of it", True),  # a word broken at the line's end
        ("it conti-", "nued to rain", True),
        ("a well-", "known face", False),  # a compound whose hyphen fell at the line's end
        ("the self-", "employed", False),
        ("the long-", "term plan", False),
        ("a soft\u00ad", "hyphen", True),
    ],
)
def test_a_hyphen_at_a_pdf_line_s_end(line_end: str, next_line: str, joined: bool) -> None:
    from bot.formats.pdf import _hyphenated

    assert _hyphenated(line_end, next_line) is joined


def test_a_file_is_read_as_what_its_bytes_say(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Pool reopens</title></head><body><article>"
        "<h1>Pool reopens</h1><p>The town pool reopened on Monday after a two-year refit.</p>"
        "<p>“It is the best pool in the county,” said Ana Ruiz, the leisure manager.</p>"
        "</article></body></html>"
    ).encode()
    as_text = _read(tmp_path, "pool.txt", page)
    assert as_text.document.format == "html" and "<p>" not in as_text.text
    assert "“It is the best pool in the county,” said Ana Ruiz" in as_text.text
    pdf = _read(tmp_path, "harbour.html", make.two_page_pdf())
    assert pdf.document.format == "pdf" and "Harbour" in pdf.text


def test_an_inline_quotation_keeps_its_marks_and_is_not_repeated(tmp_path: Path) -> None:
    page = (
        b"<html><head><title>Panda twins born</title></head><body><article><h1>Panda twins "
        b"born</h1><p>The city zoo announced on Friday the birth of twin giant panda cubs.</p>"
        b"<p><q>They are both healthy and feeding well</q>, said Dr Lena Vogt, the zoo's head "
        b"vet.</p><p>The cubs will not be shown to the public for four months.</p>"
        b"</article></body></html>"
    )
    text = _read(tmp_path, "zoo.html", page).text
    assert "“They are both healthy and feeding well”, said Dr Lena Vogt" in text
    assert text.count("They are both healthy") == 1
