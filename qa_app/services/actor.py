"""Who is acting. Services check roles on the actor, so hiding a page is never the only guard."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.services.errors import PermissionDenied

STAFF_ROLES = ("admin", "lead", "reviewer", "trainer")


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    username: str
    role: str
    agent_id: int | None = None
    team_id: int | None = None
    language: str = "en"

    @property
    def is_agent(self) -> bool:
        return self.role == "agent"


#: The command line and background jobs act as the system (full rights, audited as such).
SYSTEM = Actor(user_id=None, username="system", role="admin")


def require_role(actor: Actor, *roles: str) -> None:
    """Raise PermissionDenied unless the actor has one of ``roles`` (admin always passes)."""
    if actor.role == "admin" or actor.role in roles:
        return
    raise PermissionDenied(
        f"{actor.username} ({actor.role}) may not do this; needs one of: {', '.join(roles)}",
        key="error.permission_denied",
        role=actor.role,
    )
