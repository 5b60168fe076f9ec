"""How conversations are picked for review: random, stratified and risk-weighted.

Pure functions over plain candidate rows (no database), so a fixed seed gives the same
sample from the same inputs on any machine. Every pick carries the reasons it was chosen.

Risk weights (a conversation's risk is the sum of the signals it shows):

============================== ====== =============================================
signal                         weight why
============================== ====== =============================================
CSAT 1-2                       3.0    the customer told us it went badly
CSAT 3                         1.0    lukewarm
escalated                      2.5    someone had to step in
repeat contact within 7 days   2.0    the problem probably was not solved
first response over SLA        1.5    the customer waited longer than promised
negative end sentiment (auto)  1.5    automatic: the customer ended unhappy
low politeness (auto)          1.0    automatic: the agent may have been curt
============================== ====== =============================================

A small seeded jitter (< 0.01) breaks ties so equal-risk conversations are not always
taken in id order.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

STRATEGIES = ("random", "stratified", "risk")

RISK_WEIGHTS: dict[str, float] = {
    "low_csat": 3.0,
    "mid_csat": 1.0,
    "escalated": 2.5,
    "repeat_contact": 2.0,
    "sla_breach": 1.5,
    "negative_sentiment": 1.5,
    "low_politeness": 1.0,
}
NEGATIVE_SENTIMENT_BELOW = -0.25
LOW_POLITENESS_BELOW = 0.4


@dataclass(frozen=True, slots=True)
class Candidate:
    """What sampling knows about one conversation (loaded as plain columns)."""

    conversation_id: int
    external_id: str
    agent: str
    team: str
    channel: str
    language: str
    started_at: datetime
    csat: int | None = None
    escalated: bool = False
    repeat_contact: bool = False
    sla_breach: bool = False
    sentiment_end: float | None = None
    politeness: float | None = None

    @property
    def week(self) -> str:
        year, week, _day = self.started_at.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True, slots=True)
class Pick:
    candidate: Candidate
    reasons: tuple[str, ...]
    risk: float = 0.0
    extra: dict = field(default_factory=dict)


def risk_reasons(c: Candidate) -> tuple[str, ...]:
    """The risk signals a conversation shows, as reason codes (see RISK_WEIGHTS)."""
    reasons = []
    if c.csat is not None and c.csat <= 2:
        reasons.append("low_csat")
    elif c.csat == 3:
        reasons.append("mid_csat")
    if c.escalated:
        reasons.append("escalated")
    if c.repeat_contact:
        reasons.append("repeat_contact")
    if c.sla_breach:
        reasons.append("sla_breach")
    if c.sentiment_end is not None and c.sentiment_end < NEGATIVE_SENTIMENT_BELOW:
        reasons.append("negative_sentiment")
    if c.politeness is not None and c.politeness < LOW_POLITENESS_BELOW:
        reasons.append("low_politeness")
    return tuple(reasons)


def risk_score(reasons: Iterable[str]) -> float:
    return round(sum(RISK_WEIGHTS[r] for r in reasons), 2)


def _by_agent_week(candidates: Sequence[Candidate]) -> dict[tuple[str, str], list[Candidate]]:
    groups: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in sorted(candidates, key=lambda c: c.conversation_id):
        groups[(c.agent, c.week)].append(c)
    return dict(sorted(groups.items()))


def pick_random(candidates: Sequence[Candidate], size: int, rng: random.Random) -> list[Pick]:
    """A simple random sample of ``size`` conversations from the whole pool."""
    pool = sorted(candidates, key=lambda c: c.conversation_id)
    chosen = rng.sample(pool, min(size, len(pool)))
    return [Pick(c, ("random",)) for c in chosen]


def _spread(group: list[Candidate], quota: int, rng: random.Random) -> list[Candidate]:
    """Take ``quota`` from a group, cycling over channel x language so none dominates."""
    strata: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in group:
        strata[(c.channel, c.language)].append(c)
    queues = []
    for key in sorted(strata):
        items = strata[key][:]
        rng.shuffle(items)
        queues.append(items)
    rng.shuffle(queues)
    taken: list[Candidate] = []
    while len(taken) < quota and any(queues):
        for items in queues:
            if items and len(taken) < quota:
                taken.append(items.pop())
    return taken


def pick_stratified(
    candidates: Sequence[Candidate], per_agent_week: int, rng: random.Random
) -> list[Pick]:
    """``per_agent_week`` from each agent and ISO week, spread over channels and languages."""
    picks = []
    for (agent, week), group in _by_agent_week(candidates).items():
        for c in _spread(group, per_agent_week, rng):
            picks.append(Pick(c, (f"quota:{agent}:{week}", f"stratum:{c.channel}/{c.language}")))
    return picks


def pick_risk(
    candidates: Sequence[Candidate], per_agent_week: int, rng: random.Random
) -> list[Pick]:
    """The riskiest ``per_agent_week`` of each agent and week (quotas keep it fair)."""
    picks = []
    for (_agent, _week), group in _by_agent_week(candidates).items():
        scored = []
        for c in group:
            reasons = risk_reasons(c)
            scored.append((risk_score(reasons) + rng.random() * 0.01, c, reasons))
        scored.sort(key=lambda item: (-item[0], item[1].conversation_id))
        for score, c, reasons in scored[:per_agent_week]:
            picks.append(Pick(c, reasons or ("no_risk_signal",), risk=round(score, 2)))
    return picks


def choose(
    strategy: str,
    candidates: Sequence[Candidate],
    *,
    per_agent_week: int,
    size: int | None,
    seed: int,
) -> list[Pick]:
    """Run one strategy; the same candidates and seed always give the same picks."""
    rng = random.Random(seed)
    if strategy == "random":
        groups = len(_by_agent_week(candidates))
        return pick_random(candidates, size if size is not None else per_agent_week * groups, rng)
    if strategy == "stratified":
        picks = pick_stratified(candidates, per_agent_week, rng)
    elif strategy == "risk":
        picks = pick_risk(candidates, per_agent_week, rng)
    else:
        raise ValueError(f"unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}")
    return picks[:size] if size is not None else picks
