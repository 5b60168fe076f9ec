"""Signing in on both databases: hashes, same error for unknown user and wrong password,
lockout that grows and holds across sessions, audit trail, password rules."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from qa_app.services.accounts import auth, identity, users
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import InvalidInput
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Agent, AuditEvent, Team, User

os.environ.setdefault(auth.HASH_COST_ENV, "test")
PASSWORD = "long-enough-secret"


def _add(url: str, username: str = "maria", role: str = "reviewer", **kwargs) -> int:
    with unit_of_work(url) as session:
        row, _ = users.add_user(session, SYSTEM, username, role, password=PASSWORD, **kwargs)
        return row.id


def _sign_in(url: str, username: str, password: str, now: datetime | None = None):
    with unit_of_work(url) as session:
        return auth.authenticate(session, username, password, now=now)


def _actions(url: str) -> list[str]:
    with unit_of_work(url) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_standard_hash_is_salted_argon2id(monkeypatch):
    monkeypatch.setenv(auth.HASH_COST_ENV, "standard")
    first, second = auth.hash_password(PASSWORD), auth.hash_password(PASSWORD)
    assert first.startswith("$argon2id$") and "m=65536,t=3,p=4" in first
    assert first != second
    assert auth.verify_password(first, PASSWORD) and not auth.verify_password(first, "nope")
    assert not auth.verify_password("not-a-hash", PASSWORD)


def test_sign_in_returns_actor_and_is_audited(db_url):
    user_id = _add(db_url, "Maria")
    actor = _sign_in(db_url, "  maria ", PASSWORD)
    assert (actor.user_id, actor.username, actor.role) == (user_id, "Maria", "reviewer")
    assert _actions(db_url)[-1] == "auth.signed_in"
    with unit_of_work(db_url) as session:
        assert session.get(User, user_id).last_login_at is not None


def test_unknown_user_and_wrong_password_fail_alike(db_url):
    _add(db_url)
    with pytest.raises(auth.SignInFailed) as unknown:
        _sign_in(db_url, "nobody", PASSWORD)
    with pytest.raises(auth.SignInFailed) as wrong:
        _sign_in(db_url, "maria", "wrong-password")
    assert unknown.value.key == wrong.value.key == "auth.invalid_credentials"
    assert str(unknown.value) == str(wrong.value)
    assert _actions(db_url)[-2:] == ["auth.sign_in_failed", "auth.sign_in_failed"]


def test_lockout_after_five_failures_grows_and_holds(db_url):
    _add(db_url)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for _ in range(auth.FAILURES_BEFORE_LOCK):
        with pytest.raises(auth.SignInFailed):
            _sign_in(db_url, "maria", "wrong-password", now=start)
    # Locked: even the right password is refused, with the time left, in a new session.
    with pytest.raises(auth.AccountLocked) as locked:
        _sign_in(db_url, "maria", PASSWORD, now=start + timedelta(seconds=10))
    assert locked.value.key == "auth.locked" and locked.value.params["minutes"] == 1
    assert "auth.locked_out" in _actions(db_url)
    # After the lock expires one more failure locks for twice as long.
    later = start + timedelta(minutes=2)
    with pytest.raises(auth.SignInFailed):
        _sign_in(db_url, "maria", "wrong-password", now=later)
    with unit_of_work(db_url) as session:
        user = session.scalar(select(User).where(User.username == "maria"))
        assert user.failed_logins == 6
        assert user.locked_until == later + timedelta(minutes=2)
    # Success after the lock resets the counter.
    actor = _sign_in(db_url, "maria", PASSWORD, now=later + timedelta(minutes=3))
    assert actor.username == "maria"
    with unit_of_work(db_url) as session:
        user = session.scalar(select(User).where(User.username == "maria"))
        assert (user.failed_logins, user.locked_until) == (0, None)


def test_lock_duration_is_capped():
    assert auth.lock_duration(4) is None
    assert auth.lock_duration(5) == timedelta(minutes=1)
    assert auth.lock_duration(7) == timedelta(minutes=4)
    assert auth.lock_duration(500) == auth.LONGEST_LOCK


def test_deactivated_user_cannot_sign_in_and_loses_session(db_url):
    user_id = _add(db_url)
    _add(db_url, "root", "admin")
    with unit_of_work(db_url) as session:
        users.deactivate(session, SYSTEM, "maria")
    with pytest.raises(auth.SignInFailed):
        _sign_in(db_url, "maria", PASSWORD)
    with unit_of_work(db_url) as session:
        assert identity.load_actor(session, user_id) is None


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("short", "auth.password_too_short"),
        ("x" * 300, "auth.password_too_long"),
        ("Maria12345", "auth.password_is_username"),
    ],
)
def test_password_rules(password, key):
    with pytest.raises(InvalidInput) as err:
        auth.check_password_rules(password, "maria12345")
    assert err.value.key == key


def test_change_password(db_url):
    _add(db_url)
    actor = _sign_in(db_url, "maria", PASSWORD)
    with pytest.raises(InvalidInput) as wrong, unit_of_work(db_url) as session:
        auth.change_password(session, actor, "not-the-password", "another-long-secret")
    assert wrong.value.key == "auth.current_password_wrong"
    with pytest.raises(InvalidInput) as same, unit_of_work(db_url) as session:
        auth.change_password(session, actor, PASSWORD, PASSWORD)
    assert same.value.key == "auth.password_unchanged"
    with unit_of_work(db_url) as session:
        auth.change_password(session, actor, PASSWORD, "another-long-secret")
    assert _sign_in(db_url, "maria", "another-long-secret").user_id == actor.user_id
    with pytest.raises(auth.SignInFailed):
        _sign_in(db_url, "maria", PASSWORD)
    assert "auth.password_changed" in _actions(db_url)


def test_actor_carries_agent_and_team(db_url):
    with unit_of_work(db_url) as session:
        team = Team(name="Tier 1")
        session.add(team)
        session.flush()
        session.add(Agent(login="a.petrova", display_name="Anna", team_id=team.id))
    _add(db_url, "anna", "agent", agent_login="a.petrova", language="ru")
    _add(db_url, "lead1", "lead", team_name="tier 1")
    agent = _sign_in(db_url, "anna", PASSWORD)
    lead = _sign_in(db_url, "lead1", PASSWORD)
    assert agent.is_agent and agent.agent_id is not None and agent.language == "ru"
    assert agent.team_id == lead.team_id is not None
    assert lead.agent_id is None
