"""Shared fixtures: a clean environment per test, the real model and seed index once per session."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.embed import Progress, SentenceTransformerEmbedder, Vectors
from bot.onnx_encoder import ENCODERS
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_6a964d9d721bf48f.txt"
EVAL = ROOT / "eval"
"""The question sets for the seed, copied from the shared eval sets so a clone stands alone."""


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No Slack tokens or BOT_* settings leak in; paths point into the test's own folder."""
    for name in list(os.environ):
        if name.startswith(("SLACK_", "BOT_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("BOT_FEEDBACK_DB", str(tmp_path / "feedback.sqlite3"))
    monkeypatch.chdir(tmp_path)  # so no developer's .env is read
    yield


class FakeEmbedder:
    """Deterministic bag-of-words hashing: fast plumbing tests, no model."""

    name = "fake"
    dimension = 64

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(
        self, texts: Sequence[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> Vectors:
        self.encoded.extend(texts)
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension
                rows[row, bucket] += 1.0
            rows[row] /= max(float(np.linalg.norm(rows[row])), 1e-9)
            if progress is not None:
                progress(1)
        return rows

    def encode_query(self, text: str) -> Vectors:
        return self.encode([text])[0]

    def count_tokens(self, text: str) -> int:
        return len(re.findall(r"\w+|[^\w\s]", text)) + 2


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real bundled model, loaded once per session."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return SentenceTransformerEmbedder("all-MiniLM-L6-v2")


def copy_seeds(destination: Path) -> Path:
    """A private copy of the shipped seeds (tests may edit it freely)."""
    shutil.copytree(SEEDS, destination)
    return destination


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    base = tmp_path_factory.mktemp("seed")
    return Settings(
        BOT_SEEDS_DIR=copy_seeds(base / "seeds"),
        BOT_INDEX_DIR=base / "index",
        BOT_FEEDBACK_DB=base / "feedback.sqlite3",
    )


@pytest.fixture(scope="session")
def seed_index(seed_settings: Settings, embedder: SentenceTransformerEmbedder) -> Settings:
    """The seed article indexed with the real model and real FAISS, once per session."""
    from bot.build import build_index

    build_index(seed_settings, embedder=embedder)
    return seed_settings


@pytest.fixture(scope="session")
def link_export(seed_index: Settings) -> Callable[[Path], None]:
    """Puts the session's ONNX query-encoder export into another index folder (hard links):
    a real-model build there finds it verified instead of exporting again, 6 s → 0.1 s."""
    from bot.onnx_encoder import encoders_dir

    exports = encoders_dir(seed_index.index_dir)

    def link(index_dir: Path) -> None:
        target = encoders_dir(index_dir)
        if exports.is_dir() and not target.exists():
            shutil.copytree(exports, target, copy_function=_link_or_copy)

    return link


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:  # another file system
        shutil.copy2(source, destination)


def copy_linking_exports(source: Path, destination: Path) -> Path:
    """A private copy of a folder holding an index, whose ONNX exports are hard links.

    An export is 110 MB and the bot never writes one in place (it renames a finished folder
    in, and removes folders whole), so copies of an index share them; every other file is
    copied, for tests to change or damage. A test that damages an export copies it itself.
    """

    def copy(path: str, target: str) -> object:
        if ENCODERS in Path(path).relative_to(source).parts:
            _link_or_copy(path, target)
        else:
            shutil.copy2(path, target)
        return target

    shutil.copytree(source, destination, symlinks=True, copy_function=copy)
    return destination


@pytest.fixture(scope="session")
def answerer(seed_index: Settings, embedder: SentenceTransformerEmbedder):  # type: ignore[no-untyped-def]
    from bot.answer import Answerer
    from bot.index import load_index

    return Answerer(seed_index, embedder, load_index(seed_index.index_dir, model=seed_index.model))


@pytest.fixture(scope="session")
def answerer_for(  # type: ignore[no-untyped-def]
    embedder: SentenceTransformerEmbedder, link_export: Callable[[Path], None]
):
    """Makes an Answerer over some of tests/data's invented articles, built with the real model."""
    from bot.answer import Answerer
    from bot.build import build_index

    def make(base: Path, *data_files: str | Path) -> Answerer:
        seeds = base / "seeds"
        seeds.mkdir(parents=True)
        for name in data_files:  # a name in tests/data, or a path (the seed article)
            source = name if isinstance(name, Path) else ROOT / "tests" / "data" / name
            shutil.copyfile(source, seeds / source.name)
        settings = Settings(BOT_SEEDS_DIR=seeds, BOT_INDEX_DIR=base / "index")
        link_export(settings.index_dir)
        build_index(settings, embedder=embedder)
        return Answerer.load(settings, embedder=embedder)

    return make


@pytest.fixture(scope="module")
def standin() -> Iterator[object]:
    """The local stand-in for Slack's Web API, on a loopback port, for one module."""
    from tests.slack_standin import WebApiStandIn

    server = WebApiStandIn().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """A real PostgreSQL server for the session (skipped, with the reason, when not installed)."""
    from tests.postgres_server import server_binaries, start_postgres

    if server_binaries() is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql")
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: object) -> str:
    """A fresh database on the session's PostgreSQL server."""
    from tests.postgres_server import PostgresServer

    assert isinstance(postgres_server, PostgresServer)
    return postgres_server.new_database()


def converse(answerer: Any, *questions: str) -> list[Any]:
    """Each question asked in turn in one thread, each answer seen by the next question."""
    from bot.conversation import Conversation

    conversation, answers = Conversation(), []
    for question in questions:
        answer = answerer.answer(question, conversation=conversation)
        conversation = conversation.then(answer)
        answers.append(answer)
    return answers
