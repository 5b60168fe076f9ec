"""Disputes on both databases: who may raise and decide, grade history, agent isolation."""

from __future__ import annotations

import pytest
from review_fixtures import seed_workflow

from qa_app.services.disputes import decisions as disputes
from qa_app.services.errors import Conflict, InvalidInput, PermissionDenied
from qa_app.services.reviews import grading as reviews
from qa_app.services.reviews.grading import GradeInput, ReviewDraft
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import AuditEvent, Conversation, GradeChange, Review


def _submitted(flow, conv_index=0) -> int:
    """A submitted review of conversation ``conv_index`` (agent a.petrova for even ones)."""
    draft = ReviewDraft(
        grades={
            "politeness": GradeInput(1),
            "greeting": GradeInput(1),
            "correct_info": GradeInput(1),
        }
    )
    with storage_db.unit_of_work(flow.url) as session:
        conv_id = flow.conversation_ids[conv_index]
        assignment = sampling.assign_conversation(session, flow.lead, conv_id, "rev1")
        return reviews.submit_review(session, flow.reviewers[0], assignment, draft, None).review_id


def test_agent_disputes_reviewer_accepts_and_score_is_recomputed(db_url):
    flow = seed_workflow(db_url, conversations=2)
    review_id = _submitted(flow)
    agent = flow.agents[0]  # a.petrova handled conversation 0
    with storage_db.unit_of_work(db_url) as session:
        before = session.get(Review, review_id).overall_score
        dispute_id = disputes.raise_dispute(
            session, agent, review_id, "I was polite", "politeness", proposed_value=3
        )
        assert session.get(Review, review_id).status == "disputed"
        with pytest.raises(Conflict):
            disputes.raise_dispute(session, agent, review_id, "again", "politeness")
    with storage_db.unit_of_work(db_url) as session:
        info = disputes.resolve_dispute(
            session, flow.reviewers[0], dispute_id, True, "Agreed, re-read it"
        )
        assert info.status == "accepted"
        review = session.get(Review, review_id)
        assert review.status == "final"
        assert review.overall_score > before
        change = session.query(GradeChange).one()
        assert (change.old_value, change.new_value, change.dispute_id) == (1, 3, dispute_id)
        actions = {e.action for e in session.query(AuditEvent)}
        assert {"dispute.raised", "dispute.accepted", "review.submitted"} <= actions
    with storage_db.unit_of_work(db_url) as session:
        seen = disputes.list_disputes(session, agent)
        assert [(d.status, d.answer) for d in seen] == [("accepted", "Agreed, re-read it")]
        history = disputes.grade_history(session, agent, review_id)
        assert history[0]["dispute_id"] == dispute_id


def test_reject_keeps_grades_and_needs_an_answer(db_url):
    flow = seed_workflow(db_url, conversations=2)
    review_id = _submitted(flow)
    with storage_db.unit_of_work(db_url) as session:
        dispute_id = disputes.raise_dispute(session, flow.lead, review_id, "Check whole review")
        with pytest.raises(InvalidInput):
            disputes.resolve_dispute(session, flow.lead, dispute_id, False, " ")
        disputes.resolve_dispute(session, flow.lead, dispute_id, False, "Grades stand")
        assert session.get(Review, review_id).status == "final"
        (line,) = session.query(GradeChange).all()  # the decision is in the history too
        assert (line.decision, line.criterion_id, line.old_value, line.new_value) == (
            "rejected",
            "",
            None,
            None,
        )
        with pytest.raises(Conflict):
            disputes.resolve_dispute(session, flow.lead, dispute_id, True, "changed my mind")


def test_agents_see_and_dispute_only_their_own_reviews(db_url):
    flow = seed_workflow(db_url, conversations=2)
    own = _submitted(flow, 0)  # a.petrova
    other = _submitted(flow, 1)  # b.smith
    petrova, smith = flow.agents
    with storage_db.unit_of_work(db_url) as session:
        assert session.get(Conversation, flow.conversation_ids[1]).agent_id == smith.agent_id
        assert [r.review_id for r in disputes.visible_reviews(session, petrova)] == [own]
        assert [r.review_id for r in disputes.visible_reviews(session, smith)] == [other]
        with pytest.raises(PermissionDenied):
            disputes.raise_dispute(session, petrova, other, "not mine")
        with pytest.raises(PermissionDenied):
            disputes.review_summary(session, petrova, other)
        disputes.raise_dispute(session, smith, other, "mine")
        assert disputes.list_disputes(session, petrova) == []
        with pytest.raises(PermissionDenied):  # agents cannot decide disputes
            disputes.resolve_dispute(
                session, smith, disputes.list_disputes(session, smith)[0].dispute_id, True, "ok"
            )
        with pytest.raises(PermissionDenied):  # another reviewer cannot either
            disputes.resolve_dispute(
                session,
                flow.reviewers[1],
                disputes.list_disputes(session, smith)[0].dispute_id,
                True,
                "ok",
            )


def test_only_submitted_reviews_can_be_disputed(db_url):
    flow = seed_workflow(db_url, conversations=1)
    with storage_db.unit_of_work(db_url) as session:
        assignment = sampling.assign_conversation(
            session, flow.lead, flow.conversation_ids[0], "rev1"
        )
        saved = reviews.save_draft(
            session, flow.reviewers[0], assignment, ReviewDraft({"politeness": GradeInput(2)}), None
        )
        with pytest.raises(Conflict):
            disputes.raise_dispute(session, flow.lead, saved.review_id, "too early")
