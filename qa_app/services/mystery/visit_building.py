"""Turning a shopper's input into a checked, scored visit row: every answer on the
checklist's scale, times in order, the shopper, agent, team and conversation named found."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.mystery.checklist import checklist_by_id
from qa_app.services.mystery.scenarios import scenario_by_key
from qa_app.services.mystery.visibility import require_recorder
from qa_app.services.mystery.visit_inputs import COMMENT_LIMIT, TEXT_LIMIT, AnswerInput, VisitInput
from qa_app.services.permissions import require
from qa_app.storage.models import Agent, Conversation, MysteryAnswer, MysteryVisit, Team, User
from scoring.rubric.files import Rubric
from scoring.rubric.score_maths import score_review


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
