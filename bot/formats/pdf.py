"""`.pdf`: the text layer via pypdf, rebuilt into paragraphs, with page furniture dropped.

pypdf gives each page's text as lines, and (through its visitor) where on the page each line
sits. Paragraphs are rebuilt from that: a line joins the one above unless a wider gap, a change
of type size or a short line ending a sentence says a new paragraph starts; a word hyphenated
across a line break is joined again. Lines at the top or bottom of pages that repeat on most
pages (running heads, footers) and bare page numbers are dropped. The canonical text records
where each page starts, so every quote can say its page.
"""

from __future__ import annotations

import io
import logging
import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.errors import UnreadableDocumentError
from bot.formats import Extracted, author_name, clean_name

_HEADLINE_WITHIN = 6
"""How many lines from the top of page 1 the headline may start (below running heads)."""
_EDGE_LINES = 2
"""How many lines at the top and at the bottom of a page may be running heads or footers."""
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–—])?$",
    re.IGNORECASE,
)
_TERMINAL = (".", "!", "?", ":", "”", '"', "’", "'", ")")
_JUNK_TITLE = re.compile(
    r"^(?:untitled|microsoft word\b|document\d*$)|\.(?:docx?|pdf|indd|odt|rtf|txt)$", re.IGNORECASE
)


_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
"""Typographic ligatures some fonts map text to: spelled out, so words are searchable."""


@dataclass(frozen=True)
class _Line:
    """One line of a page as pypdf lays it out, with its position and type size."""

    text: str
    x: float
    y: float
    size: float


def read(path: Path, raw: bytes) -> Extracted:
    """The text layer of a PDF as paragraphs, or UnreadableDocumentError."""
    reader = _open(path, raw)
    try:
        pages = [_page_lines(page) for page in reader.pages]
        metadata = reader.metadata
    except Exception as error:  # a damaged file surfaces as any of pypdf's or zlib's errors
        raise UnreadableDocumentError(path, f"damaged PDF ({_why(error)})") from None
    if not any(pages):
        raise UnreadableDocumentError(path, "PDF has no text layer (scanned? run OCR on it first)")
    blank = [number for number, lines in enumerate(pages, 1) if not lines]
    layout = _layout(pages)
    printed_title, pages = headline(drop_furniture(pages, layout), layout)
    text, starts = rebuild(pages, layout)
    return Extracted(
        text=text,
        format="pdf",
        title=_title(metadata) or printed_title,
        printed_title=printed_title,
        file_date=_date(metadata),
        author=_author(metadata),
        pages=starts,
        notes=(_blank_note(blank),) if blank else (),
    )


def _blank_note(blank: list[int]) -> str:
    """What the build says of pages with no text layer (a partly scanned PDF)."""
    shown = ", ".join(map(str, blank[:10]))
    more = f" and {len(blank) - 10} more" if len(blank) > 10 else ""
    pages = f"page {shown} has" if len(blank) == 1 else f"pages {shown}{more} have"
    return f"{pages} no text layer (scanned? run OCR on them), left out"


def _open(path: Path, raw: bytes) -> Any:
    import pypdf

    # pypdf logs what it repairs in damaged files; the one line a skipped file gets is enough.
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        locked = reader.is_encrypted and not reader.decrypt("")
    except Exception as error:  # pypdf raises many kinds on bytes that are not a PDF
        if "crypt" in type(error).__name__.lower() or "password" in str(error).lower():
            locked = True
        else:
            raise UnreadableDocumentError(path, f"not a readable PDF ({_why(error)})") from None
    if locked:
        raise UnreadableDocumentError(path, "PDF is encrypted (save an unlocked copy to index it)")
    return reader


def _why(error: Exception) -> str:
    message = str(error).strip().splitlines()
    return message[0][:120] if message else type(error).__name__


# --- lines -----------------------------------------------------------------------------------


def _page_lines(page: Any) -> list[_Line]:
    """The page's lines in pypdf's reading order, each placed where its first text sits."""
    lines: list[_Line] = []
    parts: list[str] = []
    place: list[tuple[float, float, float]] = []

    def close() -> None:
        text = " ".join("".join(parts).translate(_LIGATURES).split())
        if text and place:
            lines.append(_Line(text, *place[0]))
        elif text:
            lines.append(_Line(text, 0.0, lines[-1].y if lines else 0.0, 0.0))
        parts.clear()
        place.clear()

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], font: Any, size: float) -> None:
        pieces = text.split("\n")
        for number, piece in enumerate(pieces):
            if number:
                close()
            if piece.strip() and not place:
                place.append(_position(cm, tm, size))
            parts.append(piece)

    page.extract_text(visitor_text=visit)
    close()
    return lines


def _position(cm: Sequence[float], tm: Sequence[float], size: float) -> tuple[float, float, float]:
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
    return x, y, round(size * (scale or 1.0), 1)


# --- layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """What a normal line looks like in this document."""

    pitch: float
    """The usual distance from one line to the next within a paragraph."""
    full_length: dict[float, int]
    """Characters in a full line, for each type size that sets enough lines to tell."""
    body_size: float
    """The type size that sets the most lines."""

    def full_line(self, size: float) -> int | None:
        """Characters in a full line at ``size``: measured, or scaled from the body's."""
        if size in self.full_length:
            return self.full_length[size]
        body = self.full_length.get(self.body_size)
        return round(body * self.body_size / size) if body and size else None


_LINES_TO_TELL = 5


def _layout(pages: list[list[_Line]]) -> _Layout:
    gaps = [
        round(a.y - b.y, 1)
        for lines in pages
        for a, b in zip(lines, lines[1:], strict=False)
        if a.y - b.y > 0 and a.size == b.size
    ]
    by_size: dict[float, list[int]] = {}
    for line in (line for lines in pages for line in lines):
        by_size.setdefault(line.size, []).append(len(line.text))
    full = {
        size: sorted(lengths)[int(len(lengths) * 0.9)]
        for size, lengths in by_size.items()
        if len(lengths) >= _LINES_TO_TELL
    }
    body_size = max(by_size, key=lambda size: len(by_size[size])) if by_size else 0.0
    return _Layout(statistics.median(gaps) if gaps else 0.0, full, body_size)


def _is_short(line: _Line, layout: _Layout) -> bool:
    """Clearly shorter than a full line of its type size: a paragraph's last line, or a line
    set on its own (a byline, a date)."""
    full = layout.full_line(line.size)
    return full is not None and len(line.text) < 0.7 * full


# --- page furniture --------------------------------------------------------------------------


def _furniture_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", line.text.casefold())


def _edges(lines: list[_Line]) -> list[int]:
    count = len(lines)
    return sorted({*range(min(_EDGE_LINES, count)), *range(max(0, count - _EDGE_LINES), count)})


def drop_furniture(pages: list[list[_Line]], layout: _Layout) -> list[list[_Line]]:
    """Pages without running heads, footers and page numbers.

    A line counts as furniture when it sits among the first or last lines of a page, is not a
    full line of body text, and the same words (digits aside) sit there on at least half the
    pages (two at least); or when it is nothing but a page number.
    """
    seen = Counter(key for lines in pages for key in _edge_keys(lines, layout))
    repeating = {key for key, pages_with in seen.items() if pages_with >= max(2, len(pages) / 2)}
    kept: list[list[_Line]] = []
    for lines in pages:
        edges = set(_edges(lines))
        kept.append(
            [
                line
                for i, line in enumerate(lines)
                if i not in edges
                or not (_furniture_key(line) in repeating or _PAGE_NUMBER.match(line.text))
            ]
        )
    return kept


def _edge_keys(lines: list[_Line], layout: _Layout) -> set[str]:
    return {_furniture_key(lines[i]) for i in _edges(lines) if _may_be_furniture(lines[i], layout)}


def _may_be_furniture(line: _Line, layout: _Layout) -> bool:
    return line.size != layout.body_size or _is_short(line, layout)


def headline(pages: list[list[_Line]], layout: _Layout) -> tuple[str | None, list[list[_Line]]]:
    """The headline set in the largest type near the top of page 1, and the pages without
    what is printed above it in type smaller than the body's (a running head, a kicker)."""
    first = pages[0] if pages else []
    top = first[:_HEADLINE_WITHIN]
    if not top or layout.body_size == 0.0:
        return None, pages
    biggest = max(line.size for line in top)
    if biggest < 1.15 * layout.body_size:
        return None, pages
    start = next(i for i, line in enumerate(top) if line.size == biggest)
    end = start
    while end + 1 < len(first) and first[end + 1].size == biggest:
        end += 1
    title = " ".join(line.text for line in first[start : end + 1])
    above = [line for line in first[:start] if line.size >= layout.body_size]
    return title, [[*above, *first[start:]], *pages[1:]]


# --- paragraphs ------------------------------------------------------------------------------


def _starts_paragraph(previous: _Line, line: _Line, layout: _Layout, *, new_page: bool) -> bool:
    ends_sentence = previous.text.endswith(_TERMINAL)
    if new_page:
        return ends_sentence and not line.text[:1].islower()
    if previous.size and line.size and abs(previous.size - line.size) > 0.15 * previous.size:
        return True
    gap = previous.y - line.y
    if layout.pitch and (gap > 1.45 * layout.pitch or gap < -layout.pitch):
        return True
    return _is_short(previous, layout) and not previous.text.endswith(("-", ","))


def _hyphenated(previous: str, line: str) -> bool:
    """A word broken across the line break: "exam-" then "ple", or a soft hyphen; not a word
    with a hyphen of its own that the break fell after ("well-" then "known": both halves are
    words and "wellknown" is not)."""
    if previous.endswith("\u00ad"):
        return True
    broken_word = len(previous) > 1 and previous[-1] == "-" and previous[-2].isalpha()
    if not (broken_word and line[:1].islower()):
        return False
    from bot.vocabulary import english_words  # only for a hyphen at a line's end

    known = english_words()
    before = re.findall(r"[^\W\d_]+$", previous[:-1])
    after = re.match(r"[^\W\d_]+", line)
    if not known or not before or after is None:
        return True
    head, tail = before[0].lower(), after.group().lower()
    compound = head in known and tail in known and head + tail not in known
    return not compound


def rebuild(pages: list[list[_Line]], layout: _Layout) -> tuple[str, tuple[int, ...]]:
    """The canonical text (paragraphs separated by blank lines) and each page's start offset."""
    pieces: list[str] = []
    length = 0
    starts: list[int] = []
    previous: _Line | None = None
    for lines in pages:
        starts.append(length + (2 if pieces else 0))
        for position, line in enumerate(lines):
            if previous is not None:
                if _starts_paragraph(previous, line, layout, new_page=position == 0):
                    separator = "\n\n"
                elif _hyphenated(pieces[-1], line.text):
                    pieces[-1], separator = pieces[-1][:-1], ""
                    length -= 1
                else:
                    separator = " "
                pieces.append(separator)
                length += len(separator)
            if position == 0:
                starts[-1] = length
            pieces.append(line.text)
            length += len(line.text)
            previous = line
    return "".join(pieces), tuple(min(start, length) for start in starts)


# --- metadata --------------------------------------------------------------------------------


def _title(metadata: Any) -> str | None:
    title = clean_name(getattr(metadata, "title", None)) if metadata else None
    return None if title is None or _JUNK_TITLE.search(title) else title


def _author(metadata: Any) -> str | None:
    return author_name(getattr(metadata, "author", None)) if metadata else None


def _date(metadata: Any) -> str | None:
    try:
        created = metadata.creation_date if metadata else None
    except (ValueError, TypeError):
        return None  # a malformed /CreationDate
    return created.date().isoformat() if isinstance(created, datetime) else None
