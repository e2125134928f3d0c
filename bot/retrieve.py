"""Find the chunks that answer a question: dense (FAISS) and lexical (BM25) search, fused.

Both searches run over the same chunks. Fusion is a weighted sum of the cosine similarity and
the BM25 score scaled by the best BM25 score for the query; reciprocal-rank fusion is kept as an
option because it is the usual baseline (docs/QUALITY.md has the measurements that chose).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer

from bot.models import Chunk, Document
from bot.sentences import normalise_space
from bot.store import StoredIndex
from bot.vocabulary import Vocabulary, words

# bm25s sets its own logger to DEBUG when imported; its progress chatter is not ours to show.
logging.getLogger("bm25s").setLevel(logging.WARNING)

Mode = Literal["hybrid", "dense", "lexical"]

PARAGRAPH_SHARE = 0.5
"""Share of a chunk's lexical score taken from its whole paragraph (hybrid mode only): lifts
SQuAD dev paragraph hit@1 from 0.850 to 0.858 at retrieval (docs/QUALITY.md)."""

KIND_WEIGHT = {"body": 1.0, "standfirst": 0.95, "caption": 0.85}
"""A caption or standfirst restates the story in fragments; given a body passage that matches
about as well, quote the body."""

BM25_K1 = 0.9
BM25_B = 0.4
"""Lower than the textbook 1.5/0.75: chunks are short and of even length; on SQuAD dev this
lifts BM25 paragraph hit@1 from 0.812 to 0.826 and hybrid from 0.827 to 0.841 (docs/QUALITY.md)."""
Fusion = Literal["weighted", "rrf"]

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves say said tell told think thought mean meant""".split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words: what BM25 and sentence highlighting compare."""
    return list(_terms(text))


@lru_cache(maxsize=8192)
def _terms(text: str) -> tuple[str, ...]:
    # An answer asks for the same sentences' and question's terms several times over (quote
    # windows, duplicates, the gate): 13 calls an answer on SQuAD, a fifth of its own time.
    content = [w for w in words(text) if w and w not in STOPWORDS]
    return tuple(str(t) for t in _stemmer().stemWords(content))


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with the scores that put it there."""

    chunk: Chunk
    score: float
    dense: float
    lexical: float
    coverage: float
    """Share of the question's (idf-weighted) terms that the chunk contains, 0..1."""


class Retriever:
    """Hybrid search over one loaded index."""

    def __init__(
        self,
        index: StoredIndex,
        *,
        fusion: Fusion = "weighted",
        dense_weight: float = 0.5,
        rrf_k: int = 60,
    ) -> None:
        self.index = index
        self.fusion = fusion
        self.dense_weight = dense_weight
        self.rrf_k = rrf_k
        self._chunk_terms = [terms(_lexical_text(c)) for c in index.chunks]
        self._bm25 = _bm25(self._chunk_terms)
        self._paragraph_of = _paragraph_ids(index.chunks)
        paragraphs = int(self._paragraph_of.max()) + 1 if len(index.chunks) else 0
        paragraph_terms: list[list[str]] = [[] for _ in range(paragraphs)]
        for row, chunk_terms in enumerate(self._chunk_terms):
            paragraph_terms[self._paragraph_of[row]].extend(chunk_terms)
        self._paragraph_bm25 = _bm25(paragraph_terms)
        self._paragraph_terms = paragraph_terms
        self._idf = _idf(self._chunk_terms)
        self._unknown_idf = max(self._idf.values(), default=0.0) + 1.0

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """Every word of the corpus, speakers' names and roles included."""
        return Vocabulary(_lexical_text(c) for c in self.index.chunks)

    @property
    def documents(self) -> tuple[Document, ...]:
        return self.index.documents

    def search(
        self,
        question: str,
        query_vector: npt.NDArray[np.float32],
        *,
        k: int = 10,
        mode: Mode = "hybrid",
    ) -> list[Hit]:
        """The best ``k`` chunks for a question, best first."""
        depth = min(len(self.index.chunks), max(k * 5, 50))
        query_terms = self.query_terms(question)
        lexical = self._lexical_scores(query_terms, with_paragraph=mode == "hybrid")
        dense_ranking = self._dense_ranking(query_vector, depth)
        lexical_ranking = [i for i in _top(lexical, depth) if lexical[i] > 0]
        pool = sorted(set(dense_ranking) | set(lexical_ranking))
        dense = dict(zip(pool, self._cosines(query_vector, pool), strict=True))
        fused = self._fuse(mode, dense, lexical, dense_ranking, lexical_ranking)
        order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        return [
            Hit(
                chunk=self.index.chunks[i],
                score=fused[i],
                dense=dense[i],
                lexical=float(lexical[i]),
                coverage=self.coverage(query_terms, self._chunk_terms[i]),
            )
            for i in order
        ]

    def coverage(self, query_terms: Sequence[str], text_terms: Sequence[str]) -> float:
        """Idf-weighted share of the query's terms found in a text (unknown terms count fully)."""
        unique = set(query_terms)
        if not unique:
            return 0.0
        present = set(text_terms)
        weights = {t: self._idf.get(t, self._unknown_idf) for t in unique}
        return sum(w for t, w in weights.items() if t in present) / sum(weights.values())

    def query_terms(self, question: str) -> list[str]:
        """The question's terms, a word the corpus lacks read as the corpus word one letter away."""
        return list(self._query_terms(question))

    @cached_property
    def _query_terms(self) -> Callable[[str], tuple[str, ...]]:
        vocabulary = self.vocabulary

        @lru_cache(maxsize=256)  # search, the gate and each further quote ask again
        def corrected(question: str) -> tuple[str, ...]:
            return tuple(terms(" ".join(vocabulary.correct(w) or w for w in words(question))))

        return corrected

    def corpus_coverage(self, query_terms: Sequence[str]) -> float:
        """Idf-weighted share of the query's terms that occur anywhere in the corpus."""
        return self.coverage(query_terms, [t for t in query_terms if t in self._idf])

    def paragraph_terms(self, chunk_id: int) -> list[str]:
        """The terms of the chunk's whole paragraph, in order."""
        return self._paragraph_terms[self._paragraph_of[chunk_id]]

    def _dense_ranking(self, query_vector: npt.NDArray[np.float32], depth: int) -> list[int]:
        _, ids = self.index.faiss_index.search(query_vector.reshape(1, -1), depth)
        return [int(i) for i in ids[0] if i >= 0]

    def _cosines(self, query_vector: npt.NDArray[np.float32], rows: list[int]) -> list[float]:
        """Exact cosines for the candidates, whatever the (maybe approximate) index returned."""
        return [float(x) for x in np.asarray(self.index.vectors[rows]) @ query_vector]

    def _lexical_scores(
        self, query_terms: list[str], *, with_paragraph: bool
    ) -> npt.NDArray[np.float32]:
        """BM25 per chunk; for hybrid search blended with BM25 of the chunk's whole paragraph,
        since a question's words often spread over sentences that chunking put apart."""
        known = [t for t in query_terms if t in self._idf]
        if not known:
            return np.zeros(len(self.index.chunks), dtype=np.float32)
        chunk = np.asarray(self._bm25.get_scores(known), dtype=np.float32)
        if not with_paragraph:
            return chunk
        paragraph = np.asarray(self._paragraph_bm25.get_scores(known), dtype=np.float32)
        blended = (1 - PARAGRAPH_SHARE) * chunk / (chunk.max() or 1.0) + PARAGRAPH_SHARE * (
            paragraph[self._paragraph_of] / (paragraph.max() or 1.0)
        )
        return blended.astype(np.float32)

    def _fuse(
        self,
        mode: Mode,
        dense: dict[int, float],
        lexical: npt.NDArray[np.float32],
        dense_ranking: list[int],
        lexical_ranking: list[int],
    ) -> dict[int, float]:
        if mode == "dense":
            fused = {i: dense[i] for i in dense_ranking}
        elif mode == "lexical":
            fused = {i: float(lexical[i]) for i in lexical_ranking}
        elif self.fusion == "rrf":
            fused = _rrf([dense_ranking, lexical_ranking], self.rrf_k)
        else:
            best = float(lexical.max()) or 1.0
            w = self.dense_weight
            fused = {i: w * dense[i] + (1 - w) * float(lexical[i]) / best for i in dense}
        return {i: score * KIND_WEIGHT[self.index.chunks[i].kind] for i, score in fused.items()}


def _top(scores: npt.NDArray[np.float32], count: int) -> list[int]:
    """Indices of the ``count`` highest scores, best first (ties by index), without sorting all:
    at 1M chunks a full argsort costs 146 ms a question, this 7 ms."""
    if count < len(scores):
        candidates = np.argpartition(-scores, count - 1)[:count]
    else:
        candidates = np.arange(len(scores))
    return sorted((int(i) for i in candidates), key=lambda i: (-float(scores[i]), i))


_NO_TERMS = "\x00"
"""Stands in for the words of a corpus that has none (only emoji, say): bm25s cannot index an
empty vocabulary, and no question ever holds this term."""


def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
    model = bm25s.BM25(k1=BM25_K1, b=BM25_B)
    if not any(corpus):
        corpus = [[_NO_TERMS] for _ in corpus]
    model.index(corpus, show_progress=False)
    return model


def _paragraph_ids(chunks: Sequence[Chunk]) -> npt.NDArray[np.int64]:
    """For each chunk, a number shared by the chunks of its paragraph (chunks are in order)."""
    ids = np.zeros(len(chunks), dtype=np.int64)
    for row in range(1, len(chunks)):
        before, chunk = chunks[row - 1], chunks[row]
        same = (before.document, before.paragraph, before.kind) == (
            chunk.document,
            chunk.paragraph,
            chunk.kind,
        ) and before.end == chunk.start
        ids[row] = ids[row - 1] if same else ids[row - 1] + 1
    return ids


def _rrf(rankings: Sequence[Sequence[int]], k: int) -> dict[int, float]:
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank + 1)
    return fused


def _idf(documents: Sequence[Sequence[str]]) -> dict[str, float]:
    frequency: dict[str, int] = {}
    for document_terms in documents:
        for term in set(document_terms):
            frequency[term] = frequency.get(term, 0) + 1
    total = len(documents)
    return {t: float(np.log(1 + (total - n + 0.5) / (n + 0.5))) for t, n in frequency.items()}


def _lexical_text(chunk: Chunk) -> str:
    """The chunk's words plus its speakers' names and roles, so "what did Morris say" matches."""
    speakers = {
        f"{s.attribution.speaker or ''} {s.attribution.role or ''}"
        for s in chunk.sentences
        if s.attribution is not None
    }
    return normalise_space(" ".join([chunk.text, *sorted(speakers)]))
