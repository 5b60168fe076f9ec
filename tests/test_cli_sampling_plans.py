"""``qa-studio sample`` subcommands in CliRunner: goals, plans, the scheduler (idempotent
per period), the notable list, the simulation, and one-line errors."""

from __future__ import annotations

from sampling_fixtures import seed_plan_world
from sqlalchemy import func, select

from qa_app.cli import cli
from qa_app.storage import db as storage_db
from qa_app.storage.models import Assignment

RUN_AT = "2026-03-09T08:00:00+00:00"


def _invoke(url: str, *args: str):
    from click.testing import CliRunner

    return CliRunner().invoke(cli, ["--db", url, "sample", *args])


def _count(url: str) -> int:
    with storage_db.unit_of_work(url) as session:
        return session.scalar(select(func.count()).select_from(Assignment))


def test_plan_goal_and_scheduler_from_the_command_line(sqlite_url):
    seed_plan_world(sqlite_url)
    assert _invoke(sqlite_url, "goal", "rev1", "3").exit_code == 0
    added = _invoke(
        sqlite_url,
        "plan-add",
        "Weekly QA",
        "--every",
        "mon",
        "--at",
        "07:00",
        "--tz",
        "UTC",
        "--quota",
        "2",
        "--reviewers",
        "rev1,rev2",
        "--now",
        "2026-03-08T12:00:00+00:00",
    )
    assert added.exit_code == 0, added.output
    listed = _invoke(sqlite_url, "plans", "--now", RUN_AT)
    assert "Weekly QA: active, mon 07:00 UTC" in listed.output and "DUE" in listed.output
    dry = _invoke(sqlite_url, "run-plans", "--plan", "Weekly QA", "--dry-run", "--now", RUN_AT)
    assert "would assign 8 (rev1: 3, rev2: 5)" in dry.output
    assert _count(sqlite_url) == 0
    first = _invoke(sqlite_url, "run-plans", "--now", RUN_AT)
    assert first.exit_code == 0, first.output
    assert "Weekly QA [2026-W11]: assigned 8 (rev1: 3, rev2: 5)" in first.output
    second = _invoke(sqlite_url, "run-plans", "--now", RUN_AT)
    assert "0 plan(s) due" in second.output and _count(sqlite_url) == 8
    forced = _invoke(sqlite_url, "run-plans", "--plan", "Weekly QA", "--now", RUN_AT)
    assert "already ran for this period" in forced.output and _count(sqlite_url) == 8
    goals = _invoke(sqlite_url, "goals", "--now", RUN_AT)
    assert "rev1" in goals.output and "goal 3, done 0, open 3, capacity 0" in goals.output


def test_errors_are_one_clear_line(sqlite_url):
    seed_plan_world(sqlite_url, per_agent_week=1)
    bad_day = _invoke(sqlite_url, "plan-add", "X", "--every", "someday", "--reviewers", "rev1")
    assert bad_day.exit_code != 0 and "someday" in bad_day.output
    assert "Traceback" not in bad_day.output
    missing = _invoke(sqlite_url, "run-plans", "--plan", "Nope")
    assert missing.exit_code != 0 and "no plan named 'Nope'" in missing.output
    bad_range = _invoke(sqlite_url, "--reviewers", "rev1", "--csat", "low", "--dry-run")
    assert bad_range.exit_code != 0 and "not a range" in bad_range.output
    no_reviewers = _invoke(sqlite_url, "--dry-run")
    assert no_reviewers.exit_code != 0 and "--reviewers is required" in no_reviewers.output


def test_notable_list_and_simulation(sqlite_url):
    seed_plan_world(sqlite_url)
    with storage_db.unit_of_work(sqlite_url) as session:
        from qa_app.storage.models import Conversation

        for conversation in session.scalars(select(Conversation).limit(3)):
            conversation.csat = 1
    notable = _invoke(sqlite_url, "notable", "--csat", "1-2")
    assert notable.exit_code == 0 and "low_csat" in notable.output
    assert "(3 notable conversations)" in notable.output
    _invoke(
        sqlite_url,
        "plan-add",
        "Weekly QA",
        "--tz",
        "UTC",
        "--quota",
        "1",
        "--reviewers",
        "rev1",
        "--now",
        "2026-03-01T00:00:00+00:00",
    )
    simulated = _invoke(
        sqlite_url, "simulate", "--plan", "Weekly QA", "--start", "2026-03-09T00:00:00+00:00"
    )
    assert simulated.exit_code == 0, simulated.output
    assert "[2026-W11]: assigned 4" in simulated.output
    assert "[2026-W12]: assigned 4" in simulated.output
    assert "reviewed 3" in simulated.output  # 80% of 4, rounded down
