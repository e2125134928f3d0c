"""Find the chunks that answer a question: dense (FAISS) and lexical (BM25) search, fused.

Both searches run over the same chunks. Fusion is a weighted sum of the cosine similarity and
the BM25 score scaled by the best BM25 score for the query; reciprocal-rank fusion is kept as an
option because it is the usual baseline (docs/QUALITY.md has the measurements that chose).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer

from bot.models import Chunk, Document
from bot.sentences import normalise_space
from bot.store import StoredIndex

Mode = Literal["hybrid", "dense", "lexical"]
Fusion = Literal["weighted", "rrf"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
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
    words = [w.replace("’", "'").lower() for w in _WORD.findall(text)]
    words = [w.removesuffix("'s") for w in words if w not in STOPWORDS]
    return [str(t) for t in _stemmer().stemWords([w for w in words if w])]


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
        self._chunk_terms = [terms(_lexical_text(c, index.documents)) for c in index.chunks]
        self._bm25 = bm25s.BM25()
        self._bm25.index(self._chunk_terms, show_progress=False)
        self._idf = _idf(self._chunk_terms)

    @property
    def documents(self) -> tuple[Document, ...]:
        return self.index.documents

    def search(
        self, question: str, query_vector: npt.NDArray[np.float32], *, k: int = 10, mode: Mode = "hybrid"
    ) -> list[Hit]:
        """The best ``k`` chunks for a question, best first."""
        count = len(self.index.chunks)
        candidates = min(count, max(k * 5, 50))
        dense = self._dense_scores(query_vector, candidates)
        query_terms = terms(question)
        lexical = self._lexical_scores(query_terms)
        fused = self._fuse(dense, lexical, mode)
        order = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        return [
            Hit(
                chunk=self.index.chunks[i],
                score=float(fused[i]),
                dense=float(dense.get(i, self._dense_exact(query_vector, i))),
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
        ceiling = max(self._idf.values(), default=1.0) + 1.0
        weights = {t: self._idf.get(t, ceiling) for t in unique}
        return sum(w for t, w in weights.items() if t in present) / sum(weights.values())

    def _dense_scores(self, query_vector: npt.NDArray[np.float32], k: int) -> dict[int, float]:
        scores, ids = self.index.faiss_index.search(query_vector.reshape(1, -1), k)
        return {int(i): float(s) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0}

    def _dense_exact(self, query_vector: npt.NDArray[np.float32], row: int) -> float:
        return float(np.dot(self.index.vectors[row], query_vector))

    def _lexical_scores(self, query_terms: list[str]) -> npt.NDArray[np.float32]:
        known = [t for t in query_terms if t in self._idf]
        if not known:
            return np.zeros(len(self.index.chunks), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def _fuse(self, dense: dict[int, float], lexical: npt.NDArray[np.float32], mode: Mode) -> dict[int, float]:
        top_lexical = np.argsort(-lexical, kind="stable")[: max(len(dense), 1)]
        lexical_ids = [int(i) for i in top_lexical if lexical[i] > 0]
        if mode == "dense":
            return dense
        if mode == "lexical":
            return {i: float(lexical[i]) for i in lexical_ids} or dense
        if self.fusion == "rrf":
            return _rrf([sorted(dense, key=lambda i: -dense[i]), lexical_ids], self.rrf_k)
        best = float(lexical.max()) if len(lexical) else 0.0
        pool = set(dense) | set(lexical_ids)
        weight = self.dense_weight
        return {
            i: weight * dense.get(i, 0.0) + (1 - weight) * (float(lexical[i]) / best if best else 0.0)
            for i in pool
        }


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


def _lexical_text(chunk: Chunk, documents: Sequence[Document]) -> str:
    """The chunk's words plus its speakers' names and roles, so "what did Morris say" matches."""
    speakers = {
        f"{s.attribution.speaker or ''} {s.attribution.role or ''}"
        for s in chunk.sentences
        if s.attribution is not None
    }
    return normalise_space(" ".join([chunk.text, *sorted(speakers)]))
