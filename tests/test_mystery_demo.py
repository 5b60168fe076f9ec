"""The demo's mystery-shopper programme: every channel, dated from the season (not the
clock), consistent with the personas, published visits for agents, idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from ui_harness import seed

from qa_app.demo.corpus.personas import AGENTS, TEAMS
from qa_app.demo.mystery import create_demo_mystery
from qa_app.services import mystery
from qa_app.services.actor import SYSTEM
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, MysteryVisit, Team

REFERENCE = datetime(2026, 3, 27, 18, 0, tzinfo=UTC)


def _agents(session) -> None:
    teams = {name: Team(name=name) for name in TEAMS}
    session.add_all(teams.values())
    session.flush()
    for a in AGENTS:
        session.add(Agent(login=a.login, display_name=a.name, team_id=teams[a.team].id))


def test_demo_programme_tells_the_personas_story(sqlite_url):
    seed(sqlite_url, _agents)
    summary = seed(sqlite_url, lambda s: create_demo_mystery(s, REFERENCE, visits=300))
    assert summary.scenarios == 6 and summary.visits == 300 and 0 < summary.published < 300
    assert seed(sqlite_url, lambda s: create_demo_mystery(s, REFERENCE)).visits == 0
    with storage_db.unit_of_work(sqlite_url) as session:
        channels = set(session.scalars(select(MysteryVisit.channel)))
        assert channels == {"chat", "email", "messenger", "social", "phone"}
        first, last = session.execute(
            select(func.min(MysteryVisit.contacted_at), func.max(MysteryVisit.contacted_at))
        ).one()
        assert first.date() >= date(2026, 12, 27).replace(year=2025) and last < REFERENCE
        report = mystery.mystery_report(
            session, SYSTEM, mystery.ReportFilter(date(2025, 12, 1), date(2026, 3, 31)), "en"
        )
        failed = mystery.failed_items_by_agent(session, SYSTEM, first, REFERENCE)
    greeting = {f.agent_id: f.failure_rate for f in failed if f.criterion_id == "greeting"}
    with storage_db.unit_of_work(sqlite_url) as session:
        ids = dict(session.execute(select(Agent.login, Agent.id)).all())
    curt = greeting.get(ids["d.smirnov"], 0.0)
    warm = greeting.get(ids["a.petrova"], 0.0)
    assert curt > 0.8 and warm < 0.2  # the curt agent never greets, the warm one always
    assert report.visits == 300 and len(report.by_channel) == 5
    assert report.worst.iloc[0]["compliance"] < report.items["compliance"].max()


def test_demo_shoppers_are_demo_accounts_with_the_demo_password(sqlite_url):
    """A visitor of the demo signs in as a shopper like as any other role: the shoppers get
    the chosen password and are listed with the accounts, before the programme uses them."""
    from qa_app.demo.seed import create_demo_accounts
    from qa_app.services import accounts

    seed(sqlite_url, _agents)
    created = seed(sqlite_url, lambda s: create_demo_accounts(s, password="demo-pass-12345"))
    shoppers = {a.username: a.password for a in created if a.role == "shopper"}
    assert shoppers == {"shopper": "demo-pass-12345", "shopper.2": "demo-pass-12345"}
    seed(sqlite_url, lambda s: create_demo_mystery(s, REFERENCE, visits=20))
    with storage_db.unit_of_work(sqlite_url) as session:
        actor = accounts.authenticate(session, "shopper", "demo-pass-12345", now=REFERENCE)
        assert actor.role == "shopper"
        visits = session.scalar(
            select(func.count(MysteryVisit.id)).where(MysteryVisit.shopper_id == actor.user_id)
        )
        assert visits > 0
