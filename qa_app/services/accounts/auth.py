"""Signing in: salted slow password hashes, lockout after repeated failures, audit trail.

Failed attempts are stored on the user row (``failed_logins``/``locked_until``) so the
lockout holds across browser sessions, server processes and restarts.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, update
from sqlalchemy.orm import Session

from qa_app.services.accounts import sign_in_sessions
from qa_app.services.accounts.identity import actor_for, find_user
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
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


def current_cost() -> str:
    """The argon2 cost in force: ``standard`` unless ``QA_STUDIO_PASSWORD_HASH_COST`` says."""
    cost = os.environ.get(HASH_COST_ENV, "standard")
    return cost if cost in _COSTS else "standard"


def _hasher() -> PasswordHasher:
    return _hasher_for(current_cost())


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


def _verify(password_hash: str | None, password: str) -> bool:
    """The one argon2 verification every sign-in attempt makes, whatever happens next.

    With no usable stored hash (unknown, deactivated) it verifies against a dummy hash of
    the same cost, so an unknown user, a locked account and a wrong password all cost one
    verification: their answer times do not tell an attacker which accounts exist.
    """
    target = password_hash or _dummy_hash(current_cost())
    return verify_password(target, password) and password_hash is not None


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

    Every path verifies one password hash (``_verify``) before deciding. A failed attempt
    is counted by one atomic ``UPDATE ... RETURNING`` and committed before raising: the
    caller's unit of work rolls back on the exception, and a failure that is not recorded
    (or two parallel failures counted as one) would defeat the lockout.
    """
    now = utc_now(now)
    user = find_user(session, username)
    usable = user is not None and user.is_active
    password_ok = _verify(user.password_hash if usable else None, password or "")
    if not usable:
        record_event(
            session, _anonymous(username), "auth.sign_in_failed", "user", "",
            now=now, reason="unknown_or_inactive",
        )  # fmt: skip
        session.commit()
        raise SignInFailed("invalid username or password")
    locked = user.locked_until is not None and user.locked_until > now
    if password_ok and not locked:
        return _record_success(session, user, password, now)
    locked_until = user.locked_until if locked else None
    if password_ok:
        record_event(
            session, actor_for(user), "auth.sign_in_refused", "user", user.id,
            now=now, reason="locked",
        )  # fmt: skip
    else:
        locked_until = _record_failure(session, user, now, locked_until)
    session.commit()
    if locked and locked_until is not None:  # the attempt that sets the lock fails plainly
        raise AccountLocked("account locked", minutes=_minutes_left(locked_until, now))
    raise SignInFailed("invalid username or password")


def _anonymous(username: str) -> Actor:
    return Actor(user_id=None, username=(username or "")[:120], role="anonymous")


def _record_failure(
    session: Session, user: User, now: datetime, locked_until: datetime | None
) -> datetime | None:
    """Count one failure atomically (parallel attempts each count) and lock when due;
    returns when the account is locked until, if it is. A wrong password while locked
    counts too, so the lock follows the number of wrong passwords, however they arrive."""
    users = User.__table__
    failures = session.execute(
        update(users)
        .where(users.c.id == user.id)
        .values(failed_logins=func.coalesce(users.c.failed_logins, 0) + 1)
        .returning(users.c.failed_logins)
    ).scalar_one()
    actor = actor_for(user)
    record_event(
        session, actor, "auth.sign_in_failed", "user", user.id,
        now=now, failed_logins=failures, locked=locked_until is not None,
    )  # fmt: skip
    lock = lock_duration(failures)
    if lock is None:
        return locked_until
    until = now + lock
    session.execute(
        update(users)
        .where(
            users.c.id == user.id,
            or_(users.c.locked_until.is_(None), users.c.locked_until < until),
        )
        .values(locked_until=until)
    )
    minutes = int(lock.total_seconds() // 60)
    record_event(session, actor, "auth.locked_out", "user", user.id, now=now, minutes=minutes)
    return max(until, locked_until) if locked_until is not None else until


def _record_success(session: Session, user: User, password: str, now: datetime) -> Actor:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    actor = actor_for(user)
    record_event(session, actor, "auth.signed_in", "user", user.id, now=now)
    session.flush()
    return actor


def change_password(
    session: Session,
    actor: Actor,
    current: str,
    new: str,
    *,
    keep_token: str | None = None,
    now: datetime | None = None,
) -> None:
    """Change one's own password; the current one must be given again. Every other
    signed-in browser of this user is signed out (``keep_token`` is this one's session)."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None or not user.is_active:
        raise NotFound("no such user", key="error.not_found")
    if user.sso_subject is not None:  # signs in at the identity provider: no password here
        raise InvalidInput("single sign-on account", key="sso.no_password")
    if not verify_password(user.password_hash, current or ""):
        raise InvalidInput("current password is wrong", key="auth.current_password_wrong")
    check_password_rules(new, user.username)
    if verify_password(user.password_hash, new):
        raise InvalidInput("new password equals old", key="auth.password_unchanged")
    user.password_hash = hash_password(new)
    record_event(session, actor, "auth.password_changed", "user", user.id, now=now)
    sign_in_sessions.revoke_user_sessions(
        session, actor, user.id, "password_changed", keep_token=keep_token, now=now
    )


def record_sign_out(session: Session, actor: Actor, *, now: datetime | None = None) -> None:
    """Sign-outs are audited like sign-ins, so a session's end is visible in the log."""
    record_event(session, actor, "auth.signed_out", "user", actor.user_id, now=now)
