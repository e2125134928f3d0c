"""Feedback votes: the SQLite store and ``python -m bot feedback``."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.database import sqlite_database
from bot.feedback import FeedbackStore, FeedbackVote, format_summary, summarise
from tests.serve_process import bot_environment

REPO = Path(__file__).resolve().parents[1]


def vote(question: str, kind: str, user: str = "U1", when: str = "") -> FeedbackVote:
    return FeedbackVote(
        question=question,
        quote_ids=(3, 4),
        vote=kind,  # type: ignore[arg-type]
        user=user,
        channel="C1",
        message_ts="1.2",
        created_at=when,
    )


def fill(db: Path) -> None:
    store = FeedbackStore(sqlite_database(db))
    store.record(vote("Who is Alan Kraut?", "up"))
    store.record(vote("What is Secure Communities?", "down", when="2024-01-01T00:00:00+00:00"))
    store.record(vote("Who said implode?", "down", user="U2"))
    store.record(vote("Who said implode?", "down", user="U3"))


def test_database_is_created_on_first_use_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "feedback.sqlite3"
    assert FeedbackStore(sqlite_database(db)).votes() == [] and not db.exists()
    FeedbackStore(sqlite_database(db)).record(vote("Who?", "up"))
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        row = connection.execute(
            "SELECT question, quote_ids, vote, created_at FROM votes"
        ).fetchone()
    assert row[:3] == ("Who?", "[3, 4]", "up")
    assert row[3].startswith("20")


def test_summary_counts_and_ranks_the_questions_voted_down(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    fill(db)
    summary = summarise(sqlite_database(db))
    assert (summary["votes"], summary["up"], summary["down"]) == (4, 1, 3)
    assert [entry["question"] for entry in summary["voted_down"]] == [
        "Who said implode?",
        "What is Secure Communities?",
    ]
    assert summary["voted_down"][0]["down"] == 2
    text = format_summary(summary)
    assert text.splitlines()[0] == "4 votes: 1 👍, 3 👎"
    eval_lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    assert eval_lines[0] == {"id": "fb01", "question": "Who said implode?", "expect_any": []}


def test_summary_of_no_database(tmp_path: Path) -> None:
    summary = summarise(sqlite_database(tmp_path / "missing.sqlite3"))
    assert summary["votes"] == 0 and summary["voted_down"] == []
    assert format_summary(summary) == "0 votes: 0 👍, 0 👎"


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = bot_environment(BOT_FEEDBACK_DB=str(db))
    command = [sys.executable, "-m", "bot", "feedback", *args]
    return subprocess.run(
        command, cwd=db.parent, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.e2e
def test_cli_prints_the_summary(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    fill(db)
    result = run_cli(db)
    assert result.returncode == 0, result.stderr
    assert "4 votes: 1 👍, 3 👎" in result.stdout
    assert '"question": "Who said implode?"' in result.stdout

    result = run_cli(db, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["down"] == 3


@pytest.mark.e2e
def test_a_damaged_database_is_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    fill(db)
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    (tmp_path / "feedback.sqlite3-wal").unlink(missing_ok=True)
    for args in ((), ("--json",)):
        result = run_cli(db, *args)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().splitlines() == [result.stderr.strip()]
        assert result.stderr.startswith(f"error: The feedback database {db} cannot be used")


@pytest.mark.e2e
def test_questions_from_slack_are_printed_without_control_characters(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    FeedbackStore(sqlite_database(db)).record(vote("Who\x1b[2J is \x9b31mAlan\x07?", "down"))
    for args in ((), ("--json",)):
        result = run_cli(db, *args)
        assert result.returncode == 0, result.stderr
        assert not any(c in result.stdout for c in "\x1b\x9b\x07"), result.stdout
        assert "Alan" in result.stdout
