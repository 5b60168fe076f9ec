"""Correcting a saved visit: its facts, its checklist answers and more attachments.

The shopper who made a visit may correct it until a lead publishes it (after that the
agent may already have read it); a lead or an admin may correct any visit at any time.
Every edit carries the ``lock_version`` the form was opened with: when someone else saved
the visit meanwhile (another tab, a lead publishing it), the edit ends in a ``Conflict``
that says so and changes nothing, so no one silently overwrites another's correction.
The same rules as recording apply (complete answers, times in order, allowed files only),
and each edit writes one audit entry naming the fields and items that changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import Conflict, NotFound, PermissionDenied
from qa_app.services.mystery import attachments as files
from qa_app.services.mystery.checklist import checklist_by_id
from qa_app.services.mystery.scenarios import scenario_by_key
from qa_app.services.mystery.visibility import _editable
from qa_app.services.mystery.visit_building import (
    _agent_team,
    _answers,
    _conversation,
    _text,
    _times,
    write_answers,
)
from qa_app.services.mystery.visit_files import attach_uploads
from qa_app.services.mystery.visit_inputs import TEXT_LIMIT, Upload, VisitInput
from qa_app.services.permissions import can, require
from qa_app.storage.models import MysteryVisit, User
from scoring.rubric.score_maths import score_review

#: The visit's own columns an edit may change, named as the audit entry lists them.
FIELDS = (
    "scenario_id", "shopper_id", "contacted_at", "first_response_at", "resolved_at",
    "agent_id", "team_id", "summary", "transcript", "conversation_id",
)  # fmt: skip


def _stale(visit_id: int) -> Conflict:
    return Conflict(
        f"visit {visit_id} was changed by someone else meanwhile",
        key="mystery.visit.stale",
        visit=visit_id,
    )


def editable_visit(session: Session, actor: Actor, visit_id: int) -> MysteryVisit:
    """A visit the actor may correct now: a lead (or admin) any visit, a shopper their own
    while it is unpublished. Refused otherwise, with the reason."""
    visit = _editable(session, actor, visit_id)
    if visit.published and not can(actor, "mystery.record_any"):
        raise PermissionDenied(
            "a published visit is corrected by a lead", key="mystery.visit.published_locked"
        )
    return visit


def may_edit(actor: Actor, visit: MysteryVisit) -> bool:
    """Whether the page offers to correct this visit (the service decides again on save)."""
    if can(actor, "mystery.record_any"):
        return True
    return (
        can(actor, "mystery.record_own")
        and visit.shopper_id == actor.user_id
        and not visit.published
    )


def _shopper(session: Session, actor: Actor, visit: MysteryVisit, name: str) -> int | None:
    """Who the visit belongs to after the edit: unchanged unless a lead names another user."""
    name = (name or "").strip()
    if not name:
        return visit.shopper_id
    user = session.scalar(select(User).where(User.username == name))
    if user is not None and user.id == visit.shopper_id:
        return user.id
    require(actor, "mystery.record_any")
    if user is None:
        raise NotFound(f"no user {name!r}", key="mystery.visit.no_shopper", name=name)
    return user.id


def _snapshot(visit: MysteryVisit) -> tuple[dict[str, object], dict[str, tuple]]:
    fields = {name: getattr(visit, name) for name in FIELDS}
    answers = {a.criterion_id: (a.value, a.not_applicable, a.comment) for a in visit.answers}
    return fields, answers


def _apply(session: Session, actor: Actor, visit: MysteryVisit, data: VisitInput, now) -> None:
    """Check ``data`` as a recording is checked, all of it, then write it into ``visit``."""
    scenario = scenario_by_key(session, data.scenario)
    rubric = checklist_by_id(scenario.checklist)
    grades = _answers(rubric, data.answers)
    _times(data, now)
    shopper_id = _shopper(session, actor, visit, data.shopper)
    agent_id, team_id = _agent_team(session, data)
    conversation_id = _conversation(session, data.conversation_external_id)
    summary, transcript = _text(data.summary, TEXT_LIMIT), _text(data.transcript, TEXT_LIMIT)
    score = score_review(rubric, grades)
    visit.shopper_id, visit.agent_id, visit.team_id = shopper_id, agent_id, team_id
    visit.conversation_id, visit.summary, visit.transcript = conversation_id, summary, transcript
    visit.scenario_id, visit.channel = scenario.id, scenario.channel
    visit.checklist, visit.checklist_version = rubric.id, rubric.version
    visit.contacted_at = data.contacted_at
    visit.first_response_at, visit.resolved_at = data.first_response_at, data.resolved_at
    visit.overall_score, visit.passed = score.overall, score.passed
    visit.critical_fail = bool(score.zeroed_by)
    write_answers(visit, rubric, grades, data.answers)


def update_visit(
    session: Session,
    actor: Actor,
    visit_id: int,
    lock_version: int | None,
    data: VisitInput,
    uploads: Sequence[Upload] = (),
    *,
    now: datetime | None = None,
) -> int:
    """Correct a visit opened at ``lock_version``; returns its new version. A stale version
    is a Conflict; a refused file or field leaves the visit (and the disk) as it was."""
    visit = editable_visit(session, actor, visit_id)
    if visit.lock_version != lock_version:
        raise _stale(visit_id)
    kinds = [files.check_upload(u.name, u.data) for u in uploads]
    moment = utc_now(now)
    before, answers_before = _snapshot(visit)
    _apply(session, actor, visit, data, moment)
    after, answers_after = _snapshot(visit)
    visit.updated_at = moment
    flag_modified(visit, "updated_at")  # the version moves even when nothing else did
    try:
        session.flush()
    except StaleDataError as exc:  # saved by someone else between our read and our write
        raise _stale(visit_id) from exc
    stored = attach_uploads(session, actor, visit.id, uploads, kinds, now)
    items = sorted(k for k in answers_before.keys() | answers_after.keys()
                   if answers_before.get(k) != answers_after.get(k))  # fmt: skip
    record_event(
        session, actor, "mystery.visit_edited", "mystery_visit", visit.id, now=now,
        fields=[name for name in FIELDS if before[name] != after[name]], items=items,
        attachments=len(stored), published=visit.published,
    )  # fmt: skip
    return visit.lock_version
