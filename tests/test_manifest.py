"""The manifest record: read from and written as the same ``manifest.json`` every build wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.build import build_index
from bot.index import CURRENT, read_manifest
from bot.manifest import Manifest, ManifestError, SeedFile
from bot.settings import Settings
from tests.conftest import FakeEmbedder, copy_seeds

FIRST_FORMAT: dict[str, Any] = {
    "format": 1,
    "model": "all-MiniLM-L6-v2",
    "dimension": 384,
    "index_type": "Flat",
    "chunks": 3,
    "built_at": "2026-01-01T00:00:00+00:00",
    "files": [{"path": "seeds/a.txt", "sha256": "0" * 64, "chunks": 3}],
}
"""A manifest as the first builds wrote it: no chunking, counts, skipped files or parts."""


def test_a_written_manifest_reads_back_to_the_same_json(tmp_path: Path) -> None:
    settings = Settings(BOT_SEEDS_DIR=copy_seeds(tmp_path / "seeds"), BOT_INDEX_DIR=tmp_path / "i")
    build_index(settings, embedder=FakeEmbedder())
    written = json.loads((tmp_path / "i" / CURRENT / "manifest.json").read_text(encoding="utf-8"))
    manifest = read_manifest(settings.index_dir)
    assert manifest.to_json() == written
    assert list(manifest.to_json()) == list(written)  # the same keys in the same order
    assert Manifest.from_json(manifest.to_json()) == manifest


def test_a_first_format_manifest_still_reads() -> None:
    manifest = Manifest.from_json(FIRST_FORMAT)
    assert manifest.files == (SeedFile("seeds/a.txt", "0" * 64, 3),)
    assert manifest.parts is None and manifest.chunking is None and manifest.skipped_files == ()
    assert Manifest.from_json(manifest.to_json()) == manifest


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "another version"),
        ({**FIRST_FORMAT, "format": 2}, "another version"),
        ({k: v for k, v in FIRST_FORMAT.items() if k != "files"}, "lacks files"),
        ({**FIRST_FORMAT, "dimension": "many"}, "unreadable"),
        ({**FIRST_FORMAT, "files": [{"path": "seeds/a.txt"}]}, "unreadable"),
        ({**FIRST_FORMAT, "parts": ["vectors.npy"]}, "unreadable"),
    ],
)
def test_what_is_not_a_manifest_is_named(data: object, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        Manifest.from_json(data)
