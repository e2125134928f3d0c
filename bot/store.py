"""The index on disk: FAISS vectors, the chunk store and a manifest, swapped in atomically.

Layout of ``BOT_INDEX_DIR``::

    README.md            (kept in git; never touched)
    current -> build-…   symlink to the live build, replaced with one atomic rename
    build-…/             manifest.json · documents.json · chunks.jsonl · vectors.npy · vectors.faiss
    .build.lock          held by the one build allowed at a time

A build writes a complete new ``build-…`` folder beside the live one and only then re-points
``current``; a crash before that leaves the previous build live and loadable.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.embed import Vectors
from bot.errors import IndexBusyError, IndexCorruptError, IndexMismatchError, IndexMissingError
from bot.models import Attribution, Chunk, Document, Sentence

FORMAT_VERSION = 1
CURRENT = "current"
LOCK = ".build.lock"
EXACT_SEARCH_LIMIT = 50_000
"""Up to this many chunks an exact inner-product scan is both fastest to build and exact."""

_REBUILD = "run `python -m bot index build --full`"


@dataclass(frozen=True)
class StoredIndex:
    """A loaded build: what retrieval and answering read."""

    directory: Path
    manifest: dict[str, Any]
    documents: tuple[Document, ...]
    chunks: tuple[Chunk, ...]
    vectors: Vectors
    faiss_index: Any


# --- choosing the FAISS index ----------------------------------------------------------------


def index_spec(count: int) -> str:
    """The FAISS factory string for a corpus of ``count`` vectors (see docs/PERFORMANCE.md)."""
    if count <= EXACT_SEARCH_LIMIT:
        return "Flat"
    lists = int(min(65_536, max(1024, 4 * np.sqrt(count))))
    return f"IVF{lists},SQ8"


def search_params(spec: str) -> dict[str, int]:
    """Query-time knobs for an index type: how many inverted lists to visit."""
    return {"nprobe": 64} if spec.startswith("IVF") else {}


def make_faiss_index(vectors: Vectors, spec: str) -> Any:
    import faiss

    index = faiss.index_factory(vectors.shape[1], spec, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        sample = vectors[np.random.default_rng(0).permutation(len(vectors))[: 256 * 1024]]
        index.train(sample)
    index.add(vectors)
    for name, value in search_params(spec).items():
        faiss.ParameterSpace().set_index_parameter(index, name, value)
    return index


# --- reading ---------------------------------------------------------------------------------


def live_build(index_dir: Path) -> Path:
    """The folder of the live build, or IndexMissingError."""
    link = index_dir / CURRENT
    if not link.exists():
        if link.is_symlink():
            raise IndexCorruptError(f"{link} points to a build that is gone; {_REBUILD}")
        raise IndexMissingError(f"No index in {index_dir}/ — run `python -m bot index build`")
    return link.resolve()


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """The live build's manifest (cheap: no vectors, no model)."""
    path = live_build(index_dir) / "manifest.json"
    manifest = read_json(path)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise IndexCorruptError(f"{path} is from another version of the bot; {_REBUILD}")
    return manifest


def check_model(manifest: dict[str, Any], *, model: str, dimension: int | None = None) -> None:
    """IndexMismatchError unless the index was built with this model (and dimension)."""
    built_with = manifest.get("model")
    if built_with != model or (dimension is not None and manifest.get("dimension") != dimension):
        raise IndexMismatchError(
            f"The index was built with model {built_with!r} ({manifest.get('dimension')} dims) "
            f"but BOT_MODEL is {model!r}; {_REBUILD}"
        )


def load_index(index_dir: Path, *, model: str) -> StoredIndex:
    """Load the live build whole, checking every part is there and consistent."""
    manifest = read_manifest(index_dir)
    check_model(manifest, model=model)
    directory = live_build(index_dir)
    documents = tuple(Document(**d) for d in read_json(directory / "documents.json"))
    chunks = tuple(_read_chunks(directory / "chunks.jsonl"))
    vectors = _read_vectors(directory / "vectors.npy")
    faiss_index = _read_faiss(directory / "vectors.faiss", manifest)
    if not len(chunks) == len(vectors) == faiss_index.ntotal == manifest.get("chunks"):
        raise IndexCorruptError(f"{directory}: chunk and vector counts disagree; {_REBUILD}")
    return StoredIndex(directory, manifest, documents, chunks, vectors, faiss_index)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexCorruptError(f"{path} is missing; {_REBUILD}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {_REBUILD}") from None


def _read_chunks(path: Path) -> Iterator[Chunk]:
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                yield chunk_from_json(json.loads(line))
    except FileNotFoundError:
        raise IndexCorruptError(f"{path} is missing; {_REBUILD}") from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {_REBUILD}") from None


def _read_vectors(path: Path) -> Vectors:
    try:
        vectors = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {_REBUILD}") from None
    return vectors  # type: ignore[no-any-return]


def _read_faiss(path: Path, manifest: dict[str, Any]) -> Any:
    import faiss

    if not path.is_file():
        raise IndexCorruptError(f"{path} is missing; {_REBUILD}")
    try:
        index = faiss.read_index(str(path))
    except RuntimeError as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {_REBUILD}") from None
    for name, value in search_params(str(manifest.get("index_type", "Flat"))).items():
        faiss.ParameterSpace().set_index_parameter(index, name, value)
    return index


def chunk_to_json(chunk: Chunk) -> dict[str, Any]:
    record = asdict(chunk)
    record["sentences"] = [
        [s.start, s.end, *(astuple_or_none(s.attribution))] for s in chunk.sentences
    ]
    return record


def astuple_or_none(attribution: Attribution | None) -> tuple[str | None, str | None]:
    return (None, None) if attribution is None else (attribution.speaker, attribution.role)


def chunk_from_json(record: dict[str, Any]) -> Chunk:
    sentences = tuple(
        Sentence(start, end, None if speaker is None and role is None else Attribution(speaker, role))
        for start, end, speaker, role in record["sentences"]
    )
    return Chunk(**{**record, "sentences": sentences})


# --- writing ---------------------------------------------------------------------------------


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the one-build-at-a-time lock, or raise IndexBusyError at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / LOCK).open("a") as handle:
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


def write_build(
    index_dir: Path,
    *,
    manifest: dict[str, Any],
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    vectors: Vectors,
) -> Path:
    """Write a complete build beside the live one, then make it live with one atomic rename."""
    import faiss

    staging = index_dir / f"build-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    staging.mkdir(parents=True)
    try:
        _write_json(staging / "documents.json", [asdict(d) for d in documents])
        with (staging / "chunks.jsonl").open("w", encoding="utf-8") as out:
            for chunk in chunks:
                out.write(json.dumps(chunk_to_json(chunk), ensure_ascii=False) + "\n")
        np.save(staging / "vectors.npy", vectors, allow_pickle=False)
        faiss.write_index(make_faiss_index(vectors, manifest["index_type"]), str(staging / "vectors.faiss"))
        _write_json(staging / "manifest.json", manifest)
        _fsync_tree(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = (index_dir / CURRENT).resolve() if (index_dir / CURRENT).exists() else None
    _swap_current(index_dir, staging)
    _prune_old_builds(index_dir, keep={staging.name, previous.name if previous else ""})
    return staging


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        with path.open("rb") as handle:
            os.fsync(handle.fileno())


def _swap_current(index_dir: Path, build: Path) -> None:
    temporary_link = index_dir / f".{CURRENT}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temporary_link.unlink()
    temporary_link.symlink_to(build.name)
    os.replace(temporary_link, index_dir / CURRENT)


def _prune_old_builds(index_dir: Path, *, keep: set[str]) -> None:
    """Delete every build but the live one and the one before it (a bot may still be reading
    it), including leftovers of builds that were killed before they could clean up."""
    for stale in index_dir.glob("build-*"):
        if stale.is_dir() and stale.name not in keep:
            shutil.rmtree(stale, ignore_errors=True)
