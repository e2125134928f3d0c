"""Hot reload: a running Answerer serves a new build within seconds, with no failed question."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from bot.answer import Answerer
from bot.build import build_index
from bot.index import load_index
from bot.settings import Settings
from tests.conftest import FakeEmbedder

FIRST = (
    "Harbour reopens\n\nPublished 1 May 2020\n\nThe harbour reopened to fishing boats on Monday.\n"
)
SECOND = "Bridge closes\n\nPublished 2 May 2020\n\nThe old bridge closed to lorries on Tuesday.\n"


def _settings(tmp_path: Path) -> Settings:
    (tmp_path / "seeds").mkdir(exist_ok=True)
    return Settings(
        BOT_SEEDS_DIR=tmp_path / "seeds", BOT_INDEX_DIR=tmp_path / "index", BOT_MODEL="fake"
    )


def _build(settings: Settings, name: str, text: str, embedder: FakeEmbedder) -> None:
    for old in settings.seeds_dir.glob("*.txt"):
        old.unlink()
    (settings.seeds_dir / name).write_text(text, encoding="utf-8")
    build_index(settings, embedder=embedder)


def test_new_build_is_served_without_restart(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    settings = _settings(tmp_path)
    _build(settings, "harbour.txt", FIRST, embedder)
    answerer = Answerer(settings, embedder, load_index(settings.index_dir, model="fake"))
    assert answerer.documents[0].title == "Harbour reopens"

    failures: list[BaseException] = []
    stop = threading.Event()

    def ask_continuously() -> None:
        while not stop.is_set():
            try:
                answerer.answer("When did the harbour reopen to fishing boats?")
            except BaseException as error:  # noqa: B036 — any failure in flight is the finding
                failures.append(error)

    askers = [threading.Thread(target=ask_continuously) for _ in range(2)]
    for thread in askers:
        thread.start()
    try:
        _build(settings, "bridge.txt", SECOND, embedder)
        deadline = time.monotonic() + 10
        while answerer.documents[0].title != "Bridge closes" and time.monotonic() < deadline:
            answerer.answer("Which bridge closed to lorries?")
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in askers:
            thread.join(timeout=10)
    assert answerer.documents[0].title == "Bridge closes"
    assert failures == []
    answer = answerer.answer("Which bridge closed to lorries?")
    assert answer.answered and "old bridge closed to lorries" in answer.quotes[0].text
