"""A per-token request limit for the REST API: a fixed window counter in this process.

One program with a token must not starve everyone else of the database: each token may
make ``limit`` calls per ``window`` seconds (``qa-studio api --rate-limit``, default 600 a
minute); the next call gets 429 with ``Retry-After`` saying when the window turns. The
count lives in memory, keyed by the token's digest (never the token), so it is per API
process: run one process per deployment, as ``qa-studio api`` does. Only the current
window's counts are kept, so memory stays bounded by the callers of one window.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

RATE_LIMIT_ENV = "QA_STUDIO_API_RATE_LIMIT"
DEFAULT_LIMIT = 600
DEFAULT_WINDOW_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """May this call go ahead; if not, after how many whole seconds to try again."""

    allowed: bool
    retry_after: int = 0
    remaining: int = 0


class FixedWindowLimiter:
    """``limit`` calls per key per ``window`` seconds; ``clock`` is injectable for tests."""

    def __init__(
        self,
        limit: int = DEFAULT_LIMIT,
        window: float = DEFAULT_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a rate limit needs at least one call per positive window")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._window_index = -1
        self._counts: dict[str, int] = {}

    def hit(self, key: str) -> Verdict:
        """Count one call for ``key`` and say whether it is within the limit."""
        now = self._clock()
        index = math.floor(now / self.window)
        with self._lock:
            if index != self._window_index:
                self._window_index, self._counts = index, {}
            count = self._counts.get(key, 0) + 1
            if count > self.limit:
                turn = (index + 1) * self.window
                return Verdict(False, retry_after=max(1, math.ceil(turn - now)))
            self._counts[key] = count
            return Verdict(True, remaining=self.limit - count)


def configured_limit(value: int | None = None) -> int:
    """The calls per minute in force: ``value``, else ``QA_STUDIO_API_RATE_LIMIT``, else 600."""
    if value is not None:
        return value
    raw = os.environ.get(RATE_LIMIT_ENV, "").strip()
    if not raw:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise ValueError(f"{RATE_LIMIT_ENV}={raw!r} is not a whole number of calls") from None
    if limit < 1:
        raise ValueError(f"{RATE_LIMIT_ENV} must be at least 1, not {limit}")
    return limit
