"""👍 / 👎 votes from Slack, kept in SQLite, and the summary ``python -m bot feedback`` prints.

The database is created on first use and runs in WAL mode so the bot can write while an
operator reads the summary.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from bot.errors import FeedbackError

Vote = Literal["up", "down"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS votes (
    id INTEGER PRIMARY KEY,
    question TEXT NOT NULL,
    quote_ids TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    user TEXT NOT NULL,
    channel TEXT NOT NULL,
    message_ts TEXT NOT NULL,
    created_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class FeedbackVote:
    """One click on 👍 or 👎 under an answer."""

    question: str
    quote_ids: tuple[int, ...]
    vote: Vote
    user: str
    channel: str
    message_ts: str
    created_at: str = ""


class FeedbackStore:
    """Appends votes to the SQLite file at ``path``; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, vote: FeedbackVote) -> None:
        """Store ``vote``, stamping the current UTC time when it has none."""
        created = vote.created_at or datetime.now(UTC).isoformat(timespec="seconds")
        row = (
            vote.question,
            json.dumps(list(vote.quote_ids)),
            vote.vote,
            vote.user,
            vote.channel,
            vote.message_ts,
            created,
        )
        with self._lock, _connect(self.path, create=True) as connection:
            connection.execute(
                "INSERT INTO votes (question, quote_ids, vote, user, channel, message_ts,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                row,
            )

    def votes(self) -> list[FeedbackVote]:
        """Every stored vote, oldest first."""
        if not self.path.exists():
            return []
        with _connect(self.path, create=False) as connection:
            rows = connection.execute(
                "SELECT question, quote_ids, vote, user, channel, message_ts, created_at"
                " FROM votes ORDER BY id"
            ).fetchall()
        return [_to_vote(row) for row in rows]


def summarise(db_path: Path) -> dict[str, Any]:
    """Totals and the questions voted down (most down-votes first), as plain data."""
    votes = FeedbackStore(db_path).votes()
    down: dict[str, dict[str, Any]] = {}
    for vote in votes:
        if vote.vote == "down":
            entry = down.setdefault(vote.question, {"question": vote.question, "down": 0})
            entry["down"] += 1
            entry["last"] = vote.created_at
            entry["quote_ids"] = list(vote.quote_ids)
    ranked = sorted(down.values(), key=lambda entry: (-entry["down"], entry["question"]))
    return {
        "database": str(db_path),
        "votes": len(votes),
        "up": sum(1 for vote in votes if vote.vote == "up"),
        "down": sum(1 for vote in votes if vote.vote == "down"),
        "voted_down": ranked,
    }


def format_summary(summary: dict[str, Any]) -> str:
    """The summary for a terminal; the voted-down questions as eval-file lines."""
    lines = [f"{summary['votes']} votes: {summary['up']} 👍, {summary['down']} 👎"]
    if summary["voted_down"]:
        lines.append("")
        lines.append("Voted down (JSON lines ready for an eval file; fill in expect_any):")
        lines.extend(_eval_line(index, entry) for index, entry in enumerate(summary["voted_down"]))
    return "\n".join(lines)


def _eval_line(index: int, entry: dict[str, Any]) -> str:
    record = {"id": f"fb{index + 1:02d}", "question": entry["question"], "expect_any": []}
    return json.dumps(record, ensure_ascii=False)


@contextmanager
def _connect(path: Path, *, create: bool) -> Iterator[sqlite3.Connection]:
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path, timeout=10)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
            with connection:
                yield connection
    except (sqlite3.Error, OSError) as error:
        raise FeedbackError(
            f"The feedback database {path} cannot be used ({error}); "
            "move it aside (BOT_FEEDBACK_DB) to start a new one"
        ) from None


def _to_vote(row: Sequence[Any]) -> FeedbackVote:
    question, quote_ids, vote, user, channel, message_ts, created_at = row
    return FeedbackVote(
        question=question,
        quote_ids=_quote_ids(quote_ids),
        vote=vote,
        user=user,
        channel=channel,
        message_ts=message_ts,
        created_at=created_at,
    )


def _quote_ids(stored: Any) -> tuple[int, ...]:
    try:
        values = json.loads(stored)
        return tuple(int(value) for value in values)
    except (TypeError, ValueError):
        return ()  # a damaged row still counts as a vote
