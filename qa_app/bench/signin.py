"""How long a refused sign-in takes, per reason: unknown user, locked account, wrong password.

An attacker who can tell these apart by the answer time learns which accounts exist (the
issue measured 1 ms for a locked account against 115 ms for an unknown one). Every path
now verifies one argon2 hash; this measures the result end to end through
``accounts.authenticate`` on a throwaway SQLite file, beside the bare argon2 verification
measured in the same run as the reference. Attempts are interleaved round by round so a
busy machine slows every path alike.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from qa_app.services import accounts
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError
from qa_app.storage import db as storage_db
from qa_app.storage.models import User

PASSWORD = "bench-password-long-enough"
PATHS = ("unknown user", "locked account", "wrong password")
USERNAMES = {"unknown user": "bench-nobody", "locked account": "bench-locked",
             "wrong password": "bench-wrong"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class SignInTimings:
    rounds: int
    cost: str
    medians_ms: dict[str, float]
    p90_ms: dict[str, float]
    verify_median_ms: float

    @property
    def spread_ms(self) -> float:
        """Largest difference between two paths' medians."""
        return max(self.medians_ms.values()) - min(self.medians_ms.values())


def _prepare(url: str) -> None:
    storage_db.upgrade(url)
    with storage_db.unit_of_work(url) as session:
        for name in ("bench-locked", "bench-wrong"):
            accounts.add_user(session, SYSTEM, name, "reviewer", password=PASSWORD)
    with storage_db.unit_of_work(url) as session:
        session.execute(
            update(User)
            .where(User.username == "bench-locked")
            .values(failed_logins=50, locked_until=datetime.now(UTC) + timedelta(days=365))
        )


def _unlock_wrong(url: str) -> None:
    """Keep the wrong-password account below the lockout, outside the timed part."""
    with storage_db.unit_of_work(url) as session:
        session.execute(
            update(User)
            .where(User.username == "bench-wrong")
            .values(failed_logins=0, locked_until=None)
        )


def _time_attempt(url: str, username: str) -> float:
    started = time.perf_counter()
    try:
        with storage_db.unit_of_work(url) as session:
            accounts.authenticate(session, username, "not-the-password")
    except ServiceError:
        pass
    return (time.perf_counter() - started) * 1000


def _time_verify(stored: str) -> float:
    started = time.perf_counter()
    accounts.verify_password(stored, "not-the-password")
    return (time.perf_counter() - started) * 1000


def measure_sign_in(rounds: int = 30, seed: int = 7) -> SignInTimings:
    """Median and 90th percentile answer time of each refusal, and of one bare verify."""
    samples: dict[str, list[float]] = {path: [] for path in PATHS}
    verify: list[float] = []
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="qa-bench-signin-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        _prepare(url)
        stored = accounts.hash_password(PASSWORD)
        for path in PATHS:  # one warm-up each (connections, statement caches)
            _time_attempt(url, USERNAMES[path])
        for _ in range(rounds):
            order = list(PATHS)
            rng.shuffle(order)
            for path in order:
                _unlock_wrong(url)
                samples[path].append(_time_attempt(url, USERNAMES[path]))
            verify.append(_time_verify(stored))
        storage_db.dispose_engine(url)
    return SignInTimings(
        rounds=rounds,
        cost=accounts.current_cost(),
        medians_ms={p: statistics.median(v) for p, v in samples.items()},
        p90_ms={p: statistics.quantiles(v, n=10)[-1] for p, v in samples.items()},
        verify_median_ms=statistics.median(verify),
    )


def format_timings(timings: SignInTimings) -> list[str]:
    """The printed lines of ``bench signin``."""
    lines = [
        f"{timings.rounds} refused sign-ins per reason, argon2 cost '{timings.cost}', "
        "interleaved; wall-clock ms",
        f"{'':<34}{'median':>8}{'p90':>8}{'vs verify':>11}",
    ]
    for path in PATHS:
        median = timings.medians_ms[path]
        lines.append(
            f"{path:<34}{median:>8.1f}{timings.p90_ms[path]:>8.1f}"
            f"{median / timings.verify_median_ms:>10.2f}x"
        )
    lines.append(f"{'reference: one argon2 verify':<34}{timings.verify_median_ms:>8.1f}")
    share = timings.spread_ms / timings.verify_median_ms
    lines.append(
        f"largest difference between medians: {timings.spread_ms:.1f} ms "
        f"({share:.0%} of one verify)"
    )
    return lines
