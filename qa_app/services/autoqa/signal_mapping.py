"""The signals stored for a conversation and the default mapping from a signal to a level.

Default mapping (no reviewer data needed): a criterion naming an ``auto_signal`` takes the
signal's normalised value ``x`` in 0..1 (1 = good for the agent, see
``scoring.conversation.Signal``) and suggests the scale level nearest to
``min + x * (max - min)``; e.g. on a 1-5 scale x = 0.62 -> 3.48 -> level 3; on pass/fail
x >= 0.5 passes. Ties go to the lower level."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.storage.models import AutoScore, AutoScoreRun
from scoring.rubric.files import Criterion

#: Signals stored before normalisation existed: a high raw value is bad for the agent.
NEGATIVE_SIGNALS = frozenset({"rudeness", "toxicity", "missed_empathy", "jargon", "typos"})
SIGNED_SIGNALS = frozenset({"sentiment_start", "sentiment_end"})


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
