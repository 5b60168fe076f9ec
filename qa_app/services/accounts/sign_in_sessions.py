"""Sign-in sessions that survive a page reload.

Streamlit keeps its state per browser tab, so a reload used to sign the user out. After a
successful sign-in the browser gets a random token (a cookie); the database keeps only its
SHA-256 with an idle limit and an absolute lifetime. A reload presents the token and, when
the session is still valid and the account active, resumes it. Sign-out, a password change
and deactivation revoke sessions, so a stolen or stale cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qa_app.services.accounts.identity import load_actor
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.storage.models import SignInSession

#: Longest a session lives however active it is; then the password is asked again.
ABSOLUTE_LIFETIME = timedelta(days=7)
#: ``last_seen_at`` is written at most this often (not on every click).
TOUCH_INTERVAL = timedelta(minutes=1)
TOKEN_BYTES = 32


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, actor: Actor, *, now: datetime | None = None) -> str:
    """Start a session for a user who has just signed in; returns the token for the cookie."""
    if actor.user_id is None:
        raise ValueError("only a stored user can hold a sign-in session")
    now = utc_now(now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        SignInSession(
            user_id=actor.user_id,
            token_hash=token_digest(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + ABSOLUTE_LIFETIME,
        )
    )
    session.flush()
    return token


def resume_session(
    session: Session, token: str | None, idle_limit: timedelta, *, now: datetime | None = None
) -> Actor | None:
    """The actor behind a still-valid token, or None (unknown, revoked, idle, expired,
    or the account was deactivated meanwhile)."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    now = utc_now(now)
    row = session.scalar(
        select(SignInSession).where(SignInSession.token_hash == token_digest(token))
    )
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if now - row.last_seen_at > idle_limit:
        row.revoked_at = now
        return None
    actor = load_actor(session, row.user_id)
    if actor is None:
        row.revoked_at = now
        return None
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
    return actor


def touch_session(session: Session, token: str | None, *, now: datetime | None = None) -> None:
    """Record activity on a session (throttled), so the idle limit counts from the last use."""
    if not token:
        return
    now = utc_now(now)
    session.execute(
        update(SignInSession)
        .where(
            SignInSession.token_hash == token_digest(token),
            SignInSession.revoked_at.is_(None),
            SignInSession.last_seen_at <= now - TOUCH_INTERVAL,
        )
        .values(last_seen_at=now)
    )


def revoke_session(session: Session, token: str | None, *, now: datetime | None = None) -> None:
    """End one browser's session (sign-out)."""
    if not token:
        return
    session.execute(
        update(SignInSession)
        .where(
            SignInSession.token_hash == token_digest(token),
            SignInSession.revoked_at.is_(None),
        )
        .values(revoked_at=utc_now(now))
    )


def revoke_user_sessions(
    session: Session,
    actor: Actor,
    user_id: int,
    reason: str,
    *,
    keep_token: str | None = None,
    now: datetime | None = None,
) -> int:
    """End every session of a user (password changed, account deactivated); audited.

    ``keep_token`` spares the browser that made the change."""
    query = update(SignInSession).where(
        SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None)
    )
    if keep_token:
        query = query.where(SignInSession.token_hash != token_digest(keep_token))
    now = utc_now(now)
    result = session.execute(query.values(revoked_at=now))
    count = result.rowcount or 0
    if count:
        record_event(
            session, actor, "auth.sessions_revoked", "user", user_id,
            now=now, reason=reason, count=count,
        )  # fmt: skip
    return count
