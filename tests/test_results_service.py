"""My results on both databases: an agent reads only their own reviews, newest first, with
automatic figures apart; acknowledging is idempotent and never bumps the review's lock;
the weekly trend counts the reviews behind each point; leads count what is unread."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from review_fixtures import seed_workflow
from sqlalchemy import select

from qa_app.services import results
from qa_app.services.disputes import decisions as disputes
from qa_app.services.errors import InvalidInput, PermissionDenied
from qa_app.services.reviews import grading as reviews
from qa_app.services.reviews.grading import GradeInput, ReviewDraft
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import AuditEvent, Review

NOW = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # a Friday, four weeks after the seed's start


def _submit(flow, conv_index: int, when: datetime, politeness: float = 3) -> int:
    draft = ReviewDraft(
        grades={
            "politeness": GradeInput(politeness, comment="Warm <b>reply</b>"),
            "greeting": GradeInput(1),
            "correct_info": GradeInput(1),
        },
        comment="Good work overall",
    )
    with storage_db.unit_of_work(flow.url) as session:
        conv_id = flow.conversation_ids[conv_index]
        assignment = sampling.assign_conversation(session, flow.lead, conv_id, "rev1")
        saved = reviews.submit_review(session, flow.reviewers[0], assignment, draft, None, now=when)
        return saved.review_id


def test_agent_sees_only_own_reviews_newest_first(db_url):
    flow = seed_workflow(db_url, conversations=6)
    start = datetime(2026, 3, 2, 10, tzinfo=UTC)
    mine = [_submit(flow, i, start + timedelta(days=i)) for i in (0, 2, 4)]  # a.petrova's
    theirs = _submit(flow, 1, start)  # b.smith's
    anna, bob = flow.agents
    with storage_db.unit_of_work(db_url) as session:
        items, total, waiting = results.my_results(session, anna)
        assert [i.review_id for i in items] == mine[::-1]
        assert (total, waiting) == (3, 3)
        first = items[0]
        assert first.summary.external_id == "c-4"
        assert [r.text for r in first.transcript.rows][0].startswith("Hello, my order 4")
        grades = {g.criterion_id: g for g in first.summary.grades}
        assert grades["politeness"].comment == "Warm <b>reply</b>"
        assert set(first.auto_values) == {"politeness", "greeting", "correct_info"}
        assert first.summary.comment == "Good work overall"
        items_bob, total_bob, _ = results.my_results(session, bob)
        assert [i.review_id for i in items_bob] == [theirs] and total_bob == 1
        page, total, _ = results.my_results(session, anna, page=1, page_size=2)
        assert [i.review_id for i in page] == [mine[0]] and total == 3


@pytest.mark.parametrize("who", ["lead", "reviewer"])
def test_staff_cannot_read_an_agents_results(sqlite_url, who):
    flow = seed_workflow(sqlite_url, conversations=2)
    actor = flow.lead if who == "lead" else flow.reviewers[0]
    with storage_db.unit_of_work(sqlite_url) as session, pytest.raises(PermissionDenied):
        results.my_results(session, actor)


def test_acknowledge_once_without_touching_the_lock(db_url):
    flow = seed_workflow(db_url, conversations=2)
    review_id = _submit(flow, 0, datetime(2026, 3, 3, 9, tzinfo=UTC))
    anna, bob = flow.agents
    with storage_db.unit_of_work(db_url) as session:
        lock = session.get(Review, review_id).lock_version
    first = NOW
    with storage_db.unit_of_work(db_url) as session:
        assert results.acknowledge_review(session, anna, review_id, first) == first
    with storage_db.unit_of_work(db_url) as session:
        again = results.acknowledge_review(session, anna, review_id, first + timedelta(hours=2))
        assert again == first  # the first moment stays
        review = session.get(Review, review_id)
        assert review.acknowledged_at == first and review.lock_version == lock
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "review.acknowledged")
        ).all()
        assert len(events) == 1 and events[0].entity_id == str(review_id)
        with pytest.raises(PermissionDenied):
            results.acknowledge_review(session, bob, review_id, first)
        with pytest.raises(PermissionDenied):
            results.acknowledge_review(session, flow.lead, review_id, first)
        _items, _total, waiting = results.my_results(session, anna)
        assert waiting == 0


def test_a_draft_cannot_be_acknowledged(sqlite_url):
    flow = seed_workflow(sqlite_url, conversations=2)
    with storage_db.unit_of_work(sqlite_url) as session:
        assignment = sampling.assign_conversation(
            session, flow.lead, flow.conversation_ids[0], "rev1"
        )
        saved = reviews.save_draft(
            session, flow.reviewers[0], assignment, ReviewDraft({"politeness": GradeInput(2)}), None
        )
    with storage_db.unit_of_work(sqlite_url) as session, pytest.raises(InvalidInput):
        results.acknowledge_review(session, flow.agents[0], saved.review_id, NOW)


def test_dispute_shows_on_the_result_and_decision_follows(sqlite_url):
    flow = seed_workflow(sqlite_url, conversations=2)
    review_id = _submit(flow, 0, datetime(2026, 3, 3, 9, tzinfo=UTC), politeness=1)
    anna = flow.agents[0]
    with storage_db.unit_of_work(sqlite_url) as session:
        dispute_id = disputes.raise_dispute(session, anna, review_id, "I was polite", "politeness")
    with storage_db.unit_of_work(sqlite_url) as session:
        (item,), _, _ = results.my_results(session, anna)
        assert item.open_dispute and item.disputes[0].reason == "I was polite"
        disputes.resolve_dispute(session, flow.reviewers[0], dispute_id, False, "Re-read: rude")
    with storage_db.unit_of_work(sqlite_url) as session:
        (item,), _, _ = results.my_results(session, anna)
        assert not item.open_dispute
        assert [(d.status, d.answer) for d in item.disputes] == [("rejected", "Re-read: rude")]


def test_trend_counts_reviews_behind_each_week(db_url):
    flow = seed_workflow(db_url, conversations=8)
    week1 = datetime(2026, 3, 3, 9, tzinfo=UTC)  # ISO week 10
    _submit(flow, 0, week1, politeness=3)
    _submit(flow, 2, week1 + timedelta(days=1), politeness=1)
    _submit(flow, 4, week1 + timedelta(days=14), politeness=3)  # week 12; week 11 has none
    _submit(flow, 1, week1, politeness=1)  # b.smith's: not in Anna's trend
    with storage_db.unit_of_work(db_url) as session:
        trend = results.score_trend(session, flow.agents[0], NOW)
        scores = {r.id: r.overall_score for r in session.scalars(select(Review)).all()}
    assert trend["week"].tolist() == ["2026-W10", "2026-W11", "2026-W12", "2026-W13"]
    assert trend["n"].tolist() == [2, 0, 1, 0]
    assert trend["partial"].tolist() == [False, False, False, True]  # NOW is a Friday
    anna_scores = sorted(scores.values())
    assert trend["mean"].iloc[2] == pytest.approx(max(anna_scores))
    assert trend["mean"].isna().tolist() == [False, True, False, True]


def test_lead_counts_unacknowledged_per_agent(db_url):
    flow = seed_workflow(db_url, conversations=6)
    when = datetime(2026, 3, 3, 9, tzinfo=UTC)
    first = _submit(flow, 0, when)
    _submit(flow, 2, when + timedelta(days=1))
    _submit(flow, 1, when + timedelta(days=2))
    with storage_db.unit_of_work(db_url) as session:
        results.acknowledge_review(session, flow.agents[0], first, NOW)
    with storage_db.unit_of_work(db_url) as session:
        frame = results.unacknowledged_counts(session, flow.lead)
        with pytest.raises(PermissionDenied):
            results.unacknowledged_counts(session, flow.agents[0])
        with pytest.raises(PermissionDenied):
            results.unacknowledged_counts(session, flow.reviewers[0])
    assert frame[["agent", "unacknowledged"]].values.tolist() == [
        ["Anna Petrova", 1],
        ["Bob Smith", 1],
    ]
    oldest = frame.set_index("agent")["oldest_submitted_at"]
    assert oldest["Anna Petrova"] == when + timedelta(days=1)
