"""Who may see and who may change which mystery-shopper visit, in one place.

Visibility (``visible``) is one rule applied to every query of visits, reports included:
a lead, a trainer or an admin sees every visit; a shopper sees the visits they made; an
agent sees visits about themselves only after a lead published them; anyone else nothing."""

from __future__ import annotations

from sqlalchemy import Select, and_, false, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.errors import NotFound, PermissionDenied
from qa_app.services.permissions import can, require
from qa_app.storage.models import MysteryVisit


def visible(stmt: Select, actor: Actor) -> Select:
    """``stmt`` over MysteryVisit narrowed to what ``actor`` may see."""
    if can(actor, "mystery.read_any"):
        return stmt
    if can(actor, "mystery.record_own"):
        return stmt.where(MysteryVisit.shopper_id == actor.user_id)
    if can(actor, "mystery.read_published_own") and actor.agent_id is not None:
        return stmt.where(
            and_(MysteryVisit.agent_id == actor.agent_id, MysteryVisit.published.is_(True))
        )
    return stmt.where(false())


def may_record(actor: Actor) -> bool:
    return can(actor, "mystery.record_any") or can(actor, "mystery.record_own")


def visible_visit(session: Session, actor: Actor, visit_id: int) -> MysteryVisit:
    """A visit the actor may see; NotFound otherwise (no hint that it exists)."""
    row = session.scalar(visible(select(MysteryVisit), actor).where(MysteryVisit.id == visit_id))
    if row is None:
        raise NotFound(f"no visit {visit_id}", key="mystery.visit.not_found", visit=visit_id)
    return row


def require_recorder(actor: Actor) -> None:
    """Refuse (the registry's ``PermissionDenied``) anyone who may record no visit at all."""
    if not may_record(actor):
        require(actor, "mystery.record_own")


def _editable(session: Session, actor: Actor, visit_id: int) -> MysteryVisit:
    """A visit the actor may change. Someone who records no visits is refused by the
    registry first, whether or not the visit is visible to them."""
    require_recorder(actor)
    visit = visible_visit(session, actor, visit_id)
    if not can(actor, "mystery.record_any") and not (
        can(actor, "mystery.record_own") and visit.shopper_id == actor.user_id
    ):
        raise PermissionDenied("may not change this visit", role=actor.role)
    return visit
