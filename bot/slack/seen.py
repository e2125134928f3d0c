"""Remembering what was seen lately: Socket Mode envelopes, so a resent one is answered once."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

DEDUPE_TTL_SECONDS = 15 * 60
"""Slack redelivers an event up to three times within about five minutes."""
DEDUPE_MAX_ENTRIES = 10_000


class SeenCache:
    """Remembers keys for ``ttl`` seconds (at most ``max_entries`` of them); thread-safe."""

    def __init__(
        self,
        *,
        ttl: float = DEDUPE_TTL_SECONDS,
        max_entries: int = DEDUPE_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl, self._max, self._clock = ttl, max_entries, clock
        self._entries: OrderedDict[Hashable, float] = OrderedDict()
        self._lock = threading.Lock()

    def seen_before(self, *keys: Hashable) -> bool:
        """True when any of ``keys`` was added within the TTL; adds them all either way."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            seen = any(key in self._entries for key in keys)
            for key in keys:
                self._entries[key] = now
                self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
            return seen

    def _expire(self, now: float) -> None:
        while self._entries:
            key, added = next(iter(self._entries.items()))
            if now - added < self._ttl:
                return
            del self._entries[key]
