"""👍 / 👎 votes from Slack, kept in the shared database, and the summary ``python -m bot feedback``
prints.

The votes live in ``bot.database`` (the SQLite file by default, created on first vote, or
PostgreSQL shared by every replica), so ``feedback`` sees the votes pressed on any of them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from bot.database import Database, schema

Vote = Literal["up", "down"]

_COLUMNS = ("question", "quote_ids", "vote", "user", "channel", "message_ts", "created_at")


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
    """Appends votes to the shared database and reads them back; safe to share between threads."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def record(self, vote: FeedbackVote) -> None:
        """Store ``vote``, stamping the current UTC time when it has none."""
        created = vote.created_at or datetime.now(UTC).isoformat(timespec="seconds")
        row = {
            "question": vote.question,
            "quote_ids": json.dumps(list(vote.quote_ids)),
            "vote": vote.vote,
            "user": vote.user,
            "channel": vote.channel,
            "message_ts": vote.message_ts,
            "created_at": created,
        }
        with self.database.connect(create=True) as connection:
            connection.execute(schema().tables["votes"].insert().values(row))

    def votes(self) -> list[FeedbackVote]:
        """Every stored vote, oldest first."""
        if not self.database.exists():
            return []
        votes = schema().tables["votes"]
        query = votes.select().with_only_columns(*(votes.c[name] for name in _COLUMNS))
        with self.database.connect(create=False) as connection:
            rows = connection.execute(query.order_by(votes.c.id)).all()
        return [_to_vote(tuple(row)) for row in rows]


def copy_votes(source: Database, target: Database) -> int:
    """Add ``source``'s votes to ``target`` (moving from SQLite to PostgreSQL); a vote already
    in ``target`` is not added twice, so copying again is harmless. Returns how many were added."""
    if source.label == target.label:
        return 0
    present = set(FeedbackStore(target).votes())
    missing = [vote for vote in FeedbackStore(source).votes() if vote not in present]
    store = FeedbackStore(target)
    for vote in missing:
        store.record(vote)
    return len(missing)


def summarise(database: Database) -> dict[str, Any]:
    """Totals and the questions voted down (most down-votes first), as plain data."""
    votes = FeedbackStore(database).votes()
    down: dict[str, dict[str, Any]] = {}
    for vote in votes:
        if vote.vote == "down":
            entry = down.setdefault(vote.question, {"question": vote.question, "down": 0})
            entry["down"] += 1
            entry["last"] = vote.created_at
            entry["quote_ids"] = list(vote.quote_ids)
    ranked = sorted(down.values(), key=lambda entry: (-entry["down"], entry["question"]))
    return {
        "database": database.label,
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
