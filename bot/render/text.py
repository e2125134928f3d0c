"""Plain text: the reply as words and lines, used by the JSON `reply_text` and as fallbacks."""

from __future__ import annotations

import re
from datetime import date

from bot.records import Answer, Document, Quote

_ESCAPE_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase screen
    r"|[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC (hyperlinks, titles), DCS, PM, APC
    r"|[ -/]*[0-~])"  # two- and three-character escapes
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Every C0 and C1 control character but tab and newline; carriage returns included."""
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` without terminal escape sequences or control characters (tab and newline kept):
    what a document or a user wrote must not drive the reader's terminal."""
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def valid_unicode(text: str) -> str:
    """``text`` with lone surrogates (undecodable bytes, broken escapes) as U+FFFD, so that it
    can be encoded, embedded and printed."""
    return _SURROGATE.sub("\ufffd", text)


def format_date(iso: str | None, *, month_in_full: bool = False) -> str | None:
    """ "2011-11-15" → "15 Nov 2011" (unambiguous on both sides of the Atlantic), or with the
    month in full, "15 November 2011", as a sentence and a dateline write it."""
    if not iso:
        return None
    try:
        return date.fromisoformat(iso).strftime("%-d %B %Y" if month_in_full else "%-d %b %Y")
    except ValueError:
        return iso


def place_in_document(quote: Quote) -> str:
    """Where the quote stands: "¶7" (with "p. 2" in a paged document), or the standfirst /
    caption that sit above the body."""
    if quote.passage == "caption":
        place = "image caption"
    elif quote.passage == "standfirst":
        place = "standfirst"
    else:
        place = f"¶{quote.paragraph}"
    return place if quote.page is None else f"p. {quote.page} · {place}"


def document_line(document: Document) -> str:
    """Title · date · publisher, leaving out what is unknown."""
    parts = [document.title, format_date(document.published), document.source]
    return " · ".join(part for part in parts if part)


def speaker_line(quote: Quote) -> str | None:
    """ "Name, role" for a quotation; None when nobody is credited."""
    if quote.attribution is None:
        return None
    return quote.attribution.label or None


def attribution_line(quote: Quote) -> str:
    """Who said it (when quoted) · where it was published · where in the article."""
    parts = [speaker_line(quote), document_line(quote.document), place_in_document(quote)]
    return " · ".join(part for part in parts if part)


def render_text(answer: Answer) -> str:
    """The whole reply as plain text, attribution lines included."""
    lines: list[str] = []
    if answer.message:
        lines.append(answer.message)
    for quote in answer.quotes:
        if lines:
            lines.append("")
        lines.extend(f"> {line}" for line in quote.text.splitlines())
        lines.append(f"— {attribution_line(quote)}")
    return "\n".join(lines)
