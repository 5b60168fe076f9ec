"""Retention: conversations older than their source's period are deleted, with everything
derived from them, after their numbers are folded into ``agent_week_aggregates``.

Policies live in the ``retention_policies`` table (one row per source, in days), not in a
settings file: the admin sets them on the Privacy page, each change is audited, and the
app and the nightly ``qa-studio retention purge`` of one deployment read the same value.
A source without a policy is kept for ever.

What scorecards keep of a purged week, per source, agent, team, ISO week and channel:
conversation and message counts, escalations, CSAT sum, count and satisfied (4-5) count,
NPS answers, promoters and detractors, per survey attribute the satisfaction and importance
sums and counts, first-response sum and count, submitted reviews (count, score sum,
critical fails) and the conversation-level automatic scores per task (sum and count), so
means, shares, volumes and trends stay computable.
Conversations still being worked on (an assignment pending or in progress, an open
dispute) are held back and reported, never deleted mid-review.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput
from qa_app.services.permissions import require
from qa_app.services.privacy.closure import delete_rows, derived_rows
from qa_app.storage.models import (
    AgentWeekAggregate,
    Assignment,
    AuditEvent,
    AutoScore,
    Conversation,
    Dispute,
    RetentionPolicy,
    Review,
    SurveyRating,
)
from scoring.stats.proportions import CSAT_SATISFIED_FROM, NPS_DETRACTOR_UP_TO, NPS_PROMOTER_FROM

MAX_DAYS = 36_500
#: The app's own schedule: a purge runs when an admin opens the app and none ran this long.
PURGE_INTERVAL = timedelta(hours=24)
REVIEWED = ("submitted", "disputed", "final")


@dataclass(frozen=True, slots=True)
class Policy:
    source: str
    days: int | None  # None: no policy, kept for ever
    conversations: int  # stored now


@dataclass
class SourcePurge:
    source: str
    days: int
    cutoff: datetime
    deleted: dict[str, int] = field(default_factory=dict)  # table -> rows
    held: int = 0  # old, but still under review or dispute


@dataclass
class PurgeReport:
    at: datetime
    dry_run: bool
    sources: list[SourcePurge]
    aggregates_written: int = 0

    @property
    def conversations(self) -> int:
        return sum(s.deleted.get("conversations", 0) for s in self.sources)


def list_policies(session: Session, actor: Actor) -> list[Policy]:
    """Every source seen in conversations or policies, with its period and volume."""
    require(actor, "privacy.retention")
    volumes = dict(
        session.execute(
            select(Conversation.source, func.count()).group_by(Conversation.source)
        ).all()
    )
    days = dict(session.execute(select(RetentionPolicy.source, RetentionPolicy.days)).all())
    return [
        Policy(source, days.get(source), volumes.get(source, 0))
        for source in sorted(set(volumes) | set(days))
    ]


def set_policy(
    session: Session, actor: Actor, source: str, days: int | None, *, now: datetime | None = None
) -> None:
    """Keep ``source``'s conversations ``days`` days after they started (None: for ever)."""
    require(actor, "privacy.retention")
    source = (source or "").strip()
    if not source or len(source) > 120:
        detail = "source must be a name of 1-120 characters"
        raise InvalidInput(detail, key="privacy.error.bad_source")
    if days is not None and not 1 <= days <= MAX_DAYS:
        detail = f"days must be between 1 and {MAX_DAYS}"
        raise InvalidInput(detail, key="privacy.error.bad_days", limit=MAX_DAYS)
    at = utc_now(now)
    policy = session.get(RetentionPolicy, source)
    old = policy.days if policy else None
    if days is None:
        if policy is not None:
            session.execute(delete(RetentionPolicy).where(RetentionPolicy.source == source))
    elif policy is None:
        session.add(
            RetentionPolicy(source=source, days=days, updated_by=actor.user_id, updated_at=at)
        )
    else:
        policy.days, policy.updated_by, policy.updated_at = days, actor.user_id, at
    record_event(
        session, actor, "retention.policy_set", "source", source, now=at, old=old, new=days
    )


def purge(
    session: Session, actor: Actor, *, now: datetime | None = None, dry_run: bool = False
) -> PurgeReport:
    """Delete what is past its source's period (``dry_run``: only say what would go)."""
    require(actor, "privacy.retention")
    at = utc_now(now)
    report = PurgeReport(at=at, dry_run=dry_run, sources=[])
    # FOR UPDATE (PostgreSQL): a second purge started at the same moment waits, then finds
    # the rows gone, so no conversation is folded into the aggregates twice.
    policies = session.execute(
        select(RetentionPolicy).order_by(RetentionPolicy.source).with_for_update()
    )
    for policy in policies.scalars().all():
        report.sources.append(_purge_source(session, policy, at, dry_run, report))
    if not dry_run:
        record_event(
            session,
            actor,
            "retention.purged",
            "retention",
            "",
            now=at,
            sources={s.source: s.deleted for s in report.sources},
            held={s.source: s.held for s in report.sources if s.held},
            aggregates=report.aggregates_written,
        )
    return report


def _purge_source(
    session: Session, policy: RetentionPolicy, at: datetime, dry_run: bool, report: PurgeReport
) -> SourcePurge:
    cutoff = at - timedelta(days=policy.days)
    result = SourcePurge(policy.source, policy.days, cutoff)
    old = set(
        session.scalars(
            select(Conversation.id).where(
                Conversation.source == policy.source, Conversation.started_at < cutoff
            )
        )
    )
    held = _in_progress(session, old)
    result.held = len(held)
    ids = sorted(old - held)
    if not ids:
        return result
    closure = derived_rows(session, ids)
    result.deleted = closure.counts()
    if not dry_run:
        report.aggregates_written += write_aggregates(session, ids, at)
        delete_rows(session, closure)
    return result


def _in_progress(session: Session, ids: set[int]) -> set[int]:
    """Of ``ids``, the conversations with an open assignment or an open dispute."""
    if not ids:
        return set()
    open_assignments = select(Assignment.conversation_id).where(
        Assignment.status.in_(("pending", "in_progress")),
        Assignment.conversation_id.in_(ids),
    )
    open_disputes = (
        select(Review.conversation_id)
        .join(Dispute, Dispute.review_id == Review.id)
        .where(Dispute.status == "open", Review.conversation_id.in_(ids))
    )
    return set(session.scalars(open_assignments)) | set(session.scalars(open_disputes))


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of the ISO week ``moment`` falls in."""
    day = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def write_aggregates(session: Session, ids: list[int], at: datetime) -> int:
    """Fold the conversations ``ids`` into their agent-week rows; returns rows touched."""
    groups: dict[tuple, dict] = defaultdict(_empty)
    key_of: dict[int, tuple] = {}
    rows = session.execute(
        select(
            Conversation.id, Conversation.source, Conversation.agent_id, Conversation.team_id,
            Conversation.started_at, Conversation.channel, Conversation.message_count,
            Conversation.escalated, Conversation.csat, Conversation.nps,
            Conversation.first_response_seconds,
        ).where(Conversation.id.in_(ids))
    )  # fmt: skip
    for row in rows:
        key = (row.source, row.agent_id, row.team_id, week_start(row.started_at), row.channel)
        key_of[row.id] = key
        g = groups[key]
        g["conversations"] += 1
        g["messages"] += row.message_count
        g["escalated"] += int(bool(row.escalated))
        if row.csat is not None:
            g["csat_sum"] += row.csat
            g["csat_count"] += 1
            g["csat_satisfied"] += int(row.csat >= CSAT_SATISFIED_FROM)
        if row.nps is not None:
            g["nps_count"] += 1
            g["nps_promoters"] += int(row.nps >= NPS_PROMOTER_FROM)
            g["nps_detractors"] += int(row.nps <= NPS_DETRACTOR_UP_TO)
        if row.first_response_seconds is not None:
            g["first_response_sum"] += row.first_response_seconds
            g["first_response_count"] += 1
    reviews = session.execute(
        select(Review.conversation_id, Review.overall_score, Review.critical_fail).where(
            Review.conversation_id.in_(ids),
            Review.status.in_(REVIEWED),
            Review.calibration_session_id.is_(None),
        )
    )
    for row in reviews:
        g = groups[key_of[row.conversation_id]]
        g["reviews"] += 1
        g["review_score_sum"] += row.overall_score or 0.0
        g["critical_fails"] += int(bool(row.critical_fail))
    scores = session.execute(
        select(AutoScore.conversation_id, AutoScore.task, AutoScore.score).where(
            AutoScore.conversation_id.in_(ids),
            AutoScore.message_id.is_(None),
            AutoScore.score.is_not(None),
        )
    )
    for row in scores:
        pair = groups[key_of[row.conversation_id]]["auto_scores"].setdefault(row.task, [0.0, 0])
        pair[0] += row.score
        pair[1] += 1
    ratings = session.execute(
        select(SurveyRating.conversation_id, SurveyRating.attribute, SurveyRating.satisfaction,
               SurveyRating.importance).where(SurveyRating.conversation_id.in_(ids))
    )  # fmt: skip
    for row in ratings:
        sums = groups[key_of[row.conversation_id]]["survey_ratings"].setdefault(
            row.attribute, [0.0, 0, 0.0, 0]
        )
        sums[0] += row.satisfaction
        sums[1] += 1
        if row.importance is not None:
            sums[2] += row.importance
            sums[3] += 1
    for key, values in groups.items():
        _merge(session, key, values, at)
    return len(groups)


def _empty() -> dict:
    return {
        "conversations": 0, "messages": 0, "escalated": 0, "csat_sum": 0, "csat_count": 0,
        "first_response_sum": 0.0, "first_response_count": 0, "reviews": 0,
        "review_score_sum": 0.0, "critical_fails": 0, "csat_satisfied": 0, "nps_count": 0,
        "nps_promoters": 0, "nps_detractors": 0, "auto_scores": {}, "survey_ratings": {},
    }  # fmt: skip


def _merge(session: Session, key: tuple, values: dict, at: datetime) -> None:
    source, agent_id, team_id, week, channel = key
    query = select(AgentWeekAggregate).where(
        AgentWeekAggregate.source == source,
        AgentWeekAggregate.week_start == week,
        AgentWeekAggregate.channel == channel,
        AgentWeekAggregate.agent_id.is_(None)
        if agent_id is None
        else AgentWeekAggregate.agent_id == agent_id,
        AgentWeekAggregate.team_id.is_(None)
        if team_id is None
        else AgentWeekAggregate.team_id == team_id,
    )
    row = session.scalars(query).first()
    if row is None:
        row = AgentWeekAggregate(
            source=source, agent_id=agent_id, team_id=team_id, week_start=week, channel=channel,
            **{name: 0 for name in values if name not in _SUMS_BY_NAME}, auto_scores={},
            survey_ratings={},
        )  # fmt: skip
        session.add(row)
    for name, value in values.items():
        if name not in _SUMS_BY_NAME:
            setattr(row, name, (getattr(row, name) or 0) + value)
    for name in _SUMS_BY_NAME:  # a new object each, so the JSON change is seen
        setattr(row, name, _add_sums(getattr(row, name) or {}, values[name]))
    row.purged_at = at


#: Per-name lists of sums ({"task": [sum, count]}, {"attribute": [sum, n, sum, n]}).
_SUMS_BY_NAME = ("auto_scores", "survey_ratings")


def _add_sums(stored: dict, added: dict) -> dict:
    merged = {name: list(sums) for name, sums in stored.items()}
    for name, sums in added.items():
        old = merged.get(name, [0] * len(sums))
        merged[name] = [a + b for a, b in zip(old, sums, strict=True)]
    return merged


def last_purge_at(session: Session) -> datetime | None:
    return session.scalar(
        select(func.max(AuditEvent.at)).where(AuditEvent.action == "retention.purged")
    )


def purge_if_due(
    session: Session, actor: Actor, *, now: datetime | None = None
) -> PurgeReport | None:
    """The scheduled purge inside the app: when periods are set and no purge ran in the
    last ``PURGE_INTERVAL``, purge now (the nightly ``qa-studio retention purge`` does the
    same from cron); otherwise None. Only for those who may purge."""
    require(actor, "privacy.retention")
    at = utc_now(now)
    if session.scalar(select(func.count()).select_from(RetentionPolicy)) == 0:
        return None
    last = last_purge_at(session)
    if last is not None and at - last < PURGE_INTERVAL:
        return None
    return purge(session, actor, now=at)
