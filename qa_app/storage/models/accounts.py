"""Teams, agents, the users who sign in, their browser sessions and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.storage.models.base import Base
from qa_app.storage.types import utc_now


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    agents: Mapped[list[Agent]] = relationship(back_populates="team")


class Agent(Base):
    """A support agent as seen in conversations (``author`` of agent messages).

    ``is_bot`` marks a chatbot or AI agent (the author of ``bot`` messages, migration 0019):
    it is reported as an agent of its own, beside the people (docs/architecture.md)."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    team: Mapped[Team | None] = relationship(back_populates="agents")


class User(Base):
    """Someone who signs in. An agent user is linked to their Agent and sees only their own."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2), default="en")
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    #: ``issuer|subject`` of a single sign-on account (None: a local password account).
    sso_subject: Mapped[str | None] = mapped_column(String(255), unique=True)

    agent: Mapped[Agent | None] = relationship()


class SignInSession(Base):
    """A browser's signed-in session, so a page reload does not sign the user out.

    Only a SHA-256 of the random token is stored: a copy of this table cannot be replayed
    as a cookie. ``revoked_at`` ends it early (sign-out, password change, deactivation).
    """

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ApiToken(Base):
    """A personal token for the REST API (``qa-studio api``), acting as its user.

    Only a SHA-256 of the token is stored, so a copy of this table cannot be used to call
    the API; ``prefix`` (the token's first characters) lets a user tell tokens apart.
    A revoked token, or one of a deactivated user, is refused.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by: Mapped[str] = mapped_column(String(120), default="")
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    #: Refused from this moment on (None only for rows written before expiry existed).
    expires_at: Mapped[datetime | None]
