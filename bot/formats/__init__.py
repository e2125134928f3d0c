"""Readers for documents that are not plain text: each turns one file into a canonical text.

``bot.ingest`` dispatches on the suffix; every reader returns an ``Extracted``: the document's
text as paragraphs separated by blank lines (the one text quotes are sliced from and offsets
point into), what the file says about itself, and, for paged formats, where each page starts.
A reader's library is imported only when a file of its kind is read.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

READERS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}
"""Suffix → reader module in this package (and the document's ``format``)."""


@dataclass(frozen=True)
class Extracted:
    """One file turned into text, with the metadata the file carries."""

    text: str
    format: str
    title: str | None = None
    """The headline, when the file says it (and the first line of ``text`` if it is printed)."""
    printed_title: str | None = None
    """The headline as printed at the top of ``text``, when the layout shows which line it is
    (largest type, a Title style): it may differ from ``title`` taken from metadata."""
    published: str | None = None
    """ISO date the file gives as its publication date."""
    file_date: str | None = None
    """ISO date the file was made: used only when the text shows no dateline."""
    author: str | None = None
    source: str | None = None
    url: str | None = None
    pages: tuple[int, ...] = ()
    """Offset in ``text`` where each page starts (page 1 first); empty when not paged."""
    notes: tuple[str, ...] = ()
    """What was left out of the file, for the build to say ("pages 3, 4 have no text …")."""


def sniffed(data: bytes) -> str | None:
    """The reader a file's first bytes name, whatever its suffix says: a PDF ("%PDF-"), a Word
    file (a zip holding word/document.xml), a web page ("<!DOCTYPE html", "<html"); None when
    they name none of these."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and b"word/" in data[:65536]:
        return "docx"
    if re.match(rb"(?i)<!doctype\s+html|<html[\s>]", head):
        return "html"
    return None


def read_document(path: Path, data: bytes) -> Extracted:
    """Turn the bytes of one non-text seed file into text with the reader its first bytes name
    (`sniffed`: a PDF saved as ".html" is a PDF), else the one for its suffix.

    A file the reader cannot make text of (corrupt, encrypted, scanned) raises
    UnreadableDocumentError naming ``path``.
    """
    reader = sniffed(data) or READERS[path.suffix.lower()]
    module = importlib.import_module(f"{__name__}.{reader}")
    result: Extracted = module.read(path, data)
    return result


_SPACE_RUN = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_BLANK_RUN = re.compile(r"\n\s*\n")


def tidy(paragraph: str) -> str:
    """One paragraph with runs of spaces made single and no blank line inside it."""
    lines = (_SPACE_RUN.sub(" ", line).strip() for line in paragraph.splitlines())
    return _BLANK_RUN.sub("\n", "\n".join(line for line in lines if line))


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """The canonical text: tidy paragraphs separated by one blank line."""
    return "\n\n".join(p for p in (tidy(p) for p in paragraphs) if p)


PLACEHOLDER_AUTHORS = frozenset(
    "python-docx|author|unknown|user|owner|administrator|admin|office user|microsoft office user"
    "|windows user|default".split("|")
)
"""What templates and generators leave in an author field: not a byline."""


def author_name(value: str | None) -> str | None:
    """A metadata author, or None when it is empty or a template's placeholder."""
    name = clean_name(value)
    return None if name is None or name.casefold() in PLACEHOLDER_AUTHORS else name


def clean_name(value: str | None) -> str | None:
    """A metadata string, or None when it is empty."""
    if value is None:
        return None
    text = _SPACE_RUN.sub(" ", str(value)).strip()
    return text or None
