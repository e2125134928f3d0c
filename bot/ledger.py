"""Exactly-once work across replicas: a ledger of claimed event keys, each held under a lease.

A replica that receives a Slack event claims its key with one atomic ``INSERT … ON CONFLICT DO
NOTHING``; whoever inserted the row answers. While it answers, a background thread renews its
leases; a replica that dies stops renewing, and once its lease has passed the claim may be
taken over (an atomic compare-and-set on ``lease_until``): by another delivery of the same
event, or by a live replica's keeper, which adopts recent orphaned claims that carry what is
needed to do the work (their ``payload``). Times are the database's clock, so replicas'
clocks need not agree.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from bot.database import Database, schema
from bot.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Table

logger = logging.getLogger("bot.ledger")

Claim = Literal["claimed", "busy", "done"]
"""``claimed``: this replica does the work; ``busy``: another holds a live lease; ``done``."""
RETENTION_SECONDS = 24 * 3600.0
"""Finished keys are kept this long: far past Slack's last redelivery (about 5 minutes)."""
PURGE_EVERY_SECONDS = 600.0
MAX_KEY_CHARS = 255
ORPHAN_WINDOW_SECONDS = 600.0
"""Orphaned claims older than this are left alone: a question that old is stale."""
ORPHANS_PER_ROUND = 10
Adopter = Callable[[str, str], None]
"""Called with (key, payload) for each orphaned claim this replica took over."""


class EventLedger:
    """Claims, lease renewal and completion of work keys in the shared database."""

    def __init__(
        self,
        database: Database,
        *,
        lease_seconds: float,
        owner: str | None = None,
        retention_seconds: float = RETENTION_SECONDS,
    ) -> None:
        self.database = database
        self.lease_seconds = lease_seconds
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.retention_seconds = retention_seconds
        self._held: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._keeper: threading.Thread | None = None
        self._adopter: Adopter | None = None

    def claim(self, key: str, *, payload: str | None = None) -> Claim:
        """Take ``key`` if nobody has, or if its holder's lease has run out. ``payload`` is
        what another replica needs to do the work if this one dies holding the claim."""
        key = _bounded(key)
        events = _events()
        with self.database.connect() as connection:
            # RETURNING, not rowcount: psycopg reports -1 for INSERT … ON CONFLICT.
            inserted = connection.execute(
                self._insert(key, payload).returning(events.c.key)
            ).first()
            if inserted is not None:
                return self._holding(key)
            taken = connection.execute(self._take_over(key).returning(events.c.key)).first()
            if taken is not None:
                logger.warning("took over key=%s: its holder's lease ran out", key)
                return self._holding(key)
            state = connection.execute(
                events.select().with_only_columns(events.c.state).where(events.c.key == key)
            ).scalar()
        return "done" if state == "done" else "busy"

    def finish(self, key: str) -> None:
        """Mark ``key`` done (if this replica still holds it); later deliveries are skipped."""
        key = _bounded(key)
        events = _events()
        with self._lock:
            self._held.discard(key)
        with self.database.connect() as connection:
            connection.execute(
                events.update()
                .where(events.c.key == key, events.c.owner == self.owner)
                .values(state="done", lease_until=epoch_now())
            )

    def adopt_orphans_with(self, adopter: Adopter) -> None:
        """From now on, take over recent claims whose holder died (its lease ran out) and hand
        each to ``adopter``, which must not block: the same thread renews this replica's
        leases."""
        self._adopter = adopter
        self._start_keeper()

    def adopt_orphans(self) -> list[tuple[str, str]]:
        """Take over up to ``ORPHANS_PER_ROUND`` recent orphaned claims that carry a payload."""
        events = _events()
        with self.database.connect() as connection:
            keys = connection.execute(
                events.select()
                .with_only_columns(events.c.key)
                .where(events.c.state == "claimed", events.c.payload.is_not(None))
                .where(events.c.lease_until < epoch_now())
                .where(events.c.created_at > epoch_now() - ORPHAN_WINDOW_SECONDS)
                .limit(ORPHANS_PER_ROUND)
            ).scalars().all()
        adopted: list[tuple[str, str]] = []
        for key in keys:
            with self.database.connect() as connection:
                row = connection.execute(
                    self._take_over(key).returning(events.c.payload)
                ).first()
            if row is not None:
                logger.warning("took over key=%s: its holder's lease ran out", key)
                self._holding(key)
                adopted.append((key, str(row[0])))
        return adopted

    def close(self) -> None:
        """Stop renewing leases (what a stopping replica does last)."""
        self._stop.set()
        if self._keeper is not None:
            self._keeper.join(timeout=5)

    def renew(self) -> None:
        """Push back the leases of every key this replica holds."""
        with self._lock:
            if not self._held:
                return
        events = _events()
        with self.database.connect() as connection:
            connection.execute(
                events.update()
                .where(events.c.owner == self.owner, events.c.state == "claimed")
                .values(lease_until=epoch_now() + self.lease_seconds)
            )

    def purge(self) -> int:
        """Forget keys older than the retention period; returns how many."""
        events = _events()
        with self.database.connect() as connection:
            purged = connection.execute(
                events.delete()
                .where(events.c.created_at < epoch_now() - self.retention_seconds)
                .returning(events.c.key)
            ).all()
        return len(purged)

    def _take_over(self, key: str) -> Any:
        """The compare-and-set: the claim is this replica's only if its lease has run out."""
        events = _events()
        return (
            events.update()
            .where(events.c.key == key, events.c.state == "claimed")
            .where(events.c.lease_until < epoch_now())
            .values(owner=self.owner, lease_until=epoch_now() + self.lease_seconds)
        )

    def _insert(self, key: str, payload: str | None) -> Any:
        values = {
            "payload": payload,
            "key": key,
            "owner": self.owner,
            "state": "claimed",
            "lease_until": epoch_now() + self.lease_seconds,
            "created_at": epoch_now(),
        }
        if self.database.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(_events()).values(values).on_conflict_do_nothing()
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(_events()).values(values).on_conflict_do_nothing()

    def _holding(self, key: str) -> Claim:
        with self._lock:
            self._held.add(key)
        self._start_keeper()
        return "claimed"

    def _start_keeper(self) -> None:
        with self._lock:
            if self._keeper is None:
                self._keeper = threading.Thread(target=self._keep, name="lease-keeper", daemon=True)
                self._keeper.start()

    def _keep(self) -> None:
        """Renew leases a few times per lease; adopt orphans; now and then purge old keys."""
        interval = max(self.lease_seconds / 3, 0.1)
        since_purge = PURGE_EVERY_SECONDS
        while not self._stop.wait(interval):
            try:
                self.renew()
                if self._adopter is not None:
                    for key, payload in self.adopt_orphans():
                        self._adopter(key, payload)
                since_purge += interval
                if since_purge >= PURGE_EVERY_SECONDS:
                    self.purge()
                    since_purge = 0.0
            except DatabaseError as error:
                logger.error("could not renew leases: %s", error)


def _events() -> Table:
    return schema().tables["events"]


def _bounded(key: str) -> str:
    if len(key) <= MAX_KEY_CHARS:
        return key
    return key[:200] + "#" + hashlib.sha256(key.encode()).hexdigest()[:32]


_EPOCH_NOW: Any = None


def epoch_now() -> ColumnElement[float]:
    """The database's clock, in seconds since 1970, as a SQL expression."""
    global _EPOCH_NOW
    if _EPOCH_NOW is None:
        _EPOCH_NOW = _define_epoch_now()
    now: ColumnElement[float] = _EPOCH_NOW()
    return now


def _define_epoch_now() -> Any:
    from sqlalchemy import Double
    from sqlalchemy.ext.compiler import compiles
    from sqlalchemy.sql.expression import FunctionElement

    class EpochNow(FunctionElement[float]):
        type = Double()
        inherit_cache = True
        name = "epoch_now"

    @compiles(EpochNow, "postgresql")
    def _postgresql(element: Any, compiler: Any, **kw: Any) -> str:
        return "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS DOUBLE PRECISION)"

    @compiles(EpochNow, "sqlite")
    def _sqlite(element: Any, compiler: Any, **kw: Any) -> str:
        return "((julianday('now') - 2440587.5) * 86400.0)"

    return EpochNow
