"""Overview figures on both databases: who sees what, filters, and the statistics themselves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from qa_app.services.actor import Actor
from qa_app.services.overview import dashboard as overview
from qa_app.services.overview import stats
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Agent, Conversation, Team

LEAD = Actor(user_id=None, username="lead", role="lead")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def _conversation(i: int, **fields) -> Conversation:
    values = {
        "external_id": f"c-{i}", "channel": "chat", "language": "ru", "started_at": T0,
        "content_hash": str(i), "tags": [],
    }  # fmt: skip
    values.update(fields)
    return Conversation(**values)


@pytest.fixture
def loaded(db_url):
    """Two teams, two agents and six conversations with known answers."""
    with unit_of_work(db_url) as session:
        t1, t2 = Team(name="Tier 1"), Team(name="Tier 2")
        session.add_all([t1, t2])
        session.flush()
        anna, ivan = Agent(login="anna", team_id=t1.id), Agent(login="ivan", team_id=t2.id)
        session.add_all([anna, ivan])
        session.flush()
        session.add_all([
            _conversation(1, agent_id=anna.id, team_id=t1.id, customer_id="u1", csat=5, nps=10,
                          first_response_seconds=600),
            _conversation(2, agent_id=anna.id, team_id=t1.id, customer_id="u1", csat=4, nps=9,
                          started_at=T0 + timedelta(days=3), first_response_seconds=1200),
            _conversation(3, agent_id=ivan.id, team_id=t2.id, customer_id="u1", csat=1, nps=2,
                          started_at=T0 + timedelta(days=12), channel="email",
                          first_response_seconds=3 * 3600, escalated=True),
            _conversation(4, agent_id=ivan.id, team_id=t2.id, customer_id="u2", nps=7,
                          language="en", channel="phone"),
            _conversation(5, agent_id=ivan.id, team_id=t2.id, customer_id=None, csat=3,
                          channel="email", first_response_seconds=60),
            _conversation(6, team_id=None, channel="social", language="en",
                          started_at=T0 + timedelta(days=20), first_response_seconds=30),
        ])  # fmt: skip
        ids = {"anna": anna.id, "ivan": ivan.id, "t1": t1.id, "t2": t2.id}
    return db_url, ids


def _load(url, actor=LEAD, **filters):
    with unit_of_work(url) as session:
        return overview.load_overview(session, actor, overview.OverviewFilters(**filters))


def test_lead_sees_everything_with_sql_counts(loaded):
    url, _ = loaded
    figures = _load(url)
    assert figures.total == 6
    assert dict(zip(figures.by_channel["channel"], figures.by_channel["n"], strict=True)) == {
        "chat": 2, "email": 2, "phone": 1, "social": 1,
    }  # fmt: skip
    assert dict(zip(figures.by_language["language"], figures.by_language["n"], strict=True)) == {
        "ru": 4, "en": 2,
    }  # fmt: skip
    teams = dict(zip(figures.by_team["team"], figures.by_team["n"], strict=True))
    assert teams == {"Tier 2": 3, "Tier 1": 2, "": 1}
    assert figures.csat.n == 4 and figures.csat.mean == pytest.approx(13 / 4)
    assert figures.csat.counts["n"].tolist() == [1, 0, 1, 1, 1]
    # NPS answers 10, 9, 2, 7: two promoters, one passive, one detractor -> +25.
    assert (figures.nps.promoters, figures.nps.passives, figures.nps.detractors) == (2, 1, 1)
    assert figures.nps.score == pytest.approx(25.0)
    assert (figures.escalations.hits, figures.escalations.n) == (1, 6)


def test_agent_sees_only_own_conversations(loaded):
    url, ids = loaded
    anna = Actor(user_id=1, username="anna", role="agent", agent_id=ids["anna"])
    figures = _load(url, anna)
    assert figures.total == 2 and figures.by_channel["n"].sum() == 2
    assert figures.by_team["team"].tolist() == ["Tier 1"]
    # Asking for the other team's conversations still returns only her own (none there).
    assert _load(url, anna, team_ids=(ids["t2"],)).total == 0
    unlinked = Actor(user_id=2, username="x", role="agent", agent_id=None)
    assert _load(url, unlinked).total == 0
    with unit_of_work(url) as session:
        assert overview.filter_options(session, anna).total == 2


def test_filters_narrow_by_date_team_channel_language(loaded):
    url, ids = loaded
    assert _load(url, date_from=date(2026, 3, 5), date_to=date(2026, 3, 14)).total == 2
    assert _load(url, date_to=date(2026, 3, 2)).total == 3
    assert _load(url, team_ids=(ids["t1"],)).total == 2
    assert _load(url, channels=("email", "phone")).total == 3
    assert _load(url, languages=("en",)).total == 2
    with unit_of_work(url) as session:
        options = overview.filter_options(session, LEAD)
    assert options.channels == ("chat", "email", "phone", "social")
    assert [name for _, name in options.teams] == ["Tier 1", "Tier 2"]
    assert (options.first_day, options.last_day) == (date(2026, 3, 2), date(2026, 3, 22))


def test_date_filter_uses_the_display_timezone(loaded):
    url, _ = loaded
    late = T0.replace(hour=22)  # 22:00 UTC on 2 March is 01:00 on 3 March in Moscow
    with unit_of_work(url) as session:
        session.add(_conversation(7, started_at=late))
    day = {"date_from": date(2026, 3, 3), "date_to": date(2026, 3, 3)}
    with unit_of_work(url) as session:
        moscow = overview.load_overview(
            session, LEAD, overview.OverviewFilters(**day), tz="Europe/Moscow"
        )
        utc = overview.load_overview(session, LEAD, overview.OverviewFilters(**day), tz="UTC")
    assert (moscow.total, utc.total) == (1, 0)


def test_sla_repeat_and_timing_tables(loaded):
    url, _ = loaded
    figures = _load(url)
    sla = figures.sla.set_index("channel")
    # chat target 15 min: 10 min ok, 20 min late; email 2 h: 3 h late, 1 min ok; phone has none.
    assert sla.loc["chat", ["n", "breached"]].tolist() == [2, 1]
    assert sla.loc["email", ["n", "breached"]].tolist() == [2, 1]
    assert sla.loc["email", "target_minutes"] == 120
    assert "phone" not in sla.index
    # u1 came back after 3 days (repeat) then after 9 more days (not a repeat).
    assert (figures.repeat_contacts.hits, figures.repeat_contacts.n) == (1, 4)
    assert figures.first_response["n"].sum() == 5
    assert figures.wait_heatmap["n"].sum() == 5
    assert figures.by_week["n"].sum() == 6
    assert figures.by_week["week"].min() == pd.Timestamp("2026-03-02")


def test_empty_database(db_url):
    figures = _load(db_url)
    assert figures.total == 0 and figures.csat.mean is None and figures.nps.score is None
    assert figures.repeat_contacts.share is None and figures.sla.empty
    with unit_of_work(db_url) as session:
        assert overview.filter_options(session, LEAD).first_day is None


def test_nps_score_bounds():
    all_promoters = stats.nps_summary(pd.Series({9: 3, 10: 1}))
    all_detractors = stats.nps_summary(pd.Series({0: 2, 6: 5}))
    assert all_promoters.score == 100.0 and all_detractors.score == -100.0
    assert stats.nps_group(6) == "detractor" and stats.nps_group(7) == "passive"


def test_first_response_buckets_are_left_closed():
    timing = pd.DataFrame(
        {"channel": ["chat"] * 3, "frt": [59.0, 60.0, 900.0],
         "started_at": pd.to_datetime([T0] * 3, utc=True), "customer_id": [None] * 3}
    )  # fmt: skip
    counts = stats.first_response_buckets(timing).set_index("bucket")["n"]
    assert counts.to_dict() == {0: 1, 1: 1, 3: 1}  # <1 min, 1-5 min, 15-30 min


def test_display_timezone_falls_back_to_utc(monkeypatch):
    monkeypatch.setenv(overview.TIMEZONE_ENV, "Mars/Olympus")
    assert overview.display_timezone() == "UTC"
    monkeypatch.setenv(overview.TIMEZONE_ENV, "Europe/Moscow")
    assert overview.display_timezone() == "Europe/Moscow"
