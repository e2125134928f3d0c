"""The index on disk: FAISS vectors, the chunk store and a manifest, swapped in atomically.

Layout of ``BOT_INDEX_DIR``::

    README.md            (kept in git; never touched)
    current -> build-…   symlink to the live build, replaced with one atomic rename
    build-…/             manifest.json · documents.json · chunks.jsonl (a record a line) ·
                         chunks.npz (where each record starts; each chunk's document, paragraph
                           group, kind and FAISS id) · vectors.npy · vectors.faiss ·
                         lexicon.sqlite (terms with their document frequencies, words with their
                           one-deletion index, initials) · terms.npy · words.npy · initials.npy
                           (each chunk's token ids) · bm25-{chunks,paragraphs}.{data,indices,
                           indptr}.npy (the BM25 score matrices) · bm25-{chunks,paragraphs}.top.…
                           (each term's best postings) · speakers.json (the roster)
                         · texts.jsonl (the canonical text of each web page, PDF or Word file;
                           only when there are some, and then listed with the parts)
                         (and ``.quotebot-build``, the mark of a folder the bot made)
    .build.lock          held by the one build allowed at a time

Loading parses nothing but the manifest, the documents and the small columns: records and the
rows of vectors a question re-scores are read from their files when asked (``pread``: what is
read stays in the page cache, not in the bot's memory), the vectors and BM25 matrices are
memory-mapped, the lexical tables are asked through SQLite, the roster is read on the first
question about speakers. A build whose manifest lists none of the lexical parts
(made before they existed) still loads: its lexical index is then computed at load.

The manifest is written last and records every other part's size, so a build folder with a
manifest is complete, and a part truncated or lost later is caught before anything is loaded.

A build writes a complete new ``build-…`` folder beside the live one and only then re-points
``current``; a crash before that leaves the previous build live and loadable. Only folders the
bot made (marked, or holding its manifest) and nothing but its own files are ever deleted; a
``current`` that is not the bot's link stops a build before any work is done.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import mmap
import os
import secrets
import shutil
import sqlite3
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt

from bot import lexical
from bot.embed import Vectors
from bot.errors import (
    IndexBusyError,
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    IndexWriteError,
)
from bot.lexical import (
    KINDS,
    ChunkTokens,
    ScoreMatrix,
    Tokens,
    chunk_tokens,
    concatenate_chunk_tokens,
    group_starts,
    impact_lists,
    open_tables,
    paragraph_groups,
    passage_keys,
    score_matrix,
    write_tables,
)
from bot.manifest import Manifest, ManifestError
from bot.records import Attribution, Chunk, Document, Sentence, astuple_or_none
from bot.speakers import Speaker, moved, roster, speaker_from_record, speaker_record

CURRENT = "current"
LOCK = ".build.lock"
MARK = ".quotebot-build"
"""Written first into every build folder: a folder killed mid-build is still known as ours."""
BASE_PARTS = ("documents.json", "chunks.jsonl", "vectors.npy", "vectors.faiss")
"""What every build has had since the first format (a build whose manifest lists no parts)."""
COLUMNS = "chunks.npz"
LEXICON = "lexicon.sqlite"
TOKEN_FILES = {"terms": "terms.npy", "words": "words.npy", "initials": "initials.npy"}
MATRICES = ("bm25-chunks", "bm25-paragraphs")
IMPACTS = ("bm25-chunks.top", "bm25-paragraphs.top")
"""Each term's best postings of the two matrices (`bot.lexical.impact_lists`)."""
MATRIX_FILES = tuple(
    f"{m}.{a}.npy" for m in (*MATRICES, *IMPACTS) for a in ("data", "indices", "indptr")
)
SPEAKERS = "speakers.json"
"""The roster (`bot.speakers`): who is quoted, where; a document's speakers are carried over
with it, so no build or bot reads every chunk to list them."""
PARTS = (*BASE_PARTS, COLUMNS, LEXICON, *TOKEN_FILES.values(), *MATRIX_FILES, SPEAKERS)
"""The files of a build besides its manifest, which is written last and records their sizes:
the chunk records and where each starts (``chunks.npz``, with each chunk's document, paragraph
group, kind and FAISS id), the lexical index computed once at build time (`bot.lexical`), the
vectors and the FAISS index. A build made before the lexical parts existed is still read (its
lexical index then computed at load)."""
TEXTS = "texts.jsonl"
"""The canonical texts of documents that are not their own file's text: a part when present."""
EXACT_SEARCH_LIMIT = 10_000
"""Up to this many chunks an exact scan takes under 1 ms a query (one thread); past it, inverted
lists of fast-scan product codes, re-scored exactly, answer faster at recall@10 ≥ 0.95
(docs/PERFORMANCE.md, "Scale"). ``BOT_EXACT_SEARCH_LIMIT`` moves the line."""
REFINE = 32
"""Candidates the approximate index returns per result wanted, re-scored from the exact
vectors: at 1M real-text vectors recall@10 is 0.831 / 0.992 / 1.0 for 8 / 32 / 64 (§9 of
docs/PERFORMANCE.md)."""
REFINED_RESULTS = 10
"""A deeper ranking re-scores ``REFINE`` candidates for its first this many results only (the
retriever asks for 50, of which the first 10 matter most: the rest only join the fusion pool,
where every candidate is scored exactly again); five times fewer rows read a question."""


RESIDENT_VECTOR_BYTES = 1 << 30
"""A mapped index's vectors are also held in memory, as 16-bit fixed point, when that copy
takes at most this much (a million 384-dim vectors: 768 MB): re-scoring then gathers its few
hundred rows in one step (80 µs for 320 rows at 1M) instead of one ``pread`` each (1 ms a
question at 200k chunks). Past it, rows are read from the file. The copy is filled from the
file in the background after the first search; `_ResidentVectors` bounds what it moves a
cosine, and the first results are scored again from the file (`StoredIndex.search`)."""

PAGE_CACHE_BYTES = 2 << 30
"""Past the exact-search limit, the files an answer reads a few records of at random (``WARMED``)
are read through once in the background after the first search, up to this many bytes in all:
their pages are then in the page cache (memory the kernel takes back when it needs it; not the
process's), and an answer no longer waits on the disk for each record it reads (0.1 ms a read).
At a million chunks, with the build dropped from the cache, answer p50 was 1.93× the query
embedding when nothing read it back, 1.66× with this (docs/PERFORMANCE.md §11)."""
WARMED = (
    "chunks.jsonl",
    TOKEN_FILES["terms"],
    *(f"{m}.{a}.npy" for m in (*IMPACTS, *MATRICES) for a in ("indices", "data")),
)
"""In the order they are read: chunk records, each chunk's term ids, the BM25 impact lists and
the whole BM25 columns."""

REBUILD = "run `python -m bot index build --full`"


@dataclass(frozen=True)
class Columns:
    """One value per chunk, small enough to hold whole (about 21 bytes a chunk)."""

    offsets: npt.NDArray[np.int64]
    """Where each chunk's record starts in ``chunks.jsonl`` (and, last, the file's size)."""
    document: npt.NDArray[np.int32]
    group: npt.NDArray[np.int64]
    """Paragraph group: chunks of one paragraph that join up share it (nondecreasing)."""
    kind: npt.NDArray[np.uint8]
    """Position in ``bot.lexical.KINDS``."""
    key: npt.NDArray[np.int64]
    """The chunk's id in the FAISS index (its row, unless a build reused a trained index)."""
    token_offsets: dict[str, npt.NDArray[np.int64]]
    passage_key: npt.NDArray[np.int64] | None = None
    """`bot.lexical.passage_keys`: equal for the same passage in two documents (None in a
    build made before they were kept)."""

    @cached_property
    def group_starts(self) -> npt.NDArray[np.int64]:
        """The first row of each paragraph group, and the row count at the end."""
        return group_starts(self.group)

    def group_rows(self, row: int) -> range:
        """The rows of the chunk's paragraph group."""
        return self.rows_of_group(int(self.group[row]))

    def rows_of_group(self, group: int) -> range:
        """The rows of a paragraph group."""
        return range(int(self.group_starts[group]), int(self.group_starts[group + 1]))

    def rows_of_document(self, document: int) -> npt.NDArray[np.int64]:
        """A document's rows, in reading order (the chunker numbers a document's chunks so),
        found without reading the whole column: at a million chunks a comparison of every
        row costs 0.3–0.5 ms, and some questions need several documents' rows."""
        order, starts = self._by_document
        if not 0 <= document < len(starts) - 1:
            return np.zeros(0, dtype=np.int64)
        start, stop = int(starts[document]), int(starts[document + 1])
        return np.arange(start, stop, dtype=np.int64) if order is None else order[start:stop]

    @cached_property
    def _by_document(self) -> tuple[npt.NDArray[np.int64] | None, npt.NDArray[np.int64]]:
        """(the rows ordered by document, None when they already are; where each document's
        rows start in that order, and their count at the end)."""
        document = self.document
        ordered = bool(np.all(document[1:] >= document[:-1]))
        order = None if ordered else np.argsort(document, kind="stable")
        documents = int(document.max()) + 1 if len(document) else 0
        by_document = document if order is None else document[order]
        starts = np.searchsorted(by_document, np.arange(documents + 1)).astype(np.int64)
        return order, starts


class ChunkStore(Sequence[Chunk]):
    """The chunk records of a build, read one at a time from the memory-mapped file."""

    def __init__(self, data: Any, columns: Columns) -> None:
        self._data = data
        self._columns = columns
        self._recent: dict[int, Chunk] = {}

    def __len__(self) -> int:
        return len(self._columns.document)

    @overload
    def __getitem__(self, row: int) -> Chunk: ...

    @overload
    def __getitem__(self, row: slice) -> list[Chunk]: ...

    def __getitem__(self, row: int | slice) -> Chunk | list[Chunk]:
        if isinstance(row, slice):
            return [self._read(i) for i in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        return self._read(row)

    def paragraph(self, row: int) -> list[Chunk]:
        """The chunk with the neighbours it joins up with (its paragraph group), in order."""
        return [self._read(i) for i in self._columns.group_rows(row)]

    def _read(self, row: int) -> Chunk:
        chunk = self._recent.get(row)
        if chunk is None:
            if len(self._recent) >= 4096:
                self._recent.clear()
            chunk = self._recent[row] = self._parse(row)
        return chunk

    def _parse(self, row: int) -> Chunk:
        start, end = int(self._columns.offsets[row]), int(self._columns.offsets[row + 1])
        try:
            record = json.loads(self._data[start:end])
            record["id"] = row
            record["document"] = int(self._columns.document[row])
            return chunk_from_json(record)
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
            raise IndexCorruptError(
                f"chunks.jsonl is unreadable (record {row}: {error}); {REBUILD}"
            ) from None

    def raw(self, start: int, stop: int) -> bytes:
        """The records of rows ``start:stop`` as stored (a build carries them over as they are)."""
        offsets = self._columns.offsets
        return bytes(self._data[int(offsets[start]) : int(offsets[stop])])


@dataclass(frozen=True)
class Lexicon:
    """The lexical index of a build (see `bot.lexical`)."""

    chunks: ScoreMatrix
    paragraphs: ScoreMatrix
    tables: sqlite3.Connection
    token_ids: dict[str, npt.NDArray[np.int32]]
    term_offsets: npt.NDArray[np.int64]
    chunk_impacts: ScoreMatrix
    """Each term's best postings in ``chunks`` (the matrix itself in a build made before)."""
    paragraph_impacts: ScoreMatrix

    def term_ids(self, row: int) -> npt.NDArray[np.int32]:
        """The ids of the chunk's terms, in order."""
        start, stop = int(self.term_offsets[row]), int(self.term_offsets[row + 1])
        return self.token_ids["terms"][start:stop]


@dataclass(frozen=True)
class StoredIndex:
    """A loaded build: what retrieval and answering read."""

    directory: Path
    manifest: Manifest
    documents: tuple[Document, ...]
    chunks: ChunkStore
    vectors: Vectors
    faiss_index: Any
    columns: Columns
    lexicon: Lexicon

    @cached_property
    def _row_of_key(self) -> npt.NDArray[np.int64]:
        keys = self.columns.key
        rows = np.full(int(keys.max(initial=-1)) + 1, -1, dtype=np.int64)
        rows[keys] = np.arange(len(keys))
        return rows

    def search(self, vector: Vectors, k: int) -> list[int]:
        """The rows of the ``k`` chunks nearest ``vector``: exact for a flat index, else the
        approximate index's candidates re-scored from the exact vectors."""
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        if not self.manifest.index_type.startswith("IVF"):
            _, ids = self.faiss_index.search(query, k)
            return [int(i) for i in ids[0] if i >= 0]
        self._page_cache.is_set()  # the first search starts reading the files through
        _, keys = self.faiss_index.search(query, max(k, min(k, REFINED_RESULTS) * REFINE))
        rows = self._row_of_key[keys[0][keys[0] >= 0]]  # distinct keys: distinct rows
        rows = rows[rows >= 0]
        resident = self._resident
        if resident is not None and not resident.full.is_set():
            resident = None  # still filling: rows are read from the file
        if resident is None:
            scores = self.vector_rows(rows) @ query[0]
        else:
            scores = resident.scores(rows, query[0])
        order = np.lexsort((rows, -scores))
        if resident is not None and len(order):
            # scores from the copy: every candidate that could be among the first results
            # when scored exactly is scored again from the file, so those are exactly the
            # results re-scoring from the file alone gives (at 1M real-text vectors, whose
            # near-copies tie within 1e-4: recall@10 0.963 without this, 0.9745 with it)
            margin = 2 * resident.error * float(np.linalg.norm(query[0]))
            last = scores[order[min(k, REFINED_RESULTS, len(order)) - 1]]
            close = order[: int(np.count_nonzero(scores >= last - margin))]
            exact = self._file_rows(rows[close]) @ query[0]
            order[: len(close)] = close[np.lexsort((rows[close], -exact))]
        found: list[int] = rows[order[:k]].tolist()
        return found

    @cached_property
    def speakers(self) -> tuple[Speaker, ...]:
        """Every speaker, in order of first appearance (listed from the chunks for a build
        made before the roster was stored)."""
        if SPEAKERS not in (self.manifest.parts or {}):
            return roster(self.chunks)
        records = read_json(self.directory / SPEAKERS)
        try:
            return tuple(speaker_from_record(record) for record in records)
        except (TypeError, ValueError) as error:
            raise IndexCorruptError(
                f"{self.directory / SPEAKERS} is unreadable ({error}); {REBUILD}"
            ) from None

    def speakers_of(self, document: int) -> list[Speaker]:
        """The speakers of one document, in order of first appearance."""
        return self._speakers_by_document.get(document, [])

    @cached_property
    def _speakers_by_document(self) -> dict[int, list[Speaker]]:
        found: dict[int, list[Speaker]] = {}
        for speaker in self.speakers:
            found.setdefault(speaker.document, []).append(speaker)
        return found

    def vector_rows(self, rows: npt.NDArray[np.int64] | Sequence[int]) -> Vectors:
        """Some rows of the vectors: from the copy in memory once it is filled (see
        ``RESIDENT_VECTOR_BYTES``), else read from the file rather than through its map: a
        question reads a few hundred rows scattered over the file, and each touch of the map
        would make a run of pages around it part of the process's memory (the whole file,
        soon, at a million chunks); read like this they stay in the page cache only."""
        wanted = np.asarray(rows, dtype=np.int64)
        vectors = self.vectors
        if not isinstance(vectors, np.memmap) or not len(wanted):
            return np.asarray(vectors[wanted], dtype=np.float32)
        resident = self._resident
        if resident is not None and resident.full.is_set():
            return resident.read(wanted)
        return self._file_rows(wanted)

    def _file_rows(self, wanted: npt.NDArray[np.int64]) -> Vectors:
        vectors = self.vectors
        assert isinstance(vectors, np.memmap)
        size, read = vectors.shape[1] * vectors.itemsize, self._vector_file.read
        block = b"".join([read(vectors.offset + r * size, size) for r in wanted.tolist()])
        found = np.frombuffer(block, dtype=np.float32)
        return found.reshape(len(wanted), vectors.shape[1])

    @cached_property
    def _vector_file(self) -> _FileBytes:
        return _FileBytes(self.directory / "vectors.npy")

    @cached_property
    def _resident(self) -> _ResidentVectors | None:
        vectors = self.vectors
        if not isinstance(vectors, np.memmap) or vectors.size * 2 > RESIDENT_VECTOR_BYTES:
            return None
        return _ResidentVectors(self._vector_file, vectors.offset, vectors.shape)

    @cached_property
    def _page_cache(self) -> threading.Event:
        """Set once ``WARMED`` has been read through (see ``PAGE_CACHE_BYTES``)."""
        done = threading.Event()
        paths = [self.directory / name for name in WARMED]

        def read() -> None:
            try:
                _read_through(paths, PAGE_CACHE_BYTES)
            finally:
                done.set()

        threading.Thread(target=read, name="page-cache", daemon=True).start()
        return done

    def wait_until_warm(self, timeout: float) -> bool:
        """Whether the files answers read at random have been read into the page cache (waiting
        up to ``timeout`` seconds); False for an index searched exactly, which does not."""
        if not self.manifest.index_type.startswith("IVF"):
            return False
        return self._page_cache.wait(timeout)

    def wait_until_resident(self, timeout: float) -> bool:
        """Whether the vectors are held in memory (waiting up to ``timeout`` seconds for the
        copy to fill); False for an index that keeps them on disk."""
        resident = self._resident
        return resident is not None and resident.full.wait(timeout)

    def same_terms(self) -> bool:
        """Whether this build's token lists were read under the current spelling rules
        (`lexical.SPELLING_RULES`), so that a later build may carry them over."""
        chunking = self.manifest.chunking or {}
        return chunking.get("spelling_rules") == lexical.SPELLING_RULES

    def chunk_tokens(self) -> ChunkTokens:
        """Every chunk's token lists with their vocabularies (what a later build carries over)."""
        tables = self.lexicon.tables
        vocabularies = {
            "terms": tuple(t for (t,) in tables.execute("SELECT term FROM terms ORDER BY id")),
            "words": tuple(w for (w,) in tables.execute("SELECT word FROM words ORDER BY word")),
            "initials": tuple(
                i for (i,) in tables.execute("SELECT letters FROM initials ORDER BY letters")
            ),
        }
        return ChunkTokens(
            *(
                Tokens(vocabularies[name], self.lexicon.token_ids[name], offsets)
                for name, offsets in self.columns.token_offsets.items()
            )
        )


# --- choosing the FAISS index ----------------------------------------------------------------


def index_spec(count: int, *, dimension: int = 384, exact_limit: int = EXACT_SEARCH_LIMIT) -> str:
    """The FAISS factory string for a corpus of ``count`` vectors (see docs/PERFORMANCE.md).

    Up to ``exact_limit``: an exact scan. Past it: about √count inverted lists (a power of two)
    of 4-bit product codes for 2 dimensions each, scanned with SIMD ("fast scan"), the
    candidates then re-scored from the exact vectors (`StoredIndex.search`). ``dimension`` must
    be even, else the scan stays exact. So does a corpus with fewer vectors than lists, which
    FAISS cannot train (`BOT_EXACT_SEARCH_LIMIT=0` of a 15-chunk corpus: 16 lists at least).
    """
    if count <= exact_limit or dimension % 2:
        return "Flat"
    lists = 2 ** max(4, round(math.log2(math.sqrt(count))))
    if count < lists:
        return "Flat"
    return f"IVF{lists},PQ{dimension // 2}x4fs"


def search_params(spec: str) -> dict[str, int]:
    """Query-time knobs: the inverted lists to visit (``1 / NPROBE_SHARE`` of them, at least
    16); for a build made before inverted lists were chosen, the candidates its refine step
    re-scores."""
    if "Refine" in spec:
        return {"k_factor_rf": 32}
    if not spec.startswith("IVF"):
        return {}
    lists = int(spec[3:].split(",")[0])
    return {"nprobe": min(lists, max(16, lists // NPROBE_SHARE))}


NPROBE_SHARE = 64
"""At 1M grown real-text vectors with held-out real questions (1,024 lists, candidates
re-scored exactly), visiting 4 / 8 / 16 / 32 / 64 lists found 0.916 / 0.972 / 0.984 / 0.986 /
0.992 of the exact top 10 in 0.38 / 0.59 / 0.70 / 0.87 / 1.19 ms (docs/PERFORMANCE.md §10):
16, not the sixteenth (64) chosen before, gives up 0.008 of recall for 0.5 ms of every answer.
Random vectors, the worst case, need far more (0.08 at 16, 0.22 at 64)."""


def _faiss() -> Any:
    """faiss, limited to one OpenMP thread: on two cores its threads fight torch's, and one thread
    built a 10.7k index in 1.7 s against 60–98 s, and searched 10k in 0.84 ms against 10.1 ms
    (docs/PERFORMANCE.md)."""
    import faiss

    faiss.omp_set_num_threads(1)
    return faiss


def make_faiss_index(vectors: Vectors, spec: str, keys: npt.NDArray[np.int64] | None = None) -> Any:
    """A trained index of ``vectors`` (ids ``keys``, rows by default), added in blocks so a
    memory-mapped matrix is never copied whole."""
    faiss = _faiss()

    index = faiss.index_factory(vectors.shape[1], spec, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        sample_size = min(len(vectors), max(64 * _lists(spec), 16384), 256 * 1024)
        sample = np.sort(np.random.default_rng(0).permutation(len(vectors))[:sample_size])
        index.train(np.ascontiguousarray(vectors[sample], dtype=np.float32))
    add_vectors(index, vectors, spec, keys)
    _set_params(index, spec)
    return index


def add_vectors(
    index: Any, vectors: Vectors, spec: str, keys: npt.NDArray[np.int64] | None
) -> None:
    for start in range(0, len(vectors), 65536):
        block = np.ascontiguousarray(vectors[start : start + 65536], dtype=np.float32)
        if spec.startswith("IVF"):
            ids = keys[start : start + len(block)] if keys is not None else None
            if ids is None:
                ids = np.arange(start, start + len(block), dtype=np.int64)
            index.add_with_ids(block, np.ascontiguousarray(ids, dtype=np.int64))
        else:
            index.add(block)


def _lists(spec: str) -> int:
    return int(spec[3:].split(",")[0]) if spec.startswith("IVF") else 1


def _set_params(index: Any, spec: str) -> None:
    faiss = _faiss()
    for name, value in search_params(spec).items():
        faiss.ParameterSpace().set_index_parameter(index, name, value)


# --- reading ---------------------------------------------------------------------------------


def live_build(index_dir: Path) -> Path:
    """The folder of the live build, or IndexMissingError."""
    link = index_dir / CURRENT
    if not link.exists():
        if link.is_symlink():
            raise IndexCorruptError(f"{link} points to a build that is gone; {REBUILD}")
        raise IndexMissingError(f"No index in {index_dir}/ — run `python -m bot index build`")
    return link.resolve()


def read_manifest(index_dir: Path) -> Manifest:
    """The live build's manifest (cheap: no vectors, no model)."""
    return build_manifest(live_build(index_dir))


def build_manifest(directory: Path) -> Manifest:
    """The manifest of one build, once every part it lists is there at its recorded size."""
    path = directory / "manifest.json"
    try:
        manifest = Manifest.from_json(read_json(path))
    except ManifestError as error:
        raise IndexCorruptError(f"{path} {error}; {REBUILD}") from None
    _check_parts(directory, manifest.parts or dict.fromkeys(BASE_PARTS))
    return manifest


def _check_parts(directory: Path, sizes: Mapping[str, int | None]) -> None:
    for name, size in sizes.items():
        path = directory / name
        if not path.is_file():
            raise IndexCorruptError(f"{path} is missing; {REBUILD}")
        if size is not None and path.stat().st_size != size:
            raise IndexCorruptError(f"{path} is truncated or altered; {REBUILD}")


def check_model(manifest: Manifest, *, model: str, dimension: int | None = None) -> None:
    """IndexMismatchError unless the index was built with this model (and dimension)."""
    built_with, dims = manifest.model, manifest.dimension
    if built_with != model:
        raise IndexMismatchError(
            f"The index was built with model {built_with!r} ({dims} dims) "
            f"but BOT_MODEL is {model!r}; {REBUILD}"
        )
    if dimension is not None and dims != dimension:
        raise IndexMismatchError(
            f"BOT_MODEL gives {dimension}-dim vectors but the index holds {dims}; {REBUILD}"
        )


def load_index(index_dir: Path, *, model: str) -> StoredIndex:
    """Open the live build, checking every part is there and consistent. Nothing is parsed or
    stemmed: records, vectors and the lexical index are memory-mapped and read when asked."""
    directory = live_build(index_dir)  # resolved once: a swap meanwhile cannot mix two builds
    manifest = build_manifest(directory)
    check_model(manifest, model=model)
    documents = _read_documents(directory / "documents.json")
    listed = set(manifest.parts or ())
    if COLUMNS in listed:
        columns = _read_columns(directory / COLUMNS)
        chunks = ChunkStore(_FileBytes(directory / "chunks.jsonl"), columns)
        for row in {0, len(chunks) - 1} & set(range(len(chunks))):
            chunks[row]  # a spot check; any other record is checked when it is read
        lexicon = _read_lexicon(directory, columns, has_impacts=f"{IMPACTS[0]}.data.npy" in listed)
    else:  # a build from before the lexical parts: compute them here, in memory
        chunks, columns, lexicon = _derive(directory / "chunks.jsonl")
    vectors = _read_vectors(directory / "vectors.npy", manifest)
    faiss_index = _read_faiss(directory / "vectors.faiss", manifest)
    if not len(chunks) == len(vectors) == faiss_index.ntotal == manifest.chunks:
        raise IndexCorruptError(f"{directory}: chunk and vector counts disagree; {REBUILD}")
    if len(columns.document) and not 0 <= int(columns.document.min()) <= int(
        columns.document.max()
    ) < len(documents):
        raise IndexCorruptError(f"{directory}: chunks name unknown documents; {REBUILD}")
    return StoredIndex(
        directory, manifest, documents, chunks, vectors, faiss_index, columns, lexicon
    )


class _FileBytes:
    """A file's bytes, sliced with ``pread`` (for records read a few at a time: unlike a map,
    nothing read stays in the process's memory)."""

    def __init__(self, path: Path) -> None:
        try:
            self._descriptor = os.open(path, os.O_RDONLY)
        except OSError as error:
            raise IndexCorruptError(f"{path} is unreadable ({error}); {REBUILD}") from None
        self._size = os.fstat(self._descriptor).st_size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, span: slice) -> bytes:
        start, stop, _ = span.indices(self._size)
        return self.read(start, max(0, stop - start))

    def read(self, start: int, size: int) -> bytes:
        return os.pread(self._descriptor, size, start)

    def __del__(self) -> None:
        with contextlib.suppress(OSError, AttributeError):
            os.close(self._descriptor)


class _ResidentVectors:
    """A copy of a vector file in 16-bit fixed point (a component ``x`` of a unit vector kept as
    ``round(x · SCALE)``), filled by a background thread with plain reads (not through the map,
    whose touched pages would count as the process's memory too). Widening it back is a fast
    integer cast, unlike float16's (230 against 80 µs for 320 rows). A file with a component
    outside [-1, 1] (vectors not normalised) is not copied: rows are then read from it."""

    BLOCK_ROWS = 16384
    SCALE = 32767

    def __init__(self, file: _FileBytes, offset: int, shape: tuple[int, ...]) -> None:
        self.rows = np.empty(shape, dtype=np.int16)
        self.error = math.sqrt(shape[1]) * 0.5 / self.SCALE
        """The most a row's dot product with a vector of length 1 moves (each component is off
        by at most half a step: Cauchy–Schwarz; 3.0e-4 for 384 dimensions)."""
        self.full = threading.Event()
        filling = threading.Thread(
            target=self._fill, args=(file, offset), name="resident-vectors", daemon=True
        )
        filling.start()

    def read(self, wanted: npt.NDArray[np.int64]) -> Vectors:
        rows: Vectors = np.take(self.rows, wanted, axis=0).astype(np.float32)
        rows *= 1.0 / self.SCALE
        return rows

    def scores(self, wanted: npt.NDArray[np.int64], vector: Vectors) -> Vectors:
        """``read(wanted) @ vector``, the scale applied to the vector rather than the rows."""
        rows = np.take(self.rows, wanted, axis=0).astype(np.float32)
        scores: Vectors = rows @ (vector * np.float32(1.0 / self.SCALE))
        return scores

    def _fill(self, file: _FileBytes, offset: int) -> None:
        count, dimension = self.rows.shape
        size = dimension * 4
        for start in range(0, count, self.BLOCK_ROWS):
            stop = min(count, start + self.BLOCK_ROWS)
            block = file.read(offset + start * size, (stop - start) * size)
            if len(block) != (stop - start) * size:
                return  # the file changed under us: keep reading rows from it instead
            values = np.frombuffer(block, dtype=np.float32).reshape(-1, dimension)
            if not np.all(np.abs(values) <= 1.0):
                return  # not unit vectors (or NaN): keep reading rows from the file
            self.rows[start:stop] = np.rint(values * self.SCALE)
        self.full.set()


def _read_through(paths: Sequence[Path], budget: int) -> int:
    """Read files once, in order, up to ``budget`` bytes in all, so that their pages are in the
    page cache; a file missing or unreadable is passed over (answers then read it from disk).
    Returns the bytes read."""
    buffer = memoryview(bytearray(1 << 20))
    done = 0
    for path in paths:
        with contextlib.suppress(OSError), path.open("rb", buffering=0) as handle:
            while done < budget and (read := handle.readinto(buffer[: budget - done])):
                done += read
    return done


def _map(path: Path) -> Any:
    """The file memory-mapped (an empty file is an empty bytes)."""
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return b""
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {REBUILD}") from None


def _read_columns(path: Path) -> Columns:
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        return Columns(
            offsets=arrays["offsets"],
            document=arrays["document"],
            group=arrays["group"],
            kind=arrays["kind"],
            key=arrays["key"],
            token_offsets={name: arrays[f"{name}_at"] for name in TOKEN_FILES},
            passage_key=arrays.get("passage_key"),
        )
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {REBUILD}") from None


def _read_lexicon(directory: Path, columns: Columns, *, has_impacts: bool) -> Lexicon:
    def array(name: str) -> Any:
        try:  # a plain view of the map: slicing a numpy memmap object costs more than the read
            return np.asarray(np.load(directory / name, mmap_mode="r", allow_pickle=False))
        except (OSError, ValueError) as error:
            raise IndexCorruptError(
                f"{directory / name} is unreadable ({error}); {REBUILD}"
            ) from None

    def matrix(name: str, documents: int) -> ScoreMatrix:
        return ScoreMatrix(
            array(f"{name}.data.npy"),
            array(f"{name}.indices.npy"),
            array(f"{name}.indptr.npy"),
            documents,
        )

    paragraphs = int(columns.group[-1]) + 1 if len(columns.group) else 0
    chunks = matrix(MATRICES[0], len(columns.document))
    paragraph_matrix = matrix(MATRICES[1], paragraphs)
    if has_impacts:
        impacts = (matrix(IMPACTS[0], chunks.documents), matrix(IMPACTS[1], paragraphs))
    else:  # a build from before the impact lists: the whole columns are read
        impacts = (chunks, paragraph_matrix)
    return Lexicon(
        chunks=chunks,
        paragraphs=paragraph_matrix,
        tables=open_tables(directory / LEXICON),
        token_ids={name: array(file) for name, file in TOKEN_FILES.items()},
        term_offsets=columns.token_offsets["terms"],
        chunk_impacts=impacts[0],
        paragraph_impacts=impacts[1],
    )


def _derive(path: Path) -> tuple[ChunkStore, Columns, Lexicon]:
    """Columns and lexical index of a build made before they were stored."""
    data = _map(path)
    offsets = [0]
    records = []
    try:
        for line in bytes(data).splitlines(keepends=True):
            offsets.append(offsets[-1] + len(line))
            records.append(chunk_from_json(json.loads(line)))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {REBUILD}") from None
    tokens = chunk_tokens(records)
    group = paragraph_groups(records)
    columns = Columns(
        offsets=np.array(offsets, dtype=np.int64),
        document=np.array([c.document for c in records], dtype=np.int32),
        group=group,
        kind=np.array([KINDS.index(c.passage) for c in records], dtype=np.uint8),
        key=np.arange(len(records), dtype=np.int64),
        token_offsets={name: getattr(tokens, name).offsets for name in TOKEN_FILES},
        passage_key=passage_keys(records),
    )
    chunk_matrix, paragraph_matrix, df = _matrices(tokens, group)
    tables = sqlite3.connect(":memory:", check_same_thread=False)
    write_tables(tables, tokens, df, chunks=len(records))
    lexicon = Lexicon(
        chunk_matrix,
        paragraph_matrix,
        tables,
        {name: getattr(tokens, name).ids for name in TOKEN_FILES},
        tokens.terms.offsets,
        impact_lists(chunk_matrix),
        impact_lists(paragraph_matrix),
    )
    return ChunkStore(data, columns), columns, lexicon


def _matrices(
    tokens: ChunkTokens, group: npt.NDArray[np.int64]
) -> tuple[ScoreMatrix, ScoreMatrix, npt.NDArray[np.int64]]:
    terms = tokens.terms
    size = len(terms.vocabulary)
    chunk_matrix, df = score_matrix(terms.ids, terms.offsets, size)
    paragraph_matrix, _ = score_matrix(terms.ids, terms.offsets[group_starts(group)], size)
    return chunk_matrix, paragraph_matrix, df


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexCorruptError(f"{path} is missing; {REBUILD}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {REBUILD}") from None


def _read_documents(path: Path) -> tuple[Document, ...]:
    records = read_json(path)
    try:
        return tuple(
            Document(**{**record, "pages": tuple(record.get("pages", ()))}) for record in records
        )
    except TypeError as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {REBUILD}") from None


def read_texts(directory: Path) -> dict[str, str]:
    """{document path: canonical text} of a build's web pages, PDFs and Word files (a `.txt` or
    `.md` file is its own canonical text). Empty for a build made before texts were kept."""
    path = directory / TEXTS
    if not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines]
        return {record["path"]: record["text"] for record in records}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {REBUILD}") from None


def _read_vectors(path: Path, manifest: Manifest) -> Vectors:
    # A flat index holds every vector in memory anyway (at most BOT_EXACT_SEARCH_LIMIT of
    # them): read this copy whole too, so re-scoring indexes it instead of reading row by row.
    # Past that, the file is mapped and rows are read as questions need them.
    mapped: Literal["r"] | None = None if manifest.exact_search else "r"
    try:
        vectors = np.load(path, mmap_mode=mapped, allow_pickle=False)
    except (OSError, ValueError) as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {REBUILD}") from None
    if vectors.ndim != 2 or vectors.shape[1] != manifest.dimension:
        raise _wrong_dimension(path, manifest)
    return vectors  # type: ignore[no-any-return]


def _read_faiss(path: Path, manifest: Manifest) -> Any:
    faiss = _faiss()

    if not path.is_file():
        raise IndexCorruptError(f"{path} is missing; {REBUILD}")
    try:
        index = faiss.read_index(str(path))
    except RuntimeError as error:
        raise IndexCorruptError(f"{path} is unreadable ({_last_line(error)}); {REBUILD}") from None
    if index.d != manifest.dimension:
        raise _wrong_dimension(path, manifest)
    for name, value in search_params(manifest.index_type).items():
        faiss.ParameterSpace().set_index_parameter(index, name, value)
    return index


def _wrong_dimension(path: Path, manifest: Manifest) -> IndexCorruptError:
    return IndexCorruptError(f"{path} does not hold {manifest.dimension}-dim rows; {REBUILD}")


def chunk_to_json(chunk: Chunk) -> dict[str, Any]:
    # By hand, not dataclasses.asdict: its recursive deep copy dominated writing large builds.
    return {
        "id": chunk.id,
        "document": chunk.document,
        "paragraph": chunk.paragraph,
        "start": chunk.start,
        "end": chunk.end,
        "text": chunk.text,
        "sentences": [[s.start, s.end, *astuple_or_none(s.attribution)] for s in chunk.sentences],
        "kind": chunk.passage,  # the on-disk name, so every earlier build still loads
    }


def chunk_from_json(record: dict[str, Any]) -> Chunk:
    sentences = tuple(
        Sentence(start, end, _attribution(speaker, role))
        for start, end, speaker, role in record["sentences"]
    )
    fields = {**record, "sentences": sentences, "passage": record.get("kind", "body")}
    fields.pop("kind", None)
    return Chunk(**fields)


def _attribution(speaker: str | None, role: str | None) -> Attribution | None:
    return None if speaker is None and role is None else Attribution(speaker, role)


# --- writing ---------------------------------------------------------------------------------


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the one-build-at-a-time lock, or raise IndexBusyError at once.

    An advisory ``flock``: the kernel drops it when the holder exits, even when killed, so a
    crashed build never leaves the index locked.
    """
    with _writing(index_dir):
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = (index_dir / LOCK).open("a")
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusyError(
                f"Another `index build` is running on {index_dir}/; wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _writing(index_dir: Path) -> Iterator[None]:
    """Turn a failed write (disk full, no permission) into one line for the user."""
    try:
        yield
    except OSError as error:
        where = error.filename or index_dir
        raise IndexWriteError(
            f"Cannot write the index to {where} ({error.strerror or error}); "
            "the previous index is unchanged"
        ) from None


def check_index_dir(index_dir: Path) -> None:
    """IndexWriteError when something the bot did not make sits where its ``current`` link goes."""
    live = index_dir / CURRENT
    if live.is_symlink() or not live.exists():
        return
    kind = "folder" if live.is_dir() else "file"
    raise IndexWriteError(
        f"{live} is a {kind} the bot did not make (it expects its own link there); "
        "move it out of the index folder, then rebuild"
    )


def is_own_build(folder: Path) -> bool:
    """True for a build folder the bot wrote, holding nothing but the bot's own files: the
    parts it always writes, and any others its manifest lists."""
    if folder.is_symlink() or not folder.is_dir() or not folder.name.startswith("build-"):
        return False
    try:
        names = {entry.name for entry in folder.iterdir()}
    except OSError:
        return False
    manifest = _own_manifest(folder / "manifest.json")
    listed = set(manifest.parts or {}) if manifest is not None else set()
    if not names <= {MARK, "manifest.json", *PARTS, *listed}:
        return False
    return MARK in names or manifest is not None


def _own_manifest(path: Path) -> Manifest | None:
    """The manifest at ``path`` if it is one the bot wrote, else None."""
    try:
        return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, ValueError):  # ManifestError is a ValueError
        return None


@dataclass(frozen=True)
class Fresh:
    """Chunks new to this build (numbered already) with their vectors."""

    chunks: Sequence[Chunk]
    vectors: Vectors


@dataclass(frozen=True)
class Carried:
    """Rows ``start:stop`` of an earlier build, carried over as they are: one document's
    records, vectors and token lists, now document number ``document``."""

    source: StoredIndex
    start: int
    stop: int
    document: int


Segment = Fresh | Carried


def write_build(
    index_dir: Path,
    *,
    manifest: Manifest,
    documents: Sequence[Document],
    segments: Sequence[Segment],
    texts: dict[str, str] | None = None,
    trained: StoredIndex | None = None,
) -> Path:
    """Write a complete build beside the live one, then make it live with one atomic rename.

    ``texts`` holds the canonical text of each document that is not its own file's text.
    ``trained``: an earlier build whose trained FAISS index (same model, chunking and index
    type) is reused: the rows not carried over are removed from it by id and the fresh ones
    added, with no training."""
    check_index_dir(index_dir)
    with _writing(index_dir):
        staging = _new_build_folder(index_dir)
        try:
            _write_parts(staging, manifest, documents, segments, texts or {}, trained)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        previous = (index_dir / CURRENT).resolve() if (index_dir / CURRENT).exists() else None
        _swap_current(index_dir, staging)
    _prune_old_builds(index_dir, keep={staging.name, previous.name if previous else ""})
    return staging


def _new_build_folder(index_dir: Path) -> Path:
    # Unique even for two builds in one second from one process (tests, benchmarks).
    stamp = time.strftime("%Y%m%dT%H%M%S")
    staging = index_dir / f"build-{stamp}-{os.getpid()}-{secrets.token_hex(3)}"
    staging.mkdir(parents=True)
    (staging / MARK).write_text("made by `python -m bot index build`\n", encoding="utf-8")
    return staging


def _write_parts(
    staging: Path,
    manifest: Manifest,
    documents: Sequence[Document],
    segments: Sequence[Segment],
    texts: dict[str, str],
    trained: StoredIndex | None,
) -> None:
    """Every part, then the manifest with their sizes (the manifest last: its presence says the
    build is complete), all flushed to disk before the swap."""
    faiss = _faiss()

    _write_json(staging / "documents.json", [asdict(d) for d in documents])
    offsets = _write_records(staging / "chunks.jsonl", segments)
    if texts:
        _write_texts(staging / TEXTS, texts)
    vectors = _write_vectors(staging / "vectors.npy", segments, manifest.dimension)
    keys = _keys(segments, trained)
    spec = manifest.index_type
    if trained is not None:
        index = _updated_faiss(trained, segments, keys)
    else:
        index = _faiss_for(vectors, spec, keys)
    faiss.write_index(index, str(staging / "vectors.faiss"))
    del vectors
    _write_json(staging / SPEAKERS, [speaker_record(s) for s in _roster(segments)])
    tokens, group = _lexical_parts(segments)
    _write_lexicon(staging, tokens, group)
    _write_columns(
        staging / COLUMNS, segments, offsets=offsets, group=group, keys=keys, tokens=tokens
    )
    written = (*PARTS, TEXTS) if texts else PARTS
    parts = {name: (staging / name).stat().st_size for name in written}
    _write_json(staging / "manifest.json", manifest.with_parts(parts).to_json())
    _fsync_tree(staging)


def _write_texts(path: Path, texts: dict[str, str]) -> None:
    """The text of each document read from a file other than plain text, by its path."""
    with path.open("w", encoding="utf-8") as out:
        for name, text in texts.items():
            out.write(json.dumps({"path": name, "text": text}, ensure_ascii=False) + "\n")


def _write_columns(
    path: Path,
    segments: Sequence[Segment],
    *,
    offsets: npt.NDArray[np.int64],
    group: npt.NDArray[np.int64],
    keys: npt.NDArray[np.int64],
    tokens: ChunkTokens,
) -> None:
    """One value per row (its record's offset, document, paragraph group, kind, FAISS key and
    passage key) and where each row's tokens start, as arrays read without parsing."""
    np.savez(
        path,
        offsets=offsets,
        document=_per_row(
            segments,
            lambda s: np.full(s.stop - s.start, s.document),
            lambda f: [c.document for c in f.chunks],
            np.int32,
        ),
        group=group,
        kind=_per_row(
            segments,
            lambda s: s.source.columns.kind[s.start : s.stop],
            lambda f: [KINDS.index(c.passage) for c in f.chunks],
            np.uint8,
        ),
        key=keys,
        passage_key=_per_row(
            segments, _carried_passage_keys, lambda f: passage_keys(f.chunks), np.int64
        ),
        **{f"{name}_at": getattr(tokens, name).offsets for name in TOKEN_FILES},
    )


def _roster(segments: Sequence[Segment]) -> list[Speaker]:
    """The new build's speakers: a carried document's taken from its build, renumbered."""
    speakers: list[Speaker] = []
    row = 0
    for segment in segments:
        if isinstance(segment, Carried):
            source = segment.source
            first = source.columns.document[segment.start] if segment.stop > segment.start else -1
            speakers += [
                moved(s, document=segment.document, shift=row - segment.start)
                for s in source.speakers_of(int(first))
            ]
        else:
            speakers += roster(segment.chunks)
        row += _rows(segment)
    return speakers


def _carried_passage_keys(segment: Carried) -> npt.NDArray[np.int64]:
    """The carried rows' passage keys: as their build kept them, or made from their records
    once, for a build made before they were kept."""
    kept = segment.source.columns.passage_key
    if kept is not None:
        return kept[segment.start : segment.stop]
    return passage_keys(segment.source.chunks[segment.start : segment.stop])


def _per_row(
    segments: Sequence[Segment],
    carried: Callable[[Carried], Any],
    fresh: Callable[[Fresh], Any],
    dtype: Any,
) -> Any:
    blocks = [
        np.asarray(carried(s) if isinstance(s, Carried) else fresh(s), dtype=dtype)
        for s in segments
    ]
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=dtype)


def _write_records(path: Path, segments: Sequence[Segment]) -> npt.NDArray[np.int64]:
    """chunks.jsonl (a record per line, without its row and document numbers, which the
    columns hold), and where each record starts."""
    lengths: list[npt.NDArray[np.int64]] = []
    with path.open("wb") as out:
        for segment in segments:
            if isinstance(segment, Carried):
                source = segment.source
                out.write(source.chunks.raw(segment.start, segment.stop))
                lengths.append(np.diff(source.columns.offsets[segment.start : segment.stop + 1]))
            else:
                lines = [_record_line(chunk) for chunk in segment.chunks]
                out.write(b"".join(lines))
                lengths.append(np.array([len(line) for line in lines], dtype=np.int64))
    offsets = np.zeros(sum(len(x) for x in lengths) + 1, dtype=np.int64)
    if lengths:
        np.cumsum(np.concatenate(lengths), out=offsets[1:])
    return offsets


def _record_line(chunk: Chunk) -> bytes:
    record = chunk_to_json(chunk)
    del record["id"], record["document"]
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def _write_vectors(path: Path, segments: Sequence[Segment], dimension: int) -> Vectors:
    """vectors.npy, block by block (a carried block is copied from the earlier build's map)."""
    rows = sum(_rows(s) for s in segments)
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(rows, dimension))
    cursor = 0
    for segment in segments:
        if isinstance(segment, Carried):
            block = segment.source.vectors[segment.start : segment.stop]
        else:
            block = segment.vectors
        out[cursor : cursor + len(block)] = block
        cursor += len(block)
    out.flush()
    return out


def _rows(segment: Segment) -> int:
    return segment.stop - segment.start if isinstance(segment, Carried) else len(segment.chunks)


def _keys(segments: Sequence[Segment], trained: StoredIndex | None) -> npt.NDArray[np.int64]:
    """FAISS ids: the rows, unless a trained index is reused: then a carried chunk keeps its id
    and a fresh one takes the next unused."""
    total = sum(_rows(s) for s in segments)
    if trained is None:
        return np.arange(total, dtype=np.int64)
    next_key = int(trained.columns.key.max(initial=-1)) + 1
    blocks = []
    for segment in segments:
        if isinstance(segment, Carried):
            blocks.append(segment.source.columns.key[segment.start : segment.stop])
        else:
            blocks.append(np.arange(next_key, next_key + len(segment.chunks), dtype=np.int64))
            next_key += len(segment.chunks)
    return np.concatenate(blocks).astype(np.int64) if blocks else np.zeros(0, dtype=np.int64)


def _updated_faiss(trained: StoredIndex, segments: Sequence[Segment], keys: Any) -> Any:
    """The earlier build's index, less the rows not carried over, plus the fresh ones."""
    faiss = _faiss()

    index = trained.faiss_index
    kept = np.zeros(len(trained.chunks), dtype=bool)
    for segment in segments:
        if isinstance(segment, Carried) and segment.source is trained:
            kept[segment.start : segment.stop] = True
    removed = trained.columns.key[~kept]
    if len(removed):
        index.remove_ids(faiss.IDSelectorBatch(np.ascontiguousarray(removed, dtype=np.int64)))
    cursor = 0
    for segment in segments:
        if isinstance(segment, Fresh) and len(segment.chunks):
            ids = keys[cursor : cursor + len(segment.chunks)]
            index.add_with_ids(np.ascontiguousarray(segment.vectors, dtype=np.float32), ids)
        cursor += _rows(segment)
    return index


def _lexical_parts(segments: Sequence[Segment]) -> tuple[ChunkTokens, npt.NDArray[np.int64]]:
    """Every chunk's token lists (carried ones taken as they are) and paragraph groups."""
    pieces: list[ChunkTokens] = []
    groups: list[npt.NDArray[np.int64]] = []
    sources: dict[int, ChunkTokens] = {}
    next_group = 0
    for segment in segments:
        if isinstance(segment, Carried):
            source = segment.source
            if not source.same_terms():  # built under older spelling rules: read again
                rows = range(segment.start, segment.stop)
                pieces.append(chunk_tokens([source.chunks[row] for row in rows]))
            else:
                if id(source) not in sources:
                    sources[id(source)] = source.chunk_tokens()
                pieces.append(sources[id(source)].rows(segment.start, segment.stop))
            local = source.columns.group[segment.start : segment.stop]
            local = local - (local[0] if len(local) else 0)
        else:
            pieces.append(chunk_tokens(segment.chunks))
            local = paragraph_groups(segment.chunks)
        groups.append(local + next_group)
        if len(local):
            next_group += int(local[-1]) + 1
    tokens = concatenate_chunk_tokens(pieces)
    group = np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)
    return tokens, group.astype(np.int64)


def _write_lexicon(staging: Path, tokens: ChunkTokens, group: npt.NDArray[np.int64]) -> None:
    chunk_matrix, paragraph_matrix, df = _matrices(tokens, group)
    impacts = map(impact_lists, (chunk_matrix, paragraph_matrix))
    matrices = (chunk_matrix, paragraph_matrix, *impacts)
    for name, matrix in zip((*MATRICES, *IMPACTS), matrices, strict=True):
        for attribute in ("data", "indices", "indptr"):
            np.save(staging / f"{name}.{attribute}.npy", getattr(matrix, attribute))
    for name, file in TOKEN_FILES.items():
        np.save(staging / file, getattr(tokens, name).ids)
    connection = sqlite3.connect(staging / LEXICON)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        write_tables(connection, tokens, df, chunks=len(group))
    finally:
        connection.close()


def _faiss_for(vectors: Vectors, spec: str, keys: npt.NDArray[np.int64]) -> Any:
    try:
        return make_faiss_index(vectors, spec, keys)
    except RuntimeError as error:
        raise IndexWriteError(
            f"FAISS cannot build a {spec!r} index of {len(vectors)} vectors of "
            f"{vectors.shape[1]} dims ({_last_line(error)}); the previous index is unchanged"
        ) from None


def _last_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[-1] if lines else type(error).__name__


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    _fsync_directory(folder)


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _swap_current(index_dir: Path, build: Path) -> None:
    live = index_dir / CURRENT
    temporary_link = index_dir / f".{CURRENT}.{os.getpid()}-{secrets.token_hex(3)}"
    temporary_link.symlink_to(build.name)
    os.replace(temporary_link, live)
    _fsync_directory(index_dir)


def _prune_old_builds(index_dir: Path, *, keep: set[str]) -> None:
    """Delete every build but the live one and the one before it (a bot may still be reading
    it), including leftovers of builds that were killed before they could clean up; never a
    folder or file the bot did not write."""
    for stale in index_dir.glob("build-*"):
        if stale.name not in keep and is_own_build(stale):
            shutil.rmtree(stale, ignore_errors=True)
    for link in index_dir.glob(f".{CURRENT}.*"):
        if link.is_symlink() and os.readlink(link).startswith("build-"):
            with contextlib.suppress(OSError):
                link.unlink()
