"""Automatic suggestions beside rubric criteria: what a scorer thought, never the grade.

A criterion naming an ``auto_signal`` gets the conversation's automatic score for that
signal (AutoScore rows first, then AutoScoreRun.signals), mapped onto the criterion's
scale, with the scorer's evidence. The reviewer decides; nothing is prefilled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.storage.models import AutoScore, AutoScoreRun
from scoring.rubric import Criterion, Rubric

#: Signals where a high score is bad for the agent: the scale is read upside down.
NEGATIVE_SIGNALS = frozenset({"rudeness", "toxicity", "missed_empathy", "jargon", "typos"})
#: Signals scored on -1..1 rather than 0..1.
SIGNED_SIGNALS = frozenset({"sentiment_end"})
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


def _evidence_text(item: Any) -> str:
    if isinstance(item, dict):
        parts = [str(item[k]) for k in ("text", "quote", "span", "rule", "reason") if item.get(k)]
        return " — ".join(parts) if parts else ", ".join(f"{k}={v}" for k, v in item.items())
    return str(item)


def _as_fraction(signal: str, raw: Any) -> float | None:
    """0..1 where 1 is best for the agent, or None when the value is not usable."""
    if isinstance(raw, bool):
        fraction = 1.0 if raw else 0.0
    elif isinstance(raw, int | float):
        fraction = (raw + 1) / 2 if signal in SIGNED_SIGNALS else float(raw)
        if not 0.0 <= fraction <= 1.0:
            return None
    else:
        return None
    return 1.0 - fraction if signal in NEGATIVE_SIGNALS else fraction


def level_for(criterion: Criterion, signal: str, raw: Any, level: Any = None) -> float | None:
    """The scale level nearest to an automatic score (or the level a scorer named)."""
    values = criterion.scale.values
    if level is not None and level in values:
        return level
    fraction = _as_fraction(signal, raw)
    if fraction is None:
        return None
    target = values[0] + fraction * (values[-1] - values[0])
    return min(values, key=lambda v: (abs(v - target), v))


def _from_run(criterion: Criterion, signal: str, raw: Any, source: str) -> Suggestion:
    score, label, level, evidence = raw, None, None, ()
    if isinstance(raw, dict):
        score = raw.get("score", raw.get("value"))
        label = raw.get("label")
        level = raw.get("level")
        evidence = tuple(_evidence_text(e) for e in (raw.get("evidence") or ())[:MAX_EVIDENCE])
    return Suggestion(
        criterion.id,
        signal,
        level_for(criterion, signal, score, level),
        float(score) if isinstance(score, int | float) and not isinstance(score, bool) else None,
        label if label is not None else (str(score) if isinstance(score, bool) else None),
        evidence,
        source,
    )


def suggestions_for(
    session: Session, conversation_id: int, rubric: Rubric
) -> dict[str, Suggestion]:
    """Suggestions keyed by criterion id (only criteria with an auto_signal and a score)."""
    wanted = {c.auto_signal: c for c in rubric.criteria() if c.auto_signal}
    if not wanted:
        return {}
    found: dict[str, Suggestion] = {}
    rows = session.scalars(
        select(AutoScore)
        .where(
            AutoScore.conversation_id == conversation_id,
            AutoScore.message_id.is_(None),
            AutoScore.task.in_(list(wanted)),
        )
        .order_by(AutoScore.created_at.desc(), AutoScore.id.desc())
    )
    for row in rows:
        criterion = wanted[row.task]
        if criterion.id in found:
            continue
        found[criterion.id] = Suggestion(
            criterion.id,
            row.task,
            level_for(criterion, row.task, row.score),
            row.score,
            row.label,
            tuple(_evidence_text(e) for e in (row.evidence or [])[:MAX_EVIDENCE]),
            row.scorer_version,
        )
    run = session.get(AutoScoreRun, conversation_id)
    if run is not None:
        for signal, criterion in wanted.items():
            if criterion.id not in found and signal in (run.signals or {}):
                found[criterion.id] = _from_run(
                    criterion, signal, run.signals[signal], run.pipeline_version
                )
    return found
