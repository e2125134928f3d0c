"""``index build`` on a real local Ray instance (``BOT_RAY_ADDRESS=local``): the same index as a
local build, incrementally, and ``--json`` saying where it embedded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from bot.answer import Answerer
from bot.build import build_index
from bot.embed import SentenceTransformerEmbedder
from bot.index import StoredIndex, load_index
from bot.onnx_encoder import find_export
from bot.settings import Settings
from tests.conftest import ROOT, copy_seeds
from tests.serve_process import bot_environment

pytestmark = pytest.mark.e2e  # a subprocess and a local Ray instance: the slow tier

RAY_TIMEOUT = 600
SECOND_DOCUMENT = """Harbour council approves the new ferry timetable

Published 3 March 2021

The harbour council voted on Tuesday to run the night ferry every hour through the summer.

“The late boats are full every weekend, and people have waited long enough,” said Maria
Lindqvist, the council's transport chair.

Residents on the north shore had asked for the change for two years. “We will watch the
numbers and adjust in the autumn,” Lindqvist added.
"""


def ray_build(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = bot_environment(
        BOT_SEEDS_DIR="seeds",
        BOT_INDEX_DIR="ray-index",
        BOT_RAY_ADDRESS="local",
        BOT_RAY_WORKERS="2",
        **env,
    )
    command = [sys.executable, "-m", "bot", "index", "build", *args]
    return subprocess.run(
        command, cwd=root, env=environment, capture_output=True, text=True, timeout=RAY_TIMEOUT
    )


def assert_same_index(ray: StoredIndex, local: StoredIndex) -> None:
    assert list(ray.chunks) == list(local.chunks)  # lazy stores: compare the records
    assert [d.path for d in ray.documents] == [d.path for d in local.documents]
    assert ray.vectors.shape == local.vectors.shape
    np.testing.assert_allclose(ray.vectors, local.vectors, atol=1e-5)


def test_a_ray_build_is_the_local_build_incrementally(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, link_export: Callable[[Path], None]
) -> None:
    pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[ray]')")
    copy_seeds(tmp_path / "seeds")
    local = Settings(BOT_SEEDS_DIR=tmp_path / "seeds", BOT_INDEX_DIR=tmp_path / "local-index")
    ray = Settings(BOT_SEEDS_DIR=tmp_path / "seeds", BOT_INDEX_DIR=tmp_path / "ray-index")

    first = ray_build(tmp_path, "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["embedder"], summary["workers"]) == ("ray", 2)
    assert summary["embedded_chunks"] == summary["chunks"] > 0
    # Ray embedded on its workers; the query encoder is still exported here, so serving
    # this index needs no torch.
    assert find_export(ray.index_dir, ray.model).directory.is_dir()
    link_export(local.index_dir)  # the Ray build above has shown that a build exports
    build_index(local, embedder_factory=lambda _settings: embedder)
    assert_same_index(
        load_index(ray.index_dir, model=ray.model), load_index(local.index_dir, model=local.model)
    )

    (tmp_path / "seeds" / "ferry.txt").write_text(SECOND_DOCUMENT, encoding="utf-8")
    second = ray_build(tmp_path, "--json")
    assert second.returncode == 0, second.stderr
    again = json.loads(second.stdout)
    assert again["reused_chunks"] == summary["chunks"]
    assert again["embedded_chunks"] == again["chunks"] - summary["chunks"] > 0
    local_summary = build_index(local, embedder_factory=lambda _settings: embedder)
    assert (local_summary.embedder, local_summary.workers) == ("local", 1)
    ray_index = load_index(ray.index_dir, model=ray.model)
    local_index = load_index(local.index_dir, model=local.model)
    assert_same_index(ray_index, local_index)

    for question in ("What did the transport chair say about the late boats?", "Who is Kraut?"):
        from_ray = Answerer(ray, embedder, ray_index).answer(question)
        from_local = Answerer(local, embedder, local_index).answer(question)
        assert from_ray.quotes and [q.text for q in from_ray.quotes] == [
            q.text for q in from_local.quotes
        ]

    unchanged = ray_build(tmp_path, "--json")
    assert unchanged.returncode == 0, unchanged.stderr
    assert json.loads(unchanged.stdout)["embedded_chunks"] == 0
    assert json.loads(unchanged.stdout)["workers"] == 0  # nothing to embed: Ray not started


def test_ray_address_without_ray_installed_is_one_line(tmp_path: Path) -> None:
    copy_seeds(tmp_path / "seeds")
    no_ray = tmp_path / "no-ray"
    no_ray.mkdir()
    (no_ray / "ray.py").write_text("raise ImportError(\"No module named 'ray'\")\n")
    result = ray_build(tmp_path, "--full", PYTHONPATH=os.pathsep.join([str(no_ray), str(ROOT)]))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: BOT_RAY_ADDRESS is set but Ray is not installed: pip install -e '.[ray]'"
    )
