"""Writes two users (or two tabs) can reach at the same moment, 20 threads at once on
PostgreSQL (issue 12, item 6).

Each path must end either in success once (or for everyone, where every write is kept) or in
the domain's ``Conflict`` with a clear message: never a raw ``IntegrityError``,
``UniqueViolation`` or ``StaleDataError``. Every thread goes through the real use case
(``do_*`` on a unit of work from ``services.database``), as the app's pages do.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from review_fixtures import SMALL_RUBRIC, seed_workflow
from sqlalchemy import func, select

from qa_app.i18n import t
from qa_app.services import (
    accounts,
    calibration,
    database,
    disputes,
    reviews,
    rubrics,
    sampling,
)
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import Conflict
from qa_app.services.reviews import GradeInput, ReviewDraft
from qa_app.storage import db as storage_db
from qa_app.storage.models import (
    Assignment,
    AssignmentPlan,
    AuditEvent,
    CalibrationConsensus,
    Dispute,
    Review,
    ReviewerGoal,
    RubricVersion,
    User,
)

THREADS = 20
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
DRAFT = ReviewDraft(
    grades={"politeness": GradeInput(2), "greeting": GradeInput(1), "correct_info": GradeInput(1)}
)


@pytest.fixture
def pg_url(pg_available):
    """A migrated PostgreSQL schema of its own: the races need a server that runs
    transactions side by side."""
    if pg_available:
        pytest.skip(pg_available)
    yield from _pg_schema()


def _pg_schema():
    from conftest import migrated_pg_schema

    yield from migrated_pg_schema()


def race(fn: Callable[[int], object], n: int = THREADS) -> list[object]:
    """``fn(i)`` in ``n`` threads released together; each result or the exception raised."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as exc:  # the outcome under test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def outcome(results: list[object]) -> tuple[list[object], list[Conflict]]:
    """The successes and the conflicts; anything else fails the test with what it was."""
    failures = [r for r in results if isinstance(r, Exception)]
    unexpected = [repr(r) for r in failures if not isinstance(r, Conflict)]
    assert unexpected == []
    for conflict in failures:  # a message in both languages that shows no internals
        for lang in ("en", "ru"):
            text = t(conflict.key, lang, **conflict.params)
            assert text and "INSERT" not in text and "UPDATE" not in text and "psycopg" not in text
    return [r for r in results if not isinstance(r, Exception)], failures


def _count(url: str, query) -> int:
    with storage_db.unit_of_work(url) as session:
        return int(session.scalar(query))


def _assigned(flow, index: int = 0) -> int:
    with storage_db.unit_of_work(flow.url) as session:
        return sampling.assign_conversation(
            session, flow.lead, flow.conversation_ids[index], "rev1", now=NOW
        )


def _submitted(flow, index: int = 0) -> int:
    aid = _assigned(flow, index)
    with storage_db.unit_of_work(flow.url) as session:
        return reviews.submit_review(session, flow.reviewers[0], aid, DRAFT, None).review_id


def test_first_saves_of_one_draft_end_in_one_review_or_a_conflict(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    aid = _assigned(flow)
    rev1 = flow.reviewers[0]
    done, conflicts = outcome(
        race(lambda i: reviews.do_save_draft(database.unit_of_work(pg_url), rev1, aid, DRAFT, None))
    )
    assert len(done) >= 1 and len(done) + len(conflicts) == THREADS
    assert {c.key for c in conflicts} <= {"review.error.stale", "error.concurrent"}
    assert _count(pg_url, select(func.count()).select_from(Review)) == 1


def test_parallel_submits_of_one_review_submit_it_once(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    aid = _assigned(flow)
    rev1 = flow.reviewers[0]
    done, conflicts = outcome(
        race(
            lambda i: reviews.do_submit_review(
                database.unit_of_work(pg_url), rev1, aid, DRAFT, None, now=NOW
            )
        )  # fmt: skip
    )
    assert len(done) == 1 and len(conflicts) == THREADS - 1
    submitted = (
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "review.submitted")
    )
    assert _count(pg_url, submitted) == 1
    assert _count(pg_url, select(func.count()).select_from(Review)) == 1


def test_calibration_grades_of_one_assignment_end_in_one_review(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    with storage_db.unit_of_work(pg_url) as session:
        sid = calibration.create_session(
            session, flow.lead, "race", ["rev1", "rev2"], [flow.conversation_ids[0]], now=NOW
        )
        aid = session.scalar(
            select(Assignment.id).where(
                Assignment.calibration_session_id == sid,
                Assignment.reviewer_id == flow.reviewers[0].user_id,
            )
        )
    rev1 = flow.reviewers[0]
    done, _conflicts = outcome(
        race(
            lambda i: reviews.do_submit_review(
                database.unit_of_work(pg_url), rev1, aid, DRAFT, None, now=NOW
            )
        )  # fmt: skip
    )
    assert len(done) == 1
    assert _count(pg_url, select(func.count()).select_from(Review)) == 1


def test_twenty_saves_of_one_rubric_make_twenty_versions(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    results = race(
        lambda i: rubrics.do_save_rubric(
            database.unit_of_work(pg_url), flow.lead, SMALL_RUBRIC, f"edit {i}"
        )  # fmt: skip
    )
    done, conflicts = outcome(results)
    assert conflicts == [] and len(done) == THREADS
    assert sorted(r.version for r in done) == list(range(2, THREADS + 2))


def test_twenty_first_saves_of_a_new_rubric_all_land(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    text = SMALL_RUBRIC.replace("id: small-test", "id: brand-new")
    done, conflicts = outcome(
        race(
            lambda i: rubrics.do_save_rubric(
                database.unit_of_work(pg_url), flow.lead, text, f"first {i}"
            )
        )  # fmt: skip
    )
    assert conflicts == [] and sorted(r.version for r in done) == list(range(1, THREADS + 1))


def test_bundled_rubrics_loaded_by_many_pages_at_once_are_loaded_once(pg_url):
    seed_workflow(pg_url, conversations=2)
    done, conflicts = outcome(
        race(lambda i: rubrics.do_ensure_default_rubric(database.unit_of_work(pg_url)))
    )
    assert conflicts == []
    loaded = [slug for slugs in done for slug in slugs]
    assert loaded and len(loaded) == len(set(loaded))  # each bundled rubric loaded by one
    per_rubric = select(func.count()).select_from(RubricVersion).group_by(RubricVersion.rubric_id)
    with storage_db.unit_of_work(pg_url) as session:
        assert set(session.scalars(per_rubric)) == {1}


def test_parallel_disputes_of_one_grade_open_one(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    review_id = _submitted(flow)
    agent = flow.agents[0]
    done, conflicts = outcome(
        race(
            lambda i: disputes.do_raise_dispute(
                database.unit_of_work(pg_url),
                agent,
                review_id,
                f"reason {i}",
                "politeness",
                now=NOW,
            )
        )  # fmt: skip
    )
    assert len(done) == 1 and len(conflicts) == THREADS - 1
    assert _count(pg_url, select(func.count()).select_from(Dispute)) == 1


def test_parallel_decisions_of_one_dispute_decide_it_once(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    review_id = _submitted(flow)
    with storage_db.unit_of_work(pg_url) as session:
        dispute_id = disputes.raise_dispute(
            session, flow.agents[0], review_id, "unfair", "politeness", 3, now=NOW
        )
    lead = flow.lead
    done, conflicts = outcome(
        race(
            lambda i: disputes.do_resolve_dispute(
                database.unit_of_work(pg_url), lead, dispute_id, i % 2 == 0, f"answer {i}", now=NOW
            )
        )  # fmt: skip
    )
    assert len(done) == 1 and len(conflicts) == THREADS - 1
    decided = (
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action.in_(("dispute.accepted", "dispute.rejected")))
    )
    assert _count(pg_url, decided) == 1


def _closed_ready_session(flow) -> int:
    with storage_db.unit_of_work(flow.url) as session:
        return calibration.create_session(
            session, flow.lead, "race", ["rev1", "rev2"], [flow.conversation_ids[0]], now=NOW
        )


def test_parallel_consensus_of_one_item_keeps_one_row(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    sid = _closed_ready_session(flow)
    conv = flow.conversation_ids[0]
    done, conflicts = outcome(
        race(
            lambda i: calibration.do_record_consensus(
                database.unit_of_work(pg_url),
                flow.lead,
                sid,
                conv,
                "politeness",
                1 + i % 3,
                f"note {i}",
                now=NOW,
            )
        )  # fmt: skip
    )
    assert conflicts == [] and len(done) == THREADS
    assert _count(pg_url, select(func.count()).select_from(CalibrationConsensus)) == 1


def test_parallel_closes_of_one_session_close_it_once(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    sid = _closed_ready_session(flow)
    done, conflicts = outcome(
        race(
            lambda i: calibration.do_close_session(
                database.unit_of_work(pg_url), flow.lead, sid, now=NOW
            )
        )  # fmt: skip
    )
    assert len(done) == 1 and {c.key for c in conflicts} == {"calibration.error.closed"}
    closed = (
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "calibration.closed")
    )
    assert _count(pg_url, closed) == 1


def test_parallel_claims_of_one_conversation_assign_it_once(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    conv = flow.conversation_ids[0]
    reviewer = ("rev1", "rev2")
    done, conflicts = outcome(
        race(
            lambda i: sampling.do_send_to_review(
                database.unit_of_work(pg_url), flow.lead, [conv], (reviewer[i % 2],), now=NOW
            )
        )  # fmt: skip
    )
    assert len(done) + len(conflicts) == THREADS
    live = select(func.count()).select_from(Assignment).where(Assignment.status != "cancelled")
    assert _count(pg_url, live) == 1


def test_parallel_adds_of_one_username_add_one_user(pg_url):
    seed_workflow(pg_url, conversations=2)
    done, conflicts = outcome(
        race(
            lambda i: accounts.do_add_user(
                database.unit_of_work(pg_url),
                SYSTEM,
                "same.name",
                "reviewer",
                password="long-enough-password-1",
            )
        )  # fmt: skip
    )
    assert len(done) == 1 and len(conflicts) == THREADS - 1
    assert _count(pg_url, select(func.count()).select_from(User).where(
        User.username == "same.name")) == 1  # fmt: skip


def test_parallel_saves_of_one_plan_name_save_one_plan(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    data = sampling.PlanInput(name="Weekly", reviewers=("rev1",))
    done, conflicts = outcome(
        race(
            lambda i: sampling.do_save_plan(database.unit_of_work(pg_url), flow.lead, data, now=NOW)
        )  # fmt: skip
    )
    assert len(done) == 1 and len(conflicts) == THREADS - 1
    assert _count(pg_url, select(func.count()).select_from(AssignmentPlan)) == 1


def test_parallel_goals_for_one_reviewer_keep_one_goal(pg_url):
    flow = seed_workflow(pg_url, conversations=2)
    done, conflicts = outcome(
        race(
            lambda i: reviews.do_set_goal(
                database.unit_of_work(pg_url), flow.lead, "rev1", 10 + i, now=NOW
            )
        )  # fmt: skip
    )
    assert len(done) >= 1 and len(done) + len(conflicts) == THREADS
    assert _count(pg_url, select(func.count()).select_from(ReviewerGoal)) == 1


def test_parallel_samples_never_assign_a_conversation_twice(pg_url):
    flow = seed_workflow(pg_url, conversations=6)
    request = sampling.SampleRequest(strategy="random", per_agent_week=5, reviewers=("rev1",))
    done, conflicts = outcome(
        race(
            lambda i: sampling.do_create_sample(
                database.unit_of_work(pg_url), flow.lead, request, now=NOW
            )
        )  # fmt: skip
    )
    assert len(done) >= 1 and len(done) + len(conflicts) == THREADS
    per_conversation = (
        select(func.count())
        .select_from(Assignment)
        .where(Assignment.status != "cancelled")
        .group_by(Assignment.conversation_id)
    )
    with storage_db.unit_of_work(pg_url) as session:
        assert set(session.scalars(per_conversation)) == {1}


def test_parallel_acknowledgements_of_one_review_store_one_moment(pg_url):
    from qa_app.services import results

    flow = seed_workflow(pg_url, conversations=2)
    review_id = _submitted(flow)
    agent = flow.agents[0]
    done, conflicts = outcome(
        race(
            lambda i: results.do_acknowledge_review(
                database.unit_of_work(pg_url), agent, review_id, now=NOW
            )
        )  # fmt: skip
    )
    assert conflicts == [] and set(done) == {NOW}
    acknowledged = (
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "review.acknowledged")
    )
    assert _count(pg_url, acknowledged) == 1


def test_parallel_corrections_of_one_visit_keep_one(pg_url, tmp_path, monkeypatch):
    """Twenty tabs correct the same visit from the same version: one correction lands, every
    other tab gets the visit's conflict message and its summary is nowhere."""
    from mystery_fixtures import programme, visit

    from qa_app.services import mystery
    from qa_app.services.mystery import attachments
    from qa_app.storage.models import MysteryVisit

    monkeypatch.setenv(attachments.ATTACHMENTS_ENV, str(tmp_path / "files"))
    p = programme(pg_url)
    with storage_db.unit_of_work(pg_url) as session:
        visit_id = mystery.record_visit(session, p.shopper, visit(p.scenario_id), now=NOW)
        session.commit()
        version = session.get(MysteryVisit, visit_id).lock_version

    def correct(i: int) -> int:
        data = dataclasses.replace(visit(p.scenario_id), summary=f"tab {i}")
        uow = database.unit_of_work(pg_url)
        return mystery.do_update_visit(uow, p.shopper, visit_id, version, data, now=NOW)

    done, conflicts = outcome(race(correct))
    assert done == [version + 1]
    assert {c.key for c in conflicts} == {"mystery.visit.stale"}
    with storage_db.unit_of_work(pg_url) as session:
        row = session.get(MysteryVisit, visit_id)
        assert row.lock_version == version + 1 and row.summary.startswith("tab ")
        edits = select(func.count()).select_from(AuditEvent)
        assert session.scalar(edits.where(AuditEvent.action == "mystery.visit_edited")) == 1
