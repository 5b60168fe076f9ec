"""How far AutoQA agrees with reviewers, per criterion, beside how far reviewers agree
with each other, so nobody trusts a number the machine has not earned. A calibrated
criterion is measured on held-out reviews (k-fold), never on the grades it was fitted to."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.autoqa.calibrated_models import MIN_CALIBRATION_REVIEWS, graded_examples
from qa_app.services.autoqa.signal_mapping import default_level
from qa_app.services.autoqa.training import GradedExample, heldout_predictions
from qa_app.services.permissions import require
from scoring.rubric.agreement import cohens_kappa
from scoring.rubric.files import Criterion
from scoring.rubric.suggestion_gate import SuggestionVerdict, judge_suggestion


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
