"""A customer with a row in every table derived from conversations, for erasure and
retention tests: built from the models, so each table is seeded on purpose."""

from __future__ import annotations

from datetime import datetime, timedelta

from qa_app.storage import db as storage_db
from qa_app.storage.models import (
    Agent,
    Assignment,
    AutoScore,
    AutoScoreRun,
    CalibrationConsensus,
    CalibrationSession,
    Conversation,
    Dispute,
    GradeChange,
    Message,
    MysteryAnswer,
    MysteryAttachment,
    MysteryScenario,
    MysteryVisit,
    Review,
    ReviewGrade,
    SurveyRating,
    Team,
    User,
)
from tests.review_fixtures import Workflow


def seed_customer(
    flow: Workflow,
    customer_id: str,
    marker: str,
    *,
    started: datetime,
    index: int,
    source: str = "test",
    assignment_status: str = "done",
    dispute_status: str = "accepted",
) -> dict[str, set[int]]:
    """One conversation of ``customer_id`` whose text carries ``marker``, graded, disputed,
    scored and calibrated; returns the primary keys created, per table."""
    with storage_db.unit_of_work(flow.url) as session:
        agent = session.query(Agent).filter_by(login=flow.agent_logins[0]).one()
        team = session.get(Team, agent.team_id)
        reviewer = session.query(User).filter_by(id=flow.reviewers[0].user_id).one()
        conv = Conversation(
            source=source, external_id=f"{marker}-conv", channel="chat", language="ru",
            started_at=started, customer_id=customer_id, customer_name=f"Имя {marker}",
            subject=f"Тема {marker}", team_id=team.id, agent_id=agent.id,
            content_hash=f"hash-{marker}", message_count=2, csat=4, first_response_seconds=60.0,
            masked_items={"email": 1},
        )  # fmt: skip
        conv.messages = [
            Message(seq=0, role="customer", text=f"Здравствуйте, {marker}, [email]",
                    sent_at=started),
            Message(seq=1, role="agent", author=agent.login, agent_id=agent.id,
                    text=f"Добрый день! {marker}", sent_at=started + timedelta(seconds=60)),
        ]  # fmt: skip
        session.add(conv)
        session.flush()
        message = conv.messages[0]
        scores = [
            AutoScore(conversation_id=conv.id, message_id=message.id, task="sentiment",
                      scorer_version="t1", label="neutral", score=0.5,
                      evidence=[{"text": marker}], created_at=started),
            AutoScore(conversation_id=conv.id, task="politeness", scorer_version="t1",
                      score=0.8, created_at=started),
        ]  # fmt: skip
        run = AutoScoreRun(
            conversation_id=conv.id, pipeline_version="p1", content_hash="h",
            signals={"quote": marker}, scored_at=started,
        )  # fmt: skip
        session.add_all([*scores, run])
        survey = SurveyRating(conversation_id=conv.id, attribute="courtesy", satisfaction=2,
                              importance=2.0)  # fmt: skip
        session.add(survey)
        assignment = Assignment(
            conversation_id=conv.id, reviewer_id=reviewer.id,
            rubric_version_id=flow.rubric_version_id, status=assignment_status,
            created_at=started,
        )  # fmt: skip
        calibration = CalibrationSession(
            name=f"cal {index}", rubric_version_id=flow.rubric_version_id, created_at=started
        )
        session.add_all([assignment, calibration])
        session.flush()
        calibration_assignment = Assignment(
            conversation_id=conv.id, reviewer_id=reviewer.id,
            rubric_version_id=flow.rubric_version_id, calibration_session_id=calibration.id,
            status="done", created_at=started,
        )  # fmt: skip
        review = Review(
            assignment_id=assignment.id, conversation_id=conv.id, reviewer_id=reviewer.id,
            rubric_version_id=flow.rubric_version_id, status="final", overall_score=90.0,
            comment=f"Комментарий {marker}", created_at=started, updated_at=started,
            submitted_at=started,
        )  # fmt: skip
        session.add_all([calibration_assignment, review])
        session.flush()
        grade = ReviewGrade(review_id=review.id, criterion_id="politeness", value=3,
                            comment=f"оценка {marker}")  # fmt: skip
        dispute = Dispute(
            review_id=review.id, criterion_id="politeness", raised_by=reviewer.id,
            reason=f"спор {marker}", status=dispute_status, created_at=started,
        )  # fmt: skip
        consensus = CalibrationConsensus(
            session_id=calibration.id, conversation_id=conv.id, criterion_id="politeness",
            value=3, notes=f"согласие {marker}", decided_at=started,
        )  # fmt: skip
        session.add_all([grade, dispute, consensus])
        session.flush()
        change = GradeChange(
            review_id=review.id, criterion_id="politeness", old_value=2, new_value=3,
            dispute_id=dispute.id, reason=f"изменено {marker}", at=started,
        )  # fmt: skip
        session.add(change)
        scenario = MysteryScenario(
            slug=f"scenario-{index}-{source}", channel="chat", checklist="mystery"
        )
        session.add(scenario)
        session.flush()
        # A mystery-shopper visit linked to the conversation it produced: the shopper was
        # this conversation's customer, so the visit goes with it.
        visit = MysteryVisit(
            scenario_id=scenario.id, channel="chat", contacted_at=started, checklist="mystery",
            summary=f"визит {marker}", conversation_id=conv.id, agent_id=agent.id,
        )  # fmt: skip
        session.add(visit)
        session.flush()
        answer = MysteryAnswer(visit_id=visit.id, criterion_id="greeting", value=1,
                               comment=f"ответ {marker}")  # fmt: skip
        attachment = MysteryAttachment(
            visit_id=visit.id, stored_name=f"{marker}-file", content_type="image/png",
            size_bytes=1, sha256="0" * 64,
        )  # fmt: skip
        session.add_all([answer, attachment])
        session.flush()
        return {
            "survey_ratings": {survey.id},
            "mystery_visits": {visit.id},
            "mystery_answers": {answer.id},
            "mystery_attachments": {attachment.id},
            "conversations": {conv.id},
            "messages": {m.id for m in conv.messages},
            "auto_scores": {s.id for s in scores},
            "auto_score_runs": {conv.id},
            "assignments": {assignment.id, calibration_assignment.id},
            "reviews": {review.id},
            "review_grades": {grade.id},
            "disputes": {dispute.id},
            "calibration_consensus": {consensus.id},
            "grade_changes": {change.id},
        }
