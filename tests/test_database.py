"""The shared database and the event ledger, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.database import SCHEMA_VERSION, Database, open_database, sqlite_database
from bot.errors import DatabaseError, FeedbackError
from bot.feedback import FeedbackStore, FeedbackVote, summarise
from bot.ledger import EventLedger
from bot.settings import Settings
from tests.serve_process import bot_environment

OLD_SCHEMA = """
CREATE TABLE votes (
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.e2e)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        return sqlite_database(tmp_path / "state.sqlite3")
    url = request.getfixturevalue("postgres_url")
    return open_database(Settings(BOT_DATABASE_URL=url))


def a_vote(question: str, kind: str = "down", user: str = "U1") -> FeedbackVote:
    return FeedbackVote(question, (1, 2), kind, user, "C1", "1.1")  # type: ignore[arg-type]


def test_a_claim_is_taken_once_then_done(database: Database) -> None:
    first = EventLedger(database, lease_seconds=30, owner="replica-a")
    second = EventLedger(database, lease_seconds=30, owner="replica-b")
    assert first.claim("message:C1:1.1") == "claimed"
    assert second.claim("message:C1:1.1") == "busy"
    assert first.claim("message:C1:1.1") == "busy"  # a redelivery to the same replica
    first.finish("message:C1:1.1")
    assert second.claim("message:C1:1.1") == "done"
    assert second.claim("message:C1:2.2") == "claimed"
    first.close()
    second.close()


def test_concurrent_claims_have_exactly_one_winner(database: Database) -> None:
    ledgers = [EventLedger(database, lease_seconds=30, owner=f"r{i}") for i in range(8)]
    results: list[str] = []
    start = threading.Barrier(len(ledgers))

    def claim(ledger: EventLedger) -> None:
        start.wait(timeout=30)
        results.append(ledger.claim("message:C1:9.9"))

    threads = [threading.Thread(target=claim, args=(ledger,)) for ledger in ledgers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["busy"] * 7 + ["claimed"]
    for ledger in ledgers:
        ledger.close()


def test_an_expired_lease_is_taken_over_and_a_live_one_renewed(database: Database) -> None:
    dead = EventLedger(database, lease_seconds=0.5, owner="dead")
    alive = EventLedger(database, lease_seconds=0.5, owner="alive")
    other = EventLedger(database, lease_seconds=30, owner="other")
    assert dead.claim("message:C1:dead") == "claimed"
    dead.close()  # it stops renewing, as a killed replica does
    assert alive.claim("message:C1:alive") == "claimed"
    deadline = time.monotonic() + 30
    while other.claim("message:C1:dead") != "claimed":
        assert time.monotonic() < deadline, "the dead replica's lease never ran out"
        time.sleep(0.1)
    assert other.claim("message:C1:alive") == "busy"  # renewed by its keeper, lease after lease
    alive.finish("message:C1:alive")
    assert other.claim("message:C1:alive") == "done"
    assert dead.claim("message:C1:dead") == "busy"
    alive.close()
    other.close()


def test_a_dead_replicas_recent_claims_are_adopted_with_their_payload(database: Database) -> None:
    dead = EventLedger(database, lease_seconds=0.5, owner="dead")
    assert dead.claim("message:C1:work", payload='{"question": "Who?"}') == "claimed"
    assert dead.claim("message:C1:nothing") == "claimed"  # no payload: only a redelivery helps
    dead.close()
    adopted: list[tuple[str, str]] = []
    alive = EventLedger(database, lease_seconds=0.5, owner="alive")
    alive.adopt_orphans_with(lambda key, payload: adopted.append((key, payload)))
    deadline = time.monotonic() + 30
    while not adopted:
        assert time.monotonic() < deadline, "the orphaned claim was never adopted"
        time.sleep(0.05)
    assert adopted == [("message:C1:work", '{"question": "Who?"}')]
    assert EventLedger(database, lease_seconds=30).claim("message:C1:work") == "busy"
    alive.finish("message:C1:work")
    time.sleep(0.5)  # a few more keeper rounds: nothing else is adopted, nothing twice
    assert adopted == [("message:C1:work", '{"question": "Who?"}')]
    alive.close()


def test_old_keys_are_purged(database: Database) -> None:
    ledger = EventLedger(database, lease_seconds=30, owner="a", retention_seconds=0.0)
    assert ledger.claim("message:C1:old") == "claimed"
    ledger.finish("message:C1:old")
    time.sleep(0.05)
    assert ledger.purge() == 1
    ledger.close()


def test_votes_from_two_stores_on_one_database_are_summarised_together(
    database: Database, tmp_path: Path
) -> None:
    FeedbackStore(database).record(a_vote("Who is Alan Kraut?", "up"))
    twin = (
        sqlite_database(database.sqlite_path)
        if database.sqlite_path is not None
        else Database(database.url)
    )
    FeedbackStore(twin).record(a_vote("Who said implode?", user="U2"))
    summary = summarise(database)
    assert (summary["votes"], summary["up"], summary["down"]) == (2, 1, 1)
    assert summary["database"] == database.label


def test_an_old_votes_file_is_migrated_and_keeps_its_votes(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute(OLD_SCHEMA)
        connection.execute(
            "INSERT INTO votes (question, quote_ids, vote, user, channel, message_ts, created_at)"
            " VALUES ('Who is Alan Kraut?', '[3]', 'down', 'U1', 'C1', '1.1', '2024-01-01')"
        )
    database = sqlite_database(path)
    assert [v.question for v in FeedbackStore(database).votes()] == ["Who is Alan Kraut?"]
    FeedbackStore(database).record(a_vote("Who else?"))
    assert EventLedger(database, lease_seconds=30).claim("message:C:1") == "claimed"
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version FROM schema_info").fetchall() == [
            (SCHEMA_VERSION,)
        ]
        rows = connection.execute("SELECT question, quote_ids FROM votes ORDER BY id").fetchall()
    assert rows == [("Who is Alan Kraut?", "[3]"), ("Who else?", json.dumps([1, 2]))]


def test_a_database_from_a_newer_bot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    FeedbackStore(sqlite_database(path)).record(a_vote("Who?"))
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE schema_info SET version = 99")
    with pytest.raises(DatabaseError, match="schema 99, made by a newer quotebot"):
        FeedbackStore(sqlite_database(path)).votes()


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    settings = Settings(BOT_DATABASE_URL="postgresql://bot:hunter2@127.0.0.1:9/quotebot")
    database = open_database(settings)
    with pytest.raises(DatabaseError) as caught:
        FeedbackStore(database).record(a_vote("Who?"))
    message = str(caught.value)
    assert "hunter2" not in message and "\n" not in message
    assert message.startswith("The database postgresql+psycopg://bot:***@127.0.0.1:9/quotebot")
    assert message.endswith("check BOT_DATABASE_URL")
    assert not isinstance(caught.value, FeedbackError)


def test_database_url_is_checked_and_secret() -> None:
    from bot.errors import ConfigError
    from bot.settings import load_settings

    with pytest.raises(ConfigError, match="BOT_DATABASE_URL: postgresql://USER"):
        load_settings(BOT_DATABASE_URL="mysql://root@db/quotebot")
    settings = Settings(BOT_DATABASE_URL="postgresql://u:pw@h/d")
    assert isinstance(settings.database_url, SecretStr) and "pw" not in repr(settings)


def run_feedback(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = bot_environment(**env)
    command = [sys.executable, "-m", "bot", "feedback", *args]
    return subprocess.run(
        command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.e2e
def test_votes_of_an_old_sqlite_file_move_to_postgresql_once(
    tmp_path: Path, postgres_url: str
) -> None:
    old = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(old) as connection:
        connection.execute(OLD_SCHEMA)
        for user, vote in (("U1", "down"), ("U2", "up")):
            connection.execute(
                "INSERT INTO votes (question, quote_ids, vote, user, channel, message_ts,"
                " created_at) VALUES ('Who?', '[3]', ?, ?, 'C1', '1.1', '2024-01-01')",
                (vote, user),
            )
    for copied in (2, 0):
        result = run_feedback(
            tmp_path, "--json", "--import-sqlite", str(old), BOT_DATABASE_URL=postgres_url
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr.startswith(f"Copied {copied} vote(s) from {old} to postgresql")
        summary = json.loads(result.stdout)
        assert (summary["votes"], summary["up"], summary["down"]) == (2, 1, 1)
        assert summary["voted_down"] == [
            {"question": "Who?", "down": 1, "last": "2024-01-01", "quote_ids": [3]}
        ]


@pytest.mark.e2e
def test_feedback_from_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    url = "postgresql://bot:hunter2@127.0.0.1:9/quotebot"
    result = run_feedback(tmp_path, BOT_DATABASE_URL=url)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "hunter2" not in result.stderr
    assert result.stderr.startswith("error: The database postgresql+psycopg://bot:***@127.0.0.1:9")


@pytest.mark.e2e
def test_a_broken_file_to_import_is_named_as_the_option_not_the_setting(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = run_feedback(tmp_path, "--import-sqlite", str(junk))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: The database {junk} cannot be used")
    assert "check --import-sqlite" in result.stderr and "BOT_FEEDBACK_DB" not in result.stderr


def test_a_sqlite_url_without_a_file_is_refused_as_a_setting() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="sqlite:///FILE"):
        Settings(_env_file=None, BOT_DATABASE_URL="sqlite:///")  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "url",
    ["postgresql://u:pw@db.internal:abc/quotebot", "postgresql://u:pw@[::1:5432/db"],
)
def test_a_port_that_is_no_number_is_refused_as_a_setting(url: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="the port must be a number") as raised:
        Settings(_env_file=None, BOT_DATABASE_URL=url)  # type: ignore[call-arg]
    assert "pw" not in raised.value.errors()[0]["msg"]  # what the one-line error prints
