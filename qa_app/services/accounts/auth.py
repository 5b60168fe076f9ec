"""Signing in: salted slow password hashes, lockout after repeated failures, audit trail.

Failed attempts are stored on the user row (``failed_logins``/``locked_until``) so the
lockout holds across browser sessions, server processes and restarts.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from qa_app.services.accounts import sign_in_sessions
from qa_app.services.accounts.identity import actor_for, find_user
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.errors import InvalidInput, NotFound, ServiceError
from qa_app.storage.models import User

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
#: Failures allowed before the first lockout; each later failure doubles the lock.
FAILURES_BEFORE_LOCK = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=24)

#: ``test`` selects cheap argon2 parameters so test suites stay fast; never use it live.
HASH_COST_ENV = "QA_STUDIO_PASSWORD_HASH_COST"
_COSTS = {
    "standard": {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4},
    "test": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
}


@lru_cache(maxsize=4)
def _hasher_for(cost: str) -> PasswordHasher:
    return PasswordHasher(**_COSTS.get(cost, _COSTS["standard"]))


def _hasher() -> PasswordHasher:
    return _hasher_for(os.environ.get(HASH_COST_ENV, "standard"))


@lru_cache(maxsize=4)
def _dummy_hash(cost: str) -> str:
    """Verified against when the user does not exist, so both failures take the same time."""
    return _hasher_for(cost).hash("qa-studio-timing-equaliser")


class SignInFailed(ServiceError):
    """Wrong username or password (deliberately the same message for both)."""

    key = "auth.invalid_credentials"


class AccountLocked(ServiceError):
    key = "auth.locked"


def hash_password(password: str) -> str:
    """An argon2id hash with its own random salt."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_rules(password: str, username: str = "") -> None:
    """Refuse passwords that are short, too long or equal to the username."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "password too short", key="auth.password_too_short", min=MIN_PASSWORD_LENGTH
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            "password too long", key="auth.password_too_long", max=MAX_PASSWORD_LENGTH
        )
    if username and password.strip().lower() == username.strip().lower():
        raise InvalidInput("password equals username", key="auth.password_is_username")


def lock_duration(failed_logins: int) -> timedelta | None:
    """How long an account stays locked after ``failed_logins`` consecutive failures."""
    if failed_logins < FAILURES_BEFORE_LOCK:
        return None
    doubled = FIRST_LOCK * (2 ** min(failed_logins - FAILURES_BEFORE_LOCK, 20))
    return min(doubled, LONGEST_LOCK)


def _minutes_left(locked_until: datetime, now: datetime) -> int:
    return max(1, int((locked_until - now).total_seconds() // 60) + 1)


def authenticate(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> Actor:
    """The actor for valid credentials; raises SignInFailed or AccountLocked otherwise.

    A failed attempt is committed before raising: the caller's unit of work rolls back on
    the exception, and a failure that is not recorded would defeat the lockout.
    """
    now = now or datetime.now(UTC)
    user = find_user(session, username)
    if user is None or not user.is_active:
        verify_password(_dummy_hash(os.environ.get(HASH_COST_ENV, "standard")), password or "")
        record_event(
            session,
            _anonymous(username),
            "auth.sign_in_failed",
            "user",
            "",
            reason="unknown_or_inactive",
        )
        session.commit()
        raise SignInFailed("invalid username or password")
    if user.locked_until is not None and user.locked_until > now:
        record_event(
            session, actor_for(user), "auth.sign_in_refused", "user", user.id, reason="locked"
        )
        session.commit()
        raise AccountLocked("account locked", minutes=_minutes_left(user.locked_until, now))
    if not verify_password(user.password_hash, password or ""):
        _record_failure(session, user, now)
        session.commit()
        raise SignInFailed("invalid username or password")
    return _record_success(session, user, password, now)


def _anonymous(username: str) -> Actor:
    return Actor(user_id=None, username=(username or "")[:120], role="anonymous")


def _record_failure(session: Session, user: User, now: datetime) -> None:
    user.failed_logins = (user.failed_logins or 0) + 1
    record_event(
        session,
        actor_for(user),
        "auth.sign_in_failed",
        "user",
        user.id,
        failed_logins=user.failed_logins,
    )
    lock = lock_duration(user.failed_logins)
    if lock is not None:
        user.locked_until = now + lock
        record_event(
            session,
            actor_for(user),
            "auth.locked_out",
            "user",
            user.id,
            minutes=int(lock.total_seconds() // 60),
        )


def _record_success(session: Session, user: User, password: str, now: datetime) -> Actor:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    actor = actor_for(user)
    record_event(session, actor, "auth.signed_in", "user", user.id)
    session.flush()
    return actor


def change_password(
    session: Session, actor: Actor, current: str, new: str, *, keep_token: str | None = None
) -> None:
    """Change one's own password; the current one must be given again. Every other
    signed-in browser of this user is signed out (``keep_token`` is this one's session)."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None or not user.is_active:
        raise NotFound("no such user", key="error.not_found")
    if not verify_password(user.password_hash, current or ""):
        raise InvalidInput("current password is wrong", key="auth.current_password_wrong")
    check_password_rules(new, user.username)
    if verify_password(user.password_hash, new):
        raise InvalidInput("new password equals old", key="auth.password_unchanged")
    user.password_hash = hash_password(new)
    record_event(session, actor, "auth.password_changed", "user", user.id)
    sign_in_sessions.revoke_user_sessions(
        session, actor, user.id, "password_changed", keep_token=keep_token
    )


def record_sign_out(session: Session, actor: Actor) -> None:
    """Sign-outs are audited like sign-ins, so a session's end is visible in the log."""
    record_event(session, actor, "auth.signed_out", "user", actor.user_id)
