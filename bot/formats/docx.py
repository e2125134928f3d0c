"""`.docx`: the body's paragraphs via python-docx; title, author and date from the core
properties (or, failing those, the first lines, as for any text).

Headers, footers, comments and tables are not body paragraphs, so they are never quoted.
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
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    text = join_paragraphs(p.text for p in paragraphs)
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


def _styled_title(paragraphs: list[Any]) -> str | None:
    for paragraph in paragraphs[:3]:
        style = getattr(paragraph.style, "name", "") or ""
        if style.casefold() in _TITLE_STYLES:
            return clean_name(paragraph.text)
    return None


def _created(value: datetime | None) -> str | None:
    if value is None or value.replace(tzinfo=None) == _TEMPLATE_CREATED:
        return None
    return value.date().isoformat()


def _why(error: Exception) -> str:
    message = str(error).strip().splitlines()
    return message[0][:120] if message else type(error).__name__
