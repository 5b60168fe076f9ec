"""What the calibration results page shows, as values: agreement per criterion, each
reviewer's severity, the spread of overall scores, what to discuss and how far each
reviewer agrees with the recorded consensus."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.services.calibration.sessions import SessionSummary


@dataclass(frozen=True, slots=True)
class Grade:
    reviewer: str
    value: float | None
    not_applicable: bool
    comment: str


@dataclass(frozen=True, slots=True)
class CriterionAgreement:
    """Agreement on one criterion; ``undefined`` says why coefficients are NaN, if they are."""

    criterion_id: str
    name: str
    scale: str
    n_items: int
    n_raters: int
    percent_agreement: float
    pair_kappas: dict[tuple[str, str], float]
    mean_kappa: float
    weighting: str | None
    fleiss: float
    alpha: float
    undefined: str | None


@dataclass(frozen=True, slots=True)
class ReviewerSeverity:
    """Mean offset (0-100 points) from the other reviewers on the same items; + = lenient."""

    reviewer: str
    offset: float
    n: int
    sd: float
    worst_criterion: str | None
    worst_offset: float | None


@dataclass(frozen=True, slots=True)
class ScoreSpread:
    conversation_id: int
    external_id: str
    scores: dict[str, float | None]
    spread: float | None
    n: int


@dataclass(frozen=True, slots=True)
class DiscussionItem:
    """A (conversation, criterion) where reviewers disagree, with every grade and comment."""

    conversation_id: int
    external_id: str
    criterion_id: str
    criterion_name: str
    disagreement: float
    n: int
    na_split: bool
    critical_split: bool  # some reviewers' grades fail a critical criterion, others' pass
    weight: float
    grades: tuple[Grade, ...]
    consensus: float | None
    consensus_set: bool
    consensus_notes: str


@dataclass(frozen=True, slots=True)
class ConsensusAgreement:
    """After closing: how often each reviewer matched the recorded consensus."""

    reviewer: str
    n: int
    exact: float
    mean_abs_diff: float
    offset: float


@dataclass(frozen=True, slots=True)
class CalibrationResults:
    summary: SessionSummary
    reviews: int
    overall_alpha: float
    criteria: tuple[CriterionAgreement, ...]
    severity: tuple[ReviewerSeverity, ...]
    spreads: tuple[ScoreSpread, ...]
    discussion: tuple[DiscussionItem, ...]
    consensus_agreement: tuple[ConsensusAgreement, ...]
    consensus_count: int
    assignment_for: dict[int, int]  # conversation -> the assignment to open it with
