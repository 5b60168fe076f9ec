"""Who is acting. Services check what the actor may do in ``permissions``, so hiding a page is
never the only guard."""

from __future__ import annotations

from dataclasses import dataclass


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

    def still_holds(self, role: str | None) -> bool:
        """Whether this actor still has ``role``, a browser tab's snapshot from sign-in: a
        tab whose user's role changed is signed out rather than carried on with the new
        one (not a permission check: those go through ``permissions``)."""
        return self.role == role


#: The command line and background jobs act as the system (full rights, audited as such).
SYSTEM = Actor(user_id=None, username="system", role="admin")
