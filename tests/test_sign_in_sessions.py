"""Sign-in sessions on both databases: a reload resumes a valid session; sign-out, idle
time, the absolute lifetime, a password change and deactivation all end it."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from qa_app.services.accounts import auth, sign_in_sessions, users
from qa_app.services.actor import SYSTEM
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import AuditEvent, SignInSession

os.environ.setdefault(auth.HASH_COST_ENV, "test")
PASSWORD = "long-enough-secret"
IDLE = timedelta(hours=8)
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _signed_in(url: str, username: str = "maria", role: str = "reviewer"):
    with unit_of_work(url) as session:
        users.add_user(session, SYSTEM, username, role, password=PASSWORD)
    with unit_of_work(url) as session:
        actor = auth.authenticate(session, username, PASSWORD, now=T0)
        token = sign_in_sessions.open_session(session, actor, now=T0)
    return actor, token


def _resume(url: str, token: str | None, now: datetime):
    with unit_of_work(url) as session:
        return sign_in_sessions.resume_session(session, token, IDLE, now=now)


def test_only_a_hash_of_the_token_is_stored(db_url):
    actor, token = _signed_in(db_url)
    with unit_of_work(db_url) as session:
        stored = session.scalars(select(SignInSession.token_hash)).all()
    assert stored == [sign_in_sessions.token_digest(token)]
    assert token not in stored and len(token) >= 40


def test_reload_resumes_within_the_idle_limit(db_url):
    actor, token = _signed_in(db_url)
    resumed = _resume(db_url, token, T0 + timedelta(hours=7))
    assert resumed is not None and resumed.user_id == actor.user_id
    # the resume counted as activity, so another 7 hours later it still resumes
    assert _resume(db_url, token, T0 + timedelta(hours=14)) is not None


def test_unknown_tampered_or_missing_tokens_resume_nothing(db_url):
    _, token = _signed_in(db_url)
    for bad in (None, "", token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 500):
        assert _resume(db_url, bad, T0 + timedelta(minutes=5)) is None


def test_idle_session_expires_and_stays_expired(db_url):
    _, token = _signed_in(db_url)
    assert _resume(db_url, token, T0 + IDLE + timedelta(minutes=1)) is None
    assert _resume(db_url, token, T0 + timedelta(minutes=5)) is None  # revoked, not just idle


def test_absolute_lifetime_ends_even_an_active_session(db_url):
    _, token = _signed_in(db_url)
    now = T0
    while now < T0 + sign_in_sessions.ABSOLUTE_LIFETIME - timedelta(hours=6):
        now += timedelta(hours=6)
        assert _resume(db_url, token, now) is not None
    assert _resume(db_url, token, T0 + sign_in_sessions.ABSOLUTE_LIFETIME) is None


def test_sign_out_revokes_this_browser_only(db_url):
    actor, first = _signed_in(db_url)
    with unit_of_work(db_url) as session:
        second = sign_in_sessions.open_session(session, actor, now=T0)
    with unit_of_work(db_url) as session:
        sign_in_sessions.revoke_session(session, first, now=T0 + timedelta(minutes=1))
    assert _resume(db_url, first, T0 + timedelta(minutes=2)) is None
    assert _resume(db_url, second, T0 + timedelta(minutes=2)) is not None


def test_password_change_signs_out_other_browsers_and_is_audited(db_url):
    actor, here = _signed_in(db_url)
    with unit_of_work(db_url) as session:
        elsewhere = sign_in_sessions.open_session(session, actor, now=T0)
    with unit_of_work(db_url) as session:
        auth.change_password(session, actor, PASSWORD, "another-long-secret", keep_token=here)
    now = T0 + timedelta(minutes=5)
    assert _resume(db_url, elsewhere, now) is None
    assert _resume(db_url, here, now) is not None
    with unit_of_work(db_url) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.sessions_revoked")
        ).one()
    assert event.details == {"reason": "password_changed", "count": 1}


def test_deactivation_and_password_reset_end_every_session(db_url):
    with unit_of_work(db_url) as session:
        users.add_user(session, SYSTEM, "boss", "admin", password=PASSWORD)
    with unit_of_work(db_url) as session:
        admin = auth.authenticate(session, "boss", PASSWORD)
    _, token = _signed_in(db_url)
    with unit_of_work(db_url) as session:
        users.reset_password(session, admin, "maria")
    # within the idle limit, so only the reset can explain a refusal
    assert _resume(db_url, token, T0 + timedelta(minutes=5)) is None

    _, token2 = _signed_in(db_url, "ivan")
    with unit_of_work(db_url) as session:
        users.deactivate(session, admin, "ivan")
    assert _resume(db_url, token2, T0 + timedelta(minutes=5)) is None
