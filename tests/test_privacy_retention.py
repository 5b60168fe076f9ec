"""Retention periods, the purge and its dry run, at fixed times on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from qa_app.cli import cli
from qa_app.services import privacy
from qa_app.services.actor import Actor
from qa_app.services.database import unit_of_work
from qa_app.services.errors import InvalidInput, PermissionDenied
from qa_app.storage import db as storage_db
from qa_app.storage.models import (
    AgentWeekAggregate,
    AuditEvent,
    Conversation,
    Message,
    SurveyRating,
)
from tests.privacy_fixtures import seed_customer
from tests.review_fixtures import seed_workflow

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
OLD = datetime(2025, 1, 8, 15, 30, tzinfo=UTC)  # a Wednesday; its week starts 2025-01-06
ADMIN = Actor(None, "admin", "admin")


def _seed(url: str):
    flow = seed_workflow(url, conversations=4)  # March 2026: inside any period below
    done = seed_customer(flow, "c-old", "OLD1", started=OLD, index=1)
    held = seed_customer(
        flow, "c-busy", "OLD2", started=OLD, index=2, assignment_status="in_progress"
    )
    other = seed_customer(flow, "c-zd", "OLD3", started=OLD, index=3, source="zendesk")
    return done, held, other


def _count(url, model, **where) -> int:
    with storage_db.unit_of_work(url) as session:
        query = select(func.count()).select_from(model).filter_by(**where)
        return session.scalar(query)


def test_dry_run_says_what_would_go_and_changes_nothing(db_url):
    _seed(db_url)
    privacy.do_set_policy(unit_of_work(db_url), ADMIN, "test", 365, now=NOW)
    report = privacy.do_purge(unit_of_work(db_url), ADMIN, now=NOW, dry_run=True)
    (source,) = report.sources
    assert (source.source, source.days, source.held) == ("test", 365, 1)
    assert source.cutoff == datetime(2025, 5, 4, 10, 0, tzinfo=UTC)
    assert source.deleted["conversations"] == 1 and source.deleted["messages"] == 2
    assert source.deleted["auto_scores"] == 2 and source.deleted["reviews"] == 1
    assert _count(db_url, Conversation) == 7
    assert _count(db_url, AuditEvent, action="retention.purged") == 0


def test_purge_deletes_old_keeps_aggregates_recent_held_and_other_sources(db_url):
    done, held, other = _seed(db_url)
    privacy.do_set_policy(unit_of_work(db_url), ADMIN, "test", 365, now=NOW)
    report = privacy.do_purge(unit_of_work(db_url), ADMIN, now=NOW)
    assert report.conversations == 1 and report.aggregates_written == 1
    with storage_db.unit_of_work(db_url) as session:
        ids = set(session.scalars(select(Conversation.id)))
        assert not ids & done["conversations"]
        assert held["conversations"] <= ids and other["conversations"] <= ids
        assert len(ids) == 6  # 4 recent + held + the zendesk one (no policy)
        assert not session.scalars(select(Message.id).where(Message.id.in_(done["messages"]))).all()
        (row,) = session.scalars(select(AgentWeekAggregate)).all()
        assert row.week_start == datetime(2025, 1, 6, tzinfo=UTC)
        assert (row.source, row.channel, row.conversations, row.messages) == ("test", "chat", 1, 2)
        assert (row.csat_sum, row.csat_count, row.first_response_sum) == (4, 1, 60.0)
        assert (row.reviews, row.review_score_sum, row.critical_fails) == (1, 90.0, 0)
        assert row.auto_scores == {"politeness": [0.8, 1]}  # conversation-level only
        event = session.scalars(select(AuditEvent).filter_by(action="retention.purged")).one()
        assert event.details["sources"]["test"]["conversations"] == 1
        assert event.details["held"] == {"test": 1}


def _surveyed(url: str, conversations: set[int], nps: int, ratings: dict) -> None:
    with storage_db.unit_of_work(url) as session:
        for cid in conversations:
            session.get(Conversation, cid).nps = nps
            session.add_all(
                SurveyRating(conversation_id=cid, attribute=name, satisfaction=value,
                             importance=importance)
                for name, (value, importance) in ratings.items()
            )  # fmt: skip
        session.commit()


def test_the_purge_keeps_the_survey_answers_scorecards_compute_csat_nps_and_csi_from(db_url):
    flow = seed_workflow(db_url, conversations=0)
    first = seed_customer(flow, "c-a", "A1", started=OLD, index=1)  # CSAT 4
    second = seed_customer(flow, "c-b", "B1", started=OLD, index=2)
    _surveyed(db_url, first["conversations"], 10, {"speed": (5, 3.0), "competence": (4, None)})
    _surveyed(db_url, second["conversations"], 3, {"speed": (2, 5.0)})
    with storage_db.unit_of_work(db_url) as session:
        for cid in second["conversations"]:
            session.get(Conversation, cid).csat = 2
        session.commit()
    privacy.do_set_policy(unit_of_work(db_url), ADMIN, "test", 30, now=NOW)
    privacy.do_purge(unit_of_work(db_url), ADMIN, now=NOW)
    assert _count(db_url, SurveyRating) == 0  # the answers themselves are gone
    with storage_db.unit_of_work(db_url) as session:
        (row,) = session.scalars(select(AgentWeekAggregate)).all()
        assert (row.csat_count, row.csat_sum, row.csat_satisfied) == (2, 6, 1)
        assert (row.nps_count, row.nps_promoters, row.nps_detractors) == (2, 1, 1)
        assert row.survey_ratings == {  # courtesy (2, importance 2) comes with every seed
            "speed": [7.0, 2, 8.0, 2], "competence": [4.0, 1, 0.0, 0], "courtesy": [4.0, 2, 4.0, 2]
        }  # fmt: skip
    third = seed_customer(flow, "c-c", "C1", started=OLD, index=3)
    _surveyed(db_url, third["conversations"], 9, {"competence": (5, 2.0)})
    privacy.do_purge(unit_of_work(db_url), ADMIN, now=NOW)  # folded into the same week
    with storage_db.unit_of_work(db_url) as session:
        (row,) = session.scalars(select(AgentWeekAggregate)).all()
        assert (row.nps_count, row.nps_promoters, row.csat_satisfied) == (3, 2, 2)
        assert row.survey_ratings["competence"] == [9.0, 2, 2.0, 1]
        assert row.survey_ratings["courtesy"] == [6.0, 3, 6.0, 3]


def test_purging_again_adds_to_the_same_week_and_is_idempotent(db_url):
    flow = seed_workflow(db_url, conversations=0)
    seed_customer(flow, "c-a", "A1", started=OLD, index=1)
    privacy.do_set_policy(unit_of_work(db_url), ADMIN, "test", 30, now=NOW)
    privacy.do_purge(unit_of_work(db_url), ADMIN, now=NOW)
    privacy.do_purge(unit_of_work(db_url), ADMIN, now=NOW)  # nothing left to purge
    seed_customer(flow, "c-b", "B1", started=OLD, index=2)
    privacy.do_purge(unit_of_work(db_url), ADMIN, now=NOW)
    with storage_db.unit_of_work(db_url) as session:
        (row,) = session.scalars(select(AgentWeekAggregate)).all()
        assert (row.conversations, row.reviews, row.review_score_sum) == (2, 2, 180.0)
        assert row.auto_scores == {"politeness": [1.6, 2]}


def test_policies_are_validated_listed_and_removable(db_url):
    _seed(db_url)
    for days in (0, privacy.MAX_DAYS + 1):
        with pytest.raises(InvalidInput):
            privacy.do_set_policy(unit_of_work(db_url), ADMIN, "test", days, now=NOW)
    privacy.do_set_policy(unit_of_work(db_url), ADMIN, "test", 90, now=NOW)
    privacy.do_set_policy(unit_of_work(db_url), ADMIN, "chat-bot", 7, now=NOW)
    privacy.do_set_policy(unit_of_work(db_url), ADMIN, "chat-bot", None, now=NOW)
    screen = privacy.privacy_screen(unit_of_work(db_url), ADMIN, NOW)
    assert [(p.source, p.days, p.conversations) for p in screen.policies] == [
        ("test", 90, 6),
        ("zendesk", None, 1),
    ]
    assert screen.preview.dry_run and screen.preview.conversations == 1
    assert screen.last_purge is None


@pytest.mark.parametrize("role", ["lead", "reviewer", "trainer", "agent"])
def test_only_an_admin_sets_periods_and_purges(sqlite_url, role):
    actor = Actor(1, "someone", role)
    with pytest.raises(PermissionDenied):
        privacy.do_set_policy(unit_of_work(sqlite_url), actor, "test", 30, now=NOW)
    with pytest.raises(PermissionDenied):
        privacy.do_purge(unit_of_work(sqlite_url), actor, now=NOW, dry_run=True)


def test_cli_set_list_dry_run_and_purge(db_url):
    _seed(db_url)
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli, ["--db", db_url, "retention", *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert (
        "give DAYS or --forever"
        in runner.invoke(cli, ["--db", db_url, "retention", "set", "test"]).output
    )
    assert run("set", "test", "365") == "test: 365 days\n"
    assert "test: 365 days; 6 conversation(s)" in run("list")
    assert "zendesk: kept for ever" in run("list")
    out = run("purge", "--dry-run", "--now", NOW.isoformat())
    assert "test (365 days, before 2025-05-04 10:00 UTC): would delete" in out
    assert "conversations 1" in out and "held back (under review): 1" in out
    assert _count(db_url, Conversation) == 7
    out = run("purge", "--now", NOW.isoformat())
    assert "deleted" in out and "agent-week aggregates written: 1" in out
    assert _count(db_url, Conversation) == 6


def test_the_scheduled_purge_runs_once_a_day(db_url):
    from datetime import timedelta

    assert privacy.do_purge_if_due(unit_of_work(db_url), ADMIN, now=NOW) is None  # no periods
    _seed(db_url)
    privacy.do_set_policy(unit_of_work(db_url), ADMIN, "test", 365, now=NOW)
    first = privacy.do_purge_if_due(unit_of_work(db_url), ADMIN, now=NOW)
    assert first is not None and first.conversations == 1
    later = NOW + timedelta(hours=23)
    assert privacy.do_purge_if_due(unit_of_work(db_url), ADMIN, now=later) is None
    next_day = privacy.do_purge_if_due(unit_of_work(db_url), ADMIN, now=NOW + timedelta(hours=25))
    assert next_day is not None and next_day.conversations == 0
    assert _count(db_url, AuditEvent, action="retention.purged") == 2
    with pytest.raises(PermissionDenied):
        privacy.do_purge_if_due(unit_of_work(db_url), Actor(1, "lead", "lead"), now=NOW)


def test_two_purges_at_once_fold_each_conversation_once(db_url):
    """Two admins (or the app and cron) purging at the same moment: the policy rows are
    locked first, so the second waits and finds nothing left to fold or delete."""
    if not db_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers itself")
    import threading

    flow = seed_workflow(db_url, conversations=0)
    for index in range(6):
        seed_customer(flow, f"c-{index}", f"P{index}", started=OLD, index=index)
    privacy.do_set_policy(unit_of_work(db_url), ADMIN, "test", 30, now=NOW)
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def run() -> None:
        try:
            barrier.wait()
            reports.append(privacy.do_purge(unit_of_work(db_url), ADMIN, now=NOW))
        except Exception as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(r.conversations for r in reports) == [0, 6]
    with storage_db.unit_of_work(db_url) as session:
        rows = session.scalars(select(AgentWeekAggregate)).all()
        assert sum(r.conversations for r in rows) == 6


def test_after_a_purge_the_team_dashboard_still_shows_the_week_from_the_kept_counts(db_url):
    from datetime import date

    from qa_app.services import scorecards

    flow = seed_workflow(db_url, conversations=0)
    seed_customer(flow, "c-a", "A1", started=OLD, index=1)  # reviewed 90, CSAT 4
    privacy.do_set_policy(unit_of_work(db_url), ADMIN, "test", 30, now=NOW)
    privacy.do_purge(unit_of_work(db_url), ADMIN, now=NOW)
    january = scorecards.Period(date(2025, 1, 1), date(2025, 1, 31))
    with unit_of_work(db_url) as uow:
        board = scorecards.build_team_dashboard(
            uow.session, flow.lead, scorecards.TeamFilters(january), now=NOW
        )
    assert board.trend.empty or not board.trend["n"].sum()  # the reviews themselves are gone
    (week,) = board.purged.to_dict("records")
    assert (week["week_start"], week["conversations"], week["reviews"]) == (date(2025, 1, 6), 1, 1)
    assert (week["score"], week["csat"]) == (90.0, 100.0)
