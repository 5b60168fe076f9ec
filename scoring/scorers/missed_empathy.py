"""Missed empathy: an upset customer answered by agent replies that show none.

A customer message counts as upset from its sentiment, emotions or wording; every agent
reply until the customer writes again is checked with ``EmpathyScorer``. The conversation
signal ``missed_empathy`` applies the same rule to scores already computed
(``scoring.signals``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scoring.base import Evidence
from scoring.scorers.empathy import EmpathyScorer
from scoring.scorers.empathy_mechanisms import empathy_lexicon
from scoring.scorers.politeness_lexicon import split_words


@dataclass(frozen=True, slots=True)
class MissedEmpathy:
    """An upset customer message answered by an agent reply without empathy."""

    customer_index: int
    agent_index: int
    upset: float
    empathy: float
    evidence: tuple[tuple[int, Evidence], ...]


def customer_upset(texts: Sequence[str]) -> np.ndarray:
    """A lexicon estimate (0..1) of how upset each customer message reads."""
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        words, _ = split_words(text or "")
        hits = [d for d in empathy_lexicon().find(words) if d.strategy == "upset"]
        shouting = sum(1 for w in words if len(w.text) >= 4 and w.text.isupper())
        out[i] = 1.0 - 0.5 ** (len(hits) + shouting + (text or "").count("!!"))
    return out


def upset_wording(text: str) -> bool:
    """Whether ``text`` holds a phrase of the lexicon's "upset" vocabulary (complaint and
    frustration wording: "ridiculous", "fed up", «безобразие», «сколько можно»)."""
    words, _ = split_words(text or "")
    return any(d.strategy == "upset" for d in empathy_lexicon().find(words))


def _upset_evidence(index: int, text: str, upset: float) -> list[tuple[int, Evidence]]:
    words, _ = split_words(text)
    hits = [d for d in empathy_lexicon().find(words) if d.strategy == "upset"]
    if not hits:
        return [(index, Evidence(0, len(text), "customer_upset", upset, text[:80]))]
    return [
        (index, Evidence(d.start, d.end, "customer_upset", upset, text[d.start : d.end]))
        for d in hits
    ]


def find_missed_empathy(
    roles: Sequence[str],
    texts: Sequence[str],
    customer_negativity: Sequence[float | None] | None = None,
    scorer: EmpathyScorer | None = None,
    upset_threshold: float = 0.5,
    empathy_threshold: float = 0.2,
) -> list[MissedEmpathy]:
    """Upset customer turns whose agent replies (until the customer speaks again) show none.

    ``customer_negativity`` is aligned with ``texts`` (e.g. P(negative) from the sentiment
    scorer, or anger/sadness from the emotion scorer); where it is missing, a lexicon of
    complaint wording and shouting stands in. Turns nobody answered are not counted here:
    that is a responsiveness problem, not an empathy one.
    """
    scorer = scorer or EmpathyScorer()
    texts = [t or "" for t in texts]
    customer = [i for i, r in enumerate(roles) if r == "customer"]
    lexical = dict(zip(customer, customer_upset([texts[i] for i in customer]), strict=True))
    agent = [i for i, r in enumerate(roles) if r == "agent"]
    empathy = dict(zip(agent, scorer.predict_scores([texts[i] for i in agent]), strict=True))
    events = []
    for pos, c in enumerate(customer):
        given = customer_negativity[c] if customer_negativity is not None else None
        upset = float(given) if given is not None else float(lexical[c])
        if upset < upset_threshold:
            continue
        end = customer[pos + 1] if pos + 1 < len(customer) else len(texts)
        replies = [i for i in agent if c < i < end]
        if not replies or max(empathy[i] for i in replies) >= empathy_threshold:
            continue
        evidence = _upset_evidence(c, texts[c], upset)
        evidence.append((replies[0], Evidence(0, len(texts[replies[0]]), "no_empathy", 0.0, "")))
        events.append(
            MissedEmpathy(
                c, replies[0], upset, float(max(empathy[i] for i in replies)), tuple(evidence)
            )
        )
    return events
