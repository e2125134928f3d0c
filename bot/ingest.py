"""Read the seeds: every document, its paragraphs, and what it says about itself.

`.txt` and `.md` files are their own text. Web pages, PDFs and Word files are first turned into
one canonical text by a reader in `bot.formats` (which also gives the metadata the format
carries); from there every document goes the same way.

News articles put their metadata in the text: a headline (sometimes with its section label glued
to the front), a dateline ("Published 15 November 2011"), a standfirst and image captions
("… // Source: example.com"). We recognise those shapes so that only body text is quoted as the
article's words, and we let a sidecar override whatever the heuristics find: front matter in a
`.md` file, or `NAME.meta.json` beside `NAME.txt`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

from bot.errors import SeedError
from bot.formats import READERS, read_document, sniffed
from bot.records import PASSAGE_KINDS, Document

TEXT_SUFFIXES = (".txt", ".md")
SEED_SUFFIXES = (*TEXT_SUFFIXES, *READERS)
SIDECAR_SUFFIX = ".meta.json"
SIDECAR_KEYS = ("title", "published", "source", "url", "section", "author")

BlockKind = Literal[
    "headline", "dateline", "byline", "masthead", "standfirst", "caption", "body", "front_matter"
]
"""What a block is. A ``masthead`` is a header line naming where the story appeared ("Source:
The Courier", or its address): metadata, never quoted."""


@dataclass(frozen=True)
class Block:
    """A run of text between blank lines, with its offsets in the file."""

    start: int
    end: int
    text: str
    kind: BlockKind = "body"


@dataclass(frozen=True)
class Source:
    """One seed file read: its document record, full text and classified blocks."""

    document: Document
    text: str
    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = ()
    """What the file's reader left out, for the build to say."""

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        """The blocks that are quotable text, numbered from 1 in this order."""
        return tuple(b for b in self.blocks if b.kind in PASSAGE_KINDS)


def display_path(path: Path, seeds_dir: Path) -> str:
    """How a seed file is named in the index and in answers: "seeds/sub/file.txt"."""
    return (Path(seeds_dir.name) / path.relative_to(seeds_dir)).as_posix()


def discover(seeds_dir: Path) -> list[Path]:
    """Every seed file under `seeds_dir`, recursively, sorted, hidden files and folders skipped."""
    if not seeds_dir.is_dir():
        problem = "is not a folder" if seeds_dir.exists() else "does not exist"
        raise SeedError(f"Seeds folder {seeds_dir} {problem} (set BOT_SEEDS_DIR)")
    files = [
        path
        for path in seeds_dir.rglob("*")
        if path.suffix.lower() in SEED_SUFFIXES
        and path.is_file()
        and not _is_hidden(path.relative_to(seeds_dir))
        and _utf8_name(path)
    ]
    return sorted(files, key=lambda p: p.relative_to(seeds_dir).as_posix())


def out_of_reach(seeds_dir: Path) -> list[tuple[Path, str]]:
    """What `discover` leaves out that a user meant to index, each with why: a seed file whose
    name is not UTF-8 (unpacked from an archive made on another system: no index, JSON reply or
    log line could name it), a link to nothing, and a link to a folder (not followed: a link
    may loop, or lead out of the seeds)."""
    found: list[tuple[Path, str]] = []
    for path in seeds_dir.rglob("*"):
        if _is_hidden(path.relative_to(seeds_dir)):
            continue
        seed = path.suffix.lower() in SEED_SUFFIXES
        if seed and not _utf8_name(path):
            found.append((path, "file name is not UTF-8 (rename the file)"))
        elif path.is_symlink() and not path.exists() and seed:
            found.append((path, "a link to nothing (its target is gone, or links back to it)"))
        elif path.is_symlink() and path.is_dir():
            found.append((path, "a link to a folder, not followed (copy or mount the folder)"))
    return sorted(found)


def printable(name: str) -> str:
    """A file name as it can be shown and stored, its undecodable bytes as "�"."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _utf8_name(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unreadable_folders(seeds_dir: Path) -> list[Path]:
    """Folders under `seeds_dir` that cannot be listed (their files cannot be discovered)."""
    found: list[Path] = []

    def note(error: OSError) -> None:
        if error.filename is not None and Path(error.filename) != seeds_dir:
            found.append(Path(error.filename))

    for _folder, subfolders, _files in os.walk(seeds_dir, onerror=note):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
    return sorted(found)


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def sidecar_path(path: Path) -> Path:
    """Where the optional metadata file of a seed lives: `NAME.meta.json` beside `NAME.txt`."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def fingerprint(path: Path) -> str:
    """sha256 of the file and its sidecar: what decides whether a file must be re-embedded."""
    digest = hashlib.sha256(_read_bytes(path))
    sidecar = sidecar_path(path)
    if sidecar.is_file():
        digest.update(b"\0sidecar\0" + _read_bytes(sidecar))
    return digest.hexdigest()


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SeedError(f"{path}: cannot be read ({error.strerror or error})") from None


def read_source(path: Path, *, display_path: str) -> Source:
    """Read one seed file: its text, split into blocks, classified, with its metadata."""
    suffix = path.suffix.lower()
    raw = _read_bytes(path)
    if suffix not in TEXT_SUFFIXES or sniffed(raw) is not None:
        # (a web page or PDF saved as ".txt" is read as what it is, not quoted as markup)
        return _read_extracted(path, raw, display_path=display_path)
    text = _decode(path, raw)
    blocks = list(_split_blocks(text))
    if suffix == ".md":
        blocks = _front_matter_apart(blocks, text)
    blocks = _header_lines_apart(blocks, text)
    blocks = _classify(blocks, markdown=suffix == ".md")
    document = _document_from(blocks, display_path=display_path, sha256=fingerprint(path))
    document = replace(document, format="markdown" if suffix == ".md" else "text")
    front = _front_matter(blocks, origin=f"{path}: front matter")
    overrides: dict[str, Any] = {**front, **_read_sidecar(path)}
    return Source(replace(document, **overrides), text, tuple(blocks))


def _read_extracted(path: Path, raw: bytes, *, display_path: str) -> Source:
    """A web page, PDF or Word file: its canonical text read as any text, its own metadata
    preferred to what the first lines suggest — except a printed "By …" line, which names the
    writer more surely than a file's author field (a sidecar still overrides both)."""
    extracted = read_document(path, raw)
    headline = extracted.printed_title or extracted.title
    blocks = _classify(list(_split_blocks(extracted.text)), known_title=headline)
    found = _document_from(blocks, display_path=display_path, sha256=fingerprint(path))
    document = replace(
        found,
        title=extracted.title or found.title,
        published=extracted.published or found.published or extracted.file_date,
        author=found.author or extracted.author,  # a printed byline over a file's owner
        source=extracted.source,
        url=extracted.url,
        format=extracted.format,
        pages=extracted.pages,
    )
    overrides: dict[str, Any] = _read_sidecar(path)
    return Source(
        replace(document, **overrides), extracted.text, tuple(blocks), notes=extracted.notes
    )


def _decode(path: Path, raw: bytes) -> str:
    """The file's text. A byte-order mark starting a UTF-8 file (Notepad writes one) becomes a
    space, so that offsets into the text are offsets into the file read as UTF-8; a file with a
    UTF-16 one (Notepad's "Unicode") is read as UTF-16."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise SeedError(f"{path}: not UTF-16 text, though it starts as UTF-16 does") from None
    if b"\0" in raw[:8192]:
        raise SeedError(f"{path}: looks like a binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SeedError(f"{path}: not UTF-8 text (bad byte at offset {error.start})") from None
    return " " + text[1:] if text.startswith("\ufeff") else text


_BLANK_LINES = re.compile(r"\n[ \t\u00a0\r]*\n\s*")


def _split_blocks(text: str) -> Iterator[Block]:
    start = 0
    for gap in _BLANK_LINES.finditer(text):
        yield from _trimmed(text, start, gap.start())
        start = gap.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[Block]:
    segment = text[start:end]
    stripped = segment.strip()
    if stripped:
        lead = len(segment) - len(segment.lstrip())
        yield Block(start + lead, start + lead + len(stripped), stripped)


_FRONT_MATTER_END = re.compile(r"\n---[ \t]*(?:\n|$)")


def _front_matter_apart(blocks: list[Block], text: str) -> list[Block]:
    """A Markdown file's front matter as a block of its own, when no blank line follows its
    closing "---" ("---\ntitle: …\n---\n“We cannot wait,” said …"): the text after it is body."""
    if not blocks or not blocks[0].text.startswith("---\n"):
        return blocks
    first = blocks[0]
    end = _FRONT_MATTER_END.search(first.text, 3)
    if end is None or not first.text[end.end() :].strip():
        return blocks
    front = Block(first.start, first.start + end.start() + 4, first.text[: end.start() + 4])
    return [front, *_trimmed(text, first.start + end.end(), first.end), *blocks[1:]]


HEADER_LINES = 6
"""The most lines a header written without blank lines between them may have (a headline, a
kicker or section, a dateline, a byline, a photo credit)."""


def _header_lines_apart(blocks: list[Block], text: str) -> list[Block]:
    """A header typed with no blank line between its lines ("Headline\nCrime & Courts\n
    Published 12 March 2024\nBy Harriet Okafor", then a blank line and the story), each line a
    block of its own, as if the blank lines were there: read whole, it is one paragraph, and
    the document loses its title, date and author. Only when a line after the first is a
    dateline or a byline; a paragraph of short lines (a poem, an address) stays whole. The story
    may follow the header with no blank line at all: its first line of prose then starts a
    block of its own."""
    if not blocks or blocks[0].text.startswith("---\n"):
        return blocks
    first = blocks[0]
    lines = [
        block
        for at in _LINE_STARTS.finditer(first.text)
        for block in _trimmed(text, first.start + at.start(), first.start + at.end())
    ]
    marks = [
        at
        for at, line in enumerate(lines[:HEADER_LINES])
        if at > 0 and (_is_dateline(line) or _byline_field(line.text))
    ]
    if not marks or len(lines) < 2:
        return blocks
    if len(lines) <= HEADER_LINES and all(len(line.text) <= 200 for line in lines):
        return [*lines, *blocks[1:]]
    # the story typed straight after the header, with no blank line: "By Callum Rees\nAshby
    # Vale Cricket Club has cancelled …" (a long line of prose, not the next short line of an
    # address or a list)
    header, story = lines[: marks[-1] + 1], lines[marks[-1] + 1]
    if any(len(line.text) > 200 for line in header) or not _is_prose(story.text):
        return blocks
    rest = list(_trimmed(text, story.start, first.end))
    return [*header, *rest, *blocks[1:]]


def _is_prose(line: str) -> bool:
    """A line of a story's text: long, ending as a sentence does."""
    return len(line) > 80 and line.rstrip().endswith((".", "!", "?", "”", '"', "’", "'"))


_LINE_STARTS = re.compile(r"[^\n]+")


# --- classification -------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_FORMS = (
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})"),
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"),
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})"),
)
_DATELINE = re.compile(
    r"^(?:(?:published|posted|updated|first published|date)\b:?\s*(?:on\s+)?)?"
    r"(?:[A-Z][a-z]+day,?\s+)?(?P<date>.{6,40}?)\s*(?:\d{1,2}:\d{2}.*)?$",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"(?://|\||—|-)\s*(?:source|credit|photo|image|picture)s?\s*:\s*\S+.{0,80}$"
    r"|^(?:photo|image|picture|caption)\s*:",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w.'’-]*(?:\s(?:[A-Z][\w.'’-]*|de|van|von|da|del|la|le|bin|al)){0,4}"
_BYLINE = re.compile(
    r"^(?i:by|written by|words by|story by|reporting by|(?:words|text|author|by)\s*:)\s*"
    rf"(?P<name>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*?)"
    r"\s*(?:$|[,|·•—–]|\s-\s|\s{2,}|\bin\b|\bfor\b)"
)
"""A byline: "By Jane Doe, Political Editor", "Words: Leo Farrant   Photos: Ines Carvalho"."""
_NAMED_WRITER = re.compile(
    rf"^(?P<name>{_NAME}),\s+(?:[A-Z][\w-]*\s+){{0,3}}"
    r"(?:Correspondent|Reporter|Editor|Writer|Columnist|Journalist)$"
)
"""A byline without "By": a name and a journalist's post ("Ravi Mendes, Health Correspondent")."""


def parse_date(text: str) -> str | None:
    """The first calendar date in `text` as ISO 8601, or None."""
    for form in _DATE_FORMS:
        match = form.search(text)
        if match is None:
            continue
        parts = match.groupdict()
        month = int(parts["mon"]) if parts.get("mon") else _MONTHS.get(parts["month"].lower())
        try:
            if month is not None:
                return date(int(parts["year"]), month, int(parts["day"])).isoformat()
        except ValueError:
            continue
    return None


def _is_dateline(block: Block) -> bool:
    """A line giving the date ("Published 12 March 2024", "Posted: June 8, 2022"), alone or as
    one field of a line that also names the outlet or the writer ("Coastal Science Weekly |
    11 January 2025 | By Priya Anand")."""
    return _date_field(block.text) is not None


def _date_field(text: str) -> str | None:
    if len(text) > 160 or "\n" in text:
        return None
    for field in header_fields(text):
        match = _DATELINE.match(field)
        if len(field) <= 80 and match is not None and parse_date(match.group("date")):
            return field
    return None


def _byline_field(text: str) -> str | None:
    """The writer a header line names, alone ("By Dana Whitcombe") or as one of its fields."""
    if len(text) > 160 or "\n" in text:
        return None
    return next(filter(None, map(byline_name, header_fields(text))), None)


_FIELD_SEPARATOR = re.compile(r"\s+(?:\||·|•|//)\s+")


def header_fields(text: str) -> list[str]:
    """A header line's fields: "Outlet | 11 January 2025 | By Priya Anand" has three."""
    return [field for field in _FIELD_SEPARATOR.split(text.strip()) if field]


_LABELLED_SOURCE = re.compile(
    r"^(?:source|publication|published\s+(?:by|in)|outlet)\s*:\s*(?P<source>\S.{0,78})$",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


def _is_masthead(block: Block) -> bool:
    """ "Source: Eastbrook Evening Standard" or the story's address on a line of its own."""
    text = block.text.strip()
    return "\n" not in text and bool(_LABELLED_SOURCE.match(text) or _ADDRESS.match(text))


def _is_headline(block: Block) -> bool:
    """One short line that does not end as a sentence does: a headline may end with the words
    it quotes ("… warns refloating ship “could take a week”"), but not with a full stop inside
    or outside them (“We will fight on.”)."""
    one_line = "\n" not in block.text and len(block.text) <= 200
    return one_line and _SENTENCE_END.search(block.text.rstrip()) is None


_SENTENCE_END = re.compile(r"\.[”\"’']*$|^[“\"].*[”\"]$")
"""How a paragraph, not a headline, ends: a full stop, maybe inside a closing quotation mark;
or it is one quotation from end to end. ("Will the council act?" is a headline.)"""


def byline_name(text: str) -> str | None:
    """The author a byline names: "By Jane Doe, Political Editor" → "Jane Doe"."""
    if len(text) > 160 or "\n" in text.strip():
        return None
    match = _BYLINE.match(text.strip()) or _NAMED_WRITER.match(text.strip())
    if match is None or _is_calendar_word(match.group("name").split()[0]):
        return None  # "By Monday, …" opens a sentence, not a byline
    return match.group("name").strip(" ,")


def _is_calendar_word(word: str) -> bool:
    word = word.casefold()
    return word in _MONTHS or word.removesuffix("day") in _WEEKDAY_STEMS


_WEEKDAY_STEMS = {"mon", "tues", "wednes", "thurs", "fri", "satur", "sun", "to", "yester"}


def _same_words(text: str, title: str) -> bool:
    def words(value: str) -> str:
        return " ".join(re.findall(r"\w+", value.casefold()))

    return words(text) == words(title)


def _is_standfirst(block: Block) -> bool:
    # A summary set above the body: a full paragraph that does not end like a sentence.
    return len(block.text) > 80 and not block.text.rstrip().endswith((".", "!", "?", "”", '"'))


def _classify(
    blocks: list[Block], *, markdown: bool = False, known_title: str | None = None
) -> list[Block]:
    """Label each block. ``known_title`` is the headline a format's metadata gave: then only a
    block with those words is the headline, and the lines below it are not guessed to be one."""
    classified: list[Block] = []
    seen_body = False
    for position, block in enumerate(blocks):
        kind = _kind_of(
            block, position, markdown=markdown, seen_body=seen_body, known_title=known_title
        )
        seen_body = seen_body or kind == "body"
        classified.append(replace(block, kind=kind))
    return classified


def _kind_of(
    block: Block, position: int, *, markdown: bool, seen_body: bool, known_title: str | None
) -> BlockKind:
    if markdown and position == 0 and block.text.startswith("---\n"):
        return "front_matter"
    if _CAPTION.search(block.text) and len(block.text) <= 400:
        return "caption"
    if seen_body:
        return "body"
    if markdown and block.text.startswith("#"):
        return "headline" if position <= 1 else "body"
    if position <= HEADER_LINES and _is_masthead(block):
        return "masthead"
    if position <= 3 and byline_name(block.text) is not None:
        return "byline"
    if known_title is not None:
        if position <= 1 and _same_words(block.text, known_title):
            return "headline"
    elif position <= 1 and _is_headline(block) and not _is_dateline(block):
        return "headline"
    if position <= 3 and _is_dateline(block):
        return "dateline"
    if position <= 3 and _byline_field(block.text) is not None:
        return "byline"  # "The Courier · By Dana Whitcombe"
    if _is_standfirst(block):
        return "standfirst"
    return "body"


# --- metadata ------------------------------------------------------------------------------


def split_section(headline: str, *, context: str = "") -> tuple[str | None, str]:
    """Separate a section label glued to a headline, whatever the label's case:
    "Secure CommunitiesInternal e-mails …", "Border securityNew patrols …", "WORLDCity …".

    The seam is a capital starting a word straight after a lowercase letter (or after a run of
    capitals). It is not a seam when the word it cuts is a real word: too short to be a label's
    last word ("McDonald", "iPhone"), all capitals, or written whole elsewhere in ``context``
    (the rest of the document) — "YouTube" in the body means "YouTube" in the headline.
    """
    for seam in _SEAM.finditer(headline, 0, _MAX_SECTION_CHARS + 1):
        section, title = headline[: seam.start()].strip(), headline[seam.start() :]
        if len(section.split()) > _MAX_SECTION_WORDS:
            break
        if _is_seam(section, title, context):
            return section, title
    return None, headline


_SEAM = re.compile(r"(?<=[a-z’'])(?=[A-Z])|(?<=[A-Z]{2})(?=[A-Z][a-z])|(?<=[a-z])(?=[‘“\"'][A-Z])")
"""Where a label may end: "CommunitiesInternal", "WORLDCity", and before a headline that opens
with a quotation ("People‘The sea does not care …’")."""
_MAX_SECTION_CHARS = 40
_MAX_SECTION_WORDS = 4


def _is_seam(section: str, title: str, context: str) -> bool:
    if not section or len(title.split()) < 3:
        return False
    last = section.split()[-1]
    glued_word = last + title.split()[0]
    if sum(character.isalpha() for character in last) < 3 or glued_word.isupper():
        return False
    whole = re.compile(rf"(?<!\w){re.escape(glued_word.strip(_PUNCTUATION))}(?!\w)")
    return whole.search(context) is None


_PUNCTUATION = ",.;:!?“”‘’\"'()"


def _document_from(blocks: list[Block], *, display_path: str, sha256: str) -> Document:
    headline = next((b for b in blocks if b.kind == "headline"), None)
    dateline = next((b for b in blocks if b.kind == "dateline"), None)
    byline = next((b for b in blocks if b.kind == "byline"), None)
    section, title = (None, " ".join(Path(display_path).stem.split()))  # a newline in a name
    if headline is not None:
        body = " ".join(b.text for b in blocks if b is not headline)
        section, title = split_section(headline.text.lstrip("# ").strip(), context=body)
    published = parse_date(dateline.text) if dateline is not None else None
    if published is None and byline is not None:
        published = parse_date(byline.text)  # "By Jane Doe · 4 March 2021"
    header = [b.text for b in (dateline, byline) if b is not None]
    return Document(
        path=display_path,
        title=title,
        published=published,
        section=section,
        author=next(filter(None, map(_byline_field, header)), None),
        source=_source_named(blocks, header),
        url=_address(blocks),
        sha256=sha256,
    )


def _address(blocks: list[Block]) -> str | None:
    """The story's address, printed on a line of its own at the top."""
    lines = (b.text.strip() for b in blocks if b.kind == "masthead")
    return next((line for line in lines if _ADDRESS.match(line)), None)


def _source_named(blocks: list[Block], header: list[str]) -> str | None:
    """The outlet a masthead line names ("Source: Eastbrook Evening Standard"), or the one field
    of a dateline or byline line that is neither the date nor the writer ("Coastal Science
    Weekly | 11 January 2025 | By Priya Anand")."""
    for block in blocks:
        found = _LABELLED_SOURCE.match(block.text.strip()) if block.kind == "masthead" else None
        if found is not None:
            return found.group("source").strip()
    for line in header:
        fields = header_fields(line)
        rest = [f for f in fields if f != _date_field(f) and byline_name(f) is None]
        if len(fields) > 1 and len(rest) == 1 and len(rest[0].split()) <= 6:
            return rest[0]
    return None


def _front_matter(blocks: list[Block], *, origin: str) -> dict[str, str]:
    block = next((b for b in blocks if b.kind == "front_matter"), None)
    if block is None:
        return {}
    values: dict[str, str] = {}
    for line in block.text.splitlines()[1:]:
        key, colon, value = line.partition(":")
        if colon and key.strip().lower() in SIDECAR_KEYS:
            values[key.strip().lower()] = value.strip().strip("'\"")
    return _normalised_metadata(values, origin=origin)


def _read_sidecar(path: Path) -> dict[str, str]:
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(_read_bytes(sidecar).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SeedError(f"{sidecar}: not valid UTF-8 JSON ({error})") from None
    if not isinstance(data, dict):
        raise SeedError(f"{sidecar}: expected a JSON object with {', '.join(SIDECAR_KEYS)}")
    values = {k: str(v) for k, v in data.items() if k in SIDECAR_KEYS and v is not None}
    return _normalised_metadata(values, origin=str(sidecar))


def _normalised_metadata(values: dict[str, str], *, origin: str) -> dict[str, str]:
    if "published" in values:
        iso = parse_date(values["published"])
        if iso is None:
            raise SeedError(
                f"{origin}: published {values['published']!r} is not a date (write it as "
                "2020-03-01 or 1 March 2020), so its document is not indexed"
            )
        values["published"] = iso
    return values
