"""The library surface: `from bot import …`, as the README's "Use from Python" shows it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import bot
from bot.embed import SentenceTransformerEmbedder
from tests.conftest import ROOT, copy_seeds


def test_every_name_in_all_is_importable_from_the_package() -> None:
    for name in bot.__all__:
        assert getattr(bot, name) is not None


@pytest.mark.e2e
def test_importing_the_package_loads_nothing_heavy() -> None:
    probe = (
        "import sys, bot; print(sorted(m for m in ('torch', 'sentence_transformers', "
        "'bm25s', 'faiss', 'slack_bolt') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_build_then_answer_from_python(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, link_export: Callable[[Path], None]
) -> None:
    from bot import Answerer, Settings, build_index

    settings = Settings(BOT_SEEDS_DIR=copy_seeds(tmp_path / "seeds"), BOT_INDEX_DIR=tmp_path / "i")
    link_export(settings.index_dir)
    summary = build_index(settings, embedder=embedder)
    assert summary.documents == 1 and summary.embedded_chunks == summary.chunks
    answer = Answerer.load(settings, embedder=embedder).answer("Who is Alan Kraut?")
    assert answer.answered and "Alan Kraut, a professor" in answer.quotes[0].text


def test_the_library_reads_no_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BOT_MODEL=from-dotenv\n", encoding="utf-8")
    from bot import Settings
    from bot.settings import load_settings

    assert Settings().model != "from-dotenv"  # the test runs in tmp_path (conftest)
    assert load_settings().model == "from-dotenv"  # the command line's choice
