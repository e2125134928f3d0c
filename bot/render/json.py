"""The `ask --json` object (schema in ../shared/INTERFACES.md)."""

from __future__ import annotations

from typing import Any

from bot.models import Answer, Document, Quote
from bot.render.text import render_text


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


def answer_to_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answered": answer.answered,
        "confidence": answer.confidence,
        "kind": answer.kind,
        "quotes": [quote_to_json(quote) for quote in answer.quotes],
        "reply_text": render_text(answer),
    }
