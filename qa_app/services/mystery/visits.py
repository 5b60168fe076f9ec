"""Recording, reading and publishing visits; who may see which visit is decided here.

Visibility (``visible``) is one rule applied to every query of visits, reports included:
a lead, a trainer or an admin sees every visit; a shopper sees the visits they made; an
agent sees visits about themselves only after a lead published them; anyone else nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, false, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from qa_app.services.mystery import attachments as files
from qa_app.services.mystery.checklist import checklist_by_id
from qa_app.services.mystery.scenarios import scenario_by_key
from qa_app.services.permissions import can, require
from qa_app.storage.models import (
    Agent,
    Conversation,
    MysteryAnswer,
    MysteryAttachment,
    MysteryVisit,
    Team,
    User,
)
from scoring.rubric.files import Rubric
from scoring.rubric.score_maths import score_review

TEXT_LIMIT = 100_000
COMMENT_LIMIT = 4000


@dataclass(frozen=True, slots=True)
class AnswerInput:
    """One checklist item as the shopper answered it; ``value`` None with ``na`` False means
    not answered (refused on save: a visit is recorded complete)."""

    value: float | None = None
    na: bool = False
    comment: str = ""


@dataclass(frozen=True, slots=True)
class VisitInput:
    scenario: int | str
    contacted_at: datetime
    answers: Mapping[str, AnswerInput]
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    agent_login: str = ""
    team_name: str = ""
    summary: str = ""
    transcript: str = ""
    shopper: str = ""  # a lead entering results names the shopper (username); else oneself
    conversation_external_id: str = ""
    external_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Upload:
    name: str
    data: bytes = field(repr=False)


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


# --- recording ---------------------------------------------------------------------------


def _answers(rubric: Rubric, answers: Mapping[str, AnswerInput]) -> dict[str, float | None]:
    grades: dict[str, float | None] = {}
    missing = []
    for criterion in rubric.criteria():
        answer = answers.get(criterion.id)
        if answer is None or (answer.value is None and not answer.na):
            missing.append(criterion.id)
            continue
        if answer.na and not criterion.na_allowed:
            raise InvalidInput(
                f"{criterion.id}: N/A is not allowed",
                key="mystery.visit.na_not_allowed",
                item=criterion.name.en,
            )
        if not answer.na and answer.value not in criterion.scale.values:
            raise InvalidInput(
                f"{criterion.id}: {answer.value!r} is not on its scale",
                key="mystery.visit.bad_level",
                item=criterion.id,
                value=answer.value,
            )
        if len(answer.comment or "") > COMMENT_LIMIT:
            raise InvalidInput(
                f"{criterion.id}: comment too long",
                key="mystery.visit.comment_long",
                item=criterion.id,
            )
        grades[criterion.id] = None if answer.na else answer.value
    unknown = sorted(set(answers) - set(rubric.criterion_ids()))
    if unknown:
        raise InvalidInput(
            f"unknown checklist items {unknown}",
            key="mystery.visit.unknown_items",
            items=", ".join(unknown),
        )
    if missing:
        raise InvalidInput(
            f"unanswered items {missing}",
            key="mystery.visit.missing_items",
            items=", ".join(missing),
        )
    return grades


def _times(data: VisitInput, now: datetime) -> None:
    moments = [data.contacted_at, data.first_response_at, data.resolved_at]
    if any(m is not None and m.tzinfo is None for m in moments):
        raise InvalidInput("naive time", key="mystery.visit.naive_time")
    if data.contacted_at > now:
        raise InvalidInput("contact in the future", key="mystery.visit.future")
    for name, moment in (
        ("first_response", data.first_response_at),
        ("resolved", data.resolved_at),
    ):
        if moment is not None and moment < data.contacted_at:
            raise InvalidInput(
                f"{name} before contact", key="mystery.visit.before_contact", field=name
            )
    if data.first_response_at and data.resolved_at and data.resolved_at < data.first_response_at:
        raise InvalidInput("resolved before response", key="mystery.visit.resolved_first")


def require_recorder(actor: Actor) -> None:
    """Refuse (the registry's ``PermissionDenied``) anyone who may record no visit at all."""
    if not may_record(actor):
        require(actor, "mystery.record_own")


def _who(session: Session, actor: Actor, data: VisitInput) -> int | None:
    """The shopper a visit belongs to: oneself, or the named user when a lead enters it."""
    if not data.shopper or (actor.username and data.shopper == actor.username):
        require_recorder(actor)
        return actor.user_id
    require(actor, "mystery.record_any")
    user = session.scalar(select(User).where(User.username == data.shopper.strip()))
    if user is None:
        raise NotFound(
            f"no user {data.shopper!r}", key="mystery.visit.no_shopper", name=data.shopper
        )
    return user.id


def _agent_team(session: Session, data: VisitInput) -> tuple[int | None, int | None]:
    agent_id = team_id = None
    if data.agent_login.strip():
        agent = session.scalar(select(Agent).where(Agent.login == data.agent_login.strip()))
        if agent is None:
            raise NotFound(
                f"no agent {data.agent_login!r}",
                key="mystery.visit.no_agent",
                login=data.agent_login,
            )
        agent_id, team_id = agent.id, agent.team_id
    if data.team_name.strip():
        team = session.scalar(select(Team).where(Team.name == data.team_name.strip()))
        if team is None:
            raise NotFound(
                f"no team {data.team_name!r}", key="mystery.visit.no_team", team=data.team_name
            )
        team_id = team.id
    return agent_id, team_id


def _conversation(session: Session, external_id: str) -> int | None:
    if not external_id.strip():
        return None
    found = session.scalars(
        select(Conversation.id).where(Conversation.external_id == external_id.strip())
    ).all()
    if not found:
        raise NotFound(
            f"no conversation {external_id!r}", key="mystery.visit.no_conversation", id=external_id
        )
    return found[0]


def _text(value: str, limit: int) -> str:
    text = (value or "").replace("\x00", "")
    if len(text) > limit:
        raise InvalidInput("text too long", key="mystery.visit.text_long", limit=limit)
    return text


def build_visit(
    session: Session, actor: Actor, data: VisitInput, *, now: datetime | None = None
) -> MysteryVisit:
    """A checked, scored visit row with its answers (added to the session, not flushed)."""
    moment = utc_now(now)
    shopper_id = _who(session, actor, data)
    scenario = scenario_by_key(session, data.scenario)
    rubric = checklist_by_id(scenario.checklist)
    grades = _answers(rubric, data.answers)
    _times(data, moment)
    agent_id, team_id = _agent_team(session, data)
    score = score_review(rubric, grades)
    visit = MysteryVisit(
        scenario_id=scenario.id,
        shopper_id=shopper_id,
        recorded_by=actor.user_id,
        external_ref=data.external_ref,
        channel=scenario.channel,
        contacted_at=data.contacted_at,
        first_response_at=data.first_response_at,
        resolved_at=data.resolved_at,
        agent_id=agent_id,
        team_id=team_id,
        checklist=rubric.id,
        checklist_version=rubric.version,
        overall_score=score.overall,
        passed=score.passed,
        critical_fail=bool(score.zeroed_by),
        summary=_text(data.summary, TEXT_LIMIT),
        transcript=_text(data.transcript, TEXT_LIMIT),
        conversation_id=_conversation(session, data.conversation_external_id),
        created_at=moment,
        updated_at=moment,
    )
    write_answers(visit, rubric, grades, data.answers)
    session.add(visit)
    return visit


def write_answers(
    visit: MysteryVisit,
    rubric: Rubric,
    grades: Mapping[str, float | None],
    answers: Mapping[str, AnswerInput],
) -> None:
    """Put the checked answers on the visit: an item's row is updated in place when it has
    one (an edit), added otherwise; rows of items the checklist no longer has go."""
    current = {row.criterion_id: row for row in visit.answers}
    for criterion in rubric.criteria():
        row = current.pop(criterion.id, None)
        if row is None:
            row = MysteryAnswer(criterion_id=criterion.id)
            visit.answers.append(row)
        value = grades[criterion.id]
        row.value = value
        row.not_applicable = value is None
        row.failed = value is not None and criterion.is_fail(value)
        row.comment = _text(answers[criterion.id].comment, COMMENT_LIMIT).strip()
    for row in current.values():
        visit.answers.remove(row)


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
    stored: list[str] = []
    try:
        for upload, kind in zip(uploads, kinds, strict=True):
            stored.append(_attach(session, actor, visit.id, upload, kind, now))
        session.flush()
    except Exception:
        for name in stored:
            files.remove_file(name)
        raise
    record_event(
        session, actor, "mystery.visit_recorded", "mystery_visit", visit.id, now=now,
        attachments=len(stored),
    )  # fmt: skip
    return visit.id


def _attach(
    session: Session, actor: Actor, visit_id: int, upload: Upload, kind, now: datetime | None
) -> str:
    stored, digest = files.write_file(upload.data, kind)
    session.add(
        MysteryAttachment(
            visit_id=visit_id,
            stored_name=stored,
            original_name=(upload.name or "")[-255:],
            content_type=kind.content_type,
            size_bytes=len(upload.data),
            sha256=digest,
            uploaded_by=actor.user_id,
            created_at=utc_now(now),
        )
    )
    return stored


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


def add_attachments(
    session: Session,
    actor: Actor,
    visit_id: int,
    uploads: Sequence[Upload],
    *,
    now: datetime | None = None,
) -> int:
    """Attach more files to a visit one may change; all are checked before any is stored."""
    visit = _editable(session, actor, visit_id)
    kinds = [files.check_upload(u.name, u.data) for u in uploads]
    stored = [
        _attach(session, actor, visit.id, u, k, now) for u, k in zip(uploads, kinds, strict=True)
    ]
    session.flush()
    record_event(
        session,
        actor,
        "mystery.attachments_added",
        "mystery_visit",
        visit.id,
        now=now,
        count=len(stored),
    )
    return len(stored)


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


@dataclass(frozen=True, slots=True)
class AttachmentFile:
    name: str
    content_type: str
    data: bytes = field(repr=False)


def read_attachment(session: Session, actor: Actor, attachment_id: int) -> AttachmentFile:
    """An attachment's bytes, only for someone who may see its visit (NotFound otherwise)."""
    row = session.get(MysteryAttachment, attachment_id)
    if row is None:
        raise NotFound(f"no attachment {attachment_id}", key="mystery.attachment.not_found")
    visible_visit(session, actor, row.visit_id)
    try:
        data = files.read_file(row.stored_name)
    except FileNotFoundError:
        raise NotFound("attachment file missing", key="mystery.attachment.missing") from None
    return AttachmentFile(row.original_name or row.stored_name, row.content_type, data)
