"""The command line in this process: ``bot.cli.main`` with the session's model handed in
(``embedder=``), its exit status and what it prints. The subprocess runs, as users start the
bot, are in test_cli_answer.py and test_cli_index.py (the e2e tier)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.embed import SentenceTransformerEmbedder
from bot.settings import Settings
from tests.conftest import FakeEmbedder, copy_seeds


@pytest.fixture
def seeded(seed_index: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The session's seed index, named by the environment as a user's shell would."""
    monkeypatch.setenv("BOT_SEEDS_DIR", str(seed_index.seeds_dir))
    monkeypatch.setenv("BOT_INDEX_DIR", str(seed_index.index_dir))
    return seed_index


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_ask_json_prints_the_promised_object(
    seeded: Settings, embedder: SentenceTransformerEmbedder, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        ["ask", "--json", "What did the Houston special agent in charge say?"], embedder=embedder
    )
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    [answer] = _json_lines(out)
    assert answer["answered"] and answer["kind"] == "quotes"
    first = answer["quotes"][0]
    assert first["speaker"] == "Stephen L. Morris"
    assert first["speaker_role"] == "the special agent in charge of Houston"
    assert first["document"]["path"].endswith(".txt") and first["char_end"] > first["char_start"]


def test_ask_json_stdin_keeps_threads_apart(
    seeded: Settings,
    embedder: SentenceTransformerEmbedder,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = [
        json.dumps({"question": "What did Alan Kraut say?", "thread": "a"}),
        "",
        "What's the capital of France?",
        json.dumps({"question": "what else did he say?", "thread": "a"}),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["ask", "--json", "-"], embedder=embedder) == 0
    answers = _json_lines(capsys.readouterr().out)
    assert [a.get("thread") for a in answers] == ["a", None, "a"]
    assert answers[0]["answered"] and not answers[1]["answered"]
    assert "Alan Kraut" in answers[2]["reply_text"]  # "he" read against thread a


def test_ask_prints_the_quote_and_who_said_it(
    seeded: Settings, embedder: SentenceTransformerEmbedder, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "Who is Stephen Morris?"], embedder=embedder) == 0
    out = capsys.readouterr().out
    assert "“I agree,” replied Stephen L. Morris" in out
    assert "— Stephen L. Morris, the special agent in charge of Houston" in out


def test_index_info_json_has_the_promised_keys(
    seeded: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["index", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert {"model", "dimension", "built_at", "stale", "chunks", "documents"} <= set(info)
    assert info["stale"] is False and info["dimension"] == 384
    assert [d["chunks"] for d in info["documents"]] == [info["chunks"]]


def test_index_build_json_then_reuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_SEEDS_DIR", str(copy_seeds(tmp_path / "seeds")))
    monkeypatch.setenv("BOT_INDEX_DIR", str(tmp_path / "index"))
    assert main(["index", "build", "--json"], embedder=FakeEmbedder()) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["documents"] == 1 and first["embedded_chunks"] == first["chunks"] > 0
    assert main(["index", "build", "--json"], embedder=FakeEmbedder()) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["embedded_chunks"] == 0 and again["reused_chunks"] == first["chunks"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["index", "info"], "No index in"),
        (["ask", "Who is Alan Kraut?"], "No documents"),
    ],
)
def test_errors_are_one_line_and_status_1(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    (tmp_path / "seeds").mkdir()
    monkeypatch.setenv("BOT_SEEDS_DIR", str(tmp_path / "seeds"))
    monkeypatch.setenv("BOT_INDEX_DIR", str(tmp_path / "index"))
    assert main(argv, embedder=FakeEmbedder()) == 1
    out, err = capsys.readouterr()
    last = err.strip().splitlines()[-1]
    assert out == "" and "Traceback" not in err
    assert last.startswith("error: ") and message in last
