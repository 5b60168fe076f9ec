"""Why a reply came out polite, impolite or rude: the evidence behind each label.

Kept apart from ``politeness.py``, which computes the numbers: a reviewer reads these spans
(strategies, negated strategies, the learned words that moved the score, a curt reply, the
Russian model's words, the toxicity lexicon's hits), so how they are chosen and weighted
is a job of its own.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from scoring.base import Evidence, ScoreResult
from scoring.scorers.politeness_features import STRATEGY_INDEX, MessageAnalysis
from scoring.scorers.politeness_rules import (
    CURT_RULE,
    CURT_WEIGHT,
    LEARNED_LOGIT,
    LEARNED_RULE,
    RUDENESS_WEIGHTS,
    TOXIC_RULES,
    TOXICITY_LOGIT,
    WEAK_TOXIC,
    WORD_EVIDENCE_MIN,
    toxic_kind,
)
from scoring.scorers.politeness_strategies import RUDE_STRATEGIES

#: (start, end, word or word pair, signed contribution) of one span of a reply
WordSpan = tuple[int, int, str, float]


class PolitenessBatch(NamedTuple):
    """Everything one scoring call computes, shared by the politeness and rudeness results."""

    texts: list[str]
    langs: list[str]
    analyses: list[MessageAnalysis]
    toxic: list[ScoreResult] | None
    polite: np.ndarray
    rude: np.ndarray
    flagged: list[bool]  # an impoliteness marker, insult or curt reply was found
    word_evidence: dict[int, list[WordSpan]]
    curt: list[bool]
    learned_words: dict[int, list[WordSpan]]  # Russian model's top words
    learned_rude: list[bool]  # the Russian model alone reached its threshold


def word_evidence(
    analyses: list[MessageAnalysis],
    rows: list[int],
    words: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
    scale: float,
    top: int = 3,
) -> dict[int, list[WordSpan]]:
    """Per English row, the few words or word pairs whose learned weights moved the score
    most (|calibrated contribution| >= ``WORD_EVIDENCE_MIN``), found for the whole batch at
    once: spans are looked up only for the columns that qualify. ``words`` is the
    (indptr, column, contribution) triple of the English rows; ``scale`` the calibration
    slope that turns a raw contribution into a calibrated one."""
    if words is None:
        return {}
    indptr, indices, contribution = words
    scaled = contribution * scale
    strong = np.flatnonzero(np.abs(scaled) >= WORD_EVIDENCE_MIN)
    if not strong.size:
        return {}
    owner = np.searchsorted(indptr, strong, side="right") - 1
    out: dict[int, list[WordSpan]] = {}
    for local in np.unique(owner).tolist():
        picked = strong[owner == local]
        wanted = dict(zip(indices[picked].tolist(), scaled[picked].tolist(), strict=True))
        found = [
            (abs(wanted[col]), start, end, gram, wanted[col])
            for col, start, end, gram in analyses[rows[local]].lexical.spans_of(wanted)
            if gram[0].isalnum()
        ]
        if found:
            found.sort(reverse=True)
            out[rows[local]] = [(st, en, g, c) for _, st, en, g, c in found[:top]]
    return out


def politeness_evidence(
    batch: PolitenessBatch, i: int, strategy_coef: np.ndarray
) -> tuple[Evidence, ...]:
    """Evidence of the politeness label of row ``i``, in reading order; strategies carry
    the weight the model gives them (``strategy_coef``: the full model's for English)."""
    text, analysis = batch.texts[i], batch.analyses[i]
    out = [
        Evidence(d.start, d.end, d.strategy, float(strategy_coef[STRATEGY_INDEX[d.strategy]]),
                 text[d.start : d.end])
        for d in analysis.detections
    ]  # fmt: skip
    out += [
        Evidence(d.start, d.end, f"negated_{d.strategy}", 0.0, text[d.start : d.end])
        for d in analysis.negated
    ]
    out += [
        Evidence(s, e, f"word:{gram}", c, text[s:e])
        for s, e, gram, c in batch.word_evidence.get(i, ())
    ]
    if batch.curt[i]:
        out.append(Evidence(0, len(text), CURT_RULE, -CURT_WEIGHT, text))
    out += [
        Evidence(s, e, f"{LEARNED_RULE}:{word}", -LEARNED_LOGIT * c, text[s:e])
        for s, e, word, c in batch.learned_words.get(i, ())
    ]
    toxic = batch.toxic[i] if batch.toxic else None
    if toxic is not None and toxic.evidence:
        out += [
            Evidence(e.start, e.end, f"toxicity_{e.rule}", -TOXICITY_LOGIT * toxic.score, e.text)
            for e in toxic.evidence
            if e.rule.startswith(TOXIC_RULES)
        ]
    out.sort(key=_evidence_order)
    return tuple(out)


def rudeness_evidence(batch: PolitenessBatch, i: int) -> tuple[Evidence, ...]:
    """Only what makes row ``i`` rude: rude strategies, strong toxicity hits, a curt reply
    and, where the Russian model alone called it rude, that model's words."""
    text = batch.texts[i]
    evidence = tuple(
        Evidence(d.start, d.end, d.strategy, RUDENESS_WEIGHTS[d.strategy], text[d.start : d.end])
        for d in batch.analyses[i].detections
        if d.strategy in RUDE_STRATEGIES
    )
    if batch.toxic and batch.toxic[i].evidence:
        evidence += tuple(
            e for e in batch.toxic[i].evidence if toxic_kind(e.rule) not in WEAK_TOXIC
        )
    if batch.curt[i]:
        evidence += (Evidence(0, len(text), CURT_RULE, CURT_WEIGHT, text),)
    if batch.learned_rude[i]:
        evidence += tuple(
            Evidence(s, e, f"{LEARNED_RULE}:{word}", c, text[s:e])
            for s, e, word, c in batch.learned_words.get(i, ())
        )
    return evidence


def _evidence_order(e: Evidence) -> tuple[int, int, str]:
    return e.start, e.end, e.rule
