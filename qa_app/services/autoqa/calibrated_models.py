"""Models calibrated to the team's reviewers, one per criterion of a rubric version.

Once a criterion has at least ``MIN_CALIBRATION_REVIEWS`` submitted grades on scored
conversations, a multinomial logistic regression from all of the conversation's
normalised signals to the reviewers' grades replaces the default mapping (fixed seed).
Models are refitted on demand and cached per process while the training data is
unchanged (fitting a few hundred grades takes milliseconds)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.autoqa.training import CalibratedModel, GradedExample, fit_model
from qa_app.storage.models import AutoScoreRun, Review, ReviewGrade, RubricVersion
from qa_app.storage.models import Rubric as RubricRow
from scoring.rubric.files import Criterion, Rubric

MIN_CALIBRATION_REVIEWS = 40
GRADED_STATUSES = ("submitted", "disputed", "final")


def version_row(session: Session, rubric: Rubric) -> RubricVersion | None:
    return session.scalar(
        select(RubricVersion)
        .join(RubricRow, RubricRow.id == RubricVersion.rubric_id)
        .where(RubricRow.slug == rubric.id, RubricVersion.version == rubric.version)
    )


def graded_examples(
    session: Session, rubric_version_id: int, criterion_id: str
) -> list[GradedExample]:
    """Submitted grades of one criterion on scored conversations, oldest review first."""
    rows = session.execute(
        select(Review.id, Review.conversation_id, Review.reviewer_id, ReviewGrade.value)
        .join(ReviewGrade, ReviewGrade.review_id == Review.id)
        .join(AutoScoreRun, AutoScoreRun.conversation_id == Review.conversation_id)
        .where(
            Review.rubric_version_id == rubric_version_id,
            Review.status.in_(GRADED_STATUSES),
            ReviewGrade.criterion_id == criterion_id,
            ReviewGrade.value.is_not(None),
            ReviewGrade.not_applicable.is_(False),
        )
        .order_by(Review.id)
    ).all()
    conversation_ids = sorted({r.conversation_id for r in rows})
    signals = dict(
        session.execute(
            select(AutoScoreRun.conversation_id, AutoScoreRun.signals).where(
                AutoScoreRun.conversation_id.in_(conversation_ids)
            )
        ).all()
    )
    return [
        GradedExample(r.id, r.conversation_id, r.reviewer_id, r.value, signals[r.conversation_id])
        for r in rows
    ]


#: Fitted models per (database, rubric version, criterion): (graded count at fit time, model).
_MODELS: dict[tuple, tuple[int, CalibratedModel | None]] = {}
#: Refit once the graded count has grown by this share since the last fit. Refitting on every
#: submitted review would make a season of reviews quadratic; a model fitted on 400 grades
#: barely changes with the 401st.
REFIT_GROWTH = 0.10


def graded_counts(
    session: Session, rubric_version_id: int, criterion_ids: list[str]
) -> dict[str, int]:
    """Submitted grades per criterion of a rubric version, in one query (what decides
    whether a criterion has a calibrated model and when it is refitted)."""
    rows = session.execute(
        select(ReviewGrade.criterion_id, func.count(ReviewGrade.id))
        .join(Review, ReviewGrade.review_id == Review.id)
        .where(
            Review.rubric_version_id == rubric_version_id,
            Review.status.in_(GRADED_STATUSES),
            ReviewGrade.criterion_id.in_(criterion_ids),
        )
        .group_by(ReviewGrade.criterion_id)
    ).all()
    return {criterion_id: count for criterion_id, count in rows}


def calibrated_model(
    session: Session, rubric_version_id: int, criterion: Criterion, graded: int | None = None
) -> CalibratedModel | None:
    """The model for a criterion, or None while there are too few grades to trust one
    (``graded``: its submitted grades, when the caller counted them already)."""
    if graded is None:
        counts = graded_counts(session, rubric_version_id, [criterion.id])
        graded = counts.get(criterion.id, 0)
    key = (str(session.get_bind().url), rubric_version_id, criterion.id)
    if graded < MIN_CALIBRATION_REVIEWS:
        return None
    cached = _MODELS.get(key)
    if cached is not None and cached[0] <= graded <= cached[0] * (1 + REFIT_GROWTH):
        return cached[1]
    examples = graded_examples(session, rubric_version_id, criterion.id)
    model = None
    if len(examples) >= MIN_CALIBRATION_REVIEWS:
        model = fit_model(examples, criterion.scale.values)
    _MODELS[key] = (graded, model)
    return model
