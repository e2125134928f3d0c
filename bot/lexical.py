"""The lexical side of a build, computed once when it is written and read lazily when serving.

At build time every chunk is stemmed once into its terms, and its words and capitalised-run
initials are listed; those lists are kept as id arrays (one vocabulary per kind), so a later
build carries a reused document's lists over without re-reading its text. From the terms come
two BM25 score matrices (per chunk and per paragraph, laid out exactly as bm25s lays out its own
and scored the same way, to the bit) and each term's document frequency; from the words and
initials the look-up tables of `bot.vocabulary`, in SQLite. Serving memory-maps the matrices and
asks SQLite; nothing is stemmed or parsed at load.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import Stemmer

from bot.records import PASSAGE_KINDS, Chunk, astuple_or_none
from bot.sentences import normalise_space
from bot.vocabulary import capitalised_initials, deletion_rows, words

Ids = npt.NDArray[np.int32]
Offsets = npt.NDArray[np.int64]

BM25_K1 = 0.9
BM25_B = 0.4
"""Lower than the textbook 1.5/0.75: chunks are short and of even length; on SQuAD dev this
lifts BM25 paragraph hit@1 from 0.812 to 0.826 and hybrid from 0.827 to 0.841 (docs/QUALITY.md)."""

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

KINDS = PASSAGE_KINDS
"""A chunk's kind as stored: its position in this tuple."""


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


SPELLING_RULES = 1
"""Raised whenever `terms` reads a word differently (a build records it in its chunking record,
and a build made under another reads its words again). 1: British spellings are read as
American ones (`_american`), so both are one term."""

_ISE = re.compile(
    r"^(?P<stem>[a-z]{3,}?)(?P<v>i|y)s"
    r"(?P<end>e|es|ed|ing|ingly|er|ers|ation|ations|able|ement|ements)$"
)
_ISE_NOT_IZE = frozenset(
    """praise promise exercise advise supervise surprise compromise despise revise televise
    improvise enterprise franchise merchandise expertise premise noise cruise paradise precise
    concise otherwise likewise clockwise disguise devise comprise treatise chastise demise excise
    incise circumcise poise tortoise porpoise turquoise appraise advertise reprise mortise chemise
    valise anise uprise sunrise surmise arise practise uncompromise bruise louise denise
    francaise eglise amboise""".split()
)
"""Words spelt "-ise" in American English too: never read as "-ize"."""
_BRITISH_STEMS = {
    "colour": "color",
    "honour": "honor",
    "favour": "favor",
    "favourit": "favorit",
    "labour": "labor",
    "neighbour": "neighbor",
    "behaviour": "behavior",
    "harbour": "harbor",
    "humour": "humor",
    "flavour": "flavor",
    "rumour": "rumor",
    "vapour": "vapor",
    "armour": "armor",
    "endeavour": "endeavor",
    "centr": "center",
    "theatr": "theater",
    "fibr": "fiber",
    "litr": "liter",
    "defenc": "defens",
    "offenc": "offens",
    "pretenc": "pretens",
    "licenc": "licens",
    "programm": "program",
    "catalogu": "catalog",
    "dialogu": "dialog",
    "grey": "gray",
    "aluminium": "aluminum",
    "jewelleri": "jewelri",
    "pyjama": "pajama",
    "moustach": "mustach",
    "plough": "plow",
    "sceptic": "skeptic",
    "practis": "practic",  # "practised": "practiced"
}
"""A British stem and the American one it is read as ("colours" and "colors": one term). Only
words whose two spellings mean the same: "metre" and "tyre" stay (a "meter" gauges, to "tire"
wearies)."""


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words: what BM25 and sentence highlighting compare. A word
    spelt the British way is read as the American one ("organisation": "organization"), which
    the stemmer was made for; American spellings read as they always did."""
    content = [_american(w) for w in words(text) if w and w not in STOPWORDS]
    stems = _stemmer().stemWords(content)
    return [_BRITISH_STEMS.get(t, t) for t in map(str, stems)]


@lru_cache(maxsize=65536)
def _american(word: str) -> str:
    """A word of the -ise family as American English writes it ("specialises": "specializes",
    which the stemmer cuts to "special" as it does "specialise" not; "analysed": "analyzed";
    not "promise" or "surprise"); any other word as it is."""
    if "s" not in word:
        return word
    spelled = _ISE.match(word)
    if spelled is None or f"{spelled['stem']}{spelled['v']}se" in _ISE_NOT_IZE:
        return word
    return f"{spelled['stem']}{spelled['v']}z{spelled['end']}"


def lexical_text(chunk: Chunk) -> str:
    """The chunk's words plus its speakers' names and roles, so "what did Morris say" matches."""
    speakers = {
        f"{s.attribution.speaker or ''} {s.attribution.role or ''}"
        for s in chunk.sentences
        if s.attribution is not None
    }
    return normalise_space(" ".join([chunk.text, *sorted(speakers)]))


# --- per-chunk token lists ---------------------------------------------------------------------


@dataclass(frozen=True)
class Tokens:
    """One token list per chunk, as ids into a sorted vocabulary (row i: ``offsets[i:i+2]``)."""

    vocabulary: tuple[str, ...]
    ids: Ids
    offsets: Offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def rows(self, start: int, stop: int) -> Tokens:
        """Chunks ``start:stop``, on the same vocabulary."""
        first, last = int(self.offsets[start]), int(self.offsets[stop])
        return Tokens(self.vocabulary, self.ids[first:last], self.offsets[start : stop + 1] - first)


def tokens_of(lists: Sequence[Sequence[str]]) -> Tokens:
    vocabulary = tuple(sorted({token for tokens in lists for token in tokens}))
    position = {token: i for i, token in enumerate(vocabulary)}
    ids = np.fromiter((position[token] for tokens in lists for token in tokens), dtype=np.int32)
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(tokens) for tokens in lists], out=offsets[1:])
    return Tokens(vocabulary, ids, offsets)


def concatenate(pieces: Sequence[Tokens]) -> Tokens:
    """The pieces one after the other, on the union of the vocabularies they use."""
    used: dict[int, tuple[tuple[str, ...], npt.NDArray[np.bool_]]] = {}
    for piece in pieces:
        entry = used.setdefault(
            id(piece.vocabulary), (piece.vocabulary, np.zeros(len(piece.vocabulary), dtype=bool))
        )
        entry[1][piece.ids] = True
    vocabulary = tuple(
        sorted({v[i] for v, mask in used.values() for i in np.flatnonzero(mask).tolist()})
    )
    position = {token: i for i, token in enumerate(vocabulary)}
    mappings: dict[int, npt.NDArray[np.int32]] = {}
    for key, (old, mask) in used.items():
        mapping = np.full(len(old), -1, dtype=np.int32)
        for i in np.flatnonzero(mask).tolist():
            mapping[i] = position[old[i]]
        mappings[key] = mapping
    ids_out = [mappings[id(p.vocabulary)][p.ids] for p in pieces]
    lengths = [np.diff(p.offsets) for p in pieces]
    offsets = np.zeros(sum(len(p) for p in pieces) + 1, dtype=np.int64)
    if lengths:
        np.cumsum(np.concatenate(lengths), out=offsets[1:])
    flat = np.concatenate(ids_out) if ids_out else np.zeros(0, dtype=np.int32)
    return Tokens(vocabulary, flat.astype(np.int32, copy=False), offsets)


@dataclass(frozen=True)
class ChunkTokens:
    """What the lexical index is made of: per chunk, its terms (in order), its words and the
    initials of its capitalised runs (each a set)."""

    terms: Tokens
    words: Tokens
    initials: Tokens

    def rows(self, start: int, stop: int) -> ChunkTokens:
        return ChunkTokens(*(t.rows(start, stop) for t in (self.terms, self.words, self.initials)))


def chunk_tokens(chunks: Iterable[Chunk]) -> ChunkTokens:
    """Stem and list every chunk's text (the one place this happens)."""
    term_lists: list[list[str]] = []
    word_lists: list[list[str]] = []
    initial_lists: list[list[str]] = []
    for chunk in chunks:
        text = lexical_text(chunk)
        term_lists.append(terms(text))
        word_lists.append(sorted(set(words(text))))
        initial_lists.append(sorted(capitalised_initials(text)))
    return ChunkTokens(tokens_of(term_lists), tokens_of(word_lists), tokens_of(initial_lists))


def concatenate_chunk_tokens(pieces: Sequence[ChunkTokens]) -> ChunkTokens:
    return ChunkTokens(
        concatenate([p.terms for p in pieces]),
        concatenate([p.words for p in pieces]),
        concatenate([p.initials for p in pieces]),
    )


# --- paragraphs -------------------------------------------------------------------------------


def paragraph_groups(chunks: Sequence[Chunk]) -> npt.NDArray[np.int64]:
    """For each chunk, a number shared by the chunks of its paragraph (chunks are in order)."""
    ids = np.zeros(len(chunks), dtype=np.int64)
    for row in range(1, len(chunks)):
        before, chunk = chunks[row - 1], chunks[row]
        same = (before.document, before.paragraph, before.passage) == (
            chunk.document,
            chunk.paragraph,
            chunk.passage,
        ) and before.end == chunk.start
        ids[row] = ids[row - 1] if same else ids[row - 1] + 1
    return ids


def passage_keys(chunks: Sequence[Chunk]) -> npt.NDArray[np.int64]:
    """For each chunk, a 64-bit digest of its whole paragraph group (each chunk's text, kind,
    sentence spans from the group's start and speakers) and of its place in the group. Two chunks
    with equal keys are the same passage in two documents (a wire story reprinted, an article
    filed twice): a quote cut from one has the same words as one cut from the other, for any
    question, so an answer that quoted one need not cut the other to see it is a repeat."""
    groups = paragraph_groups(chunks)
    keys = np.zeros(len(chunks), dtype=np.int64)
    for rows in np.split(np.arange(len(chunks)), group_starts(groups)[1:-1]):
        members = [chunks[int(row)] for row in rows]
        origin = members[0].start if members else 0
        content = json.dumps(
            [
                [
                    c.passage,
                    c.text,
                    [
                        [s.start - origin, s.end - origin, *astuple_or_none(s.attribution)]
                        for s in c.sentences
                    ],
                ]
                for c in members
            ],
            ensure_ascii=False,
        ).encode("utf-8")
        for place, row in enumerate(rows.tolist()):
            digest = hashlib.blake2b(place.to_bytes(4, "little") + content, digest_size=8)
            keys[row] = int.from_bytes(digest.digest(), "little", signed=True)
    return keys


def group_starts(groups: npt.NDArray[np.int64]) -> Offsets:
    """The first row of each paragraph group, and the row count at the end."""
    if not len(groups):
        return np.zeros(1, dtype=np.int64)
    starts = np.flatnonzero(np.diff(groups)) + 1
    return np.concatenate([[0], starts, [len(groups)]]).astype(np.int64)


# --- BM25 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreMatrix:
    """BM25 scores of every (document, term) pair, column by term: bm25s's CSC layout."""

    data: npt.NDArray[np.float32]
    indices: npt.NDArray[np.int32]
    indptr: Offsets
    documents: int

    def scores(self, term_ids: Sequence[int]) -> npt.NDArray[np.float32]:
        """Summed scores of the terms (in the given order, repeats counted), as bm25s sums."""
        total = np.zeros(self.documents, dtype=np.float32)
        for term in term_ids:
            start, end = int(self.indptr[term]), int(self.indptr[term + 1])
            total[self.indices[start:end]] += self.data[start:end]
        return total

    def cut(self, term_ids: Sequence[int], full: ScoreMatrix) -> bool:
        """Whether any of the terms has fewer postings here than in ``full``."""
        return any(
            int(self.indptr[t + 1] - self.indptr[t]) < int(full.indptr[t + 1] - full.indptr[t])
            for t in term_ids
        )

    def accumulate(
        self, term_ids: Sequence[int]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Summed scores of the terms over the documents their postings here name: (rows
        ascending, scores), added in the order `scores` adds them, so equal to the bit."""
        spans = [(int(self.indptr[t]), int(self.indptr[t + 1])) for t in term_ids]
        if not spans:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rows, inverse = np.unique(
            np.concatenate([self.indices[a:b] for a, b in spans]), return_inverse=True
        )
        total = np.zeros(len(rows), dtype=np.float32)
        cursor = 0
        for a, b in spans:  # a term's postings name each document once
            total[inverse[cursor : cursor + b - a]] += self.data[a:b]
            cursor += b - a
        return rows.astype(np.int64, copy=False), total

    def scores_of(
        self, term_ids: Sequence[int], rows: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float32]:
        """The summed scores of some documents (``rows``), each term's found by binary search
        in its column (a column's documents are ascending)."""
        total = np.zeros(len(rows), dtype=np.float32)
        # needles of the columns' own type: searchsorted would otherwise cast the whole
        # column to int64 first (80 against 2 µs for 50 rows in a 200k-posting column)
        wanted = rows.astype(self.indices.dtype)
        for term in term_ids:
            start, end = int(self.indptr[term]), int(self.indptr[term + 1])
            if end == start or not len(rows):
                continue
            column = self.indices[start:end]
            at = np.minimum(np.searchsorted(column, wanted), end - start - 1)
            found = column[at] == wanted
            total[found] += self.data[start:end][at[found]]
        return total

    def sparse_scores(
        self, term_ids: Sequence[int]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The same sums for only the documents that have any of the terms: (rows, scores),
        rows ascending."""
        total = self.scores(term_ids)
        rows = np.flatnonzero(total)
        return rows.astype(np.int64, copy=False), total[rows]


IMPACT_DEPTH = 1024
"""Postings kept per term in a build's impact lists: a term in more chunks (or paragraphs) than
this is read from its best postings only when a large index is searched (`impact_lists`)."""


def impact_lists(matrix: ScoreMatrix, depth: int = IMPACT_DEPTH) -> ScoreMatrix:
    """Each term's ``depth`` best postings (best first, ties by row); a term in fewer documents
    keeps all of its postings, in row order. Reading these instead of the whole columns bounds a
    question's lexical work whatever the corpus size, and changes nothing for terms in at most
    ``depth`` documents."""
    lengths = np.diff(matrix.indptr)
    long = np.flatnonzero(lengths > depth)
    if not len(long):
        return matrix
    keep = np.ones(len(matrix.data), dtype=bool)
    position = np.arange(len(matrix.data), dtype=np.int64)
    for column in long.tolist():  # a term's postings are in row order: ties go to the first
        start, end = int(matrix.indptr[column]), int(matrix.indptr[column + 1])
        scores = np.asarray(matrix.data[start:end])
        bound = np.partition(scores, len(scores) - depth)[len(scores) - depth]
        tied = np.flatnonzero(scores == bound)[: depth - int((scores > bound).sum())]
        chosen = np.concatenate([np.flatnonzero(scores > bound), tied])
        order = chosen[np.lexsort((chosen, -scores[chosen]))]
        keep[start:end] = False
        keep[start : start + depth] = True
        position[start : start + depth] = start + order
    kept = position[keep]
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.minimum(lengths, depth), out=indptr[1:])
    return ScoreMatrix(matrix.data[kept], matrix.indices[kept], indptr, matrix.documents)


def score_matrix(ids: Ids, offsets: Offsets, vocabulary_size: int) -> tuple[ScoreMatrix, Offsets]:
    """BM25 (Lucene variant, ``BM25_K1``/``BM25_B``) over documents given as rows of term ids,
    computed as bm25s computes it (same float types and order), and each term's document
    frequency."""
    from scipy import sparse

    documents = len(offsets) - 1
    lengths = np.diff(offsets)
    average = np.array(lengths).mean() if documents else np.float64(0.0)
    size = max(vocabulary_size, 1)
    # term counts per (document, term): duplicates summed, then laid out column by column
    counts = sparse.csr_matrix(
        (np.ones(len(ids), dtype=np.int32), ids, offsets), shape=(documents, size), copy=True
    )  # a copy: summing duplicates sorts the ids in place, and their order is kept
    counts.sum_duplicates()
    by_term = counts.tocsc()
    by_term.sort_indices()
    tf = by_term.data
    docs = by_term.indices.astype(np.int64)
    indptr = by_term.indptr.astype(np.int64)
    cols = np.repeat(np.arange(size, dtype=np.int64), np.diff(indptr))
    df = np.diff(indptr)[:vocabulary_size].astype(np.int64)
    idf = np.array(
        [math.log(1 + (documents - n + 0.5) / (n + 0.5)) if n else 0.0 for n in df.tolist()],
        dtype=np.float32,
    )
    tf32 = tf.astype(np.float32)
    # bm25s, per document: tf / (k1 * (1 - b + b * l_d / l_avg) + tf), l_avg a numpy float64
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[docs] / average)
    tfc = tf32 / (norm + tf32)
    scores = (idf[cols] * tfc).astype(np.float32)
    matrix = ScoreMatrix(scores, docs.astype(np.int32), indptr[: vocabulary_size + 1], documents)
    return matrix, df


# --- the vocabulary tables ------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE terms (term TEXT PRIMARY KEY, id INTEGER NOT NULL, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE deletions (variant TEXT NOT NULL, word TEXT NOT NULL,
                        PRIMARY KEY (variant, word)) WITHOUT ROWID;
CREATE TABLE initials (letters TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE INDEX term_ids ON terms (id);
CREATE TABLE facts (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
"""


def write_tables(
    connection: sqlite3.Connection, tokens: ChunkTokens, df: Offsets, *, chunks: int
) -> None:
    """Fill the look-up tables: terms with their ids and document frequencies, words with the
    one-deletion index, initials."""
    connection.executescript(_SCHEMA)
    terms_used = tokens.terms.vocabulary
    connection.executemany(
        "INSERT INTO terms VALUES (?, ?, ?)",
        (
            (term, i, int(n))
            for i, (term, n) in enumerate(zip(terms_used, df.tolist(), strict=True))
        ),
    )
    connection.executemany("INSERT INTO words VALUES (?)", ((w,) for w in tokens.words.vocabulary))
    connection.executemany(
        "INSERT OR IGNORE INTO deletions VALUES (?, ?)", deletion_rows(tokens.words.vocabulary)
    )
    connection.executemany(
        "INSERT INTO initials VALUES (?)", ((i,) for i in tokens.initials.vocabulary)
    )
    facts = {"chunks": chunks, "min_df": int(df.min()) if len(df) else 0}
    connection.executemany("INSERT INTO facts VALUES (?, ?)", facts.items())
    connection.commit()


def open_tables(path: Path) -> sqlite3.Connection:
    """The build's look-up tables, read-only (several threads may ask)."""
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
