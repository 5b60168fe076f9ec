"""Fair dispute decisions on SQLite and PostgreSQL: an accept changes a grade or says it keeps
it (never a false "changed"), every decision writes the grade history, and two leads deciding
the same dispute at once end in one decision and a clear conflict."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from review_fixtures import actor_of, seed_workflow

from qa_app.services import database
from qa_app.services import disputes as disputes_area
from qa_app.services.disputes import decisions as disputes
from qa_app.services.errors import Conflict, InvalidInput
from qa_app.services.reviews import grading as reviews
from qa_app.services.reviews.grading import GradeInput, ReviewDraft
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import Dispute, GradeChange, Review, User

# politeness 1-3 graded 1 (0), greeting pass (100): manner 50; correct_info pass: result 100.
# Overall (50 + 100) / 2 = 75. Politeness 3 makes manner 100 and the overall 100.
GRADES = {"politeness": GradeInput(1), "greeting": GradeInput(1), "correct_info": GradeInput(1)}


def _disputed(flow, *, criterion="politeness", proposed=None) -> tuple[int, int]:
    with storage_db.unit_of_work(flow.url) as session:
        aid = sampling.assign_conversation(session, flow.lead, flow.conversation_ids[0], "rev1")
        review_id = reviews.submit_review(
            session, flow.reviewers[0], aid, ReviewDraft(dict(GRADES)), None
        ).review_id
        dispute_id = disputes.raise_dispute(
            session, flow.agents[0], review_id, "I was polite and warm", criterion, proposed
        )
    return review_id, dispute_id


def _history(url: str, review_id: int) -> list[tuple]:
    with storage_db.unit_of_work(url) as session:
        rows = session.query(GradeChange).filter_by(review_id=review_id).order_by(GradeChange.id)
        return [(r.decision, r.criterion_id, r.old_value, r.new_value) for r in rows]


def test_an_accept_that_changes_nothing_is_refused_and_loses_nothing(db_url):
    flow = seed_workflow(db_url, conversations=1)
    review_id, dispute_id = _disputed(flow)
    with storage_db.unit_of_work(db_url) as session:
        with pytest.raises(InvalidInput) as refused:
            disputes.resolve_dispute(
                session, flow.lead, dispute_id, True, "fine", {"politeness": 1.0}
            )
        assert refused.value.key == "disputes.error.accept_changes_nothing"
        with pytest.raises(InvalidInput):  # no proposal and no values: nothing to change
            disputes.resolve_dispute(session, flow.lead, dispute_id, True, "fine")
    with storage_db.unit_of_work(db_url) as session:
        assert session.get(Dispute, dispute_id).status == "open"
        assert session.get(Review, review_id).overall_score == 75.0
    assert _history(db_url, review_id) == []


def test_accepted_grade_kept_has_its_own_status_and_history_line(db_url):
    flow = seed_workflow(db_url, conversations=1)
    review_id, dispute_id = _disputed(flow, proposed=3)
    with storage_db.unit_of_work(db_url) as session:
        with pytest.raises(InvalidInput):  # keeping the grade and changing it contradict
            disputes.resolve_dispute(
                session, flow.lead, dispute_id, True, "x", {"politeness": 3}, keep_grade=True
            )
        info = disputes.resolve_dispute(
            session, flow.lead, dispute_id, True, "Fair point, but 1 stands", keep_grade=True
        )
        assert info.status == "accepted_kept"
        assert (info.score_before, info.score_after) == (75.0, 75.0)
        review = session.get(Review, review_id)
        assert (review.status, review.overall_score) == ("final", 75.0)
        assert [g.value for g in review.grades if g.criterion_id == "politeness"] == [1.0]
    assert _history(db_url, review_id) == [("kept", "politeness", 1.0, 1.0)]


def test_an_accept_with_a_new_grade_changes_it_and_rescores(db_url):
    flow = seed_workflow(db_url, conversations=1)
    review_id, dispute_id = _disputed(flow, proposed=3)
    with storage_db.unit_of_work(db_url) as session:
        info = disputes.resolve_dispute(session, flow.lead, dispute_id, True, "Agreed")
        assert info.status == "accepted"
        assert (info.score_before, info.score_after) == (75.0, 100.0)
        history = disputes.grade_history(session, flow.agents[0], review_id)
        assert [(h["decision"], h["dispute_id"]) for h in history] == [("changed", dispute_id)]
    assert _history(db_url, review_id) == [("changed", "politeness", 1.0, 3.0)]


def test_a_whole_review_accept_changes_the_chosen_grades_only(db_url):
    flow = seed_workflow(db_url, conversations=1)
    review_id, dispute_id = _disputed(flow, criterion=None)
    with storage_db.unit_of_work(db_url) as session:
        info = disputes.resolve_dispute(
            session, flow.lead, dispute_id, True, "Two fixes",
            {"politeness": 2.0, "greeting": 1.0, "correct_info": 1.0},
        )  # fmt: skip
        # politeness 2 -> 50: manner (50 + 100) / 2 = 75; overall (75 + 100) / 2 = 87.5
        assert info.status == "accepted" and info.score_after == 87.5
    assert _history(db_url, review_id) == [("changed", "politeness", 1.0, 2.0)]


def test_a_second_decision_is_a_clear_conflict(db_url):
    flow = seed_workflow(db_url, conversations=1)
    review_id, dispute_id = _disputed(flow)
    disputes_area.do_resolve_dispute(
        database.unit_of_work(db_url), flow.lead, dispute_id, False, "The grade stands"
    )
    with pytest.raises(Conflict) as second:
        disputes_area.do_resolve_dispute(
            database.unit_of_work(db_url), flow.lead, dispute_id, True, "Accept", {"politeness": 3}
        )
    assert second.value.key == "disputes.error.resolved"
    assert _history(db_url, review_id) == [("rejected", "politeness", 1.0, 1.0)]


def _wait_until_blocked_on_disputes(db_url: str, timeout: float = 60.0) -> None:
    """Until another session waits for a lock in an UPDATE of disputes: committing before
    lead B got that far would test "already decided", not the race."""
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND query ILIKE 'UPDATE disputes%' AND datname = current_database()"
    )
    engine = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                if connection.scalar(query):
                    return
            time.sleep(0.05)
    finally:
        engine.dispose()


def test_two_leads_deciding_at_once_one_wins_the_other_gets_a_conflict(db_url):
    """Lead A has claimed the dispute and not committed yet when lead B decides: B waits on
    the row, then finds it decided and gets Conflict (PostgreSQL; SQLite locks the file)."""
    if db_url.startswith("sqlite"):
        pytest.skip("the row-level race needs PostgreSQL")
    flow = seed_workflow(db_url, conversations=1)
    review_id, dispute_id = _disputed(flow)
    with storage_db.unit_of_work(db_url) as session:
        other = User(username="lead2", password_hash="x", role="lead")
        session.add(other)
        session.flush()
        lead_b = actor_of(other)
    claimed = threading.Event()
    outcomes: dict[str, object] = {}

    def lead_a() -> None:
        try:
            with database.unit_of_work(db_url) as uow:
                disputes.resolve_dispute(
                    uow.session, flow.lead, dispute_id, True, "A: agreed", {"politeness": 3}
                )
                claimed.set()
                _wait_until_blocked_on_disputes(db_url)  # B waits on the dispute row
                uow.commit()
            outcomes["a"] = "decided"
        except Exception as exc:  # recorded, so the assertion shows what went wrong
            claimed.set()
            outcomes["a"] = repr(exc)

    def lead_b_decides() -> None:
        claimed.wait(timeout=60)
        try:
            disputes_area.do_resolve_dispute(
                database.unit_of_work(db_url), lead_b, dispute_id, False, "B: rejected"
            )
            outcomes["b"] = "decided"
        except Conflict as exc:
            outcomes["b"] = exc.key
        except Exception as exc:
            outcomes["b"] = repr(exc)

    threads = [threading.Thread(target=lead_a), threading.Thread(target=lead_b_decides)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes == {"a": "decided", "b": "disputes.error.decided_meanwhile"}
    with storage_db.unit_of_work(db_url) as session:
        dispute = session.get(Dispute, dispute_id)
        assert (dispute.status, dispute.answer) == ("accepted", "A: agreed")
        assert session.get(Review, review_id).overall_score == 100.0
    assert _history(db_url, review_id) == [("changed", "politeness", 1.0, 3.0)]
