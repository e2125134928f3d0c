"""The bot's shared state in one database: votes and the event ledger (``bot.ledger``).

SQLite (the ``BOT_FEEDBACK_DB`` file) by default, PostgreSQL when ``BOT_DATABASE_URL`` names
one, through the same SQLAlchemy Core statements. The schema is created, or migrated, the first
time a process writes; a vote table made by an older bot is kept as it is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.errors import ConfigError, DatabaseError, FeedbackError
from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, MetaData

SCHEMA_VERSION = 2
"""1: votes (the SQLite file of earlier releases); 2: adds the event ledger and schema_info."""
_MIGRATION_LOCK = 7_202_612
"""A PostgreSQL advisory lock id: replicas starting together migrate one at a time."""


@dataclass
class Database:
    """An engine and where it points; the schema is made on first use."""

    url: str
    sqlite_path: Path | None = None
    setting: str = "BOT_FEEDBACK_DB"
    """What named this database, for a message about it: a setting, or a command's option."""
    _engine: Engine | None = None
    _migrated: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def label(self) -> str:
        """Where the data lives, fit to print: the file, or the URL without its password."""
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return "sqlite" if self.sqlite_path is not None else "postgresql"

    def exists(self) -> bool:
        """False only for a SQLite file not made yet (reading it must not create it)."""
        return self.sqlite_path is None or self.sqlite_path.exists()

    @contextmanager
    def connect(self, *, create: bool = True) -> Iterator[Connection]:
        """One transaction, committed on leaving; any database failure becomes one clear line."""
        try:
            engine = self._ready(create=create)
            with engine.begin() as connection:
                yield connection
        except (OSError, _sqlalchemy_error()) as error:
            raise self._failure(error) from None

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def _ready(self, *, create: bool) -> Engine:
        with self._lock:
            if self._engine is None:
                if create and self.sqlite_path is not None:
                    self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
                self._engine = _make_engine(self.url, sqlite=self.sqlite_path is not None)
            if not self._migrated:
                migrate(self._engine)
                self._migrated = True
            return self._engine

    def _failure(self, error: BaseException) -> DatabaseError:
        reason = " ".join(str(getattr(error, "orig", None) or error).split())
        if self.sqlite_path is not None and self.setting == "BOT_FEEDBACK_DB":
            return FeedbackError(
                f"The feedback database {self.sqlite_path} cannot be used ({reason}); "
                "move it aside (BOT_FEEDBACK_DB) to start a new one"
            )
        return DatabaseError(
            f"The database {self.label} cannot be used ({reason}); check {self.setting}"
        )


def open_database(settings: Settings) -> Database:
    """``BOT_DATABASE_URL`` when set, else the SQLite file ``BOT_FEEDBACK_DB``."""
    if settings.database_url is None:
        return sqlite_database(settings.feedback_db)
    url = settings.database_url.get_secret_value()
    if url.startswith("sqlite:///"):
        return sqlite_database(Path(url.removeprefix("sqlite:///")), setting="BOT_DATABASE_URL")
    return Database(_with_psycopg(url), setting="BOT_DATABASE_URL")


def sqlite_database(path: Path, *, setting: str = "BOT_FEEDBACK_DB") -> Database:
    return Database(f"sqlite:///{path}", sqlite_path=path, setting=setting)


def _with_psycopg(url: str) -> str:
    """``postgresql://`` (and ``postgres://``) through psycopg 3, not SQLAlchemy's default
    psycopg2."""
    scheme, _, rest = url.partition("://")
    if scheme in ("postgresql", "postgres"):
        scheme = "postgresql+psycopg"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise ConfigError(
            "BOT_DATABASE_URL names PostgreSQL but psycopg is not installed: "
            "pip install -e '.[postgres]'"
        ) from None
    return f"{scheme}://{rest}"


def _make_engine(url: str, *, sqlite: bool) -> Engine:
    from sqlalchemy import create_engine, event

    if not sqlite:
        return create_engine(url, pool_pre_ping=True, pool_size=8, max_overflow=4)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _wal(connection: Any, record: Any) -> None:
        # WAL: the bot writes while an operator reads the summary; several processes may share
        # the file on one machine.
        connection.execute("PRAGMA journal_mode=WAL")

    return engine


def migrate(engine: Engine) -> None:
    """Create what is missing; record the schema version; refuse a newer database."""
    from sqlalchemy import select, text

    tables = schema()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
        tables.create_all(connection, checkfirst=True)
        info = tables.tables["schema_info"]
        found = connection.execute(select(info.c.version)).scalar()
        if found is None:
            connection.execute(info.insert().values(version=SCHEMA_VERSION))
        elif found > SCHEMA_VERSION:
            raise DatabaseError(
                f"the database has schema {found}, made by a newer quotebot than this one "
                f"(schema {SCHEMA_VERSION}); upgrade this replica"
            )
        elif found < SCHEMA_VERSION:
            connection.execute(info.update().values(version=SCHEMA_VERSION))


_SCHEMA: MetaData | None = None


def schema() -> MetaData:
    """The tables, built once (SQLAlchemy is imported only when a database is used)."""
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = _build_schema()
    return _SCHEMA


def _build_schema() -> MetaData:
    from sqlalchemy import (
        CheckConstraint,
        Column,
        Double,
        Index,
        Integer,
        MetaData,
        String,
        Table,
        Text,
    )

    metadata = MetaData()
    Table(
        "votes",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("question", Text, nullable=False),
        Column("quote_ids", Text, nullable=False),
        Column("vote", Text, CheckConstraint("vote IN ('up', 'down')"), nullable=False),
        Column("user", Text, nullable=False),
        Column("channel", Text, nullable=False),
        Column("message_ts", Text, nullable=False),
        Column("created_at", Text, nullable=False),
    )
    Table(
        "events",
        metadata,
        Column("key", String(255), primary_key=True),
        Column("owner", String(255), nullable=False),
        Column("state", String(16), nullable=False),
        Column("lease_until", Double, nullable=False),
        Column("created_at", Double, nullable=False),
        Column("payload", Text, nullable=True),
        Index("events_created_at", "created_at"),
    )
    Table("schema_info", metadata, Column("version", Integer, nullable=False))
    return metadata


def _sqlalchemy_error() -> type[Exception]:
    from sqlalchemy.exc import SQLAlchemyError

    return SQLAlchemyError
