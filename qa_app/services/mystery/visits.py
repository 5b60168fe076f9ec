"""Recording and publishing visits.

What a visit is recorded from is in ``visit_inputs``, how it is checked and scored in
``visit_building``, its attachments in ``visit_files``; who may see or change which visit
is decided in ``visibility``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import Conflict, NotFound
from qa_app.services.mystery import attachments as files
from qa_app.services.mystery.visit_building import build_visit
from qa_app.services.mystery.visit_files import attach_uploads
from qa_app.services.mystery.visit_inputs import Upload, VisitInput
from qa_app.services.permissions import require
from qa_app.storage.models import MysteryVisit

# --- recording ---------------------------------------------------------------------------


def record_visit(
    session: Session,
    actor: Actor,
    data: VisitInput,
    uploads: Sequence[Upload] = (),
    *,
    now: datetime | None = None,
) -> int:
    """Record a visit with its attachments; every upload is checked before anything is
    stored, so a refused file leaves neither a visit nor a stray file behind."""
    kinds = [files.check_upload(u.name, u.data) for u in uploads]
    visit = build_visit(session, actor, data, now=now)
    session.flush()
    stored = attach_uploads(session, actor, visit.id, uploads, kinds, now)
    record_event(
        session, actor, "mystery.visit_recorded", "mystery_visit", visit.id, now=now,
        attachments=len(stored),
    )  # fmt: skip
    return visit.id


def set_published(
    session: Session,
    actor: Actor,
    visit_ids: Sequence[int],
    published: bool = True,
    *,
    now: datetime | None = None,
) -> int:
    """Publish (or withdraw) visits to the agents they are about; returns how many changed.
    Two leads publishing at once end in a Conflict for the second, never a lost change."""
    require(actor, "mystery.publish")
    changed = 0
    moment = utc_now(now)
    for visit_id in visit_ids:
        visit = session.get(MysteryVisit, visit_id)
        if visit is None:
            raise NotFound(f"no visit {visit_id}", key="mystery.visit.not_found", visit=visit_id)
        if visit.published == published:
            continue
        visit.published = published
        visit.published_at = moment if published else None
        visit.published_by = actor.user_id if published else None
        visit.updated_at = moment
        changed += 1
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict("visit changed meanwhile", key="mystery.visit.conflict") from exc
    if changed:
        record_event(
            session, actor, "mystery.visits_published" if published else "mystery.visits_withdrawn",
            "mystery_visit", ",".join(str(v) for v in visit_ids)[:200], now=now, count=changed,
        )  # fmt: skip
    return changed
