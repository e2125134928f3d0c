"""`answer(question) -> Answer`: the one pipeline behind Slack, the terminal and JSON.

question → (too long? help? about the document itself?) → retrieve → is it answered? →
one to three verbatim quotes, merged when they overlap, each with its attribution.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from bot.errors import BotError, IndexMismatchError
from bot.gate import DEFAULT_MODEL, Gate, GateModel, Verdict
from bot.models import Answer, Attribution, Chunk, Confidence, Document, Quote, Sentence
from bot.render.text import document_line, format_date, valid_unicode
from bot.retrieve import Hit, Mode, Retriever, terms
from bot.sentences import normalise_space
from bot.settings import Settings
from bot.store import CURRENT, StoredIndex, load_index

logger = logging.getLogger(__name__)

RELOAD_CHECK_SECONDS = 1.0


class QueryEmbedder(Protocol):
    def encode_query(self, text: str) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True)
class Policy:
    """How sure we are of an answer, and how much of it to quote. Calibrated in docs/QUALITY.md;
    whether a passage answers at all is the gate's call (bot/gate.py)."""

    high_margin: float = 0.15
    high_dense: float = 0.40
    medium_margin: float = 0.06
    medium_dense: float = 0.60
    """Bands fitted on SQuAD 2.0 dev: the first quote comes from the right paragraph for 97.6%
    of "high", 76% of "medium" and 40% of "low" answers (docs/QUALITY.md). The margin is how far
    the best passage leads the best passage from another paragraph."""
    extra_quote_ratio: float = 0.80
    """Further quotes must score at least this share of the best quote's score."""
    window_sentences: int = 3


_GREETING = re.compile(
    r"^(?:h(?:i|ello|ey|owdy)|yo|hiya|greetings|good (?:morning|afternoon|evening)|thanks?"
    r"|thank you|cheers|help|\?+|what can you do|who are you|what do you know"
    r"|how do(?:es)? (?:i|this|it) work)(?:\s+(?:there|bot|everyone|all))?[\s!.?,]*$",
    re.IGNORECASE,
)
_ABOUT_DOCUMENT = re.compile(
    r"\b(?:publish(?:ed|er|ing)?|headline|title[d]?|byline|author|dated?|outlet|source of)\b",
    re.IGNORECASE,
)
_DOCUMENT_NOUN = re.compile(
    r"\b(?:article|story|piece|document|report|post|this|it)\b", re.IGNORECASE
)
_WHO_WROTE_DOCUMENT = re.compile(
    r"\bwho (?:wrote|writes|has written)\b.*\b(?:article|story|piece|report|document|page)\b"
    r"|\b(?:article|story|piece|report|document|page)\b.*\bwritten by\b"
    r"|^\W*who (?:wrote|is the author of) (?:it|this)\W*$",
    re.IGNORECASE,
)


_ASKS_FOR_AUTHOR = re.compile(r"\b(?:author|byline|wrote|written|writes)\b", re.IGNORECASE)


def is_about_the_document(question: str) -> bool:
    """ "When was this published?", "Who wrote the article?": the answer is metadata."""
    if _WHO_WROTE_DOCUMENT.search(question):
        return True
    return bool(_ABOUT_DOCUMENT.search(question) and _DOCUMENT_NOUN.search(question))


class Answerer:
    """Answers questions from the live index, reloading it when a new build lands."""

    def __init__(
        self,
        settings: Settings,
        embedder: QueryEmbedder,
        index: StoredIndex,
        *,
        policy: Policy | None = None,
        gate_model: GateModel = DEFAULT_MODEL,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.policy = policy or Policy()
        self._gate = Gate(Retriever(index), gate_model)
        self._reload_lock = threading.Lock()
        self._next_check = 0.0

    @classmethod
    def load(cls, settings: Settings) -> Answerer:
        """Load the query encoder and the live index once; then every answer is fast."""
        from bot.onnx_encoder import load_query_embedder

        index = load_index(settings.index_dir, model=settings.model)
        embedder = load_query_embedder(settings)
        if embedder.dimension != index.manifest.get("dimension"):
            raise IndexMismatchError(
                f"BOT_MODEL gives {embedder.dimension}-dim vectors but the index holds "
                f"{index.manifest.get('dimension')}; run `python -m bot index build --full`"
            )
        return cls(settings, embedder, index)

    @property
    def _retriever(self) -> Retriever:
        return self._gate.retriever

    @property
    def documents(self) -> tuple[Document, ...]:
        return self._retriever.documents

    def answer(self, question: str, *, mode: Mode = "hybrid") -> Answer:
        """The reply to one question; never raises for anything a user can type."""
        self._reload_if_rebuilt()
        gate = self._gate  # one consistent index for the whole answer
        retriever = gate.retriever
        question = valid_unicode(question)  # undecodable input must not reach the tokenizer
        text = normalise_space(question)
        if len(question) > self.settings.max_question_chars:
            return self._too_long(question)
        if not text or _GREETING.match(text):
            return help_answer(question, retriever.documents)
        vector = self.embedder.encode_query(text)
        hits = retriever.search(text, vector, k=10, mode=mode)
        if is_about_the_document(text):
            return metadata_answer(question, _documents_meant(hits, retriever.documents))
        return self._quoted_answer(question, text, hits, gate)

    # --- quotes ------------------------------------------------------------------------------

    def _quoted_answer(self, question: str, text: str, hits: list[Hit], gate: Gate) -> Answer:
        retriever = gate.retriever
        verdict = gate.judge(text, hits)
        if verdict.lead is None:
            return no_answer(question, retriever.documents, missing=verdict.missing)
        query_terms = terms(text)
        best = verdict.lead.score
        quotes: list[Quote] = []
        for hit in [verdict.lead, *(h for h in hits if h is not verdict.lead)]:
            if len(quotes) == self.settings.max_quotes:
                break
            enough = hit.score >= best * self.policy.extra_quote_ratio
            if quotes and not (enough and gate.answers(text, hit, hits)):
                break
            quote = self._quote(hit, query_terms, retriever)
            if not any(_overlaps(quote, kept) for kept in quotes):
                quotes.append(quote)
        return Answer(
            question=question,
            answered=True,
            confidence=self._confidence(verdict, hits),
            quotes=tuple(quotes),
            documents=retriever.documents,
        )

    def _confidence(self, verdict: Verdict, hits: list[Hit]) -> Confidence:
        top = verdict.lead
        assert top is not None
        rivals = (h for h in hits if h is not top and not _same_passage(top.chunk, h.chunk))
        rival = next(rivals, None)
        margin = top.score - (rival.score if rival is not None else 0.0)
        policy = self.policy
        if (
            margin >= policy.high_margin
            and top.dense >= policy.high_dense
            and verdict.probability >= self._gate.model.high
        ):
            return "high"
        if margin >= policy.medium_margin or top.dense >= policy.medium_dense:
            return "medium"
        return "low"

    def _quote(self, hit: Hit, query_terms: list[str], retriever: Retriever) -> Quote:
        """The hit's best sentence, widened with its neighbours in the paragraph."""
        chunk = hit.chunk
        paragraph = _paragraph_chunks(chunk, retriever.index.chunks)
        sentences = [s for c in paragraph for s in c.sentences]
        best = _best_sentence(chunk, query_terms, retriever)
        window = _window(sentences, sentences.index(best), self.policy.window_sentences)
        first, last = window[0], window[-1]
        text = _source_text(paragraph, first.start, last.end)
        highlight = (best.start - first.start, best.end - first.start) if len(window) > 1 else None
        return Quote(
            text=text,
            document=retriever.documents[chunk.document],
            paragraph=chunk.paragraph,
            char_start=first.start,
            char_end=last.end,
            score=hit.score,
            attribution=best.attribution or _window_speaker(window),
            chunk_ids=tuple(c.id for c in paragraph if c.start < last.end and first.start < c.end),
            kind=chunk.kind,
            highlight=highlight,
        )

    # --- edges -------------------------------------------------------------------------------

    def _too_long(self, question: str) -> Answer:
        limit = self.settings.max_question_chars
        return Answer(
            question=question[:limit],
            answered=False,
            confidence=None,
            kind="too_long",
            message=(
                f"That question is {len(question):,} characters long; please ask in at most "
                f"{limit:,} characters."
            ),
        )

    def _reload_if_rebuilt(self) -> None:
        """Swap in a new build when `index build` has re-pointed `current` (checked ≤ 1/s)."""
        now = time.monotonic()
        if now < self._next_check or not self._reload_lock.acquire(blocking=False):
            return
        try:
            self._next_check = now + RELOAD_CHECK_SECONDS
            live = os.path.realpath(self.settings.index_dir / CURRENT)
            if live != str(self._retriever.index.directory):
                index = load_index(self.settings.index_dir, model=self.settings.model)
                self._gate = Gate(Retriever(index), self._gate.model)
                logger.info("index reloaded from %s", index.directory)
        except BotError as error:
            logger.warning("index reload skipped: %s", error)
        finally:
            self._reload_lock.release()


def _paragraph_chunks(chunk: Chunk, chunks: Sequence[Chunk]) -> list[Chunk]:
    """The chunk with the neighbours it joins up with (same paragraph, no gap between them)."""
    first = chunk.id
    while first > 0 and _joined(chunks[first - 1], chunks[first]):
        first -= 1
    last = chunk.id
    while last + 1 < len(chunks) and _joined(chunks[last], chunks[last + 1]):
        last += 1
    return list(chunks[first : last + 1])


def _joined(before: Chunk, after: Chunk) -> bool:
    return (
        before.document == after.document
        and before.paragraph == after.paragraph
        and before.end == after.start
    )


def _best_sentence(chunk: Chunk, query_terms: list[str], retriever: Retriever) -> Sentence:
    """The sentence of the chunk sharing most of the question's words (the first on a tie)."""
    scores = [
        retriever.coverage(query_terms, terms(_slice(chunk, s.start, s.end) + _who(s)))
        for s in chunk.sentences
    ]
    return chunk.sentences[max(range(len(scores)), key=lambda i: (scores[i], -i))]


def _window(sentences: list[Sentence], position: int, size: int) -> list[Sentence]:
    """``size`` consecutive sentences around ``position``, shifted to stay inside the list."""
    if len(sentences) <= size:
        return sentences
    first = min(max(0, position - (size - 1) // 2), len(sentences) - size)
    return sentences[first : first + size]


def _source_text(paragraph: list[Chunk], start: int, end: int) -> str:
    """Verbatim text between two offsets, from chunks that join up end to start."""
    return "".join(
        _slice(c, max(start, c.start), min(end, c.end))
        for c in paragraph
        if c.start < end and start < c.end
    )


def _who(sentence: Sentence) -> str:
    if sentence.attribution is None:
        return ""
    return f" {sentence.attribution.speaker or ''} {sentence.attribution.role or ''}"


def _window_speaker(window: list[Sentence]) -> Attribution | None:
    return next((s.attribution for s in window if s.attribution is not None), None)


def _same_passage(a: Chunk, b: Chunk) -> bool:
    """Two chunks of one paragraph, or two passages saying (nearly) the same words."""
    if a.document == b.document and a.paragraph == b.paragraph and a.kind == b.kind:
        return True
    return _near_duplicate(a.text, b.text)


def _near_duplicate(a: str, b: str) -> bool:
    mine, theirs = set(terms(a)), set(terms(b))
    if not mine or not theirs:
        return False
    return len(mine & theirs) / min(len(mine), len(theirs)) >= 0.8


def _overlaps(quote: Quote, kept: Quote) -> bool:
    """Same passage twice: overlapping offsets in one file, or (nearly) the same words."""
    if quote.document.path == kept.document.path and (
        quote.char_start < kept.char_end and kept.char_start < quote.char_end
    ):
        return True
    return _near_duplicate(quote.text, kept.text)


# --- replies without quotes ------------------------------------------------------------------


def _documents_list(documents: tuple[Document, ...], limit: int = 5) -> str:
    lines = [f"• {document_line(d)}" for d in documents[:limit]]
    if len(documents) > limit:
        lines.append(f"• … and {len(documents) - limit} more")
    return "\n".join(lines)


def help_answer(question: str, documents: tuple[Document, ...]) -> Answer:
    message = (
        "Ask me a question and I'll answer with the exact words of my sources, saying who said "
        "them and where they come from. I know these documents:\n"
        f"{_documents_list(documents)}\n"
        "Try “What did … say about …?”, “Who is …?” or “When was this published?”"
    )
    return Answer(
        question, answered=False, confidence=None, kind="help", message=message, documents=documents
    )


def no_answer(
    question: str, documents: tuple[Document, ...], *, missing: tuple[str, ...] = ()
) -> Answer:
    if missing:
        named = " or ".join(f"“{name}”" for name in missing[:3])
        opening = f"My sources don't mention {named}, so I won't guess."
    else:
        opening = "I found nothing on that in my documents, so I won't guess."
    message = f"{opening} I can answer from:\n{_documents_list(documents)}"
    return Answer(
        question,
        answered=False,
        confidence=None,
        kind="no_answer",
        message=message,
        documents=documents,
    )


def _documents_meant(hits: list[Hit], documents: tuple[Document, ...]) -> tuple[Document, ...]:
    if len(documents) == 1 or not hits:
        return documents[:5]
    return (documents[hits[0].chunk.document],)


def metadata_answer(question: str, documents: tuple[Document, ...]) -> Answer:
    """What a document says about itself: title, publisher, date, address."""
    lines = [_metadata_sentence(d) for d in documents]
    if _ASKS_FOR_AUTHOR.search(question) and not any(d.author for d in documents):
        lines.append("The text does not name its author.")
    return Answer(
        question,
        answered=True,
        confidence="high",
        kind="metadata",
        message="\n".join(lines),
        documents=documents,
    )


def _metadata_sentence(document: Document) -> str:
    sentence = f"“{document.title}”"
    if document.author:
        sentence += f", by {document.author},"
    if document.source:
        sentence += f" was published by {document.source}"
    else:
        sentence += " was published"
    when = format_date(document.published)
    sentence += f" on {when}." if when else " (no publication date given)."
    if document.url:
        sentence += f" {document.url}"
    return f"{sentence} (source file: {document.path})"


def _slice(chunk: Chunk, start: int, end: int) -> str:
    """Source text between two file offsets that lie inside the chunk."""
    return chunk.text[start - chunk.start : end - chunk.start]
