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
rudeness flagged (auto)        2.0    automatic: an agent message read as rude
missed empathy (auto)          1.0    automatic: an upset customer got no empathy
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
    "rudeness": 2.0,
    "missed_empathy": 1.0,
}
NEGATIVE_SENTIMENT_BELOW = -0.25
LOW_POLITENESS_BELOW = 0.4
RUDENESS_FROM = 0.5
MISSED_EMPATHY_FROM = 1.0


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
    nps: int | None = None
    status: str = "resolved"
    first_response_seconds: float | None = None
    handle_minutes: float | None = None
    rudeness: float | None = None
    missed_empathy: float | None = None
    #: Earlier contacts of the same customer within the 7 days before this one.
    prior_contacts: int = 0

    @property
    def is_repeat_contact(self) -> bool:
        """The customer wrote within 7 days before, or came back within 7 days after."""
        return self.repeat_contact or self.prior_contacts > 0

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
    if c.rudeness is not None and c.rudeness >= RUDENESS_FROM:
        reasons.append("rudeness")
    if c.missed_empathy is not None and c.missed_empathy >= MISSED_EMPATHY_FROM:
        reasons.append("missed_empathy")
    return tuple(reasons)


def risk_score(reasons: Iterable[str]) -> float:
    return round(sum(RISK_WEIGHTS[r] for r in reasons), 2)


#: The quota group of a plan run: one group per agent for the whole window, whatever weeks
#: it spans (a Monday-to-Monday window touches two ISO weeks).
WHOLE_RUN = "run"


def _by_agent_week(
    candidates: Sequence[Candidate], whole_window: bool = False
) -> dict[tuple[str, str], list[Candidate]]:
    groups: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in sorted(candidates, key=lambda c: c.conversation_id):
        groups[(c.agent, WHOLE_RUN if whole_window else c.week)].append(c)
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
    groups: dict[tuple[str, str], list[Candidate]], per_agent_week: int, rng: random.Random
) -> list[list[Pick]]:
    """``per_agent_week`` from each agent and week (or run), spread over channels and
    languages; one list per group."""
    return [
        [
            Pick(c, (f"quota:{agent}:{week}", f"stratum:{c.channel}/{c.language}"))
            for c in _spread(group, per_agent_week, rng)
        ]
        for (agent, week), group in groups.items()
    ]


def pick_risk(
    groups: dict[tuple[str, str], list[Candidate]], per_agent_week: int, rng: random.Random
) -> list[list[Pick]]:
    """The riskiest ``per_agent_week`` of each agent and week (quotas keep it fair)."""
    out = []
    for group in groups.values():
        scored = []
        for c in group:
            reasons = risk_reasons(c)
            scored.append((risk_score(reasons) + rng.random() * 0.01, c, reasons))
        scored.sort(key=lambda item: (-item[0], item[1].conversation_id))
        out.append(
            [
                Pick(c, reasons or ("no_risk_signal",), risk=round(score, 2))
                for score, c, reasons in scored[:per_agent_week]
            ]
        )
    return out


def fair_order(groups: list[list[Pick]], rng: random.Random) -> list[Pick]:
    """Every group's first pick, then every group's second, ... (groups in a seeded random
    order): a size limit or a reviewer's capacity then cuts the last picks of every agent
    instead of every pick of the last agents."""
    order = list(range(len(groups)))
    rng.shuffle(order)
    picks = []
    for rank in range(max((len(g) for g in groups), default=0)):
        level = [groups[i][rank] for i in order if rank < len(groups[i])]
        level.sort(key=lambda p: -p.risk)  # stable: equal risks keep the seeded order
        picks.extend(level)
    return picks


def choose(
    strategy: str,
    candidates: Sequence[Candidate],
    *,
    per_agent_week: int,
    size: int | None,
    seed: int,
    whole_window: bool = False,
) -> list[Pick]:
    """Run one strategy; the same candidates and seed always give the same picks, in fair
    order. ``whole_window``: the quota is per agent for all candidates (a plan's run),
    not per agent and ISO week."""
    rng = random.Random(seed)
    groups = _by_agent_week(candidates, whole_window)
    if strategy == "random":
        return pick_random(
            candidates, size if size is not None else per_agent_week * len(groups), rng
        )
    if strategy == "stratified":
        per_group = pick_stratified(groups, per_agent_week, rng)
    elif strategy == "risk":
        per_group = pick_risk(groups, per_agent_week, rng)
    else:
        raise ValueError(f"unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}")
    picks = fair_order(per_group, rng)
    return picks[:size] if size is not None else picks
