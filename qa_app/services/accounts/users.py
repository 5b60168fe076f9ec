"""Managing who may sign in: add, list, change role, reset password, deactivate.

Every change needs an admin and is audit-logged. Agent users are linked to the Agent whose
conversations they may see; leads may carry a team.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.accounts import sign_in_sessions
from qa_app.services.accounts.auth import check_password_rules, find_user, hash_password
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import Conflict, InvalidInput, NotFound
from qa_app.services.permissions import require
from qa_app.storage.models import LANGUAGES, ROLES, Agent, Team, User

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,119}$")
#: No look-alike characters (0/O, 1/l/I) so a printed password can be typed back.
_PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
GENERATED_PASSWORD_LENGTH = 16


@dataclass(frozen=True, slots=True)
class UserRow:
    """A user as shown in lists (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    language: str
    agent_login: str | None
    team_name: str | None
    is_active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


def generate_password(length: int = GENERATED_PASSWORD_LENGTH) -> str:
    """A strong random password, shown once to the admin who created it."""
    while True:
        candidate = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in candidate) and any(c.isupper() for c in candidate):
            return candidate


def _row(session: Session, user: User) -> UserRow:
    team = session.get(Team, user.team_id) if user.team_id is not None else None
    return UserRow(
        id=user.id,
        username=user.username,
        display_name=user.display_name or "",
        role=user.role,
        language=user.language,
        agent_login=user.agent.login if user.agent is not None else None,
        team_name=team.name if team is not None else None,
        is_active=user.is_active,
        locked_until=user.locked_until,
        last_login_at=user.last_login_at,
    )


def _check_role(role: str) -> str:
    role = (role or "").strip().lower()
    if role not in ROLES:
        raise InvalidInput(
            f"unknown role {role!r}", key="users.unknown_role", role=role, roles=", ".join(ROLES)
        )
    return role


def _check_language(language: str) -> str:
    language = (language or "").strip().lower()
    if language not in LANGUAGES:
        raise InvalidInput(
            f"unknown language {language!r}", key="users.unknown_language", language=language
        )
    return language


def _agent_by_login(session: Session, login: str | None) -> Agent:
    name = (login or "").strip()
    if not name:
        raise InvalidInput("agent users need an agent login", key="users.agent_required")
    agent = session.scalar(select(Agent).where(func.lower(Agent.login) == name.lower()))
    if agent is None:
        raise NotFound(f"no agent {name!r}", key="users.agent_not_found", login=name)
    return agent


def _team_by_name(session: Session, name: str | None) -> Team | None:
    if not name:
        return None
    team = session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))
    if team is None:
        raise NotFound(f"no team {name!r}", key="users.team_not_found", team=name)
    return team


def _existing(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"no user {username!r}", key="users.not_found", username=username)
    return user


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    role: str,
    *,
    password: str | None = None,
    display_name: str = "",
    agent_login: str | None = None,
    team_name: str | None = None,
    language: str = "en",
    now: datetime | None = None,
) -> tuple[UserRow, str | None]:
    """Create a user; returns the row and the generated password when none was given."""
    require(actor, "users.manage")
    username = (username or "").strip()
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(f"bad username {username!r}", key="users.bad_username")
    role = _check_role(role)
    language = _check_language(language)
    if find_user(session, username) is not None:
        raise Conflict(f"user {username!r} exists", key="users.exists", username=username)
    generated = None if password else generate_password()
    check_password_rules(password or generated, username)
    agent = _agent_by_login(session, agent_login) if role == "agent" else None
    team = _team_by_name(session, team_name)
    if team is None and agent is not None:
        team = session.get(Team, agent.team_id) if agent.team_id else None
    user = User(
        username=username,
        display_name=(display_name or "").strip(),
        password_hash=hash_password(password or generated),
        role=role,
        language=language,
        agent=agent,
        team_id=team.id if team is not None else None,
        is_active=True,
        failed_logins=0,
        created_at=utc_now(now),
    )
    session.add(user)
    session.flush()
    record_event(
        session, actor, "user.added", "user", user.id, now=now, username=username, role=role
    )
    return _row(session, user), generated


def list_users(session: Session, actor: Actor, *, include_inactive: bool = True) -> list[UserRow]:
    require(actor, "users.manage")
    query = select(User).order_by(func.lower(User.username))
    if not include_inactive:
        query = query.where(User.is_active.is_(True))
    return [_row(session, user) for user in session.scalars(query)]


def _active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == "admin", User.is_active.is_(True))
        )
        or 0
    )


def set_role(
    session: Session,
    actor: Actor,
    username: str,
    role: str,
    *,
    agent_login: str | None = None,
    team_name: str | None = None,
    now: datetime | None = None,
) -> UserRow:
    """Change a user's role; an agent needs an agent login, the last admin stays admin.

    The user's open browsers are signed out: a tab opened under the old role must not keep
    acting with it until the next reload (the new role applies from the next sign-in)."""
    require(actor, "users.manage")
    role = _check_role(role)
    user = _existing(session, username)
    if user.role == "admin" and role != "admin" and user.is_active and _active_admins(session) <= 1:
        raise Conflict("last admin", key="users.last_admin")
    if role == "agent":
        user.agent = _agent_by_login(
            session, agent_login or (user.agent.login if user.agent else None)
        )
    elif agent_login:
        raise InvalidInput("agent login only for agents", key="users.agent_only_for_agents")
    else:
        user.agent = None
    if team_name:
        user.team_id = _team_by_name(session, team_name).id
    old = user.role
    user.role = role
    session.flush()
    record_event(session, actor, "user.role_changed", "user", user.id, now=now, old=old, new=role)
    if old != role:
        sign_in_sessions.revoke_user_sessions(session, actor, user.id, "role_changed", now=now)
    return _row(session, user)


def reset_password(
    session: Session, actor: Actor, username: str, *, now: datetime | None = None
) -> str:
    """A new generated password (shown once); also lifts any lockout."""
    require(actor, "users.manage")
    user = _existing(session, username)
    password = generate_password()
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    record_event(session, actor, "user.password_reset", "user", user.id, now=now)
    sign_in_sessions.revoke_user_sessions(session, actor, user.id, "password_reset", now=now)
    return password


def deactivate(
    session: Session, actor: Actor, username: str, *, now: datetime | None = None
) -> UserRow:
    """Stop a user signing in; their reviews and history stay."""
    require(actor, "users.manage")
    user = _existing(session, username)
    if actor.user_id is not None and user.id == actor.user_id:
        raise Conflict("cannot deactivate yourself", key="users.cannot_deactivate_self")
    if user.role == "admin" and user.is_active and _active_admins(session) <= 1:
        raise Conflict("last admin", key="users.last_admin")
    user.is_active = False
    record_event(session, actor, "user.deactivated", "user", user.id, now=now)
    sign_in_sessions.revoke_user_sessions(session, actor, user.id, "deactivated", now=now)
    return _row(session, user)


def reactivate(
    session: Session, actor: Actor, username: str, *, now: datetime | None = None
) -> UserRow:
    require(actor, "users.manage")
    user = _existing(session, username)
    user.is_active = True
    user.failed_logins = 0
    user.locked_until = None
    record_event(session, actor, "user.reactivated", "user", user.id, now=now)
    return _row(session, user)


def set_language(session: Session, actor: Actor, language: str) -> str:
    """Save the interface language of the acting user (any role may change their own)."""
    language = _check_language(language)
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None:
        raise NotFound("no such user", key="error.not_found")
    user.language = language
    return language


def count_users(session: Session) -> int:
    """How many users exist (the sign-in page explains how to create the first admin)."""
    return session.scalar(select(func.count()).select_from(User)) or 0
