"""The lockout under attack, on both databases: parallel wrong passwords each count, and
an unknown user, a locked account and a wrong password cost the same work (one argon2
verification each), so neither the counter nor the answer time can be gamed.

The timing itself is measured by ``qa-studio bench signin`` (no timed unit tests)."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from qa_app.services.accounts import auth, users
from qa_app.services.actor import SYSTEM
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import AuditEvent, User

os.environ.setdefault(auth.HASH_COST_ENV, "test")
PASSWORD = "long-enough-secret"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ATTEMPTS = 20


def _add(url: str, username: str = "maria") -> None:
    with unit_of_work(url) as session:
        users.add_user(session, SYSTEM, username, "reviewer", password=PASSWORD)


def _attempt(url: str, username: str, password: str, now: datetime = T0) -> str:
    """What one sign-in attempt ended in: the actor's name or the error class."""
    try:
        with unit_of_work(url) as session:
            return auth.authenticate(session, username, password, now=now).username
    except auth.ServiceError as exc:
        return type(exc).__name__


def test_parallel_wrong_passwords_each_count_and_lock_the_account(db_url):
    _add(db_url)
    start = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []

    def attack(i: int) -> None:
        start.wait()
        outcomes.append(_attempt(db_url, "maria", f"wrong-password-{i}"))

    threads = [threading.Thread(target=attack, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == ATTEMPTS
    assert set(outcomes) <= {"SignInFailed", "AccountLocked"}, outcomes
    with unit_of_work(db_url) as session:
        user = session.scalar(select(User).where(User.username == "maria"))
        failures = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "auth.sign_in_failed", AuditEvent.entity_id == str(user.id))
        )
        assert user.failed_logins == ATTEMPTS
        assert failures == ATTEMPTS
        assert user.locked_until is not None and user.locked_until > T0
    # the lock holds for the right password too
    assert _attempt(db_url, "maria", PASSWORD, T0 + timedelta(seconds=5)) == "AccountLocked"


class CountingHasher(PasswordHasher):
    """A real argon2 hasher (test cost) that counts its verifications."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verifications = 0

    def verify(self, hash, password) -> bool:  # noqa: A002 - argon2's own signature
        self.verifications += 1
        return super().verify(hash, password)


@pytest.fixture
def counting_hasher(monkeypatch) -> CountingHasher:
    hasher = CountingHasher()
    monkeypatch.setattr(auth, "_hasher", lambda: hasher)
    return hasher


def test_every_sign_in_path_verifies_exactly_one_hash(db_url, counting_hasher):
    _add(db_url, "maria")
    _add(db_url, "ivan")
    _add(db_url, "gone")
    with unit_of_work(db_url) as session:
        users.deactivate(session, SYSTEM, "gone", now=T0)
    for _ in range(auth.FAILURES_BEFORE_LOCK):
        _attempt(db_url, "ivan", "wrong-password")
    paths = {
        "unknown user": ("nobody", PASSWORD, "SignInFailed"),
        "deactivated": ("gone", PASSWORD, "SignInFailed"),
        "wrong password": ("maria", "wrong-password", "SignInFailed"),
        "locked, right password": ("ivan", PASSWORD, "AccountLocked"),
        "locked, wrong password": ("ivan", "wrong-again", "AccountLocked"),
        "right password": ("maria", PASSWORD, "maria"),
    }
    for name, (username, password, expected) in paths.items():
        before = counting_hasher.verifications
        assert _attempt(db_url, username, password, T0 + timedelta(seconds=5)) == expected, name
        assert counting_hasher.verifications - before == 1, name


def test_bench_signin_prints_each_refusal_beside_a_bare_verify(monkeypatch):
    from click.testing import CliRunner

    from qa_app.cli import cli

    monkeypatch.setenv(auth.HASH_COST_ENV, "test")
    result = CliRunner().invoke(cli, ["bench", "signin", "--rounds", "5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for path in ("unknown user", "locked account", "wrong password"):
        assert any(line.startswith(path) for line in lines), result.output
    assert "reference: one argon2 verify" in result.output
    assert "largest difference between medians" in result.output
