"""`.html`/`.htm`: the article's main text and metadata, via trafilatura.

trafilatura drops navigation, ads, related links, cookie banners and footers, and reads the
headline, date, byline, site name and canonical URL from the page's markup. We keep its
paragraphs (headings, list items and block quotes each as one) and leave tables out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.errors import UnreadableDocumentError
from bot.formats import Extracted, clean_name, join_paragraphs

_BLOCK_TAGS = ("p", "head", "quote", "item")


def read(path: Path, raw: bytes) -> Extracted:
    """The main text of a saved web page, or UnreadableDocumentError."""
    import trafilatura

    if b"\0" in raw[:8192]:
        raise UnreadableDocumentError(path, "binary data, not an HTML page")
    result: Any = trafilatura.bare_extraction(
        raw,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
    )
    body = getattr(result, "body", None)
    if result is None or body is None:
        raise UnreadableDocumentError(path, "no article text found in the web page")
    title = clean_name(result.title)
    paragraphs = [p for p in _paragraphs(body) if not _is_title(p, title)]
    text = join_paragraphs(paragraphs)
    if not text:
        raise UnreadableDocumentError(path, "no article text found in the web page")
    return Extracted(
        text=text,
        format="html",
        title=title,
        published=clean_name(result.date),
        author=clean_name(result.author),
        source=clean_name(result.sitename),
        url=clean_name(result.url),
    )


def _paragraphs(body: Any) -> list[str]:
    """The text of each block-level element of trafilatura's output tree, in order."""
    paragraphs: list[str] = []
    for element in body.iter(*_BLOCK_TAGS):
        if element.tag in ("quote", "list") and len(element):
            continue  # its paragraphs or items come on their own
        text = "".join(_text_with_breaks(element))
        if text.strip():
            paragraphs.append(text)
    return paragraphs


def _text_with_breaks(element: Any) -> list[str]:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else "".join(child.itertext()))
        parts.append(child.tail or "")
    return parts


def _is_title(paragraph: str, title: str | None) -> bool:
    return title is not None and " ".join(paragraph.split()).casefold() == title.casefold()
