"""`.html`/`.htm`: the article's main text and metadata, via trafilatura.

trafilatura drops navigation, ads, related links, cookie banners and footers, and reads the
headline, date, byline, site name and canonical URL from the page's markup. We keep its
paragraphs (headings, list items and block quotes each as one) and leave tables out.

Before extraction we also take out blocks whose class or id names them as furniture ("ad",
"cookie", "related", "share", ...): trafilatura's own list misses some spellings ("inline-ad").
Where the markup is thin we look a little further ourselves: the site name after the headline
in ``<title>`` ("Headline | Site"), and a "Published 5 February 2022" line on the page. The
date is never guessed from a copyright year.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.errors import UnreadableDocumentError
from bot.formats import Extracted, author_name, clean_name, join_paragraphs
from bot.ingest import parse_date

_BLOCK_TAGS = ("p", "head", "quote", "item")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s*[|·•]\s*")
_PAGE_DATELINE = re.compile(
    r"\b(?:published|posted|first published|updated|date)\b\s*:?\s*(?:on\s+)?(?P<date>.{6,40})",
    re.IGNORECASE,
)
_FURNITURE_NAMES = frozenset(
    "ad ads adv advert adverts advertisement advertising sponsor sponsored promo promoted cookie"
    " cookies consent gdpr newsletter signup subscribe subscription paywall related share sharing"
    " social outbrain taboola breadcrumb breadcrumbs comments recommended popular trending"
    " more-stories".split()
)
_NAME_TOKEN = re.compile(r"[a-z]+", re.IGNORECASE)
_KEEP_TAGS = frozenset({"html", "body", "main", "article"})
_FURNITURE_PARAGRAPH = re.compile(
    r"^(?:advertisement|advert|ad|sponsored(?: content)?"
    r"|story continues below(?: advertisement)?)$",
    re.IGNORECASE,
)
_NOT_AUTHORS = re.compile(r"^(?:published|posted|updated|by|staff|admin|\W*)$", re.IGNORECASE)


_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE
)
_WINDOWS_1252_LABELS = frozenset(
    b"iso-8859-1 iso8859-1 iso_8859-1 latin1 latin-1 l1 us-ascii ascii windows-1252 cp1252".split()
)
"""Labels browsers read as windows-1252 (the WHATWG Encoding Standard): pages that say
ISO-8859-1 and use its curly quotation marks (bytes 0x93, 0x94) are that common."""


_WINDOWS_1252_PUNCTUATION = {
    byte: bytes([byte]).decode("cp1252")
    for byte in range(0x80, 0xA0)
    if bytes([byte]).decode("cp1252", errors="ignore")
}
"""What windows-1252 makes of the bytes ISO-8859-1 leaves as control characters (0x93: “);
the five it leaves undefined stay as they are."""


def _as_browsers_read(raw: bytes) -> bytes | str:
    """The page as browsers decode it: one declaring ISO-8859-1 (or ASCII) as windows-1252,
    whose bytes 0x80-0x9F are punctuation, not control characters; any other (or one that is
    UTF-8 whatever it says) as it is, for trafilatura to decode."""
    declared = _DECLARED_CHARSET.search(raw[:4096])
    if declared is None or declared.group(1).lower() not in _WINDOWS_1252_LABELS:
        return raw
    try:
        raw.decode("utf-8")
        return raw  # a page that says ISO-8859-1 but is UTF-8: trafilatura tells
    except UnicodeDecodeError:
        pass
    return raw.decode("latin-1").translate(_WINDOWS_1252_PUNCTUATION)


def read(path: Path, raw: bytes) -> Extracted:
    """The main text of a saved web page, or UnreadableDocumentError."""
    import trafilatura

    if b"\0" in raw[:8192]:
        raise UnreadableDocumentError(path, "binary data, not an HTML page")
    tree = trafilatura.load_html(_as_browsers_read(raw))
    if tree is None:
        raise UnreadableDocumentError(path, "not an HTML page")
    page_title, page_text = _page_title(tree), _page_text(tree)
    _drop_named_furniture(tree)
    _inline_quotations_marked(tree)
    result: Any = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = getattr(result, "body", None)
    if result is None or body is None:
        raise UnreadableDocumentError(path, "no article text found in the web page")
    title = clean_name(result.title)
    text = join_paragraphs(
        p for p in _paragraphs(body) if not _is_title(p, title) and not _is_furniture(p)
    )
    if not text:
        raise UnreadableDocumentError(path, "no article text found in the web page")
    return Extracted(
        text=text,
        format="html",
        title=title,
        published=clean_name(result.date) or _dateline(page_text),
        author=_author(result.author),
        source=clean_name(result.sitename) or _site_in_title(page_title, title),
        url=clean_name(result.url),
    )


def _inline_quotations_marked(tree: Any) -> None:
    """``<q>…</q>`` as the words between quotation marks, as a browser shows it (trafilatura
    would drop the marks and repeat the words as a paragraph of their own)."""
    for element in list(tree.iter("q")):
        parent = element.getparent()
        if parent is None:
            continue
        words = f"“{''.join(element.itertext())}”" + (element.tail or "")
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + words
        else:
            parent.text = (parent.text or "") + words
        parent.remove(element)


def _drop_named_furniture(tree: Any) -> None:
    """Remove blocks whose class or id says they are ads, banners, share bars and the like —
    but never the article itself, nor a block holding its headline."""
    doomed = [
        element
        for element in tree.iter()
        if isinstance(element.tag, str)
        and element.tag not in _KEEP_TAGS
        and _named_as_furniture(element)
        and next(element.iter("h1"), None) is None
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _named_as_furniture(element: Any) -> bool:
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    tokens = set(_NAME_TOKEN.findall(names))
    return bool(tokens & _FURNITURE_NAMES) or "more-stories" in names


def _is_furniture(paragraph: str) -> bool:
    return bool(_FURNITURE_PARAGRAPH.match(paragraph.strip(" .:-–—")))


def _page_title(tree: Any) -> str | None:
    found = tree.xpath("//head/title//text()")
    return clean_name(" ".join(found)) if found else None


def _page_text(tree: Any) -> str:
    words = tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")
    return "\n".join(str(w).strip() for w in words if str(w).strip())


def _dateline(page_text: str) -> str | None:
    """The date of a "Published 5 February 2022" line, when the markup gives none; not one
    about the site ("Our privacy policy was updated on 25 May 2018")."""
    for match in _PAGE_DATELINE.finditer(page_text):
        start = page_text.rfind("\n", 0, match.start()) + 1
        end = page_text.find("\n", match.start())
        line = page_text[start : end if end >= 0 else None]
        if _ABOUT_THE_SITE.search(line) is None:
            return parse_date(match.group("date"))
    return None


_ABOUT_THE_SITE = re.compile(
    r"\b(?:privacy|cookies?|policy|policies|terms|conditions|copyright|subscription)\b",
    re.IGNORECASE,
)


def _site_in_title(page_title: str | None, headline: str | None) -> str | None:
    """"Headline | Site Name" → "Site Name" (only when the rest really is the headline)."""
    if not page_title or not headline or not page_title.startswith(headline):
        return None
    rest = page_title[len(headline) :]
    separator = _TITLE_SEPARATORS.match(rest)
    return clean_name(rest[separator.end() :]) if separator else None


def _author(value: str | None) -> str | None:
    """trafilatura's author with the words it sometimes sweeps in from the byline dropped."""
    names = [part.strip() for part in (value or "").split(";")]
    kept = [name for name in names if not _NOT_AUTHORS.match(name) and parse_date(name) is None]
    return author_name("; ".join(kept)) if kept else None


def _paragraphs(body: Any) -> list[str]:
    """The text of each block-level element of trafilatura's output tree, in order, and a
    lead paragraph written straight after the headline in no block (not in a ``<p>``)."""
    paragraphs: list[str] = []
    for element in body.iter(*_BLOCK_TAGS):
        if not (element.tag in ("quote", "list") and len(element)):  # else its own come alone
            text = "".join(_text_with_breaks(element))
            if text.strip():
                paragraphs.append(text)
        lead = (element.tail or "").strip() if element.tag == "head" else ""
        if len(lead) >= _LEAD_CHARS and lead.endswith((".", "!", "?", "”", '"')):
            paragraphs.append(lead)  # the lead written straight after the headline
    return paragraphs


_LEAD_CHARS = 60
"""How long text after a headline, in no block, must be to be a paragraph (not a label)."""


def _text_with_breaks(element: Any) -> list[str]:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else "".join(child.itertext()))
        parts.append(child.tail or "")
    return parts


def _is_title(paragraph: str, title: str | None) -> bool:
    return title is not None and " ".join(paragraph.split()).casefold() == title.casefold()
