"""Why a conversation stands out: the rules of the "notable conversations" list.

Pure functions over a sampling ``Candidate``. Each reason carries the numbers a lead needs
to judge it at a glance ("CSAT 1 after a 3-hour first response", "the customer's 3rd
contact in 7 days"); the page words them in the reader's language. A conversation's
notability is the sum of its reasons' weights, and it is listed from ``MIN_NOTABILITY``
(3): one strong reason is enough, the weaker ones only together (a negative ending alone
is common; a negative ending with missed empathy stands out).

===================== ====== ==========================================================
reason                weight when
===================== ====== ==========================================================
low_csat_slow         4.0    CSAT 1-2 after a first response over the channel's SLA
low_csat              3.0    CSAT 1-2 (first response within SLA or unknown)
rudeness              3.0    automatic: an agent message with P(rude) >= 0.5
escalated_unresolved  3.0    escalated and still not resolved
repeat_contact        3.0    the customer's 3rd (or later) contact within 7 days; +0.5
                             for each contact beyond the 3rd
missed_empathy        2.0    automatic: an upset customer turn without an empathetic reply
detractor             2.0    NPS 0-3
slow_first_response   2.0    first response at least 4x the channel's SLA
negative_ending       1.5    automatic: the customer's last message reads negative
long_handle           1.5    handle time at least 3x the channel's handle target
===================== ====== ==========================================================

SLA targets are the timing scorer's (chat 15 min first response, 45 min handle; e-mail
2 h and 72 h; see ``scoring.pipeline.conversation.SlaTargets``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_app.services.conversations import channel_sla
from qa_app.services.sampling.strategies import (
    MISSED_EMPATHY_FROM,
    NEGATIVE_SENTIMENT_BELOW,
    RUDENESS_FROM,
    Candidate,
)

WEIGHTS = {
    "low_csat_slow": 4.0,
    "low_csat": 3.0,
    "rudeness": 3.0,
    "escalated_unresolved": 3.0,
    "repeat_contact": 3.0,
    "missed_empathy": 2.0,
    "detractor": 2.0,
    "slow_first_response": 2.0,
    "negative_ending": 1.5,
    "long_handle": 1.5,
}
MIN_NOTABILITY = 3.0
LOW_CSAT_UP_TO = 2
DETRACTOR_UP_TO = 3
REPEAT_FROM_PRIOR = 2  # two earlier contacts: this is the 3rd
SLOW_FIRST_RESPONSE_TIMES = 4.0
LONG_HANDLE_TIMES = 3.0


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def weight(self) -> float:
        extra = max(0, self.params.get("nth", 0) - 3) * 0.5 if self.code == "repeat_contact" else 0
        return WEIGHTS[self.code] + extra


def _survey(c: Candidate, slow: bool) -> list[Reason]:
    out = []
    if c.csat is not None and c.csat <= LOW_CSAT_UP_TO:
        if slow:
            out.append(Reason("low_csat_slow", {"csat": c.csat, "wait": c.first_response_seconds}))
        else:
            out.append(Reason("low_csat", {"csat": c.csat}))
    if c.nps is not None and c.nps <= DETRACTOR_UP_TO:
        out.append(Reason("detractor", {"nps": c.nps}))
    return out


def _timing(c: Candidate) -> list[Reason]:
    sla = channel_sla(c.channel)
    out = []
    wait, target = c.first_response_seconds, sla.first_response
    if wait is not None and target and wait >= SLOW_FIRST_RESPONSE_TIMES * target:
        out.append(Reason("slow_first_response", {"wait": wait, "target": target}))
    handle, limit = c.handle_minutes, sla.handle
    if handle is not None and limit and handle * 60 >= LONG_HANDLE_TIMES * limit:
        out.append(Reason("long_handle", {"handle": handle * 60, "target": limit}))
    return out


def _automatic(c: Candidate) -> list[Reason]:
    out = []
    if c.rudeness is not None and c.rudeness >= RUDENESS_FROM:
        out.append(Reason("rudeness", {"p": round(c.rudeness, 2)}))
    if c.missed_empathy is not None and c.missed_empathy >= MISSED_EMPATHY_FROM:
        out.append(Reason("missed_empathy", {"count": int(c.missed_empathy)}))
    if c.sentiment_end is not None and c.sentiment_end < NEGATIVE_SENTIMENT_BELOW:
        out.append(Reason("negative_ending", {"sentiment": round(c.sentiment_end, 2)}))
    return out


def notable_reasons(c: Candidate) -> tuple[Reason, ...]:
    """Every reason ``c`` stands out, heaviest first (empty: nothing notable)."""
    slow = c.sla_breach
    reasons = _survey(c, slow)
    if c.escalated and c.status != "resolved":
        reasons.append(Reason("escalated_unresolved", {"status": c.status}))
    if c.prior_contacts >= REPEAT_FROM_PRIOR:
        reasons.append(Reason("repeat_contact", {"nth": c.prior_contacts + 1}))
    reasons += _automatic(c) + _timing(c)
    if any(r.code == "low_csat_slow" for r in reasons):  # the wait is said once
        reasons = [r for r in reasons if r.code != "slow_first_response"]
    return tuple(sorted(reasons, key=lambda r: -r.weight))


def notability(reasons: tuple[Reason, ...]) -> float:
    return round(sum(r.weight for r in reasons), 2)


def is_notable(reasons: tuple[Reason, ...]) -> bool:
    return notability(reasons) >= MIN_NOTABILITY
