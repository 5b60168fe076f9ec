"""Reviews on both databases: drafts, submission, optimistic locking, suggestions, queue."""

from __future__ import annotations

import pytest
from review_fixtures import seed_workflow

from qa_app.services.conversations import transcript
from qa_app.services.errors import Conflict, InvalidInput, PermissionDenied
from qa_app.services.reviews import grading as reviews
from qa_app.services.reviews import queue
from qa_app.services.reviews.grading import GradeInput, ReviewDraft
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import AutoScore, AutoScoreRun, Conversation, Message, Review


def _assign(flow, count=2):
    with storage_db.unit_of_work(flow.url) as session:
        return [
            sampling.assign_conversation(session, flow.lead, conv_id, "rev1")
            for conv_id in flow.conversation_ids[:count]
        ]


def _full() -> ReviewDraft:
    return ReviewDraft(
        grades={
            "politeness": GradeInput(3, comment="warm"),
            "greeting": GradeInput(not_applicable=True),
            "correct_info": GradeInput(1),
        },
        comment="good work",
    )


def test_draft_autosave_then_submit_moves_to_next(db_url):
    flow = seed_workflow(db_url, conversations=3)
    first, second = _assign(flow)
    rev = flow.reviewers[0]
    with storage_db.unit_of_work(db_url) as session:
        assert queue.next_assignment(session, rev) == first
        ctx = reviews.open_review(session, rev, first)
        assert ctx.editable and ctx.lock_version is None and ctx.review_id is None
        partial = ReviewDraft(grades={"politeness": GradeInput(2)})
        saved = reviews.save_draft(session, rev, first, partial, None)
        assert saved.score.missing == ("greeting", "correct_info")
    with storage_db.unit_of_work(db_url) as session:  # a reload finds the draft
        ctx = reviews.open_review(session, rev, first)
        assert ctx.draft.grades["politeness"].value == 2
        assert ctx.assignment_status == "in_progress"
        with pytest.raises(InvalidInput) as missing:
            reviews.submit_review(session, rev, first, ctx.draft, ctx.lock_version)
        assert missing.value.params["missing"] == ["greeting", "correct_info"]
    with storage_db.unit_of_work(db_url) as session:
        result = reviews.submit_review(session, rev, first, _full(), saved.lock_version)
        assert result.score.overall == 100.0
        assert result.next_assignment_id == second
    with storage_db.unit_of_work(db_url) as session:
        review = session.get(Review, result.review_id)
        assert (review.status, review.overall_score, review.comment) == (
            "submitted",
            100.0,
            "good work",
        )
        assert {g.criterion_id: g.value for g in review.grades} == {
            "politeness": 3,
            "greeting": None,
            "correct_info": 1,
        }
        assert queue.queue_counts(session, rev) == queue.QueueCounts(due=1, in_progress=0, done=1)
        with pytest.raises(Conflict):
            reviews.save_draft(session, rev, first, _full(), review.lock_version)


def test_critical_fail_zeroes_the_score(db_url):
    flow = seed_workflow(db_url, conversations=1)
    (first,) = _assign(flow, 1)
    draft = _full()
    draft.grades["correct_info"] = GradeInput(0)
    with storage_db.unit_of_work(db_url) as session:
        result = reviews.submit_review(session, flow.reviewers[0], first, draft, None)
        assert result.score.overall == 0.0
        assert session.get(Review, result.review_id).critical_fail is True


def test_stale_save_is_a_conflict_between_two_sessions(db_url):
    """Two tabs read the same version; the second save must not silently overwrite."""
    flow = seed_workflow(db_url, conversations=1)
    (first,) = _assign(flow, 1)
    rev = flow.reviewers[0]
    with storage_db.unit_of_work(db_url) as session:
        saved = reviews.save_draft(session, rev, first, _full(), None)
    factory = storage_db.session_factory(db_url)
    tab_a, tab_b = factory(), factory()
    try:
        reviews.save_draft(tab_a, rev, first, _full(), saved.lock_version)
        tab_a.commit()
        with pytest.raises(Conflict) as stale:  # tab B still holds the old version
            reviews.save_draft(tab_b, rev, first, _full(), saved.lock_version)
        assert stale.value.key == "review.error.stale"
        tab_b.rollback()
        # the race itself: both sessions load the row, then both write
        row_a = tab_a.get(Review, saved.review_id)
        row_b = tab_b.get(Review, saved.review_id)
        row_a.comment, row_b.comment = "from A", "from B"
        tab_a.commit()
        with pytest.raises(Conflict):
            reviews._flush(tab_b, row_b)
        tab_b.rollback()
    finally:
        tab_a.close()
        tab_b.close()
    with storage_db.unit_of_work(db_url) as session:
        assert session.get(Review, saved.review_id).comment == "from A"


def test_roles_reviewers_grade_own_leads_read_agents_denied(db_url):
    flow = seed_workflow(db_url, conversations=1)
    (first,) = _assign(flow, 1)
    with storage_db.unit_of_work(db_url) as session:
        with pytest.raises(PermissionDenied):
            reviews.open_review(session, flow.reviewers[1], first)
        with pytest.raises(PermissionDenied):
            reviews.open_review(session, flow.agents[0], first)
        lead_view = reviews.open_review(session, flow.lead, first)
        assert not lead_view.editable
        with pytest.raises(PermissionDenied):
            reviews.save_draft(session, flow.lead, first, _full(), None)
        with pytest.raises(InvalidInput):
            bad = ReviewDraft(grades={"correct_info": GradeInput(not_applicable=True)})
            reviews.save_draft(session, flow.reviewers[0], first, bad, None)


def test_suggestions_blind_mode_and_transcript_gaps(db_url):
    flow = seed_workflow(db_url, conversations=1)
    conv_id = flow.conversation_ids[0]
    with storage_db.unit_of_work(db_url) as session:
        session.add(
            AutoScore(
                conversation_id=conv_id,
                task="politeness",
                scorer_version="polite-1",
                label="polite",
                score=0.9,
                evidence=[{"text": "Let me check", "rule": "offer_help"}],
            )
        )
        session.add(AutoScoreRun(conversation_id=conv_id, pipeline_version="p1", content_hash="h"))
        conv = session.get(Conversation, conv_id)
        conv.messages.append(Message(seq=2, role="customer", text="<script>x</script>"))
        conv.messages.append(
            Message(seq=3, role="agent", text="Anna here. Anna Petrova, a.petrova")
        )
        session.flush()
        assignment_id = sampling.assign_conversation(
            session, flow.lead, conv_id, "rev1", blind=True
        )
    with storage_db.unit_of_work(db_url) as session:
        ctx = reviews.open_review(session, flow.reviewers[0], assignment_id)
        suggestion = ctx.suggestions["politeness"]
        assert (suggestion.value, suggestion.label) == (3, "polite")
        assert "Let me check — offer_help" in suggestion.evidence
        assert ctx.draft.grades == {}  # nothing prefilled
        assert ctx.transcript.header.agent == transcript.HIDDEN_AUTHOR
        agent_rows = [r for r in ctx.transcript.rows if r.side == "agent"]
        assert agent_rows[0].author == transcript.HIDDEN_AUTHOR
        assert agent_rows[0].gap_seconds == 90 and not agent_rows[0].sla_breach
        assert ctx.transcript.rows[-2].text == "<script>x</script>"  # escaped at render
        assert ctx.transcript.rows[-1].text == "••• here. •••, •••"


def test_lead_sees_all_queues_reviewer_only_own(db_url):
    flow = seed_workflow(db_url, conversations=3)
    _assign(flow, 2)
    with storage_db.unit_of_work(db_url) as session:
        frame = queue.all_queues(session, flow.lead)
        assert frame.to_dict("records") == [
            {"reviewer": "rev1", "due": 2, "in_progress": 0, "done": 0}
        ]
        items = queue.list_queue(session, flow.reviewers[0], "due")
        assert [i.external_id for i in items] == ["c-0", "c-1"]
        assert queue.list_queue(session, flow.reviewers[1], "due") == []
        with pytest.raises(PermissionDenied):
            queue.list_queue(
                session, flow.reviewers[1], "due", reviewer_id=flow.reviewers[0].user_id
            )
        with pytest.raises(PermissionDenied):
            queue.all_queues(session, flow.reviewers[0])
