"""Who a stored user is when acting: the one place that turns a ``User`` row into an ``Actor``.

Kept apart from passwords (``auth``) and browser sessions (``sign_in_sessions``), which both
need it, so neither has to import the other for it.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.storage.models import User


def actor_for(user: User) -> Actor:
    """The acting identity of a user: agents carry their agent, leads their team."""
    return Actor(
        user_id=user.id,
        username=user.username,
        role=user.role,
        agent_id=user.agent_id,
        team_id=user.team_id,
        language=user.language or "en",
    )


def find_user(session: Session, username: str) -> User | None:
    """Usernames are matched case-insensitively and without surrounding spaces."""
    name = (username or "").strip().lower()
    if not name:
        return None
    return session.scalar(select(User).where(func.lower(User.username) == name))


def load_actor(session: Session, user_id: int) -> Actor | None:
    """The current identity of a signed-in user, or None once deactivated or removed.

    Called on every page run so role changes and deactivation take effect at once.
    """
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return actor_for(user)
