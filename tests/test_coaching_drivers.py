"""What drives satisfaction: repeat contacts by hand, and the report on both databases."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from coaching_fixtures import NOW, seed_coaching
from ui_harness import make_user

from qa_app.services import coaching
from qa_app.services.database import unit_of_work
from qa_app.services.errors import PermissionDenied

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_repeat_flags_by_hand():
    contacts = pd.DataFrame(
        [
            (1, "ann", T0),
            (2, "ann", T0 + timedelta(days=3)),  # ann again within 7 days: 1 is a repeat
            (3, "ann", T0 + timedelta(days=20)),  # 2 -> 3 is 17 days: 2 is not
            (4, "bob", T0),  # bob never again, and the window closed: 0
            (5, None, T0),  # no customer id: unknown
            (6, "cat", T0 + timedelta(days=25)),  # only 3 days before `until`: unknown
        ],
        columns=["id", "customer_id", "started_at"],
    )
    flags = coaching.repeat_flags(contacts, until=T0 + timedelta(days=28))
    assert flags[1] == 1.0 and flags[2] == 0.0 and flags[4] == 0.0
    assert math.isnan(flags[5]) and math.isnan(flags[6])
    assert flags[3] == 0.0  # day 20 + 7 = 27 < 28: the window closed with nobody back


@pytest.fixture
def seeded(db_url):
    return db_url, seed_coaching(db_url)


def test_the_report_finds_the_relation_that_is_there(seeded):
    url, ids = seeded
    lead = make_user(url, "lead")
    screen = coaching.drivers_screen(unit_of_work(url), lead, NOW)
    report = screen.report
    assert report.conversations == 18 and report.with_outcome["csat"] == 18
    rows = {(d.kind, d.key): d for d in report.for_outcome("csat")}
    # acknowledging feelings: 100 for a.good (CSAT 5), 0 for the others (CSAT 2)
    empathy = rows[("criterion", "acknowledges_feelings")]
    assert empathy.n == 18 and empathy.r == pytest.approx(1.0)
    assert empathy.relation.strength.distinguishable
    assert empathy.weight == pytest.approx(0.2 * 2 / 4, abs=0.05)
    # a criterion every agent got full marks on cannot relate to anything
    assert math.isnan(rows[("criterion", "patience")].r)
    assert report.for_outcome("csat")[0].key in (
        "acknowledges_feelings",
        "missed_empathy",
        "empathy",
    )
    # escalation never happened in these conversations: no relation to compute
    assert all(math.isnan(d.r) for d in report.for_outcome("escalated"))


def test_filters_and_too_few_pairs(seeded):
    url, ids = seeded
    trainer = make_user(url, "trainer")
    email = coaching.drivers_screen(unit_of_work(url), trainer, NOW, ids.team_id, "email").report
    assert email.channel == "email" and email.conversations == 9
    tiny = coaching.drivers_screen(unit_of_work(url), trainer, NOW, ids.team_id, "phone").report
    assert tiny.conversations == 0 and tiny.drivers == ()


def test_agents_and_reviewers_may_not_read_it(seeded):
    url, _ = seeded
    for role in ("agent", "reviewer"):
        with pytest.raises(PermissionDenied):
            coaching.drivers_screen(unit_of_work(url), make_user(url, role), NOW)


def test_a_large_relation_is_computed_on_a_seeded_sample():
    from qa_app.services.coaching.drivers import _driver

    n = coaching.MAX_PAIRS + 1000
    values = pd.Series([float(i % 100) for i in range(n)], index=range(n))
    outcomes = pd.DataFrame({"csat": [1 + (i % 100) // 20 for i in range(n)]}, index=range(n))
    first = _driver("signal", "x", "csat", values, outcomes, None)
    again = _driver("signal", "x", "csat", values, outcomes, None)
    assert (first.n, first.available) == (coaching.MAX_PAIRS, n)
    assert first.r == again.r and first.r > 0.9  # the same sample every time
