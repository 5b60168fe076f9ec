"""Whether each criterion's suggestion is shown (``scoring.rubric.suggestion_gate``), cached.

Computing agreement refits the held-out models, so the verdicts are kept per database and
rubric version and recomputed only when the data they rest on has moved on."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.autoqa.agreement import criterion_agreement
from qa_app.services.autoqa.calibrated_models import GRADED_STATUSES, REFIT_GROWTH, version_row
from qa_app.storage.models import AutoScoreRun, Review
from scoring.rubric.files import Rubric
from scoring.rubric.suggestion_gate import SuggestionVerdict

#: Verdicts per (database, rubric version): (data version, {criterion id: verdict}).
_VERDICTS: dict[tuple[str, int], tuple[tuple[int, str], dict[str, SuggestionVerdict]]] = {}


def data_version(session: Session, rubric_version_id: int) -> tuple[int, str]:
    """What the verdicts depend on, in two cheap queries: how many graded reviews the rubric
    version has, and the automatic scoring runs (how many, the last one)."""
    graded = session.scalar(
        select(func.count(Review.id)).where(
            Review.rubric_version_id == rubric_version_id, Review.status.in_(GRADED_STATUSES)
        )
    )
    runs = session.execute(select(func.count(), func.max(AutoScoreRun.scored_at))).one()
    return int(graded or 0), f"{runs[0]}|{runs[1]}"


def _still_current(cached: tuple[int, str], current: tuple[int, str]) -> bool:
    """The same scores and at most ``REFIT_GROWTH`` more graded reviews (the rule of the
    calibrated models: a verdict on 400 grades barely moves with the 401st, and recomputing
    it after every submitted review would make each review page open refit every model)."""
    graded, runs = cached
    return runs == current[1] and graded <= current[0] <= graded * (1 + REFIT_GROWTH)


def suggestion_verdicts(session: Session, rubric: Rubric) -> dict[str, SuggestionVerdict]:
    """Per criterion with an ``auto_signal``: is its suggestion shown, and on what figures.

    Computing agreement refits the held-out models, so the verdicts are cached per
    database and rubric version and recomputed when the data version moves on: new
    automatic scores, or 10 % more graded reviews than they were computed on."""
    version = version_row(session, rubric)
    if version is None:
        return {}
    key = (str(session.get_bind().url), version.id)
    current = data_version(session, version.id)
    cached = _VERDICTS.get(key)
    if cached is not None and _still_current(cached[0], current):
        return cached[1]
    verdicts = {
        c.id: criterion_agreement(session, version.id, c).verdict
        for c in rubric.criteria()
        if c.auto_signal
    }
    _VERDICTS[key] = (current, verdicts)
    return verdicts
