"""Personal API tokens: how a program calls the REST API (``qa-studio api``) as a user.

A token is shown once, when it is created; the database keeps only its SHA-256 (like
sign-in sessions), so a copy of the table cannot call the API. A user creates and revokes
their own tokens; an admin (``users.manage``) does it for anyone. Every call checks the
token against the user as stored now: a revoked token and a deactivated user's token are
refused, and the caller acts with the user's current role. Every token expires (90 days
unless its creator chose between 1 and 365), so a forgotten token stops working by itself.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services.accounts.identity import actor_for, find_user
from qa_app.services.accounts.sign_in_sessions import TOUCH_INTERVAL, token_digest
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.permissions import can, require
from qa_app.storage.models import ApiToken, User

#: Tokens start with this, so a leaked one is recognisable in logs and secret scanners.
TOKEN_PREFIX = "qas_"
TOKEN_BYTES = 32
MAX_NAME = 120
#: How long a new token lives unless its creator says otherwise, and the longest allowed.
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365


@dataclass(frozen=True, slots=True)
class ApiTokenRow:
    """A token as listed: never the token itself, only its first characters."""

    id: int
    username: str
    name: str
    prefix: str
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime | None

    def state(self, now: datetime) -> str:
        """``revoked``, ``expired`` or ``active`` at ``now`` (what the token list shows)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """The answer of ``check_api_token``: the actor, or why not (``missing``, ``unknown``,
    ``revoked``, ``expired``, ``inactive``)."""

    actor: Actor | None
    reason: str = "valid"


def _target(session: Session, actor: Actor, username: str) -> User:
    """The user whose tokens ``actor`` manages: themselves, or anyone for an admin."""
    require(actor, "account.api_tokens")
    user = find_user(session, username)
    own = user is not None and user.id == actor.user_id
    if not own:
        require(actor, "users.manage")
    if user is None:
        raise NotFound(f"no user {username!r}", key="users.not_found", username=username)
    return user


def _check_lifetime(days: int) -> int:
    """Refuse a lifetime outside 1..365 days, saying which range is allowed."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_LIFETIME_DAYS:
        raise InvalidInput(
            f"a token lives 1 to {MAX_LIFETIME_DAYS} days, not {days!r}",
            key="api_tokens.bad_lifetime", days=days, max=MAX_LIFETIME_DAYS,
        )  # fmt: skip
    return days


def create_api_token(
    session: Session,
    actor: Actor,
    username: str,
    name: str = "",
    *,
    days: int = DEFAULT_LIFETIME_DAYS,
    now: datetime | None = None,
) -> tuple[ApiTokenRow, str]:
    """A new token for ``username`` valid for ``days``: the row as listed, and the token
    (shown only now)."""
    name = (name or "").strip()
    if len(name) > MAX_NAME:
        detail = f"a token name has at most {MAX_NAME} characters"
        raise InvalidInput(detail, key="error.invalid_input", detail=detail)
    days = _check_lifetime(days)
    user = _target(session, actor, username)
    if not user.is_active:
        detail = f"user {user.username!r} is deactivated"
        raise InvalidInput(detail, key="error.invalid_input", detail=detail)
    now = utc_now(now)
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiToken(
        user_id=user.id, name=name, prefix=token[:10], token_hash=token_digest(token),
        created_at=now, created_by=actor.username, expires_at=now + timedelta(days=days),
    )  # fmt: skip
    session.add(row)
    session.flush()
    record_event(session, actor, "api_token.create", "user", user.id, now=now,
                 token_id=row.id, name=name, days=days)  # fmt: skip
    return _listed(row, user.username), token


def _listed(row: ApiToken, username: str) -> ApiTokenRow:
    return ApiTokenRow(
        row.id, username, row.name, row.prefix, row.created_at, row.created_by,
        row.last_used_at, row.revoked_at, row.expires_at,
    )  # fmt: skip


def list_api_tokens(session: Session, actor: Actor, username: str) -> list[ApiTokenRow]:
    """A user's tokens, newest first (revoked ones too, marked)."""
    user = _target(session, actor, username)
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    )
    return [_listed(row, user.username) for row in rows]


def revoke_api_token(
    session: Session, actor: Actor, token_id: int, *, now: datetime | None = None
) -> ApiTokenRow:
    """End one token at once; revoking a revoked token changes nothing."""
    require(actor, "account.api_tokens")
    row = session.get(ApiToken, int(token_id))
    if row is None or (row.user_id != actor.user_id and not can(actor, "users.manage")):
        raise NotFound(f"no API token {token_id}", key="error.not_found")
    user = session.get(User, row.user_id)
    if row.revoked_at is None:
        now = utc_now(now)
        row.revoked_at = now
        record_event(session, actor, "api_token.revoke", "user", row.user_id, now=now,
                     token_id=row.id)  # fmt: skip
    return _listed(row, user.username)


def check_api_token(
    session: Session, token: str | None, *, now: datetime | None = None
) -> TokenCheck:
    """Who calls with ``token`` (as the user is stored now), or why the call is refused.

    One indexed query; the last use is written at most once a minute."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return TokenCheck(None, "missing")
    found = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_digest(token))
    ).first()
    if found is None:
        return TokenCheck(None, "unknown")
    row, user = found
    if row.revoked_at is not None:
        return TokenCheck(None, "revoked")
    if not user.is_active:
        return TokenCheck(None, "inactive")
    now = utc_now(now)
    if row.expires_at is not None and row.expires_at <= now:
        return TokenCheck(None, "expired")
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_INTERVAL:
        row.last_used_at = now
    return TokenCheck(actor_for(user))
