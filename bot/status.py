"""What `index info` reports, and whether the index still matches the seeds (cheap: no model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.chunk import ChunkingParams, chunking_record, same_vectors
from bot.errors import IndexCorruptError, SeedError
from bot.index import REBUILD, build_manifest, check_model, live_build, read_json
from bot.ingest import (
    discover,
    display_path,
    fingerprint,
    out_of_reach,
    printable,
    unreadable_folders,
)
from bot.manifest import Manifest
from bot.onnx_encoder import describe_query_encoder
from bot.settings import Settings

UNREADABLE = "unreadable"
"""What a build records as the fingerprint of a seed file or folder it could not read."""


def seed_fingerprints(seeds_dir: Path) -> dict[str, str]:
    """{display path: sha256} for every seed file, as a build would record them (an unreadable
    file or folder as ``unreadable``)."""
    prints = {
        display_path(path, seeds_dir) + "/": UNREADABLE for path in unreadable_folders(seeds_dir)
    }
    for path, _why in out_of_reach(seeds_dir):
        prints[printable(display_path(path, seeds_dir))] = UNREADABLE
    for path in discover(seeds_dir):
        prints[display_path(path, seeds_dir)] = _fingerprint_or_unreadable(path)
    return prints


def _fingerprint_or_unreadable(path: Path) -> str:
    try:
        return fingerprint(path)
    except SeedError:
        return UNREADABLE


SEEDS_CHANGED = "seeds changed since the last build"
RULES_CHANGED = "it was built with other chunking or attribution rules"
TERMS_CHANGED = "its words were read under older spelling rules"
"""Stale, but redone without embedding anything again (`bot.chunk.same_vectors`): the bot
rebuilds it when it starts, as when the seeds changed."""


def stale_reason(manifest: Manifest, seeds_dir: Path) -> str | None:
    """Why a build no longer matches what `index build` would make now: a seed added, removed
    or edited since (`SEEDS_CHANGED`), else chunks made by other rules, an older version of the
    bot's (`RULES_CHANGED`), or only their words read under older spelling rules
    (`TERMS_CHANGED`); None when it matches."""
    recorded = {f.path: f.sha256 for f in manifest.files}
    recorded.update({f.path: f.sha256 for f in manifest.skipped_files})
    try:
        changed = seed_fingerprints(seeds_dir) != recorded
    except SeedError:
        changed = True
    if changed:
        return SEEDS_CHANGED
    if manifest.chunking is not None and manifest.chunking != chunking_record(ChunkingParams()):
        return TERMS_CHANGED if same_vectors(manifest.chunking, ChunkingParams()) else RULES_CHANGED
    return None


def index_info(settings: Settings) -> dict[str, Any]:
    """The `index info --json` object (see INTERFACES.md)."""
    directory = live_build(settings.index_dir)  # resolved once, in case a build swaps meanwhile
    manifest = build_manifest(directory)
    check_model(manifest, model=settings.model)
    reason = stale_reason(manifest, settings.seeds_dir)
    return {
        "model": manifest.model,
        "dimension": manifest.dimension,
        "built_at": manifest.built_at,
        "stale": reason is not None,
        "stale_reason": reason,
        "chunks": manifest.chunks,
        "index_type": manifest.index_type,
        "index_dir": str(settings.index_dir),
        "query_encoder": describe_query_encoder(settings),
        "documents": _documents(directory / "documents.json", manifest),
    }


def _documents(path: Path, manifest: Manifest) -> list[dict[str, Any]]:
    counts = {f.path: f.chunks for f in manifest.files}
    try:
        return [_document(record, counts) for record in read_json(path)]
    except (KeyError, TypeError) as error:
        raise IndexCorruptError(f"{path} is unreadable ({error!r}); {REBUILD}") from None


def _document(record: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    return {
        "path": record["path"],
        "title": record["title"],
        "published": record.get("published"),
        "source": record.get("source"),
        "url": record.get("url"),
        "author": record.get("author"),
        "format": record.get("format", "text"),
        "chunks": counts.get(record["path"], 0),
    }
