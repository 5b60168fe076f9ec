"""Mystery-shopper reports: compliance, speed against SLA, and the outside-inside gap.

Every figure is an ``Estimate`` or carries ``n`` (visits) and ``too_few``: a group with
fewer than ``MIN_VISITS`` visits is shown, but flagged as not enough to compare. A visit's
compliance is the share of its graded checklist items that were not failed (N/A left out);
a group's compliance is the mean over its visits with a t-interval (``mean_interval``),
one item's compliance a Wilson interval over the visits that graded it. The data are read
through ``visits.visible``, so each role's report covers exactly the visits it may see.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.mystery.checklist import available_checklists
from qa_app.services.mystery.scenarios import local
from qa_app.services.mystery.visibility import visible
from qa_app.services.permissions import can
from qa_app.storage.models import (
    Agent,
    Conversation,
    MysteryAnswer,
    MysteryScenario,
    MysteryVisit,
    Review,
    Team,
)
from scoring.pipeline.conversation import SlaTargets
from scoring.stats import Estimate, mean_interval, wilson_interval

#: Fewer visits than this in a group: shown, but flagged "too few to compare".
MIN_VISITS = 10
WORST_ITEMS = 5
EXAMPLE_COMMENTS = 3
COMMENT_ROWS = 2000  # the newest failure comments read; three per item are shown
REVIEW_DONE = ("submitted", "disputed", "final")

VISIT_COLUMNS = [
    "visit_id", "contacted_at", "channel", "scenario_id", "agent_id", "team_id",
    "shopper_id", "overall_score", "passed", "first_response_at", "resolved_at", "published",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """The period (dates inclusive, UTC) and optionally one channel."""

    start: date
    end: date
    channel: str | None = None

    def bounds(self) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.start, time.min, UTC),
            datetime.combine(self.end + timedelta(days=1), time.min, UTC),
        )


@dataclass
class MysteryReport:
    filters: ReportFilter
    visits: int
    compliance: Estimate
    score: Estimate
    pass_rate: Estimate
    items: pd.DataFrame
    by_channel: pd.DataFrame
    by_team: pd.DataFrame
    by_agent: pd.DataFrame
    by_scenario: pd.DataFrame
    over_time: pd.DataFrame
    sla: pd.DataFrame
    weekday_hour: pd.DataFrame
    worst: pd.DataFrame
    gap: pd.DataFrame
    names: dict[str, dict] = field(default_factory=dict)


# --- reading -------------------------------------------------------------------------------


def _period(stmt: Select, filters: ReportFilter) -> Select:
    start, end = filters.bounds()
    stmt = stmt.where(MysteryVisit.contacted_at >= start, MysteryVisit.contacted_at < end)
    return stmt.where(MysteryVisit.channel == filters.channel) if filters.channel else stmt


def load_frames(
    session: Session, actor: Actor, filters: ReportFilter
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The visible visits of the period (each with its compliance), per-item counts, and
    the comments on failed items: aggregated in the database, so 5,000 visits' 100,000
    answers never travel to Python one by one."""
    met = func.sum(case((MysteryAnswer.failed.is_(False), 1), else_=0))
    per_visit = (
        select(MysteryAnswer.visit_id, func.count().label("graded"), met.label("met"))
        .where(MysteryAnswer.not_applicable.is_(False))
        .group_by(MysteryAnswer.visit_id)
        .subquery()
    )
    stmt = select(
        MysteryVisit.id, MysteryVisit.contacted_at, MysteryVisit.channel,
        MysteryVisit.scenario_id, MysteryVisit.agent_id, MysteryVisit.team_id,
        MysteryVisit.shopper_id, MysteryVisit.overall_score, MysteryVisit.passed,
        MysteryVisit.first_response_at, MysteryVisit.resolved_at, MysteryVisit.published,
        per_visit.c.graded, per_visit.c.met,
    ).outerjoin(per_visit, per_visit.c.visit_id == MysteryVisit.id)  # fmt: skip
    rows = session.execute(visible(_period(stmt, filters), actor)).all()
    visits = pd.DataFrame(rows, columns=[*VISIT_COLUMNS, "graded", "met"])
    graded = visits["graded"].astype(float)
    visits["compliance"] = (visits["met"].astype(float) / graded.where(graded > 0)) * 100.0
    ids = visible(_period(select(MysteryVisit.id), filters), actor)
    items = pd.DataFrame(
        session.execute(
            select(MysteryAnswer.criterion_id, func.count(), met)
            .where(MysteryAnswer.visit_id.in_(ids), MysteryAnswer.not_applicable.is_(False))
            .group_by(MysteryAnswer.criterion_id)
        ).all(),
        columns=["criterion_id", "graded", "met"],
    )
    comments = pd.DataFrame(
        session.execute(
            select(MysteryAnswer.criterion_id, MysteryAnswer.comment)
            .where(
                MysteryAnswer.visit_id.in_(ids),
                MysteryAnswer.failed.is_(True),
                MysteryAnswer.comment != "",
            )
            .order_by(MysteryAnswer.visit_id.desc())
            .limit(COMMENT_ROWS)
        ).all(),
        columns=["criterion_id", "comment"],
    )
    return visits, items, comments


def _names(session: Session, lang: str) -> dict[str, dict]:
    items, categories = {}, {}
    for rubric in available_checklists().values():
        for category in rubric.categories:
            for criterion in category.criteria:
                items.setdefault(criterion.id, criterion.name.get(lang))
                categories.setdefault(criterion.id, category.name.get(lang))
    return {
        "item": items,
        "category": categories,
        "agent": dict(session.execute(select(Agent.id, Agent.display_name)).all()),
        "agent_login": dict(session.execute(select(Agent.id, Agent.login)).all()),
        "team": dict(session.execute(select(Team.id, Team.name)).all()),
        "scenario": {
            i: local(n, lang)
            for i, n in session.execute(select(MysteryScenario.id, MysteryScenario.name))
        },
    }


def internal_scores(session: Session, agent_ids: list[int], filters: ReportFilter) -> pd.DataFrame:
    """Internal QA review scores of these agents' conversations in the same period."""
    if not agent_ids:
        return pd.DataFrame(columns=["agent_id", "score"])
    start, end = filters.bounds()
    stmt = (
        select(Conversation.agent_id, Review.overall_score)
        .join(Conversation, Conversation.id == Review.conversation_id)
        .where(
            Conversation.agent_id.in_(agent_ids),
            Conversation.started_at >= start,
            Conversation.started_at < end,
            Review.status.in_(REVIEW_DONE),
            Review.calibration_session_id.is_(None),
            Review.overall_score.is_not(None),
        )
    )
    return pd.DataFrame(session.execute(stmt).all(), columns=["agent_id", "score"])


# --- figures -------------------------------------------------------------------------------


def _estimate_row(values: pd.Series) -> dict:
    estimate = mean_interval(values.dropna().tolist())
    return {
        "compliance": estimate.estimate,
        "low": estimate.low,
        "high": estimate.high,
        "n": int(values.notna().sum()),
        "too_few": int(values.notna().sum()) < MIN_VISITS,
    }


def _grouped(visits: pd.DataFrame, key: str, label: Callable[[object], str]) -> pd.DataFrame:
    rows = []
    for value, group in visits.dropna(subset=[key]).groupby(key, sort=False):
        row = {"key": value, "group": label(value), **_estimate_row(group["compliance"])}
        row["score"] = (
            float(group["overall_score"].mean())
            if group["overall_score"].notna().any()
            else math.nan
        )
        rows.append(row)
    frame = pd.DataFrame(
        rows, columns=["key", "group", "compliance", "low", "high", "n", "too_few", "score"]
    )
    return frame.sort_values(["compliance", "group"], ascending=[False, True]).reset_index(
        drop=True
    )


def _items(stats: pd.DataFrame, comments: pd.DataFrame, names: dict) -> pd.DataFrame:
    examples = {
        item: [c for c in group["comment"].tolist() if c.strip()][:EXAMPLE_COMMENTS]
        for item, group in comments.groupby("criterion_id", sort=False)
    }
    rows = []
    for criterion_id, graded, met in stats.itertuples(index=False):
        graded, met = int(graded), int(met or 0)
        estimate = wilson_interval(met, graded)
        rows.append({
            "criterion_id": criterion_id,
            "item": names["item"].get(criterion_id, criterion_id),
            "category": names["category"].get(criterion_id, ""),
            "compliance": estimate.estimate * 100.0,
            "low": estimate.low * 100.0,
            "high": estimate.high * 100.0,
            "n": graded,
            "too_few": graded < MIN_VISITS,
            "failed": graded - met,
            "examples": examples.get(criterion_id, []),
        })  # fmt: skip
    columns = ["criterion_id", "item", "category", "compliance", "low", "high", "n", "too_few",
               "failed", "examples"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _over_time(visits: pd.DataFrame) -> pd.DataFrame:
    month = visits["contacted_at"].map(lambda m: date(m.year, m.month, 1))
    rows = [
        {"period": period, **_estimate_row(group["compliance"])}
        for period, group in visits.groupby(month, sort=True)
    ]
    return pd.DataFrame(rows, columns=["period", "compliance", "low", "high", "n", "too_few"])


def _minutes(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (
        pd.to_datetime(later, utc=True) - pd.to_datetime(earlier, utc=True)
    ).dt.total_seconds() / 60.0


def _sla(visits: pd.DataFrame, targets: SlaTargets) -> pd.DataFrame:
    rows = []
    for channel, group in visits.groupby("channel", sort=True):
        sla = targets.for_channel(channel)
        row: dict = {"channel": channel, "n": len(group), "too_few": len(group) < MIN_VISITS}
        for name, minutes, target in (
            ("first_response", group["first_response_min"], sla.first_response),
            ("resolution", group["resolution_min"], sla.handle),
        ):
            known = minutes.dropna()
            row[f"{name}_median"] = float(known.median()) if len(known) else math.nan
            row[f"{name}_target"] = None if target is None else target / 60.0
            row[f"{name}_n"] = len(known)
            within = (
                wilson_interval(int((known <= target / 60.0).sum()), len(known))
                if target and len(known)
                else None
            )
            row[f"{name}_within"] = within.estimate * 100.0 if within else math.nan
        rows.append(row)
    return pd.DataFrame(rows)


def _weekday_hour(visits: pd.DataFrame) -> pd.DataFrame:
    known = visits.dropna(subset=["first_response_min"])
    if known.empty:
        return pd.DataFrame(columns=["weekday", "hour", "first_response_median", "n"])
    moments = pd.to_datetime(known["contacted_at"], utc=True)
    frame = pd.DataFrame({
        "weekday": moments.dt.day_of_week, "hour": moments.dt.hour, "minutes": known["first_response_min"],
    })  # fmt: skip
    grouped = frame.groupby(["weekday", "hour"])["minutes"].agg(["median", "size"]).reset_index()
    return grouped.rename(columns={"median": "first_response_median", "size": "n"})


def _gap(visits: pd.DataFrame, internal: pd.DataFrame, names: dict) -> pd.DataFrame:
    rows = []
    for agent_id, group in visits.dropna(subset=["agent_id"]).groupby("agent_id"):
        mystery = mean_interval(group["overall_score"].dropna().tolist())
        qa_values = internal.loc[internal["agent_id"] == agent_id, "score"].dropna().tolist()
        qa = mean_interval(qa_values)
        gap = mystery.estimate - qa.estimate if mystery.defined and qa.defined else math.nan
        rows.append({
            "agent_id": int(agent_id),
            "agent": names["agent"].get(agent_id) or names["agent_login"].get(agent_id, str(agent_id)),
            "mystery_score": mystery.estimate, "mystery_n": mystery.n,
            "qa_score": qa.estimate, "qa_n": qa.n, "gap": gap,
            "too_few": mystery.n < MIN_VISITS or qa.n < MIN_VISITS,
            "disagree": bool(mystery.defined and qa.defined
                             and (mystery.low > qa.high or qa.low > mystery.high)),
        })  # fmt: skip
    columns = ["agent_id", "agent", "mystery_score", "mystery_n", "qa_score", "qa_n", "gap",
               "too_few", "disagree"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("gap", key=lambda s: -s.abs(), na_position="last").reset_index(
        drop=True
    )


def build_report(
    visits: pd.DataFrame,
    item_stats: pd.DataFrame,
    comments: pd.DataFrame,
    internal: pd.DataFrame,
    names: dict[str, dict],
    filters: ReportFilter,
    targets: SlaTargets | None = None,
) -> MysteryReport:
    """Every figure of the report from the frames ``load_frames`` read (no database)."""
    targets = targets or SlaTargets()
    visits = visits.copy()
    visits["first_response_min"] = _minutes(visits["first_response_at"], visits["contacted_at"])
    visits["resolution_min"] = _minutes(visits["resolved_at"], visits["contacted_at"])
    items = _items(item_stats, comments, names)
    worst = items.sort_values(["compliance", "n"], ascending=[True, False]).head(WORST_ITEMS)
    passed = visits["passed"].dropna().astype(bool)
    return MysteryReport(
        filters=filters,
        visits=len(visits),
        compliance=mean_interval(visits["compliance"].dropna().tolist()),
        score=mean_interval(visits["overall_score"].dropna().tolist()),
        pass_rate=wilson_interval(int(passed.sum()), len(passed)),
        items=items.sort_values("item").reset_index(drop=True),
        by_channel=_grouped(visits, "channel", str),
        by_team=_grouped(visits, "team_id", lambda v: names["team"].get(v, str(v))),
        by_agent=_grouped(
            visits,
            "agent_id",
            lambda v: names["agent"].get(v) or names["agent_login"].get(v, str(v)),
        ),
        by_scenario=_grouped(visits, "scenario_id", lambda v: names["scenario"].get(v, str(v))),
        over_time=_over_time(visits),
        sla=_sla(visits, targets),
        weekday_hour=_weekday_hour(visits),
        worst=worst.reset_index(drop=True),
        gap=_gap(visits, internal, names),
        names=names,
    )


def mystery_report(
    session: Session, actor: Actor, filters: ReportFilter, lang: str = "en"
) -> MysteryReport:
    """The report of the visits ``actor`` may see in the period (one read)."""
    visits, item_stats, comments = load_frames(session, actor, filters)
    agent_ids = sorted({int(a) for a in visits["agent_id"].dropna()}) if len(visits) else []
    # A shopper is not shown internal QA scores; an agent's visits are already their own.
    inside = can(actor, "mystery.read_any") or can(actor, "mystery.read_published_own")
    internal = internal_scores(session, agent_ids if inside else [], filters)
    return build_report(visits, item_stats, comments, internal, _names(session, lang), filters)
