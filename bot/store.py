"""The index on disk: FAISS vectors, the chunk store and a manifest, swapped in atomically.

Layout of ``BOT_INDEX_DIR``::

    README.md            (kept in git; never touched)
    current -> build-…   symlink to the live build, replaced with one atomic rename
    build-…/             manifest.json · documents.json · chunks.jsonl · vectors.npy · vectors.faiss
                         · texts.jsonl (the canonical text of each web page, PDF or Word file;
                           only when there are some, and then listed with the parts)
                         (and ``.quotebot-build``, the mark of a folder the bot made)
    .build.lock          held by the one build allowed at a time

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
import os
import secrets
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.embed import Vectors
from bot.errors import (
    IndexBusyError,
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    IndexWriteError,
)
from bot.models import Attribution, Chunk, Document, Sentence

FORMAT_VERSION = 1
CURRENT = "current"
LOCK = ".build.lock"
MARK = ".quotebot-build"
"""Written first into every build folder: a folder killed mid-build is still known as ours."""
PARTS = ("documents.json", "chunks.jsonl", "vectors.npy", "vectors.faiss")
"""The files of a build besides its manifest, which is written last and records their sizes."""
TEXTS = "texts.jsonl"
"""The canonical texts of documents that are not their own file's text: a part when present."""
_MANIFEST_KEYS = ("model", "dimension", "chunks", "built_at", "files", "index_type")
EXACT_SEARCH_LIMIT = 10_000
"""Up to this many chunks an exact scan takes under 1 ms a query (one thread); past it, product
codes answer faster at recall@10 ≥ 0.98 (docs/PERFORMANCE.md, "Scale")."""

REBUILD = "run `python -m bot index build --full`"


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


def index_spec(count: int, *, dimension: int = 384) -> str:
    """The FAISS factory string for a corpus of ``count`` vectors (see docs/PERFORMANCE.md).

    Past the exact limit: 4-bit product codes for 2 dimensions each, all scanned with SIMD
    ("fast scan": no clustering, so no neighbour is missed for sitting in an unvisited list),
    then the best candidates re-scored from float16 copies. At 1M × 384 that is 96 + 768 MB
    and recall@10 ≈ 0.98; ``dimension`` must be even.
    """
    if count <= EXACT_SEARCH_LIMIT or dimension % 2:
        return "Flat"  # an odd dimension cannot be cut into 2-dimension codes: stay exact
    return f"PQ{dimension // 2}x4fs,Refine(SQfp16)"


def search_params(spec: str) -> dict[str, int]:
    """Query-time knobs: candidates re-scored per result wanted, or inverted lists to visit."""
    if "Refine" in spec:
        return {"k_factor_rf": 32}
    return {"nprobe": 64} if spec.startswith("IVF") else {}


def _faiss() -> Any:
    """faiss, limited to one OpenMP thread: on two cores its threads fight torch's, and one thread
    built a 10.7k index in 1.7 s against 60–98 s, and searched 10k in 0.84 ms against 10.1 ms
    (docs/PERFORMANCE.md)."""
    import faiss

    faiss.omp_set_num_threads(1)
    return faiss


def make_faiss_index(vectors: Vectors, spec: str) -> Any:
    faiss = _faiss()

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
            raise IndexCorruptError(f"{link} points to a build that is gone; {REBUILD}")
        raise IndexMissingError(f"No index in {index_dir}/ — run `python -m bot index build`")
    return link.resolve()


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """The live build's manifest (cheap: no vectors, no model)."""
    return build_manifest(live_build(index_dir))


def build_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of one build, once every part it lists is there at its recorded size."""
    path = directory / "manifest.json"
    manifest = read_json(path)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise IndexCorruptError(f"{path} is from another version of the bot; {REBUILD}")
    missing = [key for key in _MANIFEST_KEYS if key not in manifest]
    if missing:
        raise IndexCorruptError(f"{path} lacks {', '.join(missing)}; {REBUILD}")
    _check_parts(directory, manifest.get("parts") or dict.fromkeys(PARTS))
    return manifest


def _check_parts(directory: Path, sizes: dict[str, int | None]) -> None:
    for name, size in sizes.items():
        path = directory / name
        if not path.is_file():
            raise IndexCorruptError(f"{path} is missing; {REBUILD}")
        if size is not None and path.stat().st_size != size:
            raise IndexCorruptError(f"{path} is truncated or altered; {REBUILD}")


def check_model(manifest: dict[str, Any], *, model: str, dimension: int | None = None) -> None:
    """IndexMismatchError unless the index was built with this model (and dimension)."""
    built_with, dims = manifest.get("model"), manifest.get("dimension")
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
    """Load the live build whole, checking every part is there and consistent."""
    directory = live_build(index_dir)  # resolved once: a swap meanwhile cannot mix two builds
    manifest = build_manifest(directory)
    check_model(manifest, model=model)
    documents = _read_documents(directory / "documents.json")
    chunks = tuple(_read_chunks(directory / "chunks.jsonl"))
    vectors = _read_vectors(directory / "vectors.npy", manifest)
    faiss_index = _read_faiss(directory / "vectors.faiss", manifest)
    if not len(chunks) == len(vectors) == faiss_index.ntotal == manifest["chunks"]:
        raise IndexCorruptError(f"{directory}: chunk and vector counts disagree; {REBUILD}")
    if any(not 0 <= chunk.document < len(documents) for chunk in chunks):
        raise IndexCorruptError(f"{directory}: chunks name unknown documents; {REBUILD}")
    return StoredIndex(directory, manifest, documents, chunks, vectors, faiss_index)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexCorruptError(f"{path} is missing; {REBUILD}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {REBUILD}") from None


def _read_chunks(path: Path) -> Iterator[Chunk]:
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                yield chunk_from_json(json.loads(line))
    except FileNotFoundError:
        raise IndexCorruptError(f"{path} is missing; {REBUILD}") from None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
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


def _read_vectors(path: Path, manifest: dict[str, Any]) -> Vectors:
    try:
        vectors = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as error:
        raise IndexCorruptError(f"{path} is unreadable ({error}); {REBUILD}") from None
    if vectors.ndim != 2 or vectors.shape[1] != manifest["dimension"]:
        raise _wrong_dimension(path, manifest)
    return vectors  # type: ignore[no-any-return]


def _read_faiss(path: Path, manifest: dict[str, Any]) -> Any:
    faiss = _faiss()

    if not path.is_file():
        raise IndexCorruptError(f"{path} is missing; {REBUILD}")
    try:
        index = faiss.read_index(str(path))
    except RuntimeError as error:
        raise IndexCorruptError(f"{path} is unreadable ({_last_line(error)}); {REBUILD}") from None
    if index.d != manifest["dimension"]:
        raise _wrong_dimension(path, manifest)
    for name, value in search_params(str(manifest.get("index_type", "Flat"))).items():
        faiss.ParameterSpace().set_index_parameter(index, name, value)
    return index


def _wrong_dimension(path: Path, manifest: dict[str, Any]) -> IndexCorruptError:
    return IndexCorruptError(f"{path} does not hold {manifest['dimension']}-dim rows; {REBUILD}")


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
        "kind": chunk.kind,
    }


def astuple_or_none(attribution: Attribution | None) -> tuple[str | None, str | None]:
    return (None, None) if attribution is None else (attribution.speaker, attribution.role)


def chunk_from_json(record: dict[str, Any]) -> Chunk:
    sentences = tuple(
        Sentence(start, end, _attribution(speaker, role))
        for start, end, speaker, role in record["sentences"]
    )
    return Chunk(**{**record, "sentences": sentences})


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
    listed = set(manifest.get("parts") or {}) if manifest is not None else set()
    if not names <= {MARK, "manifest.json", *PARTS, *listed}:
        return False
    return MARK in names or manifest is not None


def _own_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest at ``path`` if it is one the bot wrote, else None."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        return None
    if not all(key in manifest for key in _MANIFEST_KEYS):
        return None
    parts = manifest.get("parts")
    return manifest if parts is None or isinstance(parts, dict) else None


def write_build(
    index_dir: Path,
    *,
    manifest: dict[str, Any],
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    vectors: Vectors,
    texts: dict[str, str] | None = None,
) -> Path:
    """Write a complete build beside the live one, then make it live with one atomic rename.

    ``texts`` holds the canonical text of each document that is not its own file's text."""
    check_index_dir(index_dir)
    with _writing(index_dir):
        staging = _new_build_folder(index_dir)
        try:
            _write_parts(staging, manifest, documents, chunks, vectors, texts or {})
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
    manifest: dict[str, Any],
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    vectors: Vectors,
    texts: dict[str, str],
) -> None:
    """Every part, then the manifest with their sizes (the manifest last: its presence says the
    build is complete), all flushed to disk before the swap."""
    faiss = _faiss()

    _write_json(staging / "documents.json", [asdict(d) for d in documents])
    with (staging / "chunks.jsonl").open("w", encoding="utf-8") as out:
        for chunk in chunks:
            out.write(json.dumps(chunk_to_json(chunk), ensure_ascii=False) + "\n")
    if texts:
        with (staging / TEXTS).open("w", encoding="utf-8") as out:
            for path, text in texts.items():
                out.write(json.dumps({"path": path, "text": text}, ensure_ascii=False) + "\n")
    np.save(staging / "vectors.npy", vectors, allow_pickle=False)
    faiss.write_index(_faiss_for(vectors, manifest["index_type"]), str(staging / "vectors.faiss"))
    written = (*PARTS, TEXTS) if texts else PARTS
    parts = {name: (staging / name).stat().st_size for name in written}
    _write_json(staging / "manifest.json", {**manifest, "parts": parts})
    _fsync_tree(staging)


def _faiss_for(vectors: Vectors, spec: str) -> Any:
    try:
        return make_faiss_index(vectors, spec)
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
