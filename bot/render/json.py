"""The `ask --json` object (schema in ../shared/INTERFACES.md)."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.records import Answer, Document, Quote, QuotedSpeaker
from bot.render.text import render_text

_UNESCAPED_CONTROL = re.compile("[\x7f-\x9f]")
"""Control characters ``json.dumps(ensure_ascii=False)`` leaves raw (it escapes only C0)."""


def json_line(data: Any) -> str:
    """``data`` as one line of JSON, non-ASCII text kept readable, every control character
    escaped: the same data, and nothing a terminal would act on."""
    text = json.dumps(data, ensure_ascii=False)
    return _UNESCAPED_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def document_to_json(document: Document) -> dict[str, Any]:
    return {
        "title": document.title,
        "published": document.published,
        "source": document.source,
        "path": document.path,
        "url": document.url,
        "author": document.author,
        "format": document.format,
    }


def quote_to_json(quote: Quote) -> dict[str, Any]:
    attribution = quote.attribution
    return {
        "text": quote.text,
        "speaker": attribution.speaker if attribution else None,
        "speaker_role": attribution.role if attribution else None,
        "document": document_to_json(quote.document),
        "paragraph": quote.paragraph,
        "page": quote.page,
        "char_start": quote.char_start,
        "char_end": quote.char_end,
        "score": round(quote.score, 4),
        "highlight": list(quote.highlight) if quote.highlight else None,
        "chunk_ids": list(quote.chunk_ids),
    }


def speaker_to_json(speaker: QuotedSpeaker) -> dict[str, Any]:
    return {
        "name": speaker.name,
        "role": speaker.role,
        "document": document_to_json(speaker.document),
        "statements": speaker.statements,
    }


def answer_to_json(answer: Answer, *, thread: str | None = None) -> dict[str, Any]:
    """The `ask --json` object; ``thread`` is echoed for a line that named its conversation."""
    data: dict[str, Any] = {
        "question": answer.question,
        "answered": answer.answered,
        "confidence": answer.confidence,
        "kind": answer.kind,
        "quotes": [quote_to_json(quote) for quote in answer.quotes],
        "reply_text": render_text(answer),
    }
    if answer.kind == "speakers":
        data["speakers"] = [speaker_to_json(s) for s in answer.speakers]
    if thread is not None:
        data["thread"] = thread
    return data
