"""Blind calibration is blind to the agent (issue 12, item 7), on both databases.

Calibration grades are reviewers practising on the same conversation, not the agent's
evaluation: while the session is open, and after it closes until a lead decides they count,
the agent whose conversation it is never sees them (reviews tab, review by id, disputes,
grade history) and nobody may dispute them. The lead's decision makes them an ordinary
evaluation: visible and disputable.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from review_fixtures import seed_workflow
from sqlalchemy import select

from qa_app.services import calibration, database, disputes
from qa_app.services.errors import Conflict, NotFound, PermissionDenied
from qa_app.services.reviews import grading as reviews
from qa_app.services.reviews.grading import GradeInput, ReviewDraft
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import Assignment, AuditEvent, CalibrationSession, Review

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
DRAFT = ReviewDraft(
    grades={"politeness": GradeInput(2), "greeting": GradeInput(1), "correct_info": GradeInput(1)}
)


def _calibrated(flow) -> tuple[int, list[int], int]:
    """A calibration session on conversation 0 (agent a.petrova) graded by both reviewers,
    plus an ordinary submitted review of conversation 2 (the same agent)."""
    conv_id = flow.conversation_ids[0]
    with storage_db.unit_of_work(flow.url) as session:
        sid = calibration.create_session(
            session, flow.lead, "Blind", [r.username for r in flow.reviewers], [conv_id]
        )
        assignments = session.execute(
            select(Assignment.reviewer_id, Assignment.id).where(
                Assignment.calibration_session_id == sid
            )
        ).all()
    by_reviewer = dict(assignments)
    calibration_reviews = []
    for reviewer in flow.reviewers:
        with storage_db.unit_of_work(flow.url) as session:
            saved = reviews.submit_review(
                session, reviewer, by_reviewer[reviewer.user_id], DRAFT, None
            )
            calibration_reviews.append(saved.review_id)
    with storage_db.unit_of_work(flow.url) as session:
        assignment = sampling.assign_conversation(
            session, flow.lead, flow.conversation_ids[2], "rev1"
        )
        ordinary = reviews.submit_review(session, flow.reviewers[0], assignment, DRAFT, None)
    return sid, calibration_reviews, ordinary.review_id


def _agent_reads(url, agent) -> set[int]:
    with storage_db.unit_of_work(url) as session:
        return {s.review_id for s in disputes.visible_reviews(session, agent)}


def test_open_session_grades_are_hidden_from_the_agent_and_cannot_be_disputed(db_url):
    flow = seed_workflow(db_url, conversations=4)
    _sid, hidden, ordinary = _calibrated(flow)
    agent = flow.agents[0]
    assert _agent_reads(db_url, agent) == {ordinary}
    with storage_db.unit_of_work(db_url) as session:
        for review_id in hidden:
            with pytest.raises(NotFound):
                disputes.review_summary(session, agent, review_id)
            with pytest.raises(Conflict) as refused:
                disputes.raise_dispute(session, agent, review_id, "not fair")
            assert refused.value.key == "disputes.error.calibration"
            with pytest.raises(Conflict):  # a lead may not dispute them either
                disputes.raise_dispute(session, flow.lead, review_id, "check")
        screen_ids = {s.review_id for s in disputes.visible_reviews(session, flow.lead)}
    assert set(hidden) | {ordinary} <= screen_ids  # leads still read every grade
    screen = disputes.disputes_screen(database.unit_of_work(db_url), agent)
    assert [s.review_id for s in screen.reviews] == [ordinary]


def test_closed_session_stays_hidden_until_a_lead_decides_it_counts(db_url):
    flow = seed_workflow(db_url, conversations=4)
    sid, hidden, ordinary = _calibrated(flow)
    agent = flow.agents[0]
    with storage_db.unit_of_work(db_url) as session:
        with pytest.raises(Conflict) as still_open:
            calibration.set_counts_for_agents(session, flow.lead, sid, now=NOW)
        assert still_open.value.key == "calibration.error.count_open"
        calibration.close_session(session, flow.lead, sid, now=NOW)
    assert _agent_reads(db_url, agent) == {ordinary}
    with storage_db.unit_of_work(db_url) as session:
        with pytest.raises(PermissionDenied):
            calibration.set_counts_for_agents(session, flow.reviewers[0], sid, now=NOW)
        calibration.set_counts_for_agents(session, flow.lead, sid, now=NOW)
        row = session.get(CalibrationSession, sid)
        assert (row.counts_for_agents, row.counted_by, row.counted_at) == (
            True,
            flow.lead.user_id,
            NOW,
        )
        assert (
            session.scalar(
                select(AuditEvent.at).where(AuditEvent.action == "calibration.counts_for_agents")
            )
            == NOW
        )
    assert _agent_reads(db_url, agent) == {ordinary, *hidden}
    with storage_db.unit_of_work(db_url) as session:
        assert calibration.get_session(session, flow.lead, sid).counts_for_agents
    with storage_db.unit_of_work(db_url) as session:
        dispute_id = disputes.raise_dispute(session, agent, hidden[0], "I greeted", now=NOW)
        seen = {d.dispute_id for d in disputes.list_disputes(session, agent)}
        assert dispute_id in seen
        assert session.get(Review, hidden[0]).status == "disputed"
    with storage_db.unit_of_work(db_url) as session:  # disputed grades keep counting
        with pytest.raises(Conflict) as keeps:
            calibration.set_counts_for_agents(session, flow.lead, sid, False, now=NOW)
        assert keeps.value.key == "calibration.error.count_disputed"


def test_withdrawn_decision_hides_the_grades_again_and_other_agents_never_see_them(db_url):
    flow = seed_workflow(db_url, conversations=4)
    sid, hidden, _ordinary = _calibrated(flow)
    with storage_db.unit_of_work(db_url) as session:
        calibration.close_session(session, flow.lead, sid, now=NOW)
        calibration.set_counts_for_agents(session, flow.lead, sid, now=NOW)
        calibration.set_counts_for_agents(session, flow.lead, sid, False, now=NOW)
    assert not set(hidden) & _agent_reads(db_url, flow.agents[0])
    with storage_db.unit_of_work(db_url) as session:
        calibration.set_counts_for_agents(session, flow.lead, sid, now=NOW)
    assert not set(hidden) & _agent_reads(db_url, flow.agents[1])  # b.smith: not his
    with storage_db.unit_of_work(db_url) as session, pytest.raises(PermissionDenied):
        disputes.raise_dispute(session, flow.agents[1], hidden[0], "not mine")


def test_lead_counts_a_closed_session_from_the_calibration_page(sqlite_url):
    from ui_harness import run_page, visible_text

    flow = seed_workflow(sqlite_url, conversations=4)
    sid, hidden, ordinary = _calibrated(flow)
    with storage_db.unit_of_work(sqlite_url) as session:
        calibration.close_session(session, flow.lead, sid, now=NOW)
    ru = run_page("calibration", "lead", sqlite_url, lang="ru", username="lead")
    assert not ru.exception
    assert "Операторы не видят эти оценки калибровки" in visible_text(ru)
    at = run_page("calibration", "lead", sqlite_url, lang="en", username="lead")
    assert "Agents do not see these calibration grades" in visible_text(at)
    at.button(key=f"calibration.counts.{sid}").click().run()
    assert not at.exception
    with storage_db.unit_of_work(sqlite_url) as session:
        assert session.get(CalibrationSession, sid).counts_for_agents is True
    assert "the session's grades now count for the agents" in visible_text(at)
    assert _agent_reads(sqlite_url, flow.agents[0]) == {ordinary, *hidden}


def test_the_agents_results_show_calibration_grades_only_once_they_count(db_url):
    from qa_app.services import results

    flow = seed_workflow(db_url, conversations=4)
    sid, hidden, ordinary = _calibrated(flow)
    agent = flow.agents[0]

    def listed() -> set[int]:
        with storage_db.unit_of_work(db_url) as session:
            items, _total, _waiting = results.my_results(session, agent)
            return {item.review_id for item in items}

    assert listed() == {ordinary}
    with storage_db.unit_of_work(db_url) as session, pytest.raises(NotFound):
        results.acknowledge_review(session, agent, hidden[0], now=NOW)
    with storage_db.unit_of_work(db_url) as session:
        calibration.close_session(session, flow.lead, sid, now=NOW)
        calibration.set_counts_for_agents(session, flow.lead, sid, now=NOW)
    assert listed() == {ordinary, *hidden}
    with storage_db.unit_of_work(db_url) as session:
        assert results.acknowledge_review(session, agent, hidden[0], now=NOW) == NOW
