"""Reviewer productivity: weekly reviews against goals, minutes per review, quota coverage
(by hand), the service on both databases with the leads' unacknowledged feedback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from coaching_fixtures import NOW, seed_coaching
from ui_harness import make_user, seed

from qa_app.services import reviews, sampling
from qa_app.services.database import unit_of_work
from qa_app.services.errors import PermissionDenied

MON = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def test_reviewer_weeks_by_hand():
    done = pd.DataFrame(
        [
            ("rita", MON, MON + timedelta(minutes=10)),
            ("rita", MON, MON + timedelta(minutes=20)),
            ("rita", MON, MON + timedelta(minutes=90)),  # left open: the median ignores it
            ("rita", MON + timedelta(days=7), MON + timedelta(days=7, minutes=6)),
            ("stas", MON, MON + timedelta(minutes=8)),
        ],
        columns=["reviewer", "created_at", "submitted_at"],
    )
    weeks = sampling.reviewer_weeks(done, {"rita": 4}, "UTC")
    rows = {(r.reviewer, str(r.week)): r for r in weeks.itertuples()}
    first = rows[("rita", "2026-03-02")]
    assert (first.reviews, first.goal, first.of_goal, first.median_minutes) == (3, 4, 0.75, 20.0)
    assert rows[("rita", "2026-03-09")].reviews == 1
    assert pd.isna(rows[("stas", "2026-03-02")].goal)  # no goal set: no share
    assert str(weeks["week"].iloc[0]) == "2026-03-09"  # newest week first


def test_quota_coverage_by_hand():
    rows = []
    # week 1: agent 1 had 5 conversations, 2 reviewed (quota 3 -> 2 of 3);
    # agent 2 had 2, both reviewed (expected min(3, 2) = 2 -> 2 of 2)
    rows += [(1, MON, i < 2) for i in range(5)] + [(2, MON, True), (2, MON, True)]
    # week 2: agent 1 had 4, all reviewed: counted up to the quota (3 of 3)
    rows += [(1, MON + timedelta(days=7), True)] * 4
    frame = pd.DataFrame(rows, columns=["agent_id", "started_at", "reviewed"])
    coverage = sampling.quota_coverage(frame, 3, "UTC").set_index("week")
    week1 = coverage.loc[MON.date()]
    assert (week1.agents, week1.expected, week1.covered) == (2, 5, 4)
    assert week1.coverage == pytest.approx(0.8)
    assert coverage.loc[(MON + timedelta(days=7)).date()].coverage == 1.0


def test_the_screen_on_both_databases(db_url):
    seed_coaching(db_url)
    lead = make_user(db_url, "lead")
    seed(db_url, lambda s: reviews.set_goal(s, lead, "coach-reviewer", 5, now=NOW))
    screen = sampling.productivity_screen(unit_of_work(db_url), lead, NOW)
    assert screen.quota == 3 and not screen.quota_from_plans
    weeks = screen.weeks
    assert set(weeks["reviewer"]) == {"coach-reviewer"}
    assert (weeks["goal"] == 5).all()
    # reviews were opened 20 h after the conversation and submitted an hour later
    assert (weeks["median_minutes"] == 60.0).all()
    assert weeks["reviews"].sum() == 18
    assert (screen.coverage["coverage"] == 1.0).all()  # every conversation was reviewed
    unack = screen.unacknowledged.set_index("agent")["unacknowledged"].to_dict()
    assert unack == {"a.good": 8, "a.low": 8, "a.new": 2}


def test_only_leads(db_url):
    for role in ("trainer", "reviewer", "agent"):
        with pytest.raises(PermissionDenied):
            sampling.productivity_screen(unit_of_work(db_url), make_user(db_url, role), NOW)
