"""Find the chunks that answer a question: dense (FAISS) and lexical (BM25) search, fused.

Both searches run over the same chunks. Fusion is a weighted sum of the cosine similarity and
the BM25 score scaled by the best BM25 score for the query; reciprocal-rank fusion is kept as an
option because it is the usual baseline (docs/QUALITY.md has the measurements that chose).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from bot.index import StoredIndex
from bot.lexical import BM25_B, BM25_K1, KINDS, STOPWORDS
from bot.lexical import terms as stemmed_terms
from bot.records import Chunk, Document, PassageKind
from bot.vocabulary import Vocabulary


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words (`lexical.terms`), remembered: an answer asks for the
    same sentences' and question's terms several times over (quote windows, duplicates, the
    gate) — 13 calls an answer on SQuAD, a fifth of its own time before this cache."""
    return list(_terms(text))


@lru_cache(maxsize=8192)
def _terms(text: str) -> tuple[str, ...]:
    return tuple(stemmed_terms(text))


@lru_cache(maxsize=8192)
def term_set(text: str) -> frozenset[str]:
    """``frozenset(terms(text))``, remembered the same way (duplicate checks compare these)."""
    return frozenset(_terms(text))


__all__ = [
    "BM25_B",
    "BM25_K1",
    "STOPWORDS",
    "Hit",
    "Mode",
    "Retriever",
    "same_root",
    "term_set",
    "terms",
]

Mode = Literal["hybrid", "dense", "lexical"]

PARAGRAPH_SHARE = 0.5
"""Share of a chunk's lexical score taken from its whole paragraph (hybrid mode only): lifts
SQuAD dev paragraph hit@1 from 0.850 to 0.858 at retrieval (docs/QUALITY.md)."""

KIND_WEIGHT = {"body": 1.0, "standfirst": 0.95, "caption": 0.85}
"""A caption or standfirst restates the story in fragments; given a body passage that matches
about as well, quote the body."""

Fusion = Literal["weighted", "rrf"]

PREFETCH = 10
"""Lexical candidates read ahead while the question is embedded, in an index past the exact
search limit (a small one's records are soon all remembered: reading ahead there only costs
CPU, 0.68 against 0.52 of the sentence-transformers encode per SQuAD answer). More is not
faster: the two cores share their caches, and at 200k chunks the embedding itself slowed by
about a tenth when 30 were read (docs/PERFORMANCE.md §10)."""

_DENSE = ThreadPoolExecutor(max_workers=8, thread_name_prefix="dense")
"""Where questions are embedded and their vectors searched (`Retriever.search`), shared by the
process's retrievers: as many workers as answers can usefully run at once."""

_INTERVIEW_QUESTION = re.compile(r"\s*Q[:.]\s")
"""An interviewer's question, as an interview printed as questions and answers marks it."""

RARE_SHARE = 0.01
"""Of the chunks: a term in no more of them is rare (`Retriever.is_rare`)."""

SHORTLIST = 1000
"""Chunks scored again from the whole BM25 columns when a question's impact lists were cut
(a term in more than ``lexical.IMPACT_DEPTH`` chunks), chosen by their sums over the lists. At
200k chunks (SQuAD copied 142 times) 200 / 500 / 1000 / 4000 of them find 0.75 / 0.85 / 0.91 /
0.96 of the exact top 50 (ties counted), in 1.5 / 1.7 / 2.2 / 5.0 ms (docs/PERFORMANCE.md §9)."""


class Hit:
    """One retrieved chunk with the scores that put it there. Its record and coverage are read
    when first asked for: an answer reads them for the few hits it weighs, not all ``k``."""

    __slots__ = (
        "_chunk",
        "_coverage",
        "_query",
        "_retriever",
        "dense",
        "group",
        "lexical",
        "row",
        "score",
    )

    def __init__(
        self,
        retriever: Retriever,
        query_terms: tuple[str, ...],
        row: int,
        group: int,
        *,
        score: float,
        dense: float,
        lexical: float,
    ) -> None:
        self._retriever = retriever
        self._query = query_terms
        self.row = row
        self.group = group
        """The chunk's paragraph group: one paragraph of one passage of one document (the
        chunker makes a paragraph's chunks join up end to start)."""
        self.score = score
        self.dense = dense
        self.lexical = lexical
        self._chunk: Chunk | None = None
        self._coverage: float | None = None

    @property
    def chunk(self) -> Chunk:
        if self._chunk is None:
            self._chunk = self._retriever.index.chunks[self.row]
        return self._chunk

    @property
    def passage(self) -> PassageKind:
        """The chunk's kind of passage (from the build's columns: no record read)."""
        return KINDS[int(self._retriever.index.columns.kind[self.row])]

    @property
    def coverage(self) -> float:
        """Share of the question's (idf-weighted) terms that the chunk contains, 0..1."""
        if self._coverage is None:
            self._coverage = self._retriever._row_coverage(self._query, self.row)
        return self._coverage

    def _key(self) -> tuple[object, ...]:
        return (id(self._retriever.index), self.row, self.score, self.dense, self.lexical)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hit) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Hit(row={self.row}, score={self.score:.4f}, dense={self.dense:.4f})"


_KINDS_OF_ANSWER = {
    term: tuple(terms(kinds))
    for word, kinds in {
        "places": "states cities countries towns counties regions",
        "place": "state city country town county region",
        "locations": "states cities countries towns counties regions",
    }.items()
    for term in terms(word)
}
"""Words for a kind of thing an answer names, and the words texts name such things with."""

_ELSE = re.compile(
    r"\b(who|what|whom|where|anyone|anybody|anything|someone|somebody|something|nobody)"
    r"\s+else\b",
    re.IGNORECASE,
)
"""The "else" of "who else gets the data?": no word of the answer's ("Whatever else should
happen" is no better a passage for it)."""


def same_root(term: str, other: str) -> bool:
    """Whether two stemmed words share a root the stemmer left apart ("closur" of "the
    closure", "close" of a headline's "to close"): all but one letter of the shorter, four
    at least."""
    if term == other:
        return True
    shared = len(os.path.commonprefix([term, other]))
    return shared >= 4 and shared >= min(len(term), len(other)) - 1


class Retriever:
    """Hybrid search over one loaded index.

    Everything lexical was computed when the index was built (`bot.lexical`); this reads it
    lazily: BM25 from memory-mapped matrices, terms' ids and frequencies and the vocabulary
    from the build's tables, a chunk's own terms from its text when a hit needs them."""

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
        self._paragraph_of = index.columns.group
        self._facts: dict[str, tuple[int, float] | None] = {}
        self._term_names: dict[int, str] = {}
        # remembered per retriever, not on the class: a class-level cache would hold every
        # retriever it ever saw, and with it a swapped-out index's open files and maps
        self._row_coverage = lru_cache(maxsize=4096)(self._row_coverage_of)  # read ahead
        self._weights = lru_cache(maxsize=256)(self._weights_of)  # search, gate, each quote
        self._corpus_coverage = lru_cache(maxsize=256)(self._corpus_coverage_of)  # the gate
        self.paragraph_match = lru_cache(maxsize=4096)(self._paragraph_match)  # read ahead
        self._paragraph_terms = lru_cache(maxsize=4096)(self._paragraph_terms_of)
        self._chunk_terms = lru_cache(maxsize=4096)(self._chunk_terms_of)
        facts = dict(index.lexicon.tables.execute("SELECT name, value FROM facts"))
        self._total = int(facts["chunks"])
        self._unknown_idf = (self._idf_of(int(facts["min_df"])) if facts["min_df"] else 0.0) + 1.0

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """Every word of the corpus, speakers' names and roles included."""
        return Vocabulary.open(self.index.lexicon.tables)

    @property
    def documents(self) -> tuple[Document, ...]:
        return self.index.documents

    def search(
        self,
        question: str,
        query_vector: npt.NDArray[np.float32] | Callable[[], npt.NDArray[np.float32]],
        *,
        k: int = 10,
        mode: Mode = "hybrid",
        meanwhile: Callable[[list[int]], None] | None = None,
    ) -> list[Hit]:
        """The best ``k`` chunks for a question, best first. ``query_vector`` is the question's
        vector, or the function that computes it: then that and the vector search run on a
        worker thread while this one does the lexical search, which needs no vector (the
        encoders and FAISS release the GIL, so on two cores the two overlap). Past the exact
        search limit it also reads ahead what the best lexical candidates will need (see
        ``PREFETCH``), and calls ``meanwhile`` with them, for the caller's own reading ahead."""
        depth = min(len(self.index.chunks), max(k * 5, 50))
        pending: Future[tuple[npt.NDArray[np.float32], list[int]]] | None = None
        if callable(query_vector):
            pending = _DENSE.submit(self._embed_and_search, query_vector, depth)
        query_terms = self.query_terms(question)
        lexical = self._lexical_scores(query_terms, with_paragraph=mode == "hybrid")
        lexical_ranking = lexical.top(depth)
        if pending is not None:
            if not self.index.manifest.exact_search:  # see PREFETCH
                self._prefetch(query_terms, lexical_ranking[:PREFETCH], meanwhile)
            query_vector, dense_ranking = pending.result()
        else:
            assert not callable(query_vector)
            dense_ranking = self._dense_ranking(query_vector, depth)
        pool = _union(np.asarray(dense_ranking, np.int64), np.asarray(lexical_ranking, np.int64))
        cosines = self._cosines(query_vector, pool)
        words = lexical.at(pool)  # one look-up for all
        rankings = (dense_ranking, lexical_ranking)
        rows, fused = self._fuse(mode, pool, cosines, words, float(lexical.max()), rankings)
        order = np.lexsort((rows, -fused))[:k]
        best = rows[order]
        at = np.searchsorted(pool, best)
        query = tuple(query_terms)
        return [
            Hit(self, query, row, group, score=score, dense=dense, lexical=lexical_score)
            for row, group, score, dense, lexical_score in zip(
                best.tolist(),
                self._paragraph_of[best].tolist(),
                fused[order].tolist(),
                cosines[at].tolist(),
                words[at].tolist(),
                strict=True,
            )
        ]

    def _embed_and_search(
        self, embed: Callable[[], npt.NDArray[np.float32]], depth: int
    ) -> tuple[npt.NDArray[np.float32], list[int]]:
        vector = embed()
        return vector, self._dense_ranking(vector, depth)

    def _prefetch(
        self,
        query_terms: Sequence[str],
        rows: Sequence[int],
        meanwhile: Callable[[list[int]], None] | None,
    ) -> None:
        """While the question is embedded: read the best lexical candidates' paragraphs and
        how well they match, which the hits, the gate and the quotes then find remembered
        (and the caller's own reading ahead)."""
        chunks = self.index.chunks
        query = tuple(query_terms)
        for row in rows:
            chunks.paragraph(row)
            self._row_coverage(query, row)
            self.paragraph_match(query, row)
        if meanwhile is not None:
            meanwhile(list(rows))

    def answered_by(self, chunk: Chunk) -> Chunk:
        """The chunk that answers for a chunk: for an interviewer's question ("Q: When did you
        realise …?", which shares the asker's words), the first chunk of the paragraph after
        it when the build attributes that to someone (the interviewee's answer); else the
        chunk itself."""
        if not _INTERVIEW_QUESTION.match(chunk.text):
            return chunk
        columns = self.index.columns
        group = int(columns.group[chunk.id])
        if group + 2 >= len(columns.group_starts):
            return chunk
        answer = self.index.chunks[int(columns.group_starts[group + 1])]
        if answer.document != chunk.document or not any(s.attribution for s in answer.sentences):
            return chunk
        return answer

    def coverage(self, query_terms: Sequence[str], text_terms: Sequence[str]) -> float:
        """Idf-weighted share of the query's terms found in a text (unknown terms count fully)."""
        weights, total = self._weights(tuple(query_terms))
        if not weights:
            return 0.0
        return _share(weights, total, set(text_terms))

    def coverages(self, query_terms: Sequence[str], texts: Sequence[str]) -> list[float]:
        """`coverage` of each text's terms, the texts' term sets remembered (`term_set`)."""
        weights, total = self._weights(tuple(query_terms))
        if not weights:
            return [0.0] * len(texts)
        return [_share(weights, total, found) for found in map(term_set, texts)]

    def _row_coverage_of(self, query_terms: tuple[str, ...], row: int) -> float:
        """`coverage` of a chunk's terms, compared by id (no term names read)."""
        weights, total = self._weights(query_terms)
        if not weights:
            return 0.0
        present = set(self.index.lexicon.term_ids(row).tolist())
        found = (t for t in weights if (fact := self._known(t)) is not None and fact[0] in present)
        return sum(weights[t] for t in found) / total

    def _weights_of(self, query_terms: tuple[str, ...]) -> tuple[dict[str, float], float]:
        """Each distinct query term's idf, and their sum."""
        weights = {t: self._idf(t) for t in set(query_terms)}
        return weights, sum(weights.values())

    def query_terms(self, question: str) -> list[str]:
        """The question's terms, a word the corpus lacks read as the form of it the corpus has
        (`Vocabulary.as_written_text`: "pays" as "paid", or the word one letter away)."""
        return list(self._query_terms(question))

    @cached_property
    def _query_terms(self) -> Callable[[str], tuple[str, ...]]:
        vocabulary = self.vocabulary

        @lru_cache(maxsize=256)  # search, the gate and each further quote ask again
        def corrected(question: str) -> tuple[str, ...]:
            return self._email_as_mostly_written(
                self._kinds_named(terms(_ELSE.sub(r"\1", vocabulary.as_written_text(question))))
            )

        return corrected

    def _kinds_named(self, found: list[str]) -> list[str]:
        """ "Which places want out?" of a corpus that never says "places": the kinds of place
        it does name ("states", "cities") in its stead."""
        named: list[str] = []
        for term in found:
            kinds = _KINDS_OF_ANSWER.get(term)
            if kinds is None or self._known(term) is not None:
                named.append(term)
                continue
            named += [k for k in kinds if self._known(k) is not None] or [term]
        return named

    def _email_as_mostly_written(self, found: list[str]) -> tuple[str, ...]:
        """The terms with "email" spelled as the corpus mostly spells it: "emails" is searched
        as "e-mails" (the terms "e", "mail") in a corpus that writes that more often, and the
        other way round. The one word English writes both ways often enough to matter: a
        question typed "emails" otherwise found only a photo caption saying "Emails"."""
        text = " ".join(found)
        if "email" not in found and "e mail" not in text:
            return tuple(found)
        joined, split = self._known("email"), self._known("mail")
        if joined is None or split is None or self._known("e") is None:
            return tuple(found)
        if split[1] < joined[1]:  # "e-mail" is the commoner: a lower idf
            return tuple(re.sub(r"\bemail\b", "e mail", text).split())
        return tuple(re.sub(r"\be mail\b", "email", text).split())

    def corpus_coverage(self, query_terms: Sequence[str]) -> float:
        """Idf-weighted share of the query's terms that occur anywhere in the corpus."""
        return self._corpus_coverage(tuple(query_terms))

    def _corpus_coverage_of(self, query_terms: tuple[str, ...]) -> float:
        return self.coverage(query_terms, [t for t in query_terms if self._known(t)])

    def _paragraph_match(self, query_terms: tuple[str, ...], chunk_id: int) -> tuple[float, float]:
        """How much of the question the chunk's whole paragraph holds: the `coverage` of its
        terms, and the share of the question's adjacent term pairs found adjacent in it."""
        weights, total = self._weights(query_terms)
        if not weights:
            return 0.0, 0.0
        paragraph = self._paragraph_ids(chunk_id).tolist()
        ids = {t: fact[0] for t in weights if (fact := self._known(t)) is not None}
        there = set(paragraph)
        present = {t for t, i in ids.items() if i in there}
        coverage = _share(weights, total, present)
        pairs = set(zip(query_terms, query_terms[1:], strict=False))
        if not pairs:
            return coverage, 0.0
        adjacent = set(zip(paragraph, paragraph[1:], strict=False))
        found = [p for p in pairs if p[0] in present and p[1] in present]
        return coverage, sum((ids[a], ids[b]) in adjacent for a, b in found) / len(pairs)

    def _paragraph_ids(self, chunk_id: int) -> npt.NDArray[np.int32]:
        """The ids of the terms of the chunk's whole paragraph, in order (no names read)."""
        rows = self.index.columns.group_rows(chunk_id)
        offsets = self.index.lexicon.term_offsets
        start, stop = int(offsets[rows.start]), int(offsets[rows.stop])
        return self.index.lexicon.token_ids["terms"][start:stop]

    def paragraph_terms(self, chunk_id: int) -> list[str]:
        """The terms of the chunk's whole paragraph, in order."""
        return list(self._paragraph_terms(int(self._paragraph_of[chunk_id])))

    def _paragraph_terms_of(self, group: int) -> tuple[str, ...]:
        rows = self.index.columns.rows_of_group(group)
        return tuple(t for row in rows for t in self._chunk_terms(row))

    def _chunk_terms_of(self, row: int) -> tuple[str, ...]:
        """The chunk's terms, as the build stemmed them."""
        ids = self.index.lexicon.term_ids(row).tolist()
        names = self._term_names
        missing = sorted({i for i in ids if i not in names})  # not `- names.keys()`: O(names)
        if missing:
            if len(self._term_names) > 200_000:
                self._term_names.clear()
            marks = ",".join("?" * len(missing))
            query = f"SELECT id, term FROM terms WHERE id IN ({marks})"
            self._term_names.update(self.index.lexicon.tables.execute(query, missing))
        return tuple(self._term_names[i] for i in ids)

    def _known(self, term: str) -> tuple[int, float] | None:
        """(column, idf) of a term the corpus has, else None; remembered once asked."""
        if term not in self._facts:
            if len(self._facts) > 100_000:
                self._facts.clear()
            row = self.index.lexicon.tables.execute(
                "SELECT id, df FROM terms WHERE term = ?", (term,)
            ).fetchone()
            self._facts[term] = None if row is None else (int(row[0]), self._idf_of(int(row[1])))
        return self._facts[term]

    def has_term(self, term: str) -> bool:
        """Whether some chunk has the (stemmed) term."""
        return self._known(term) is not None

    def has_root_of(self, term: str) -> bool:
        """Whether the corpus has the term or one the stemmer left apart from it ("crime" of
        "criminal", "closur" of "close"): all but one letter of the shorter shared, four at
        least (`same_root`)."""
        if self.has_term(term):
            return True
        if len(term) < 4:
            return False
        prefix = term[:4]
        rows = self.index.lexicon.tables.execute(
            "SELECT term FROM terms WHERE term >= ? AND term < ? LIMIT 5000",
            (prefix, prefix + "\uffff"),
        )
        return any(same_root(term, str(row[0])) for row in rows)

    def is_rare(self, term: str) -> bool:
        """Whether the corpus has a term in at most `RARE_SHARE` of its chunks (and in one, for
        a corpus of under a hundred): a word that says which passage a question means."""
        known = self._known(term)
        return known is not None and known[1] >= self._rare_idf

    @cached_property
    def _rare_idf(self) -> float:
        return self._idf_of(max(1, int(self._total * RARE_SHARE)))

    def _idf(self, term: str) -> float:
        known = self._known(term)
        return self._unknown_idf if known is None else known[1]

    def _idf_of(self, frequency: int) -> float:
        total = self._total
        return float(np.log(1 + (total - frequency + 0.5) / (frequency + 0.5)))

    def _dense_ranking(self, query_vector: npt.NDArray[np.float32], depth: int) -> list[int]:
        return self.index.search(query_vector, depth)

    def _cosines(
        self, query_vector: npt.NDArray[np.float32], rows: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        """Exact cosines for the candidates, whatever the (maybe approximate) index returned."""
        cosines: npt.NDArray[np.float64] = (self.index.vector_rows(rows) @ query_vector).astype(
            np.float64
        )
        return cosines

    def _lexical_scores(self, query_terms: list[str], *, with_paragraph: bool) -> _Scores:
        """BM25 per chunk; for hybrid search blended with BM25 of the chunk's whole paragraph,
        since a question's words often spread over sentences that chunking put apart. A large
        index (not searched exactly) scores only the chunks that have a query term, with the
        same arithmetic."""
        known = [fact[0] for fact in map(self._known, query_terms) if fact is not None]
        if not self.index.manifest.exact_search:
            return self._sparse_lexical_scores(known, with_paragraph=with_paragraph)
        everything = np.arange(len(self.index.chunks), dtype=np.int64)
        if not known:
            return _Scores(everything, np.zeros(len(self.index.chunks), dtype=np.float32))
        chunk = self.index.lexicon.chunks.scores(known)
        if not with_paragraph:
            return _Scores(everything, chunk)
        paragraph = self.index.lexicon.paragraphs.scores(known)
        blended = (1 - PARAGRAPH_SHARE) * chunk / (chunk.max() or 1.0) + PARAGRAPH_SHARE * (
            paragraph[self._paragraph_of] / (paragraph.max() or 1.0)
        )
        return _Scores(everything, blended.astype(np.float32))

    def _sparse_lexical_scores(self, known: list[int], *, with_paragraph: bool) -> _Scores:
        """Scores read from each term's impact list (`lexical.impact_lists`): every posting of a
        term in at most ``IMPACT_DEPTH`` chunks, the best ones of a commoner term; so a
        question's work does not grow with the corpus. Equal to the bit to the whole-column
        scores when no list was cut; otherwise chunks outside the lists read are scored from
        the whole columns only when asked for (fusion's pool)."""
        lexicon = self.index.lexicon
        rows, chunk = lexicon.chunk_impacts.accumulate(known)
        cut = lexicon.chunk_impacts.cut(known, lexicon.chunks)
        if not with_paragraph:
            if not cut:
                return _Scores(rows, chunk)
            shortlist = np.sort(rows[_top(chunk, SHORTLIST)])
            whole = lexicon.chunks
            return _Scores(
                shortlist,
                whole.scores_of(known, shortlist),
                lambda wanted: whole.scores_of(known, wanted),
            )
        groups, paragraph = lexicon.paragraph_impacts.accumulate(known)
        cut = cut or lexicon.paragraph_impacts.cut(known, lexicon.paragraphs)
        every = _union(rows, self._rows_of_groups(groups))
        chunk_best = chunk.max() if len(chunk) else np.float32(0.0)
        paragraph_best = paragraph.max() if len(paragraph) else np.float32(0.0)

        def blend(
            chunk_all: npt.NDArray[np.float32], paragraph_all: npt.NDArray[np.float32]
        ) -> npt.NDArray[np.float32]:
            blended = (1 - PARAGRAPH_SHARE) * chunk_all / (chunk_best or 1.0) + PARAGRAPH_SHARE * (
                paragraph_all / (paragraph_best or 1.0)
            )
            return blended.astype(np.float32)

        chunk_all = np.zeros(len(every), dtype=np.float32)
        chunk_all[np.searchsorted(every, rows)] = chunk
        paragraph_all = _Scores(groups, paragraph).at(self._paragraph_of[every])
        if not cut:
            return _Scores(every, blend(chunk_all, paragraph_all))
        # the lists' sums leave out the terms a chunk has beyond their cut: score the best
        # candidates again from the whole columns, and any other chunk when asked
        shortlist = np.sort(every[_top(blend(chunk_all, paragraph_all), SHORTLIST)])
        chunk_all = lexicon.chunks.scores_of(known, shortlist)
        paragraph_all = lexicon.paragraphs.scores_of(known, self._paragraph_of[shortlist])
        chunk_best = max(chunk_best, chunk_all.max(initial=0.0))
        paragraph_best = max(paragraph_best, paragraph_all.max(initial=0.0))

        def exact(wanted: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
            return blend(
                lexicon.chunks.scores_of(known, wanted),
                lexicon.paragraphs.scores_of(known, self._paragraph_of[wanted]),
            )

        return _Scores(shortlist, blend(chunk_all, paragraph_all), exact)

    def _rows_of_groups(self, groups: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Every chunk of the paragraph groups (ascending groups give ascending rows)."""
        starts = self.index.columns.group_starts
        first, counts = starts[groups], starts[groups + 1] - starts[groups]
        shift = np.repeat(np.cumsum(counts) - counts, counts)
        steps = np.arange(int(counts.sum()), dtype=np.int64) - shift
        rows: npt.NDArray[np.int64] = np.repeat(first, counts) + steps
        return rows

    def _fuse(
        self,
        mode: Mode,
        pool: npt.NDArray[np.int64],
        dense: npt.NDArray[np.float64],
        lexical: npt.NDArray[np.float32],
        best_lexical: float,
        rankings: tuple[list[int], list[int]],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The candidates a mode ranks, with their fused scores: ``pool`` holds every candidate
        of the two ``rankings`` (dense, lexical) ascending, ``dense`` and ``lexical`` their
        scores."""
        if mode in ("dense", "lexical"):
            rows = np.asarray(rankings[mode == "lexical"], dtype=np.int64)
            chosen = dense if mode == "dense" else lexical
            fused = chosen[np.searchsorted(pool, rows)].astype(np.float64)
        elif self.fusion == "rrf":
            ranks = _rrf(rankings, self.rrf_k)
            rows = np.fromiter(ranks, dtype=np.int64, count=len(ranks))
            fused = np.fromiter(ranks.values(), dtype=np.float64, count=len(ranks))
        else:
            rows, w = pool, self.dense_weight
            fused = w * dense + (1 - w) * lexical.astype(np.float64) / (best_lexical or 1.0)
        return rows, fused * _KIND_WEIGHTS[self.index.columns.kind[rows]]


_KIND_WEIGHTS = np.array([KIND_WEIGHT[kind] for kind in KINDS], dtype=np.float64)


@dataclass(frozen=True)
class _Scores:
    """Lexical scores of some chunks; every other chunk scores 0, or what ``exact`` says when
    the rows are the best of an impact list cut short."""

    rows: npt.NDArray[np.int64]
    """Ascending."""
    values: npt.NDArray[np.float32]
    exact: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float32]] | None = None

    def __getitem__(self, row: int) -> np.float32:
        return self.at([row])[0]  # type: ignore[no-any-return]

    def at(self, rows: Sequence[int] | npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """The scores of many rows at once."""
        wanted = np.asarray(rows, dtype=np.int64)
        found = np.zeros(len(wanted), dtype=np.float32)
        hit = np.zeros(len(wanted), dtype=bool)
        if len(self.rows):
            at = np.minimum(np.searchsorted(self.rows, wanted), len(self.rows) - 1)
            hit = self.rows[at] == wanted
            found[hit] = self.values[at[hit]]
        if self.exact is not None and not hit.all():
            found[~hit] = self.exact(wanted[~hit])
        return found

    def max(self) -> np.float32:
        return self.values.max() if len(self.values) else np.float32(0.0)

    def top(self, count: int) -> list[int]:
        """The ``count`` best chunks with a score above 0, best first (ties by row)."""
        return [int(self.rows[i]) for i in _top(self.values, count) if self.values[i] > 0]


def _share(weights: dict[str, float], total: float, present: AbstractSet[str]) -> float:
    """The idf-weighted share of the query's terms (``weights``, summing to ``total``) that
    ``present`` holds: what `Retriever.coverage` and its relatives compute."""
    return sum(w for t, w in weights.items() if t in present) / total


def _union(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Sorted distinct values of both (by sorting: `np.union1d` hashes, 10× slower here)."""
    both = np.sort(np.concatenate([a, b]))
    keep = np.ones(len(both), dtype=bool)
    keep[1:] = both[1:] != both[:-1]
    return both[keep]


def _top(scores: npt.NDArray[np.float32], count: int) -> list[int]:
    """Indices of the ``count`` highest scores, best first (ties by index), without sorting all:
    at 1M chunks a full argsort costs 146 ms a question, this 7 ms."""
    if count < len(scores):
        candidates = np.argpartition(-scores, count - 1)[:count]
    else:
        candidates = np.arange(len(scores))
    order = np.lexsort((candidates, -scores[candidates]))
    return [int(i) for i in candidates[order]]


def _rrf(rankings: Sequence[Sequence[int]], k: int) -> dict[int, float]:
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank + 1)
    return fused
