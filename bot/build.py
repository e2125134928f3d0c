"""`index build`: seeds → chunks → vectors → a new live build, re-embedding only what changed."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bot.chunk import (
    ChunkingParams,
    chunk_source,
    chunking_record,
    embedding_text,
    same_vectors,
)
from bot.embed import Embedder, Vectors
from bot.errors import BotError, IndexMismatchError, SeedError, UnreadableDocumentError
from bot.index import (
    Carried,
    Fresh,
    Segment,
    StoredIndex,
    build_lock,
    check_index_dir,
    index_spec,
    load_index,
    read_manifest,
    read_texts,
    write_build,
)
from bot.ingest import (
    Source,
    discover,
    display_path,
    fingerprint,
    out_of_reach,
    printable,
    read_source,
    unreadable_folders,
)
from bot.manifest import Manifest, SeedFile, SkippedFile
from bot.onnx_export import ensure_query_encoder
from bot.records import Chunk, Document
from bot.settings import Settings
from bot.status import UNREADABLE

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
    embedder: str = "local"
    """Where the chunks were embedded: ``local`` (this process) or ``ray``."""
    workers: int = 1
    """Embedding workers used (Ray actors; 0 when a Ray build had nothing to embed)."""


@dataclass(frozen=True)
class _Part:
    """One document's share of the new build."""

    document: Document
    chunks: list[Chunk]
    vectors: Vectors | None
    texts: list[str]
    canonical: str | None = None
    """The document's text when it is not its own file's (web page, PDF, Word): kept in the
    index so quotes can be checked against it."""
    carried: tuple[int, int] | None = None
    """Rows of the previous build this unchanged document is carried over from as it is
    (records, vectors, token lists): then ``chunks`` is empty and nothing is re-read."""

    @property
    def count(self) -> int:
        return self.carried[1] - self.carried[0] if self.carried else len(self.chunks)


@dataclass(frozen=True)
class _Previous:
    """The previous build, indexed by document path for reuse."""

    index: StoredIndex
    positions: dict[str, int]
    rows: dict[int, tuple[int, int]]
    skipped: dict[str, SkippedFile]
    texts: dict[str, str]


class _LazyEmbedder:
    """Loads the model on first use: a build that reuses everything, or fails on a bad seed
    file, never pays seconds for it."""

    def __init__(self, factory: EmbedderFactory, settings: Settings) -> None:
        self._factory = factory
        self._settings = settings
        self._embedder: Embedder | None = None

    def get(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._factory(self._settings)
        return self._embedder

    def count_tokens(self, text: str) -> int:
        return self.get().count_tokens(text)

    def placement(self) -> tuple[str, int]:
        """``("ray", actors)`` for an embedder that reports ``workers``, else ``("local", 1)``."""
        wants_ray = self._settings.ray_address is not None
        workers = getattr(self._embedder, "workers", None)
        if isinstance(workers, int):
            return "ray", workers
        return ("ray", 0) if wants_ray else ("local", 1)


def build_index(
    settings: Settings,
    *,
    full: bool = False,
    embedder: Embedder | None = None,
    embedder_factory: EmbedderFactory | None = None,
    chunking: ChunkingParams | None = None,
    progress: ProgressStart | None = None,
    warn: Warn | None = None,
    strict: bool = False,
) -> BuildSummary:
    """Build (or refresh) the index in ``settings.index_dir`` from ``settings.seeds_dir``.

    Every seed file is read before the model is loaded. A file or folder that cannot be read is
    skipped with a warning naming it and the rest is indexed; ``strict`` fails instead.
    """
    started = time.perf_counter()
    params = chunking or ChunkingParams()
    with build_lock(settings.index_dir):
        check_index_dir(settings.index_dir)
        files = _seed_files(settings.seeds_dir)
        previous = None if full else _previous_build(settings, params)
        items: list[_Part | SkippedFile | Source] = _unreadable_folders(settings.seeds_dir)
        items += [_read_or_reuse(path, settings.seeds_dir, previous) for path in files]
        problems = [item for item in items if isinstance(item, SkippedFile) and item.problem]
        if strict and problems:
            raise SeedError(f"{problems[0].problem} (a --strict build stops at unreadable seeds)")
        factory = embedder_factory or default_embedder
        if embedder is not None:
            factory = _given(embedder)
        lazy = _LazyEmbedder(factory, settings)
        parts, skipped = _assemble(items, params, lazy)
        if not parts:
            raise SeedError(_nothing_to_index(settings.seeds_dir, skipped))
        for file in skipped:
            if warn is not None:
                warn(_warning(file, settings.seeds_dir))
        for source in (item for item in items if isinstance(item, Source)):
            for note in source.notes if warn is not None else ():
                assert warn is not None
                warn(f"{settings.seeds_dir.parent / source.document.path}: {note}")
        parts, embedded = _embed_missing(parts, lazy, settings.batch_size, progress, previous)
        summary = _finish(settings, parts, embedded, params, started, skipped, previous)
        loaded, load = _export_source(settings, lazy, ray=factory is default_embedder)
        ensure_query_encoder(settings, loaded=loaded, load=load, warn=warn)
        where, workers = lazy.placement()
        return replace(summary, embedder=where, workers=workers)


def default_embedder(settings: Settings) -> Embedder:
    """The configured model (`BOT_MODEL`), loaded when first needed: sentence-transformers in
    this process, or on Ray when `BOT_RAY_ADDRESS` is set."""
    if settings.ray_address is not None:
        from bot.ray_embed import RayEmbedder

        return RayEmbedder(settings)
    from bot.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings.model)


def _export_source(
    settings: Settings, lazy: _LazyEmbedder, *, ray: bool
) -> tuple[Embedder | None, Callable[[], Embedder]]:
    """The model the ONNX query encoder is exported from: the one the build loaded, or, when
    Ray embedded on its workers, the same model loaded here (once: the export is reused)."""
    if ray and settings.ray_address is not None:
        from bot.embed import SentenceTransformerEmbedder

        return None, lambda: SentenceTransformerEmbedder(settings.model)
    return lazy._embedder, lazy.get


def _given(embedder: Embedder) -> EmbedderFactory:
    return lambda _settings: embedder


def _seed_files(seeds_dir: Path) -> list[Path]:
    files = discover(seeds_dir)
    if not files:
        raise SeedError(
            f"No documents (.txt, .md, .html, .pdf, .docx) in {seeds_dir}/ — add some, then rebuild"
        )
    return files


def _nothing_to_index(seeds_dir: Path, skipped: Sequence[SkippedFile]) -> str:
    problem = next((file.problem for file in skipped if file.problem), None)
    if problem is None:
        return f"Nothing to index: every file in {seeds_dir}/ is empty"
    return f"Nothing to index: no file in {seeds_dir}/ could be read ({problem})"


def _unreadable_folders(seeds_dir: Path) -> list[_Part | SkippedFile | Source]:
    """Folders that cannot be listed, and what else `discover` cannot take (`out_of_reach`)."""
    folders: list[_Part | SkippedFile | Source] = [
        SkippedFile(
            display_path(folder, seeds_dir) + "/",
            UNREADABLE,
            f"{folder}/: folder cannot be read (no permission to list it)",
        )
        for folder in unreadable_folders(seeds_dir)
    ]
    return folders + [
        SkippedFile(
            printable(display_path(p, seeds_dir)), UNREADABLE, f"{printable(str(p))}: {why}"
        )
        for p, why in out_of_reach(seeds_dir)
    ]


def _warning(skipped: SkippedFile, seeds_dir: Path) -> str:
    """The file named as the other warnings name theirs: its path from where the bot runs
    (`display_path` counts from the seeds folder's parent)."""
    where = seeds_dir.parent / skipped.path
    return f"{skipped.problem or f'{where}: no text to index'}, skipped"


def _previous_build(settings: Settings, params: ChunkingParams) -> _Previous | None:
    """The previous build, if its chunks and vectors can be carried over as they are."""
    try:
        manifest = read_manifest(settings.index_dir)
        if manifest.model != settings.model:
            return None
        if not same_vectors(manifest.chunking, params):
            return None
        index = load_index(settings.index_dir, model=settings.model)
    except BotError:
        return None  # nothing usable: embed everything
    document = index.columns.document
    bounds = np.searchsorted(document, np.arange(len(index.documents) + 1), side="left")
    if len(document) and np.any(np.diff(document) < 0):
        return None  # chunks out of document order: not this build's layout, embed everything
    rows = {d: (int(bounds[d]), int(bounds[d + 1])) for d in range(len(index.documents))}
    positions = {document.path: i for i, document in enumerate(index.documents)}
    skipped = {s.path: s for s in manifest.skipped_files}
    return _Previous(index, positions, rows, skipped, read_texts(index.directory))


def _read_or_reuse(
    path: Path, seeds_dir: Path, previous: _Previous | None
) -> _Part | SkippedFile | Source:
    """The previous build's share of an unchanged file, else the file read afresh."""
    display = display_path(path, seeds_dir)
    try:
        sha256 = fingerprint(path)
    except SeedError as error:
        return SkippedFile(display, UNREADABLE, str(error))
    known = previous.skipped.get(display) if previous is not None else None
    if known is not None and known.sha256 == sha256:
        return known
    part = _reuse(previous, display, sha256) if previous is not None else None
    if part is not None:
        return part
    try:
        return read_source(path, display_path=display)
    except UnreadableDocumentError as error:  # named by its path, as every other warning
        return SkippedFile(display, sha256, f"{path}: {error.reason}")
    except SeedError as error:
        return SkippedFile(display, sha256, str(error))


_OWN_TEXT_FORMATS = ("text", "markdown")
"""Formats whose file is its own canonical text (no copy is kept in the build)."""


def _reuse(previous: _Previous, display: str, sha256: str) -> _Part | None:
    position = previous.positions.get(display)
    if position is None or previous.index.documents[position].sha256 != sha256:
        return None
    document = previous.index.documents[position]
    canonical = previous.texts.get(display)
    if canonical is None and document.format not in _OWN_TEXT_FORMATS:
        return None  # a build from before canonical texts were kept: read the file again
    start, stop = previous.rows.get(position, (0, 0))
    return _Part(document, [], None, [], canonical, carried=(start, stop))


def _assemble(
    items: Sequence[_Part | SkippedFile | Source],
    params: ChunkingParams,
    embedder: _LazyEmbedder,
) -> tuple[list[_Part], list[SkippedFile]]:
    """Chunk what was read afresh, number every chunk, set aside files without text."""
    parts: list[_Part] = []
    skipped: list[SkippedFile] = []
    first_id = 0
    for item in items:
        part = _fresh_part(item, params, embedder) if isinstance(item, Source) else item
        if isinstance(part, SkippedFile) or not part.count:
            skipped.append(_skipped(part))
            continue
        parts.append(_renumbered(part, len(parts), first_id))
        first_id += part.count
    return parts, skipped


def _skipped(item: _Part | SkippedFile) -> SkippedFile:
    if isinstance(item, SkippedFile):
        return item
    return SkippedFile(item.document.path, item.document.sha256)


def _fresh_part(source: Source, params: ChunkingParams, embedder: _LazyEmbedder) -> _Part:
    chunks = chunk_source(
        source, document=0, first_id=0, params=params, count_tokens=embedder.count_tokens
    )
    texts = [embedding_text(chunk, source.document) for chunk in chunks]
    own_text = source.document.format in _OWN_TEXT_FORMATS  # (a web page named .txt is not)
    return _Part(source.document, chunks, None, texts, None if own_text else source.text)


def _renumbered(part: _Part, document: int, first_id: int) -> _Part:
    chunks = [
        replace(chunk, id=first_id + offset, document=document)
        for offset, chunk in enumerate(part.chunks)
    ]
    return replace(part, chunks=chunks)


def _embed_missing(
    parts: Sequence[_Part],
    embedder: _LazyEmbedder,
    batch_size: int,
    progress: ProgressStart | None,
    previous: _Previous | None,
) -> tuple[list[_Part], int]:
    """Embed the chunks of the parts that were read afresh (the others carry their vectors)."""
    texts = [text for part in parts if part.carried is None for text in part.texts]
    if not texts:
        return list(parts), 0
    advance = progress(len(texts)) if progress is not None else None
    fresh = embedder.get().encode(texts, batch_size=batch_size, progress=advance)
    _check_dimensions(previous, fresh)
    embedded: list[_Part] = []
    cursor = 0
    for part in parts:
        if part.carried is None:
            part = replace(part, vectors=fresh[cursor : cursor + len(part.chunks)])
            cursor += len(part.chunks)
        embedded.append(part)
    return embedded, len(texts)


def _check_dimensions(previous: _Previous | None, fresh: Vectors) -> None:
    if previous is None:
        return
    dimension = previous.index.manifest.dimension
    if dimension != fresh.shape[1]:
        raise IndexMismatchError(
            f"BOT_MODEL now gives {fresh.shape[1]}-dim vectors but the index holds "
            f"{dimension}; run `python -m bot index build --full`"
        )


def _finish(
    settings: Settings,
    parts: Sequence[_Part],
    embedded: int,
    params: ChunkingParams,
    started: float,
    skipped: list[SkippedFile],
    previous: _Previous | None,
) -> BuildSummary:
    documents = [part.document for part in parts]
    total = sum(part.count for part in parts)
    dimension = _dimension(parts, previous)
    spec = index_spec(total, dimension=dimension, exact_limit=settings.exact_search_limit)
    manifest = _manifest(settings, parts, dimension, params, spec, embedded, skipped)
    texts = {part.document.path: part.canonical for part in parts if part.canonical is not None}
    reusable = previous is not None and previous.index.manifest.index_type == spec
    write_build(
        settings.index_dir,
        manifest=manifest,
        documents=documents,
        segments=[_segment(part, number, previous) for number, part in enumerate(parts)],
        texts=texts,
        trained=previous.index if reusable and previous is not None and spec != "Flat" else None,
    )
    return BuildSummary(
        documents=len(documents),
        chunks=total,
        embedded_chunks=embedded,
        reused_chunks=total - embedded,
        seconds=round(time.perf_counter() - started, 3),
        index_type=spec,
        skipped=tuple(s.path for s in skipped),
    )


def _segment(part: _Part, number: int, previous: _Previous | None) -> Segment:
    if part.carried is not None and previous is not None:
        return Carried(previous.index, part.carried[0], part.carried[1], number)
    assert part.vectors is not None
    return Fresh(part.chunks, part.vectors)


def _dimension(parts: Sequence[_Part], previous: _Previous | None) -> int:
    fresh = next((part.vectors for part in parts if part.vectors is not None), None)
    if fresh is not None:
        return int(fresh.shape[1])
    assert previous is not None
    return previous.index.manifest.dimension


def _manifest(
    settings: Settings,
    parts: Sequence[_Part],
    dimension: int,
    params: ChunkingParams,
    spec: str,
    embedded: int,
    skipped: Sequence[SkippedFile],
) -> Manifest:
    return Manifest(
        model=settings.model,
        dimension=dimension,
        chunking=chunking_record(params),
        index_type=spec,
        chunks=sum(part.count for part in parts),
        embedded_chunks=embedded,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        files=tuple(SeedFile(p.document.path, p.document.sha256, p.count) for p in parts),
        skipped_files=tuple(skipped),
    )
