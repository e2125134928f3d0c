"""`.docx`: the body's paragraphs via python-docx, with the text Word shows (tracked
insertions, content controls, fields' results; not deleted text), and the paragraphs of its
tables in reading order; title, author and date from the core properties (or, failing those,
the first lines, as for any text).

Headers, footers and comments are not body paragraphs, so they are never quoted.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.errors import UnreadableDocumentError
from bot.formats import Extracted, author_name, clean_name, join_paragraphs

_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15)
"""The creation date python-docx's default template carries: not the document's."""
_TITLE_STYLES = {"title"}


def read(path: Path, raw: bytes) -> Extracted:
    """The paragraphs and core properties of a Word file, or UnreadableDocumentError."""
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as error:  # a damaged file surfaces as zipfile, lxml or python-docx errors
        raise UnreadableDocumentError(path, f"not a readable Word file ({_why(error)})") from None
    paragraphs = [p for p in _body_paragraphs(document) if _shown(p).strip()]
    text = join_paragraphs(_shown(p) for p in paragraphs)
    if not text:
        raise UnreadableDocumentError(path, "the Word file has no text")
    core = document.core_properties
    return Extracted(
        text=text,
        format="docx",
        title=clean_name(core.title) or _styled_title(paragraphs),
        printed_title=_styled_title(paragraphs),
        file_date=_created(core.created),
        author=author_name(core.author),
    )


def _body_paragraphs(document: Any) -> list[Any]:
    """The body's paragraphs in reading order, those in table cells included (a document laid
    out in a table is all table)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def within(parent: Any, element: Any) -> list[Any]:
        if element.tag == _TAG["p"]:
            return [Paragraph(element, parent)]
        if element.tag != _TAG["tbl"]:
            return []
        found = []
        for row in Table(element, parent).rows:
            for cell in dict.fromkeys(row.cells):  # a merged cell is listed once per column
                for child in cell._tc.iterchildren():
                    found.extend(within(cell, child))
        return found

    body = document.element.body
    return [p for child in body.iterchildren() for p in within(document, child)]


def _shown(paragraph: Any) -> str:
    """The paragraph's text as Word shows it: its runs wherever they sit (inside tracked
    insertions, content controls, smart tags, hyperlinks, fields' results), not deleted or
    moved-away text, nor a field's instructions."""
    pieces = []
    for element in paragraph._p.iter(_TAG["t"], _TAG["tab"], _TAG["br"], _TAG["cr"]):
        if any(a.tag in _HIDDEN for a in element.iterancestors()):
            continue
        pieces.append(element.text or "" if element.tag == _TAG["t"] else _BREAKS[element.tag])
    return "".join(pieces)


def _w(name: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + name


_TAG = {name: _w(name) for name in ("p", "tbl", "t", "tab", "br", "cr")}
_BREAKS = {_TAG["tab"]: "\t", _TAG["br"]: "\n", _TAG["cr"]: "\n"}
_HIDDEN = frozenset(map(_w, ("del", "moveFrom")))
"""What Word shows struck through or not at all."""


def _styled_title(paragraphs: list[Any]) -> str | None:
    for paragraph in paragraphs[:3]:
        style = getattr(paragraph.style, "name", "") or ""
        if style.casefold() in _TITLE_STYLES:
            return clean_name(_shown(paragraph))
    return None


def _created(value: datetime | None) -> str | None:
    if value is None or value.replace(tzinfo=None) == _TEMPLATE_CREATED:
        return None
    return value.date().isoformat()


def _why(error: Exception) -> str:
    message = str(error).strip().splitlines()
    return message[0][:120] if message else type(error).__name__
