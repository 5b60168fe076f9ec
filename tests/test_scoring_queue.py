"""Scoring on the task queue (procrastinate on the real PostgreSQL server): an import queues
its conversations in its own transaction, a worker killed mid-job loses nothing and every
conversation ends up scored exactly once, a failed job keeps its reason for the page."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from conftest import migrated_pg_schema
from ui_harness import run_page, seed_conversations, visible_text

from qa_app.bench import scale
from qa_app.cli import cli
from qa_app.i18n import t
from qa_app.services import database, scoring_queue
from qa_app.services.actor import SYSTEM
from qa_app.services.imports import ImportOptions, import_file
from qa_app.storage import db as storage_db
from qa_app.storage.models import AutoScore, AutoScoreRun, Conversation

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def pg_url(pg_available):
    if pg_available:
        pytest.skip(pg_available)
    yield from migrated_pg_schema()


def _import(url: str, path: Path):
    with storage_db.unit_of_work(url) as session:
        return import_file(session, str(path), options=ImportOptions(source="queue-test"))


def _count(url: str, query) -> int:
    with storage_db.unit_of_work(url) as session:
        return session.scalar(query)


def _job_states(url: str) -> dict[str, int]:
    return scoring_queue.queue_screen(database.unit_of_work(url), SYSTEM).jobs


def test_an_import_queues_its_conversations_when_it_commits(pg_url, tmp_path):
    scoring_queue.install(pg_url)
    export = tmp_path / "a.jsonl"
    written = scale.write_export(export, 30)
    summary = _import(pg_url, export)
    assert summary.imported == written and summary.scoring_jobs == 1
    with storage_db.unit_of_work(pg_url) as session:
        assert scoring_queue.queued_ids(session) == set(session.scalars(sa.select(Conversation.id)))
    # queueing again adds nothing: every unscored conversation is already waiting
    assert scoring_queue.do_enqueue_unscored(database.unit_of_work(pg_url), SYSTEM) == 0
    assert _job_states(pg_url)["todo"] == 1


def test_without_the_queue_an_import_queues_nothing(db_url, tmp_path):
    export = tmp_path / "a.jsonl"
    scale.write_export(export, 10)
    assert _import(db_url, export).scoring_jobs == 0
    screen = scoring_queue.queue_screen(database.unit_of_work(db_url), SYSTEM)
    assert not screen.installed and screen.unscored_conversations > 0


def _worker(url: str, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "qa_app.cli", "--db", url, "worker", "--heartbeat", "1",
               "--stalled-after", "3", *extra]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait_for(condition, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the queue")


def _waiting_writers(url: str) -> int:
    """Sessions waiting for a lock on the score table of this test's schema."""
    query = sa.text(
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'auto_scores'::regclass"
    )
    return _count(url, query)


@pytest.mark.slow
def test_a_worker_killed_mid_job_loses_nothing_and_scores_each_conversation_once(pg_url, tmp_path):
    export = tmp_path / "a.jsonl"
    written = scale.write_export(export, 80)
    _import(pg_url, export)  # before the queue exists: nothing queued yet
    scoring_queue.install(pg_url)
    with storage_db.unit_of_work(pg_url) as session:
        ids = list(session.scalars(sa.select(Conversation.id).order_by(Conversation.id)))
        jobs = scoring_queue.defer_ids(session, ids, job_size=8)
        session.commit()
    assert jobs == -(-written // 8)

    first = _worker(pg_url, "--name", "doomed")
    holder = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    try:  # kill it while a job is running, after at least one finished
        _wait_for(lambda: _job_states(pg_url)["succeeded"] >= 1)
        with holder.connect() as connection:
            # Hold the next job inside its transaction: a job writes its scores only after
            # computing them, and this lock makes that write wait, so the kill below lands
            # mid-job on a machine of any speed (reads still pass: SHARE blocks writers only).
            # One table only: locking a second one while a job that already wrote to it
            # waits on the first would be a deadlock (a fresh-clone run hit exactly that).
            connection.execute(sa.text("LOCK TABLE auto_scores IN SHARE MODE"))
            _wait_for(lambda: _waiting_writers(pg_url) >= 1)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
            connection.rollback()
    finally:
        if first.poll() is None:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        holder.dispose()
    states = _job_states(pg_url)
    assert states["doing"] == 1 and states["todo"] >= 1  # the killed job is stuck "doing"

    time.sleep(4)  # the dead worker's heartbeat is older than --stalled-after
    second = _worker(pg_url, "--once", "--name", "rescuer")
    output, _ = second.communicate(timeout=600)
    assert second.returncode == 0, output.decode(errors="replace")[-2000:]

    states = _job_states(pg_url)
    assert states["succeeded"] == jobs and states["doing"] == 0 and states["failed"] == 0
    assert _count(pg_url, sa.select(sa.func.count()).select_from(AutoScoreRun)) == written
    duplicates = sa.select(sa.func.count()).select_from(
        sa.select(AutoScore.message_id, AutoScore.task)
        .where(AutoScore.message_id.is_not(None))
        .group_by(AutoScore.message_id, AutoScore.task)
        .having(sa.func.count() > 1)
        .subquery()
    )
    assert _count(pg_url, duplicates) == 0
    assert _count(pg_url, sa.select(sa.func.count()).select_from(AutoScore)) > written


def test_a_failed_job_keeps_its_reason_for_the_queue_page(pg_url):
    scoring_queue.install(pg_url)
    with storage_db.unit_of_work(pg_url) as session:
        session.execute(
            sa.text(
                "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, NULL, "
                "CAST(:args AS jsonb), NULL)::procrastinate_job_to_defer_v1])"
            ),
            {
                "queue": scoring_queue.QUEUE,
                "task": scoring_queue.SCORE_TASK,
                "args": json.dumps({"conversation_ids": ["not-a-number"]}),
            },  # fmt: skip
        )
        session.commit()
    done = _worker(pg_url, "--once")
    done.communicate(timeout=300)
    screen = scoring_queue.queue_screen(database.unit_of_work(pg_url), SYSTEM)
    (failure,) = screen.failures
    assert failure.attempt == 1 and failure.conversations == 1
    assert failure.reason and "Traceback" not in failure.reason


def test_the_worker_refuses_sqlite_with_a_clear_message(sqlite_url):
    result = CliRunner().invoke(cli, ["--db", sqlite_url, "worker", "--once"])
    assert result.exit_code != 0
    assert "needs PostgreSQL" in result.output


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_lead_reads_the_queue_in_both_languages(pg_url, lang):
    scoring_queue.install(pg_url)
    seed_conversations(pg_url, 12)
    scoring_queue.do_enqueue_unscored(database.unit_of_work(pg_url), SYSTEM)
    at = run_page("scoring_queue", "lead", pg_url, lang)
    assert not at.exception, at.exception
    assert at.title[0].value == t("scoring_queue.title", lang)
    figures = {m.label: m.value for m in at.metric}
    assert figures[t("scoring_queue.state.todo", lang)] == "1"
    assert figures[t("scoring_queue.state.failed", lang)] == "0"
    assert t("scoring_queue.no_failures", lang) in visible_text(at)


def test_on_sqlite_the_page_says_where_the_queue_runs(sqlite_url):
    at = run_page("scoring_queue", "lead", sqlite_url, "ru")
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [t("scoring_queue.needs_postgres", "ru")]


@pytest.mark.parametrize("role", ["reviewer", "trainer", "agent"])
def test_others_cannot_open_the_queue(sqlite_url, role):
    at = run_page("scoring_queue", role, sqlite_url)
    assert [e.value for e in at.error] == [
        t("shell.page_denied", "en", role=t(f"role.{role}", "en"))
    ]
