"""Split a source into quotable chunks: runs of whole sentences inside one paragraph.

A chunk never crosses a paragraph, never exceeds the model's window (a sentence longer than the
window is cut into word windows), and remembers each sentence's offsets and speaker so the answer
step can quote one sentence with its context and say who said it.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass

from bot import attribution, lexical
from bot.attribution import attribute
from bot.ingest import Block, Source
from bot.records import PASSAGE_KINDS, Attribution, Chunk, Document, PassageKind, Sentence
from bot.sentences import normalise_space, split_sentences

TokenCounter = Callable[[str], int]
"""Tokens in a text as the model counts them, including its two special tokens."""
_SPECIAL_TOKENS = 2

_TOKENISH = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class ChunkingParams:
    """How big a chunk may be. Recorded in the manifest: changing them rebuilds everything."""

    max_sentences: int = 3
    """N caps a chunk at N sentences; 0 keeps a whole paragraph together (up to ``max_tokens``).
    3 measured best on SQuAD dev: paragraph hit@1 0.843 against 0.834 for whole paragraphs, at
    0.4× the chunks of single sentences (0.844) — docs/QUALITY.md."""
    max_tokens: int = 200
    """Leaves room under the model's 256-token window for context added at embedding time."""
    max_chars_per_token: int = 12
    """Text longer than ``max_tokens`` times this never fits: a WordPiece tokenizer folds a long
    unbroken string into one [UNK], so the token count alone would let a megabyte through."""

    @property
    def max_chars(self) -> int:
        return self.max_tokens * self.max_chars_per_token


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
    spans = [_sentence_spans(block, count_tokens, params) for block in paragraphs]
    texts = [[source.text[start:end] for start, end in para] for para in spans]
    speakers = attribute(texts, author=source.document.author)
    chunks: list[Chunk] = []
    for number, block, para_spans, para_speakers in zip(
        _paragraph_numbers(paragraphs), paragraphs, spans, speakers, strict=True
    ):
        sentences = [
            Sentence(start, end, who)
            for (start, end), who in zip(para_spans, para_speakers, strict=True)
        ]
        groups = list(_group(sentences, source.text, params, count_tokens))
        for position, group in enumerate(groups):
            # A chunk runs up to where the next one in its paragraph starts, so neighbours join
            # up and a quote can span them verbatim, whitespace between sentences included.
            end = groups[position + 1][0].start if position + 1 < len(groups) else group[-1].end
            chunk_id = first_id + len(chunks)
            chunks.append(_make_chunk(chunk_id, document, number, block, group, source, end))
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


def _sentence_spans(
    block: Block, count_tokens: TokenCounter, params: ChunkingParams
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for start, end in split_sentences(block.text):
        if _fits(block.text[start:end], count_tokens, params):
            spans.append((block.start + start, block.start + end))
        else:
            windows = _windows(block.text, start, end, count_tokens, params)
            spans.extend((block.start + first, block.start + last) for first, last in windows)
    return spans


def _fits(text: str, count_tokens: TokenCounter, params: ChunkingParams) -> bool:
    # Each token covers at least one character, so short text needs no tokenizer call; and
    # each word or mark is at least one token, so clearly long text needs none either (nor
    # makes the tokenizer warn about a sequence longer than the model takes).
    if len(text) + _SPECIAL_TOKENS <= params.max_tokens:
        return True
    if len(text) > params.max_chars:
        return False
    if len(_TOKENISH.findall(text)) + _SPECIAL_TOKENS > params.max_tokens:
        return False
    return count_tokens(text) <= params.max_tokens


def _windows(
    text: str, start: int, end: int, count_tokens: TokenCounter, params: ChunkingParams
) -> Iterator[tuple[int, int]]:
    """Cut an over-long sentence into consecutive windows of whole words that fit.

    Only the next ``max_chars`` characters are looked at for each window, so a sentence of
    megabytes is cut in linear time; a single word too long for a window is cut by characters.
    """
    position = _skip_space(text, start, end)
    while position < end:
        words = _words_ahead(text, position, end, params)
        take = len(words)
        while take > 1 and not _fits(text[position : words[take - 1][1]], count_tokens, params):
            take //= 2
        last = words[take - 1][1]
        if take == 1:
            last = _longest_fitting_prefix(text, position, last, count_tokens, params)
        yield position, last
        position = _skip_space(text, last, end)


def _words_ahead(
    text: str, position: int, end: int, params: ChunkingParams
) -> list[tuple[int, int]]:
    """Spans of the next few words from ``position``: at least one, at most a window's worth."""
    limit = min(end, position + params.max_chars)
    matches = _WORD.finditer(text, position, limit)
    words = [match.span() for match in itertools.islice(matches, max(1, params.max_tokens // 2))]
    cut_mid_word = words[-1][1] == limit < end and not text[limit].isspace()
    if cut_mid_word and len(words) > 1:
        words.pop()
    return words


def _longest_fitting_prefix(
    text: str, start: int, end: int, count_tokens: TokenCounter, params: ChunkingParams
) -> int:
    # ``max_tokens - 2`` characters always fit: every token covers at least one character.
    length = end - start
    while length > params.max_tokens - 2 and not _fits(
        text[start : start + length], count_tokens, params
    ):
        length = max(params.max_tokens - 2, length // 2)
    return start + max(1, length)


def _skip_space(text: str, position: int, end: int) -> int:
    while position < end and text[position].isspace():
        position += 1
    return position


def _group(
    sentences: list[Sentence], text: str, params: ChunkingParams, count_tokens: TokenCounter
) -> Iterator[list[Sentence]]:
    """Greedy runs of consecutive sentences within the sentence, token and character caps.

    Each sentence is counted once and a run's count is the sum of its sentences' (WordPiece
    splits at whitespace, so counts add up; the cap's margin under the model window absorbs
    tokenizers that merge across a seam): linear in the paragraph, however many sentences.
    """
    group: list[Sentence] = []
    tokens = _SPECIAL_TOKENS
    for sentence in sentences:
        own = count_tokens(text[sentence.start : sentence.end]) - _SPECIAL_TOKENS
        too_many = bool(params.max_sentences) and len(group) >= params.max_sentences
        too_long = bool(group) and (
            tokens + own > params.max_tokens or sentence.end - group[0].start > params.max_chars
        )
        if group and (too_many or too_long):
            yield group
            group, tokens = [], _SPECIAL_TOKENS
        group.append(sentence)
        tokens += own
    if group:
        yield group


def _make_chunk(
    chunk_id: int,
    document: int,
    paragraph: int,
    block: Block,
    group: list[Sentence],
    source: Source,
    end: int,
) -> Chunk:
    start = group[0].start
    passage: PassageKind = block.kind if block.kind in PASSAGE_KINDS else "body"
    return Chunk(
        id=chunk_id,
        document=document,
        paragraph=paragraph,
        start=start,
        end=end,
        text=source.text[start:end],
        sentences=tuple(group),
        passage=passage,
    )


def chunk_speaker(chunk: Chunk) -> Attribution | None:
    """The speaker of a chunk: the first attributed sentence's, if any."""
    return first_speaker(chunk.sentences)


def first_speaker(sentences: Iterable[Sentence]) -> Attribution | None:
    """The attribution of the first attributed sentence, if any."""
    return next((s.attribution for s in sentences if s.attribution is not None), None)


EMBEDDING_CONTEXT = "speaker"
"""What is put in front of a chunk's text for the model: "none", "title" or "speaker".
Chosen by measurement on ../shared/eval (docs/QUALITY.md)."""


def chunking_record(params: ChunkingParams) -> dict[str, object]:
    """What decides a chunk, its speakers, its vector and its terms besides the model: a build
    records it, and a build made with another is not current; nor is it reused, unless only
    its terms differ (`same_vectors`)."""
    return {
        **asdict(params),
        "embedding_context": EMBEDDING_CONTEXT,
        "attribution_rules": attribution.RULES_VERSION,
        "spelling_rules": lexical.SPELLING_RULES,
    }


def same_vectors(recorded: Mapping[str, object] | None, params: ChunkingParams) -> bool:
    """Whether a build's chunking record gives the chunks and vectors these parameters give:
    equal but for the rules that read a chunk's terms (an older build's vectors are carried
    over and only its token lists read again)."""
    if recorded is None:
        return False
    return _but_terms(recorded) == _but_terms(chunking_record(params))


def _but_terms(record: Mapping[str, object]) -> dict[str, object]:
    return {name: value for name, value in record.items() if name != "spelling_rules"}


def embedding_text(chunk: Chunk, document: Document, context: str = EMBEDDING_CONTEXT) -> str:
    """The text the model sees for a chunk: whitespace normalised, with a little context."""
    text = normalise_space(chunk.text)
    speaker = chunk_speaker(chunk)
    if context == "speaker" and speaker is not None:
        who = speaker.label
        return f"{who}: {text}"
    if context == "title":
        return f"{document.title}: {text}"
    return text
