"""The index on disk: a missing, half-written or corrupt index is named, never half-loaded."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest

from bot.build import build_index
from bot.errors import (
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    IndexWriteError,
)
from bot.index import CURRENT, PARTS, build_manifest, chunk_from_json, chunk_to_json, load_index
from bot.records import Chunk
from bot.settings import Settings
from bot.status import index_info
from tests.conftest import FakeEmbedder, copy_seeds

Damage = Callable[[Path], None]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(BOT_SEEDS_DIR=copy_seeds(tmp_path / "seeds"), BOT_INDEX_DIR=tmp_path / "ix")
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    return settings


def truncate(name: str) -> Damage:
    def damage(index_dir: Path) -> None:
        path = index_dir / CURRENT / name
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    return damage


def delete(name: str) -> Damage:
    return lambda index_dir: (index_dir / CURRENT / name).unlink()


def rewrite_manifest(change: Callable[[dict[str, object]], None]) -> Damage:
    def damage(index_dir: Path) -> None:
        path = index_dir / CURRENT / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        change(manifest)
        path.write_text(json.dumps(manifest), encoding="utf-8")

    return damage


def dangling(index_dir: Path) -> None:
    shutil.rmtree((index_dir / CURRENT).resolve())


def garbage_same_size(name: str) -> Damage:
    """Same size, other bytes: only the format check catches it, not the recorded size."""

    def damage(index_dir: Path) -> None:
        path = index_dir / CURRENT / name
        path.write_bytes(b"\xff" * path.stat().st_size)

    return damage


CORRUPTIONS: dict[str, tuple[Damage, str]] = {
    **{f"{name} missing": (delete(name), f"{name} is missing") for name in PARTS},
    **{f"{name} truncated": (truncate(name), f"{name} is truncated") for name in PARTS},
    "manifest missing": (delete("manifest.json"), "manifest.json is missing"),
    "manifest truncated": (truncate("manifest.json"), "manifest.json is unreadable"),
    "manifest of another version": (
        rewrite_manifest(lambda m: m.update(format=99)),
        "another version of the bot",
    ),
    "manifest without counts": (rewrite_manifest(lambda m: m.pop("chunks")), "lacks chunks"),
    "current points nowhere": (dangling, "points to a build that is gone"),
}
LOAD_ONLY: dict[str, tuple[Damage, str]] = {
    "chunks garbage": (garbage_same_size("chunks.jsonl"), "chunks.jsonl is unreadable"),
    "vectors garbage": (garbage_same_size("vectors.npy"), "vectors.npy is unreadable"),
    "faiss garbage": (garbage_same_size("vectors.faiss"), "vectors.faiss is unreadable"),
    "documents garbage": (garbage_same_size("documents.json"), "documents.json is unreadable"),
}


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_a_damaged_index_is_named_by_info_and_load(settings: Settings, name: str) -> None:
    damage, message = CORRUPTIONS[name]
    damage(settings.index_dir)
    for read in (index_info, lambda s: load_index(s.index_dir, model=s.model)):
        with pytest.raises(IndexCorruptError, match=message) as caught:
            read(settings)
        assert "run `python -m bot index build --full`" in str(caught.value)
        assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name", LOAD_ONLY)
def test_damaged_contents_are_caught_on_load(settings: Settings, name: str) -> None:
    damage, message = LOAD_ONLY[name]
    damage(settings.index_dir)
    with pytest.raises(IndexCorruptError, match=message) as caught:
        load_index(settings.index_dir, model=settings.model)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name", [*CORRUPTIONS, *LOAD_ONLY])
def test_the_next_build_recovers_from_any_damage(settings: Settings, name: str) -> None:
    damage, _ = {**CORRUPTIONS, **LOAD_ONLY}[name]
    damage(settings.index_dir)
    build_index(settings, embedder_factory=lambda _s: FakeEmbedder())
    assert load_index(settings.index_dir, model=settings.model).chunks
    assert index_info(settings)["stale"] is False


def test_no_index_folder_or_an_empty_one_is_missing(tmp_path: Path) -> None:
    settings = Settings(BOT_SEEDS_DIR=tmp_path / "seeds", BOT_INDEX_DIR=tmp_path / "nowhere")
    with pytest.raises(IndexMissingError, match="run `python -m bot index build`"):
        index_info(settings)
    settings.index_dir.mkdir()
    (settings.index_dir / "README.md").write_text("index goes here", encoding="utf-8")
    with pytest.raises(IndexMissingError):
        load_index(settings.index_dir, model=settings.model)


def test_an_index_of_another_model_asks_for_a_rebuild(settings: Settings) -> None:
    with pytest.raises(IndexMismatchError, match="built with model 'all-MiniLM-L6-v2'.*--full"):
        load_index(settings.index_dir, model="another-model")
    other = settings.model_copy(update={"model": "another-model"})
    with pytest.raises(IndexMismatchError, match="BOT_MODEL is 'another-model'"):
        index_info(other)


def test_a_folder_where_the_current_link_belongs_is_read_but_never_replaced(
    settings: Settings,
) -> None:
    live = (settings.index_dir / CURRENT).resolve()
    (settings.index_dir / CURRENT).unlink()
    shutil.copytree(live, settings.index_dir / CURRENT)
    assert load_index(settings.index_dir, model=settings.model).chunks
    with pytest.raises(IndexWriteError, match="is a folder the bot did not make"):
        build_index(settings, embedder_factory=lambda _s: FakeEmbedder(), full=True)
    assert (settings.index_dir / CURRENT / "manifest.json").is_file()
    assert not (settings.index_dir / CURRENT).is_symlink()


def test_the_manifest_records_the_size_of_every_part(settings: Settings) -> None:
    live = (settings.index_dir / CURRENT).resolve()
    manifest = build_manifest(live)
    assert manifest.parts == {name: (live / name).stat().st_size for name in PARTS}


def test_chunks_round_trip_through_json(settings: Settings) -> None:
    index = load_index(settings.index_dir, model=settings.model)
    on_disk = {"passage": "kind"}  # earlier builds named the passage type "kind"; it stays so
    record = chunk_to_json(index.chunks[0])
    assert set(record) == {on_disk.get(f.name, f.name) for f in fields(Chunk)}
    assert any(s.attribution for c in index.chunks for s in c.sentences)
    assert all(chunk_from_json(chunk_to_json(c)) == c for c in index.chunks)
