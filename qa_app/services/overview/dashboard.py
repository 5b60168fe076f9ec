"""The Overview: what the loaded conversations look like, within what the actor may see.

Agents see only conversations they handled; everybody else sees all, optionally narrowed
by team, channel, language and dates. Counts are aggregated in SQL; distributions that
need per-row timing (weeks, hours, first response, repeat contacts) read only the four
columns they need, so the page stays quick with hundreds of thousands of conversations.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from sqlalchemy import String, false, func, select, type_coerce
from sqlalchemy.orm import Session

from qa_app.services import scorecards
from qa_app.services.actor import Actor
from qa_app.services.overview import stats
from qa_app.storage.models import Conversation, Team
from scoring.pipeline.conversation import SlaTargets

TIMEZONE_ENV = "QA_STUDIO_TIMEZONE"


def display_timezone() -> str:
    """The time zone for days, weeks and hours (``QA_STUDIO_TIMEZONE``, default UTC)."""
    name = os.environ.get(TIMEZONE_ENV, "").strip() or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


@dataclass(frozen=True)
class OverviewFilters:
    """Dates are inclusive local days; empty tuples mean "all"."""

    date_from: date | None = None
    date_to: date | None = None
    team_ids: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class FilterOptions:
    """What the filters can offer this actor."""

    teams: tuple[tuple[int, str], ...]
    channels: tuple[str, ...]
    languages: tuple[str, ...]
    first_day: date | None  # the earliest live conversation or purged week, if earlier
    last_day: date | None
    total: int


@dataclass
class Overview:
    """Everything the page shows; each table carries its counts (``n``)."""

    total: int
    by_channel: pd.DataFrame
    by_language: pd.DataFrame
    by_team: pd.DataFrame
    by_week: pd.DataFrame
    csat: stats.ScoreDistribution
    nps: stats.NpsSummary
    first_response: pd.DataFrame
    sla: pd.DataFrame
    wait_heatmap: pd.DataFrame
    repeat_contacts: stats.Rate
    escalations: stats.Rate
    timezone: str = "UTC"
    sla_targets: dict[str, float | None] = field(default_factory=dict)
    #: Weeks a retention purge deleted, from their kept counts (``scorecards.purged_weeks``);
    #: empty under a language filter, which they cannot honour (``purged_hidden``).
    purged: pd.DataFrame = field(default_factory=pd.DataFrame)
    purged_hidden: bool = False


def _visible(actor: Actor) -> list:
    """Row-level access: an agent sees their own conversations only."""
    if actor.is_agent:
        return [Conversation.agent_id == actor.agent_id] if actor.agent_id else [false()]
    return []


def _purged_scope(actor: Actor, filters: OverviewFilters) -> scorecards.Scope | None:
    """The retention aggregates the actor may see under the filters; None when none: an
    agent without an agent record sees nothing, and a language filter cannot be applied
    to counts that kept no language."""
    if actor.is_agent and not actor.agent_id:
        return None
    agents = (actor.agent_id,) if actor.is_agent else ()
    return scorecards.Scope(agent_ids=agents, team_ids=filters.team_ids, channels=filters.channels)


def _purged(session: Session, actor: Actor, filters: OverviewFilters) -> tuple[pd.DataFrame, bool]:
    """The purged weeks in the filters' period, and whether a language filter hides some."""
    scope = _purged_scope(actor, filters)
    if scope is None:
        return pd.DataFrame(columns=scorecards.PURGED_COLUMNS), False
    period = None
    if filters.date_from or filters.date_to:
        start = filters.date_from or date(1970, 1, 1)
        period = scorecards.Period(start, filters.date_to or date(9999, 12, 30))
    weeks = scorecards.purged_weeks(session, period, scope)
    if filters.languages:
        return weeks.iloc[0:0], not weeks.empty
    return weeks, False


def _utc_bounds(filters: OverviewFilters, tz: str) -> list:
    zone = ZoneInfo(tz)
    conditions = []
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, tzinfo=zone)
        conditions.append(Conversation.started_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=zone)
        conditions.append(Conversation.started_at < end)
    return conditions


def scope_conditions(actor: Actor, filters: OverviewFilters, tz: str = "UTC") -> list:
    """WHERE conditions for the conversations this actor may see under these filters."""
    conditions = _visible(actor) + _utc_bounds(filters, tz)
    if filters.team_ids:
        conditions.append(Conversation.team_id.in_(filters.team_ids))
    if filters.channels:
        conditions.append(Conversation.channel.in_(filters.channels))
    if filters.languages:
        conditions.append(Conversation.language.in_(filters.languages))
    return conditions


def filter_options(session: Session, actor: Actor, tz: str = "UTC") -> FilterOptions:
    visible = _visible(actor)
    channels = session.scalars(
        select(Conversation.channel).where(*visible).distinct().order_by(Conversation.channel)
    )
    languages = session.scalars(
        select(Conversation.language).where(*visible).distinct().order_by(Conversation.language)
    )
    teams = session.execute(
        select(Team.id, Team.name)
        .where(Team.id.in_(select(Conversation.team_id).where(*visible).distinct()))
        .order_by(Team.name)
    )
    total, first, last = session.execute(
        select(
            func.count(), func.min(Conversation.started_at), func.max(Conversation.started_at)
        ).where(*visible)
    ).one()
    zone = ZoneInfo(tz)
    first_day = _local_day(first, zone)
    scope = _purged_scope(actor, OverviewFilters())
    purged_from = scorecards.first_purged_day(session, scope) if scope else None
    if purged_from is not None and (first_day is None or purged_from < first_day):
        first_day = purged_from
    return FilterOptions(
        teams=tuple((team_id, name) for team_id, name in teams),
        channels=tuple(channels),
        languages=tuple(languages),
        first_day=first_day,
        last_day=_local_day(last, zone),
        total=int(total or 0),
    )


def _local_day(value: datetime | str | None, zone: ZoneInfo) -> date | None:
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return stamp.tz_convert(zone).date()


def _counts(session: Session, column, conditions: list, name: str) -> pd.DataFrame:
    rows = session.execute(
        select(column, func.count())
        .where(*conditions)
        .group_by(column)
        .order_by(func.count().desc())
    ).all()
    return pd.DataFrame(rows, columns=[name, "n"])


def _team_counts(session: Session, conditions: list) -> pd.DataFrame:
    rows = session.execute(
        select(Team.name, func.count(Conversation.id))
        .select_from(Conversation)
        .outerjoin(Team, Team.id == Conversation.team_id)
        .where(*conditions)
        .group_by(Team.name)
        .order_by(func.count(Conversation.id).desc())
    ).all()
    frame = pd.DataFrame(rows, columns=["team", "n"])
    frame["team"] = frame["team"].fillna("")  # "" = conversations without a team
    return frame


def _score_counts(session: Session, column, conditions: list) -> pd.Series:
    rows = session.execute(
        select(column, func.count()).where(*conditions, column.is_not(None)).group_by(column)
    ).all()
    return pd.Series({int(score): int(n) for score, n in rows}, dtype="int64")


def _escalations(session: Session, conditions: list) -> stats.Rate:
    total, escalated = session.execute(
        select(func.count(), func.count().filter(Conversation.escalated.is_(True))).where(
            *conditions
        )
    ).one()
    return stats.Rate(hits=int(escalated or 0), n=int(total or 0))


def _timing_frame(session: Session, conditions: list) -> pd.DataFrame:
    """Only the four columns the timing charts need, one row per conversation.

    Timestamps are read raw and parsed by pandas in one vectorised step: converting 100,000
    rows one by one through the ORM type would dominate the page's load time.
    """
    result = session.connection().execute(
        select(
            type_coerce(Conversation.started_at, String).label("started_at"),
            Conversation.channel,
            Conversation.first_response_seconds,
            Conversation.customer_id,
        ).where(*conditions)
    )
    columns = list(zip(*result.all(), strict=False)) or [(), (), (), ()]
    frame = pd.DataFrame(
        {
            "started_at": pd.to_datetime(
                pd.Series(columns[0], dtype=object), utc=True, format="ISO8601"
            ),
            "channel": pd.Series(columns[1], dtype=object),
            "frt": pd.to_numeric(pd.Series(columns[2], dtype=object), errors="coerce"),
            "customer_id": pd.Series(columns[3], dtype=object),
        }
    )
    return frame


def load_overview(
    session: Session,
    actor: Actor,
    filters: OverviewFilters | None = None,
    *,
    tz: str = "UTC",
    sla: SlaTargets | None = None,
) -> Overview:
    """All Overview figures for the conversations ``actor`` may see under ``filters``."""
    filters = filters or OverviewFilters()
    sla = sla or SlaTargets()
    conditions = scope_conditions(actor, filters, tz)
    timing = _timing_frame(session, conditions)
    targets = {ch: sla.for_channel(ch).first_response for ch in stats.CHANNEL_ORDER}
    purged, purged_hidden = _purged(session, actor, filters)
    return Overview(
        total=len(timing),
        by_channel=_counts(session, Conversation.channel, conditions, "channel"),
        by_language=_counts(session, Conversation.language, conditions, "language"),
        by_team=_team_counts(session, conditions),
        by_week=stats.weekly_volume(timing, tz),
        csat=stats.score_distribution(_score_counts(session, Conversation.csat, conditions), 1, 5),
        nps=stats.nps_summary(_score_counts(session, Conversation.nps, conditions)),
        first_response=stats.first_response_buckets(timing),
        sla=stats.sla_breaches(timing, targets),
        wait_heatmap=stats.wait_heatmap(timing, tz),
        repeat_contacts=stats.repeat_contacts(timing),
        escalations=_escalations(session, conditions),
        timezone=tz,
        sla_targets=targets,
        purged=purged,
        purged_hidden=purged_hidden,
    )
