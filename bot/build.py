"""`index build`: seeds → chunks → vectors → a new live build, re-embedding only what changed."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bot.chunk import ChunkingParams, chunk_source, embedding_text
from bot.embed import Embedder, Vectors
from bot.errors import BotError, SeedError
from bot.ingest import discover, fingerprint, read_source
from bot.models import Chunk, Document
from bot.settings import Settings
from bot.store import (
    FORMAT_VERSION,
    StoredIndex,
    build_lock,
    index_spec,
    load_index,
    read_manifest,
    write_build,
)

EmbedderFactory = Callable[[Settings], Embedder]
ProgressStart = Callable[[int], Callable[[int], None]]
"""Called with the number of chunks to embed; returns the per-batch advance callback."""
Warn = Callable[[str], None]


@dataclass(frozen=True)
class BuildSummary:
    """What `index build` reports (see `index build --json` in INTERFACES.md)."""

    documents: int
    chunks: int
    embedded_chunks: int
    reused_chunks: int
    seconds: float
    index_type: str
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Part:
    """One document's share of the new build."""

    document: Document
    chunks: list[Chunk]
    vectors: Vectors | None
    texts: list[str]


def build_index(
    settings: Settings,
    *,
    full: bool = False,
    embedder_factory: EmbedderFactory,
    chunking: ChunkingParams | None = None,
    progress: ProgressStart | None = None,
    warn: Warn | None = None,
) -> BuildSummary:
    """Build (or refresh) the index in ``settings.index_dir`` from ``settings.seeds_dir``."""
    started = time.perf_counter()
    params = chunking or ChunkingParams()
    with build_lock(settings.index_dir):
        files = _seed_files(settings.seeds_dir)
        previous = None if full else _reusable(settings, params)
        embedder: Embedder | None = None
        parts: list[_Part] = []
        skipped: list[dict[str, str]] = []
        for path in files:
            display = _display_path(path, settings.seeds_dir)
            sha256 = fingerprint(path)
            part = _reuse(previous, display, sha256)
            if part is None:
                embedder = embedder or embedder_factory(settings)
                part = _fresh_part(path, display, params, embedder)
            if not part.chunks:
                skipped.append({"path": display, "sha256": sha256})
                if warn is not None:
                    warn(f"{display}: no text to index, skipped")
                continue
            parts.append(_renumbered(part, len(parts), sum(len(p.chunks) for p in parts)))
        if not parts:
            raise SeedError(f"Nothing to index: every file in {settings.seeds_dir}/ is empty")
        vectors, embedded = _embed_missing(parts, embedder, settings.batch_size, progress)
        return _finish(settings, parts, vectors, embedded, params, started, skipped)


def _seed_files(seeds_dir: Path) -> list[Path]:
    files = discover(seeds_dir)
    if not files:
        raise SeedError(f"No .txt or .md files in {seeds_dir}/ — add documents, then rebuild")
    return files


def _display_path(path: Path, seeds_dir: Path) -> str:
    return (Path(seeds_dir.name) / path.relative_to(seeds_dir)).as_posix()


def _reusable(settings: Settings, params: ChunkingParams) -> StoredIndex | None:
    """The previous build, if its chunks and vectors can be carried over as they are."""
    try:
        manifest = read_manifest(settings.index_dir)
        same = manifest.get("model") == settings.model and manifest.get("chunking") == asdict(params)
        return load_index(settings.index_dir, model=settings.model) if same else None
    except BotError:
        return None  # nothing usable: embed everything


def _reuse(previous: StoredIndex | None, display: str, sha256: str) -> _Part | None:
    if previous is None:
        return None
    position = next(
        (i for i, d in enumerate(previous.documents) if d.path == display and d.sha256 == sha256),
        None,
    )
    if position is None:
        return None
    rows = [c.id for c in previous.chunks if c.document == position]
    chunks = [previous.chunks[row] for row in rows]
    vectors = np.asarray(previous.vectors[rows], dtype=np.float32)
    return _Part(previous.documents[position], chunks, vectors, [])


def _fresh_part(path: Path, display: str, params: ChunkingParams, embedder: Embedder) -> _Part:
    source = read_source(path, display_path=display)
    chunks = chunk_source(
        source, document=0, first_id=0, params=params, count_tokens=embedder.count_tokens
    )
    texts = [embedding_text(chunk, source.document) for chunk in chunks]
    return _Part(source.document, chunks, None, texts)


def _renumbered(part: _Part, document: int, first_id: int) -> _Part:
    chunks = [
        replace(chunk, id=first_id + offset, document=document)
        for offset, chunk in enumerate(part.chunks)
    ]
    return replace(part, chunks=chunks)


def _embed_missing(
    parts: Sequence[_Part],
    embedder: Embedder | None,
    batch_size: int,
    progress: ProgressStart | None,
) -> tuple[Vectors, int]:
    """Stack reused vectors with freshly embedded ones, in chunk order."""
    texts = [text for part in parts if part.vectors is None for text in part.texts]
    fresh: Vectors = np.zeros((0, 0), dtype=np.float32)
    if texts:
        assert embedder is not None  # a part without vectors was chunked by an embedder
        advance = progress(len(texts)) if progress is not None else None
        fresh = embedder.encode(texts, batch_size=batch_size, progress=advance)
    blocks: list[Vectors] = []
    cursor = 0
    for part in parts:
        if part.vectors is not None:
            blocks.append(part.vectors)
        else:
            blocks.append(fresh[cursor : cursor + len(part.chunks)])
            cursor += len(part.chunks)
    return np.ascontiguousarray(np.vstack(blocks), dtype=np.float32), len(texts)


def _finish(
    settings: Settings,
    parts: Sequence[_Part],
    vectors: Vectors,
    embedded: int,
    params: ChunkingParams,
    started: float,
    skipped: list[dict[str, str]],
) -> BuildSummary:
    chunks = [chunk for part in parts for chunk in part.chunks]
    documents = [part.document for part in parts]
    spec = index_spec(len(chunks))
    manifest = _manifest(settings, documents, chunks, vectors, params, spec, embedded)
    manifest["skipped_files"] = skipped
    write_build(
        settings.index_dir, manifest=manifest, documents=documents, chunks=chunks, vectors=vectors
    )
    return BuildSummary(
        documents=len(documents),
        chunks=len(chunks),
        embedded_chunks=embedded,
        reused_chunks=len(chunks) - embedded,
        seconds=round(time.perf_counter() - started, 3),
        index_type=spec,
        skipped=tuple(s["path"] for s in skipped),
    )


def _manifest(
    settings: Settings,
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    vectors: Vectors,
    params: ChunkingParams,
    spec: str,
    embedded: int,
) -> dict[str, Any]:
    per_document = Counter(chunk.document for chunk in chunks)
    return {
        "format": FORMAT_VERSION,
        "model": settings.model,
        "dimension": int(vectors.shape[1]),
        "chunking": asdict(params),
        "index_type": spec,
        "chunks": len(chunks),
        "embedded_chunks": embedded,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": [
            {"path": d.path, "sha256": d.sha256, "chunks": per_document[i]}
            for i, d in enumerate(documents)
        ],
    }
