"""AutoQA for rubric criteria: automatic pre-scores, calibrated to the team's reviewers.

A criterion naming an ``auto_signal`` gets the level its signal maps to
(``signal_mapping``), or, once reviewers have graded enough of it, the level a model
fitted to their grades predicts (``calibrated_models``). How far either agrees with the
reviewers is measured in ``agreement``; whether a suggestion is shown, in ``verdicts``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from qa_app.services.autoqa.calibrated_models import calibrated_model, graded_counts, version_row
from qa_app.services.autoqa.signal_mapping import SignalReading, default_level, signal_readings
from qa_app.services.autoqa.training import CalibratedModel
from qa_app.storage.models import AutoScoreRun
from scoring.rubric.files import Criterion, Rubric

MAX_EVIDENCE = 4


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An automatic pre-score of one criterion; ``calibrated`` says whether a model fitted
    to this team's reviewers produced it (``confidence`` is then its class probability)."""

    value: float | None
    confidence: float | None
    signal: str
    evidence: tuple[dict, ...]
    calibrated: bool
    score: float | None = None  # the signal's raw value in its own unit
    normalised: float | None = None
    label: str | None = None
    source: str = ""


def _suggestion(
    criterion: Criterion, reading: SignalReading, model: CalibratedModel | None, signals: dict
) -> Suggestion:
    signal = criterion.auto_signal or ""
    evidence = reading.evidence[:MAX_EVIDENCE]
    common = dict(score=reading.value, normalised=reading.normalised, label=reading.label)
    if model is not None:
        predicted, confidence = model.predict_one(signals)
        value = min(criterion.scale.values, key=lambda v: abs(v - predicted))
        source = f"{reading.version} · n={model.n} · p={confidence:.2f}"
        return Suggestion(value, confidence, signal, evidence, True, source=source, **common)
    value = default_level(criterion, reading.normalised)
    source = reading.version
    return Suggestion(value, None, signal, evidence, False, source=source, **common)


def suggestions_for_conversation(
    session: Session, conversation_id: int, rubric: Rubric
) -> dict[str, Suggestion]:
    """Automatic pre-scores keyed by criterion id (criteria with an auto_signal and a score).

    Nothing here is a grade: the review page shows them as automatic suggestions.
    """
    wanted = [c for c in rubric.criteria() if c.auto_signal]
    if not wanted:
        return {}
    readings = signal_readings(session, conversation_id)
    if not readings:
        return {}
    run = session.get(AutoScoreRun, conversation_id)
    signals = (run.signals if run is not None else None) or {}
    version = version_row(session, rubric) if signals else None
    counts = graded_counts(session, version.id, [c.id for c in wanted]) if version else {}
    out = {}
    for criterion in wanted:
        reading = readings.get(criterion.auto_signal)
        if reading is None:
            continue
        model = None
        if version is not None:
            model = calibrated_model(session, version.id, criterion, counts.get(criterion.id, 0))
        out[criterion.id] = _suggestion(criterion, reading, model, signals)
    return out


# --- agreement ------------------------------------------------------------------------------
