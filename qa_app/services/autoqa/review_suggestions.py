"""Automatic suggestions beside rubric criteria: what a scorer thought, never the grade.

A criterion naming an ``auto_signal`` gets the conversation's automatic pre-score from
:mod:`qa_app.services.autoqa` (default mapping, or a model calibrated to the team's
reviewers), with the scorer's evidence. The reviewer decides; nothing is prefilled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from scoring.rubric.files import Rubric
from scoring.rubric.suggestion_gate import SuggestionVerdict

MAX_EVIDENCE = 4


@dataclass(frozen=True, slots=True)
class Suggestion:
    criterion_id: str
    signal: str
    value: float | None  # a level of the criterion's scale, None when it cannot be mapped
    score: float | None
    label: str | None
    evidence: tuple[str, ...]
    source: str  # scorer version or pipeline version
    calibrated: bool = False  # a model fitted to this team's reviews made it
    confidence: float | None = None  # that model's probability for ``value``
    #: Its agreement with reviewers against theirs with each other (None: no figures).
    verdict: SuggestionVerdict | None = None

    @property
    def earned(self) -> bool:
        """Shown on the review page: it agrees with reviewers at least as well as they
        agree with each other, or that has not been measured yet."""
        return self.verdict is None or self.verdict.shown


def _evidence_text(item: Any) -> str:
    if isinstance(item, dict):
        parts = [str(item[k]) for k in ("text", "quote", "span", "rule", "reason") if item.get(k)]
        return " — ".join(parts) if parts else ", ".join(f"{k}={v}" for k, v in item.items())
    return str(item)


def suggestions_for(
    session: Session, conversation_id: int, rubric: Rubric, *, with_verdicts: bool = False
) -> dict[str, Suggestion]:
    """Suggestions keyed by criterion id (only criteria with an auto_signal and a score),
    each with its verdict when ``with_verdicts`` (the review page: it shows only those that
    ``earned`` their place and says which are hidden and why). Submitting a review records
    all of them and needs no verdict, so it does not pay for computing one.

    The mapping and calibration live in :mod:`qa_app.services.autoqa` (one place); this
    adapts its suggestions to what the review form shows.
    """
    from qa_app.services.autoqa.criterion_suggestions import suggestions_for_conversation
    from qa_app.services.autoqa.verdicts import suggestion_verdicts

    found_any = suggestions_for_conversation(session, conversation_id, rubric)
    verdicts = suggestion_verdicts(session, rubric) if found_any and with_verdicts else {}
    return {
        criterion_id: Suggestion(
            criterion_id,
            found.signal,
            found.value,
            found.score,
            found.label,
            tuple(_evidence_text(e) for e in found.evidence[:MAX_EVIDENCE]),
            found.source,
            found.calibrated,
            found.confidence,
            verdicts.get(criterion_id),
        )
        for criterion_id, found in found_any.items()
    }
