"""Signing in through the organisation's identity provider (OpenID Connect single sign-on).

Streamlit's ``st.login`` does the OpenID Connect exchange and hands the page the ID token's
claims; this module turns those claims into a QA Studio account and the same sign-in
session a password gives (``sign_in_sessions``), so every role check downstream is
unchanged. The mapping (``sso_mapping``) decides the role and team at every sign-in, so a
change of groups at the provider reaches QA Studio at the next sign-in. Someone no rule
matches is refused and nothing is created; the refusal is audited.

An account made here is tied to the provider's ``iss`` and ``sub`` (``User.sso_subject``)
and has no usable password; a local password account with the same name is never taken
over (the admin resolves that, see ``docs/sso.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.accounts.identity import actor_for, find_user
from qa_app.services.accounts.sign_in_sessions import open_session, revoke_user_sessions
from qa_app.services.accounts.sso_mapping import SsoMapping, SsoRule
from qa_app.services.accounts.users import USERNAME_PATTERN
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import ServiceError
from qa_app.storage.models import LANGUAGES, Agent, Team, User

#: Stored instead of a password hash: no password verifies against it.
NO_PASSWORD = "!sso-account-without-password"
#: Claims older than this are not accepted for a new QA Studio session: the browser's
#: identity cookie lives for weeks, but a new session needs a fresh sign-in at the provider.
FRESH_SIGN_IN = timedelta(minutes=10)


class SsoRefused(ServiceError):
    """The provider vouched for someone QA Studio may not let in; ``key`` says why."""


class SsoStale(ServiceError):
    """The identity in the browser is older than ``FRESH_SIGN_IN``: sign in again."""

    key = "sso.stale"


def subject_of(claims: Mapping[str, Any]) -> str:
    """``issuer|subject``: the provider's stable identifier of the person."""
    sub = str(claims.get("sub") or "").strip()
    if not sub:
        raise SsoRefused("no sub claim", key="sso.no_subject")
    return f"{str(claims.get('iss') or '').strip()}|{sub}"[:255]


def groups_of(claims: Mapping[str, Any], mapping: SsoMapping) -> list[str]:
    """The person's groups from the configured claim (a list, or one name)."""
    value = claims.get(mapping.groups_claim)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(g) for g in value if isinstance(g, str | int)]
    return []


def _issued_at(claims: Mapping[str, Any]) -> datetime | None:
    value = claims.get("iat")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value, tz=UTC)


def _refuse(session: Session, email: str, reason: str, now: datetime, **details: Any) -> NoReturn:
    """Audit the refusal (committed: the caller's unit of work rolls back) and raise."""
    who = Actor(user_id=None, username=(email or "?")[:120], role="anonymous")
    record_event(session, who, "auth.sso_refused", "user", "", now=now, reason=reason,
                 **details)  # fmt: skip
    session.commit()
    raise SsoRefused(f"single sign-on refused: {reason}", key=f"sso.{reason}", email=email,
                     **details)  # fmt: skip


def _team_id(session: Session, rule: SsoRule, email: str, now: datetime) -> int | None:
    if rule.team is None:
        return None
    team = session.scalar(select(Team).where(func.lower(Team.name) == rule.team.lower()))
    if team is None:
        _refuse(session, email, "team_not_found", now, team=rule.team)
    return team.id


def _agent(
    session: Session, claims: Mapping[str, Any], mapping: SsoMapping, email: str, now: datetime
) -> Agent | None:
    """For the agent role: the agent whose login the configured claim (else the e-mail's
    part before @) names; without one the person cannot see their own conversations."""
    login = str(claims.get(mapping.agent_login_claim) or email.split("@", 1)[0]).strip()
    agent = session.scalar(select(Agent).where(func.lower(Agent.login) == login.lower()))
    if agent is None:
        _refuse(session, email, "agent_not_found", now, login=login)
    return agent


def _account(session: Session, subject: str, email: str, now: datetime) -> User | None:
    """The account of this subject; a local account with the same name is not taken."""
    user = session.scalar(select(User).where(User.sso_subject == subject))
    if user is None:
        same_name = find_user(session, email)
        if same_name is not None and same_name.sso_subject == subject:
            # The same person's first sign-in in another tab committed the account between
            # the two reads: it is theirs, not someone else's name.
            user = same_name
        elif same_name is not None:
            _refuse(session, email, "name_taken", now)
    if user is not None and not user.is_active:
        _refuse(session, email, "deactivated", now)
    return user


def sso_sign_in(
    session: Session,
    claims: Mapping[str, Any],
    mapping: SsoMapping,
    *,
    now: datetime | None = None,
) -> tuple[Actor, str]:
    """The account for the provider's ``claims`` (created or brought up to date from the
    mapping) and a new sign-in session token; SsoRefused or SsoStale otherwise."""
    now = utc_now(now)
    issued = _issued_at(claims)
    if issued is None or now - issued > FRESH_SIGN_IN:
        raise SsoStale("the identity is not fresh")
    subject = subject_of(claims)
    email = str(claims.get("email") or "").strip()
    if not USERNAME_PATTERN.match(email) or "@" not in email:
        _refuse(session, email, "no_email", now)
    groups = groups_of(claims, mapping)
    rule = mapping.rule_for(groups, email)
    if rule is None:
        _refuse(session, email, "no_role", now, groups=", ".join(sorted(groups)) or "-")
    user = _account(session, subject, email, now)
    team_id = _team_id(session, rule, email, now)
    agent = _agent(session, claims, mapping, email, now) if rule.role == "agent" else None
    if team_id is None and agent is not None:
        team_id = agent.team_id
    user = _apply(session, user, claims, mapping, rule, subject, email, team_id, agent, now)
    actor = actor_for(user)
    record_event(session, actor, "auth.signed_in", "user", user.id, now=now, method="sso")
    return actor, open_session(session, actor, now=now)


def _apply(
    session: Session,
    user: User | None,
    claims: Mapping[str, Any],
    mapping: SsoMapping,
    rule: SsoRule,
    subject: str,
    email: str,
    team_id: int | None,
    agent: Agent | None,
    now: datetime,
) -> User:
    """Create the account, or bring its role, team and agent up to date (audited)."""
    name = str(claims.get("name") or "").strip()[:200]
    locale = str(claims.get("locale") or "")[:2].lower()
    if user is None:
        user = User(
            username=email, display_name=name, password_hash=NO_PASSWORD, role=rule.role,
            language=locale if locale in LANGUAGES else mapping.language, agent=agent, team_id=team_id, is_active=True,
            failed_logins=0, created_at=now, sso_subject=subject,
        )  # fmt: skip
        session.add(user)
        session.flush()
        record_event(session, actor_for(user), "user.sso_created", "user", user.id, now=now,
                     username=email, role=rule.role, team=rule.team or "")  # fmt: skip
    else:
        old = (user.role, user.team_id, user.agent_id)
        user.role, user.team_id, user.agent = rule.role, team_id, agent
        user.display_name = name or user.display_name
        session.flush()
        if old != (user.role, user.team_id, user.agent_id):
            record_event(session, actor_for(user), "user.sso_updated", "user", user.id,
                         now=now, old=old[0], new=rule.role)  # fmt: skip
            revoke_user_sessions(session, actor_for(user), user.id, "role_changed", now=now)
    user.last_login_at = now
    return user


def missing_teams(session: Session, mapping: SsoMapping) -> list[str]:
    """``rules[N].team: "X"`` for each mapped team that does not exist (yet): people those
    rules match would be refused until it does (``qa-studio users sso-check``)."""
    names = {n.lower() for n in session.scalars(select(Team.name))}
    return [
        f'rules[{number}].team: "{rule.team}"'
        for number, rule in enumerate(mapping.rules, start=1)
        if rule.team is not None and rule.team.lower() not in names
    ]
