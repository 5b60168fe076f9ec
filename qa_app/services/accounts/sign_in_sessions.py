"""Sign-in sessions that survive a page reload.

Streamlit keeps its state per browser tab, so a reload used to sign the user out. After a
successful sign-in the browser gets a random token (a cookie); the database keeps only its
SHA-256 with an idle limit and an absolute lifetime. A reload presents the token and, when
the session is still valid and the account active, resumes it. Sign-out, a password change
or reset, a role change and deactivation revoke sessions, so a stolen or stale cookie stops
working at once; and because every page run checks its tab's token again
(``check_session``: one indexed query), a tab that was already open stops at its next click.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qa_app.services.accounts.identity import actor_for
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.storage.models import SignInSession, User

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


@dataclass(frozen=True, slots=True)
class SessionCheck:
    """The answer of ``check_session``: the actor when the session is good, else why not
    (``missing``, ``unknown``, ``inactive``, ``revoked``, ``expired``, ``idle``)."""

    actor: Actor | None
    reason: str = "valid"


def check_session(
    session: Session, token: str | None, idle_limit: timedelta, *, now: datetime | None = None
) -> SessionCheck:
    """Is this browser's session still good, and as whom (as the user is stored now)?

    Called on every page run, so it costs one indexed query (the token's row joined to its
    user) plus, at most once a minute, the write that records activity. An idle session
    and a deactivated user's session are revoked on the way, so they stay ended.
    """
    if not isinstance(token, str) or not token or len(token) > 200:
        return SessionCheck(None, "missing")
    now = utc_now(now)
    found = session.execute(
        select(SignInSession, User)
        .join(User, User.id == SignInSession.user_id)
        .where(SignInSession.token_hash == token_digest(token))
    ).first()
    if found is None:
        return SessionCheck(None, "unknown")
    row, user = found
    reason = _refusal(row, user, idle_limit, now)
    if reason is not None:
        if reason in ("idle", "inactive") and row.revoked_at is None:
            row.revoked_at = now
        return SessionCheck(None, reason)
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
    return SessionCheck(actor_for(user))


def _refusal(row: SignInSession, user: User, idle_limit: timedelta, now: datetime) -> str | None:
    """Why a stored session may not be used now (the account's state first: it is what the
    user is told), or None."""
    if not user.is_active:
        return "inactive"
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at <= now:
        return "expired"
    if now - row.last_seen_at > idle_limit:
        return "idle"
    return None


def resume_session(
    session: Session, token: str | None, idle_limit: timedelta, *, now: datetime | None = None
) -> Actor | None:
    """The actor behind a still-valid token, or None (unknown, revoked, idle, expired,
    or the account was deactivated meanwhile)."""
    return check_session(session, token, idle_limit, now=now).actor


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
