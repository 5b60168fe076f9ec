"""A calibration session's submitted grades, read once for every figure of its results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.calibration.sessions import GRADED, participants
from qa_app.storage.models import CalibrationConsensus, Conversation, Review, ReviewGrade
from scoring.rubric.files import Criterion, Rubric


@dataclass
class SessionGrades:
    rubric: Rubric
    grades: dict[tuple[int, str], dict[str, ReviewGrade]]
    overall: dict[int, dict[str, float | None]]
    external: dict[int, str]
    consensus: dict[tuple[int, str], CalibrationConsensus]


def load_grades(session: Session, session_id: int, version_id: int) -> SessionGrades:
    names = participants(session, session_id)
    reviews = list(
        session.scalars(
            select(Review).where(
                Review.calibration_session_id == session_id, Review.status.in_(GRADED)
            )
        )
    )
    grades: dict[tuple[int, str], dict[str, ReviewGrade]] = defaultdict(dict)
    overall: dict[int, dict[str, float | None]] = defaultdict(dict)
    for review in reviews:
        reviewer = names.get(review.reviewer_id, str(review.reviewer_id))
        overall[review.conversation_id][reviewer] = review.overall_score
        for grade in review.grades:
            grades[(review.conversation_id, grade.criterion_id)][reviewer] = grade
    conv_ids = {cid for cid, _ in grades} | set(overall)
    external = (
        dict(
            session.execute(
                select(Conversation.id, Conversation.external_id).where(
                    Conversation.id.in_(conv_ids)
                )
            ).all()
        )
        if conv_ids
        else {}
    )
    consensus = {
        (c.conversation_id, c.criterion_id): c
        for c in session.scalars(
            select(CalibrationConsensus).where(CalibrationConsensus.session_id == session_id)
        )
    }
    rubric = rubrics.get_version(session, version_id).rubric
    return SessionGrades(rubric, grades, overall, external, consensus)


def grade_records(data: SessionGrades, criterion: Criterion, positions: bool) -> list[tuple]:
    out = []
    for (conv_id, crit_id), by_reviewer in data.grades.items():
        if crit_id != criterion.id:
            continue
        for reviewer, grade in by_reviewer.items():
            value = None if grade.not_applicable else grade.value
            if value is not None and positions:
                value = criterion.scale.position(value)
            out.append((conv_id, reviewer, value))
    return out
