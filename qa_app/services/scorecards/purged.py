"""What scorecards still know of weeks a retention purge deleted.

The purge folds each conversation into ``agent_week_aggregates`` before deleting it
(``qa_app.services.privacy.retention``): counts and sums, never a text or a customer. This
reads them back per ISO week, so a lead looking at a period that reaches past the retention
period sees the volumes, the mean review score, CSAT and NPS of those weeks instead of a
silent gap. No interval is given: one needs the single reviews, and they are gone.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.scorecards.period import Period, Scope, scope_conditions
from qa_app.storage.models import AgentWeekAggregate
from scoring.stats.trend import iso_week_label

PURGED_COLUMNS = [
    "week", "week_start", "conversations", "reviews", "score", "csat", "csat_n", "nps", "nps_n",
]  # fmt: skip


def purged_weeks(session: Session, period: Period | None, scope: Scope) -> pd.DataFrame:
    """One row per ISO week that overlaps ``period`` (every week when None) and holds
    purged conversations of the scope's agents, teams and channels. A purge keeps no
    language, so a language filter does not narrow these rows (the page says so)."""
    a = AgentWeekAggregate
    conditions = scope_conditions(a, scope)
    if period is not None:
        conditions += a.weeks_overlapping(period.utc_start, period.utc_end)
    rows = session.execute(
        select(
            a.week_start, func.sum(a.conversations), func.sum(a.reviews),
            func.sum(a.review_score_sum), func.sum(a.csat_count), func.sum(a.csat_satisfied),
            func.sum(a.nps_count), func.sum(a.nps_promoters), func.sum(a.nps_detractors),
        ).where(*conditions).group_by(a.week_start).order_by(a.week_start)
    ).all()  # fmt: skip
    out = []
    for week, talks, reviews, score_sum, csat_n, satisfied, nps_n, promoters, detractors in rows:
        out.append({
            "week": iso_week_label(week.date()),  # as the trend table labels its weeks
            "week_start": week.date(),  # Monday 00:00 UTC (the column keeps UTC)
            "conversations": int(talks or 0), "reviews": int(reviews or 0),
            "score": score_sum / reviews if reviews else float("nan"),
            "csat": 100.0 * satisfied / csat_n if csat_n else float("nan"),
            "csat_n": int(csat_n or 0),
            "nps": 100.0 * (promoters - detractors) / nps_n if nps_n else float("nan"),
            "nps_n": int(nps_n or 0),
        })  # fmt: skip
    return pd.DataFrame(out, columns=PURGED_COLUMNS)


def first_purged_day(session: Session, scope: Scope) -> date | None:
    """The Monday of the earliest purged week in the scope: a date filter that starts at
    the first live conversation could never reach the weeks a purge summarised."""
    a = AgentWeekAggregate
    first = session.scalar(select(func.min(a.week_start)).where(*scope_conditions(a, scope)))
    if first is None:
        return None
    return first.date() if isinstance(first, datetime) else date.fromisoformat(str(first)[:10])
