"""Split a source into quotable chunks: runs of whole sentences inside one paragraph.

A chunk never crosses a paragraph, never exceeds the model's window (a sentence longer than the
window is cut into word windows), and remembers each sentence's offsets and speaker so the answer
step can quote one sentence with its context and say who said it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from bot.attribution import attribute
from bot.ingest import Block, Source
from bot.models import Attribution, Chunk, Document, Sentence
from bot.sentences import normalise_space, split_sentences

TokenCounter = Callable[[str], int]

_TOKENISH = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class ChunkingParams:
    """How big a chunk may be. Recorded in the manifest: changing them rebuilds everything."""

    max_sentences: int = 0
    """0 keeps a whole paragraph together (up to ``max_tokens``); N caps a chunk at N sentences."""
    max_tokens: int = 200
    """Leaves room under the model's 256-token window for context added at embedding time."""


def estimate_tokens(text: str) -> int:
    """A cautious stand-in for a WordPiece count, for when no tokenizer is at hand."""
    return math.ceil(len(_TOKENISH.findall(text)) * 1.3) + 2


def chunk_source(
    source: Source,
    *,
    document: int,
    first_id: int,
    params: ChunkingParams,
    count_tokens: TokenCounter = estimate_tokens,
) -> list[Chunk]:
    """All chunks of one source, numbered from ``first_id``."""
    paragraphs = source.paragraphs
    spans = [_sentence_spans(block, count_tokens, params.max_tokens) for block in paragraphs]
    texts = [[source.text[start:end] for start, end in para] for para in spans]
    speakers = attribute(texts)
    chunks: list[Chunk] = []
    for number, block, para_spans, para_speakers in zip(
        _paragraph_numbers(paragraphs), paragraphs, spans, speakers, strict=True
    ):
        sentences = [
            Sentence(start, end, who)
            for (start, end), who in zip(para_spans, para_speakers, strict=True)
        ]
        for group in _group(sentences, source.text, params, count_tokens):
            chunks.append(_make_chunk(first_id + len(chunks), document, number, block, group, source))
    return chunks


def _paragraph_numbers(paragraphs: Sequence[Block]) -> Iterator[int]:
    """Body paragraphs count from 1; a standfirst or caption is paragraph 0 (not in the body)."""
    number = 0
    for block in paragraphs:
        if block.kind == "body":
            number += 1
            yield number
        else:
            yield 0


def _sentence_spans(block: Block, count_tokens: TokenCounter, max_tokens: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for start, end in split_sentences(block.text):
        absolute = (block.start + start, block.start + end)
        if _fits(block.text[start:end], count_tokens, max_tokens):
            spans.append(absolute)
        else:
            spans.extend(_word_windows(block.text, start, end, block.start, count_tokens, max_tokens))
    return spans


def _fits(text: str, count_tokens: TokenCounter, max_tokens: int) -> bool:
    # Each token covers at least one character, so short text needs no tokenizer call.
    return len(text) + 2 <= max_tokens or count_tokens(text) <= max_tokens


def _word_windows(
    text: str, start: int, end: int, offset: int, count_tokens: TokenCounter, max_tokens: int
) -> Iterator[tuple[int, int]]:
    """Cut an over-long sentence into consecutive windows of whole words that fit."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    size = max(1, max_tokens // 2)
    position = 0
    while position < len(words):
        take = min(size, len(words) - position)
        while take > 1:
            window = text[words[position][0] : words[position + take - 1][1]]
            if _fits(window, count_tokens, max_tokens):
                break
            take //= 2
        yield offset + words[position][0], offset + words[position + take - 1][1]
        position += take


def _group(
    sentences: list[Sentence], text: str, params: ChunkingParams, count_tokens: TokenCounter
) -> Iterator[list[Sentence]]:
    """Greedy runs of consecutive sentences within the sentence and token caps."""
    group: list[Sentence] = []
    for sentence in sentences:
        candidate = [*group, sentence]
        too_many = params.max_sentences and len(candidate) > params.max_sentences
        span = text[candidate[0].start : candidate[-1].end]
        if group and (too_many or not _fits(span, count_tokens, params.max_tokens)):
            yield group
            candidate = [sentence]
        group = candidate
    if group:
        yield group


def _make_chunk(
    chunk_id: int, document: int, paragraph: int, block: Block, group: list[Sentence], source: Source
) -> Chunk:
    start, end = group[0].start, group[-1].end
    kind = block.kind if block.kind in ("standfirst", "caption") else "body"
    return Chunk(
        id=chunk_id,
        document=document,
        paragraph=paragraph,
        start=start,
        end=end,
        text=source.text[start:end],
        sentences=tuple(group),
        kind=kind,  # type: ignore[arg-type]
    )


def chunk_speaker(chunk: Chunk) -> Attribution | None:
    """The speaker of a chunk: the first attributed sentence's, if any."""
    return next((s.attribution for s in chunk.sentences if s.attribution is not None), None)


EMBEDDING_CONTEXT = "speaker"
"""What is put in front of a chunk's text for the model: "none", "title" or "speaker".
Chosen by measurement on ../shared/eval (docs/QUALITY.md)."""


def embedding_text(chunk: Chunk, document: Document, context: str = EMBEDDING_CONTEXT) -> str:
    """The text the model sees for a chunk: whitespace normalised, with a little context."""
    text = normalise_space(chunk.text)
    speaker = chunk_speaker(chunk)
    if context == "speaker" and speaker is not None:
        who = ", ".join(part for part in (speaker.speaker, speaker.role) if part)
        return f"{who}: {text}"
    if context == "title":
        return f"{document.title}: {text}"
    return text
