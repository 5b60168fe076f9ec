"""AutoQA for rubric criteria: automatic pre-scores, calibrated to the team's reviewers.

Default mapping (no reviewer data needed): a criterion naming an ``auto_signal`` takes the
signal's normalised value ``x`` in 0..1 (1 = good for the agent, see
``scoring.conversation.Signal``) and suggests the scale level nearest to
``min + x * (max - min)``; e.g. on a 1-5 scale x = 0.62 -> 3.48 -> level 3; on pass/fail
x >= 0.5 passes. Ties go to the lower level.

Calibration: once a criterion has at least ``MIN_CALIBRATION_REVIEWS`` submitted grades on
scored conversations, a multinomial logistic regression from all of the conversation's
normalised signals to the reviewers' grades replaces the mapping (fixed seed). Its
agreement with reviewers is measured on held-out reviews (k-fold) and reported next to
the reviewers' agreement with each other, so nobody trusts a number the machine has not
earned. Models are refitted on demand and cached per process while the training data is
unchanged (fitting a few hundred grades takes milliseconds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.autoqa.training import (
    CalibratedModel,
    GradedExample,
    fit_model,
    heldout_predictions,
)
from qa_app.services.permissions import require
from qa_app.storage.models import (
    AutoScore,
    AutoScoreRun,
    Review,
    ReviewGrade,
    RubricVersion,
)
from qa_app.storage.models import Rubric as RubricRow
from scoring.rubric.agreement import cohens_kappa
from scoring.rubric.files import Criterion, Rubric
from scoring.rubric.suggestion_gate import SuggestionVerdict, judge_suggestion

MIN_CALIBRATION_REVIEWS = 40
GRADED_STATUSES = ("submitted", "disputed", "final")
#: Signals stored before normalisation existed: a high raw value is bad for the agent.
NEGATIVE_SIGNALS = frozenset({"rudeness", "toxicity", "missed_empathy", "jargon", "typos"})
SIGNED_SIGNALS = frozenset({"sentiment_start", "sentiment_end"})
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


@dataclass(frozen=True, slots=True)
class SignalReading:
    value: float | None
    normalised: float | None
    label: str | None
    evidence: tuple[dict, ...] = ()
    version: str = ""


def fallback_normalised(signal: str, raw: Any) -> float | None:
    """0..1 (1 = good) for a bare stored score without its ``normalised`` value."""
    if isinstance(raw, bool):
        fraction = 1.0 if raw else 0.0
    elif isinstance(raw, int | float) and not math.isnan(raw):
        fraction = (raw + 1) / 2 if signal in SIGNED_SIGNALS else float(raw)
        if not 0.0 <= fraction <= 1.0:
            return None
    else:
        return None
    return 1.0 - fraction if signal in NEGATIVE_SIGNALS else fraction


def default_level(criterion: Criterion, normalised: float | None) -> float | None:
    """The documented default mapping (module docstring)."""
    if normalised is None:
        return None
    values = criterion.scale.values
    target = values[0] + min(1.0, max(0.0, normalised)) * (values[-1] - values[0])
    return min(values, key=lambda v: (abs(v - target), v))


def signal_readings(session: Session, conversation_id: int) -> dict[str, SignalReading]:
    """Every conversation-level signal stored for a conversation, with its evidence."""
    run = session.get(AutoScoreRun, conversation_id)
    stored = (run.signals if run is not None else None) or {}
    # Read by conversation, the message-level rows skipped here: with "message_id IS NULL"
    # in the query SQLite chose the message index and scanned every conversation's
    # signals (0.3 s a review page); the conversation index reads a few dozen rows.
    rows = session.scalars(
        select(AutoScore)
        .where(AutoScore.conversation_id == conversation_id)
        .order_by(AutoScore.id.desc())
    )
    out: dict[str, SignalReading] = {}
    for row in rows:
        if row.message_id is not None or row.task in out:
            continue
        doc = stored.get(row.task) or {}
        normalised = doc.get("normalised", fallback_normalised(row.task, row.score))
        evidence = tuple(e for e in (row.evidence or ()) if isinstance(e, dict))
        out[row.task] = SignalReading(
            row.score, normalised, row.label, evidence, row.scorer_version
        )
    for name, doc in stored.items():
        if name not in out and isinstance(doc, dict):
            value = doc.get("value")
            normalised = doc.get("normalised", fallback_normalised(name, value))
            out[name] = SignalReading(value, normalised, doc.get("label"), (), run.pipeline_version)
    return out


def _version_row(session: Session, rubric: Rubric) -> RubricVersion | None:
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
    version = _version_row(session, rubric) if signals else None
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


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """One criterion: AutoQA vs reviewers (held-out when calibrated) and reviewer vs reviewer."""

    criterion_id: str
    name_en: str
    name_ru: str
    signal: str
    mode: str  # "calibrated" | "default"
    n: int
    kappa: float | None
    exact: float | None
    default_kappa: float | None
    default_exact: float | None
    reviewer_pairs: int
    reviewer_kappa: float | None
    reviewer_exact: float | None
    #: Whether the suggestion is shown on the review page (``scoring.rubric.suggestion_gate``).
    verdict: SuggestionVerdict | None = None


@dataclass
class AgreementReport:
    rubric_slug: str
    rubric_version: int
    rows: list[AgreementRow] = field(default_factory=list)


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 3)


def _agreement(a: list, b: list, categories) -> tuple[float | None, float | None]:
    if not a:
        return None, None
    kappa = cohens_kappa(a, b, weights="linear", categories=list(categories))
    exact = float(np.mean([x == y for x, y in zip(a, b, strict=True)]))
    return _finite(kappa), round(exact, 3)


def reviewer_pairs(examples: list[GradedExample]) -> tuple[list, list]:
    """Every pair of reviews of the same conversation by different reviewers."""
    by_conversation: dict[int, list[GradedExample]] = {}
    for ex in examples:
        by_conversation.setdefault(ex.conversation_id, []).append(ex)
    first, second = [], []
    for items in by_conversation.values():
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if a.reviewer_id != b.reviewer_id:
                    first.append(a.grade)
                    second.append(b.grade)
    return first, second


def criterion_agreement(
    session: Session, rubric_version_id: int, criterion: Criterion
) -> AgreementRow:
    examples = graded_examples(session, rubric_version_id, criterion.id)
    values = criterion.scale.values
    grades = [ex.grade for ex in examples]
    signal = criterion.auto_signal or ""
    mapped = [
        default_level(criterion, (ex.signals.get(signal) or {}).get("normalised"))
        for ex in examples
    ]
    kept = [(g, m) for g, m in zip(grades, mapped, strict=True) if m is not None]
    default_k, default_e = _agreement([g for g, _ in kept], [m for _, m in kept], values)
    mode, kappa, exact = "default", default_k, default_e
    suggested, graded = [m for _, m in kept], [g for g, _ in kept]
    if len(examples) >= MIN_CALIBRATION_REVIEWS:
        predicted = heldout_predictions(examples, values)
        if predicted is not None:
            mode = "calibrated"
            kappa, exact = _agreement(grades, predicted, values)
            suggested, graded = list(predicted), grades
    a, b = reviewer_pairs(examples)
    reviewer_k, reviewer_e = _agreement(a, b, values)
    verdict = judge_suggestion(suggested, graded, a, b, values)
    return AgreementRow(
        criterion.id,
        criterion.name.get("en"),
        criterion.name.get("ru"),
        signal,
        mode,
        len(examples) if mode == "calibrated" else len(kept),
        kappa,
        exact,
        default_k,
        default_e,
        len(a),
        reviewer_k,
        reviewer_e,
        verdict,
    )


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
    version = _version_row(session, rubric)
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


def agreement_reports(
    session: Session, actor: Actor, *, slug: str | None = None, check_only: bool = False
) -> list[AgreementReport]:
    """Per rubric (active version) and criterion with an auto_signal; staff only
    (``check_only`` checks the role and returns nothing, for callers that cache results)."""
    require(actor, "autoqa.read")
    if check_only:
        return []
    from qa_app.services import rubrics

    slugs = [slug] if slug else [r.slug for r in rubrics.list_rubrics(session) if r.is_active]
    reports = []
    for name in slugs:
        stored = rubrics.active_version(session, name)
        report = AgreementReport(stored.slug, stored.version)
        for criterion in stored.rubric.criteria():
            if criterion.auto_signal:
                report.rows.append(criterion_agreement(session, stored.version_id, criterion))
        if report.rows:
            reports.append(report)
    return reports
