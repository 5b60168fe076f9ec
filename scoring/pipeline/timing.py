"""Response and handle times of a conversation against its channel's SLA targets.

A response is measured from the first *unanswered* customer message to the next agent
message: a customer writing three lines in a row waits from the first line; an agent
writing two lines in a row answers once. System messages (bots, routing notes) are
skipped. Naive timestamps are read as UTC; aware ones of any time zone compare exactly.
Pairs with a missing timestamp or a negative gap (clock skew) are counted as unmeasured
instead of producing nonsense numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from scoring.base import Evidence, compact_pickle
from scoring.pipeline.conversation import (
    AGENT,
    CUSTOMER,
    ChannelSla,
    Conversation,
    Message,
    Signal,
    SlaTargets,
    normalise_role,
)

VERSION = "timing-1"


@compact_pickle
@dataclass(frozen=True, slots=True)
class ResponsePair:
    """Customer message ``customer_index`` was answered by ``agent_index`` after ``seconds``."""

    customer_index: int
    agent_index: int
    seconds: float


@compact_pickle
@dataclass(frozen=True, slots=True)
class SlaBreach:
    """Which target was missed, by which message pair (indices into the messages)."""

    kind: str  # first_response | response | handle
    seconds: float
    target: float
    start_index: int
    end_index: int

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "seconds": round(self.seconds, 1),
            "target": self.target,
            "start_index": self.start_index,
            "end_index": self.end_index,
        }


@compact_pickle
@dataclass(frozen=True, slots=True)
class TimingResult:
    """All times in seconds; ``None`` when they cannot be measured."""

    first_response: float | None
    avg_response: float | None
    longest_response: float | None
    handle: float | None
    pairs: tuple[ResponsePair, ...]
    breaches: tuple[SlaBreach, ...]
    unmeasured_pairs: int
    unanswered: int
    targets: ChannelSla | None = None

    def breached(self, kind: str) -> bool:
        return any(b.kind == kind for b in self.breaches)


def to_epoch(moment: datetime | None) -> float | None:
    """Seconds since the epoch; naive datetimes are taken as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def response_pairs(messages: Sequence[Message]) -> tuple[list[ResponsePair], int, int]:
    """Pair each run of customer messages with the agent reply that ends it.

    Returns (measured pairs, unmeasured pairs, customer runs left unanswered).
    """
    pairs: list[ResponsePair] = []
    unmeasured = 0
    waiting_index: int | None = None  # first unanswered customer message of the run
    waiting_time: float | None = None
    for index, message in enumerate(messages):
        role = normalise_role(message.role)
        if role == CUSTOMER:
            stamp = to_epoch(message.sent_at)
            if waiting_index is None:
                waiting_index, waiting_time = index, stamp
            elif waiting_time is None and stamp is not None:
                waiting_time = stamp  # earliest known time of the run
        elif role == AGENT and waiting_index is not None:
            stamp = to_epoch(message.sent_at)
            if stamp is None or waiting_time is None or stamp < waiting_time:
                unmeasured += 1
            else:
                pairs.append(ResponsePair(waiting_index, index, stamp - waiting_time))
            waiting_index, waiting_time = None, None
    return pairs, unmeasured, int(waiting_index is not None)


def later_pairs(pairs: Sequence[ResponsePair], first: ResponsePair | None) -> list[ResponsePair]:
    """Replies after the first response: the ones the per-response target applies to."""
    return [p for p in pairs if p is not first]


def handle_time(messages: Sequence[Message]) -> tuple[float | None, int, int]:
    """First to last known timestamp: (seconds, index of earliest, index of latest)."""
    stamps = [(to_epoch(m.sent_at), i) for i, m in enumerate(messages) if m.sent_at]
    if len(stamps) < 2:
        return None, -1, -1
    first, last = min(stamps), max(stamps)
    return last[0] - first[0], first[1], last[1]


class TimingAnalyzer:
    """Measure response and handle times of conversations against ``SlaTargets``."""

    task = "timing"
    version = VERSION

    def __init__(self, sla: SlaTargets | None = None) -> None:
        self.sla = sla

    def analyze(self, conversation: Conversation) -> TimingResult:
        """Times and SLA breaches of one conversation."""
        targets = (self.sla or SlaTargets()).for_channel(conversation.channel)
        messages = conversation.messages
        handle, first_i, last_i = handle_time(messages)
        breaches: list[SlaBreach] = []
        if handle is not None and targets.handle is not None and handle > targets.handle:
            breaches.append(SlaBreach("handle", handle, targets.handle, first_i, last_i))
        if targets.first_response is None and targets.response is None:
            return TimingResult(None, None, None, handle, (), tuple(breaches), 0, 0, targets)
        pairs, unmeasured, unanswered = response_pairs(messages)
        seconds = [p.seconds for p in pairs]
        first_customer = next(
            (i for i, m in enumerate(messages) if normalise_role(m.role) == CUSTOMER), None
        )
        # the first run may be unmeasured (missing time): then a later pair is not "first"
        first = pairs[0] if pairs and pairs[0].customer_index == first_customer else None
        if first and targets.first_response is not None and first.seconds > targets.first_response:
            breaches.append(
                SlaBreach(
                    "first_response",
                    first.seconds,
                    targets.first_response,
                    first.customer_index,
                    first.agent_index,
                )
            )
        if targets.response is not None:  # the first reply is judged by its own target
            breaches.extend(
                SlaBreach("response", p.seconds, targets.response, p.customer_index, p.agent_index)
                for p in later_pairs(pairs, first)
                if p.seconds > targets.response
            )
        return TimingResult(
            first_response=first.seconds if first else None,
            avg_response=sum(seconds) / len(seconds) if seconds else None,
            longest_response=max(seconds) if seconds else None,
            handle=handle,
            pairs=tuple(pairs),
            breaches=tuple(breaches),
            unmeasured_pairs=unmeasured,
            unanswered=unanswered,
            targets=targets,
        )

    def analyze_many(self, conversations: Sequence[Conversation]) -> list[TimingResult]:
        return [self.analyze(c) for c in conversations]


def _within(seconds: float | None, target: float | None) -> float | None:
    """1 within target, falling linearly to 0 at three times the target."""
    if seconds is None or target is None:
        return None
    return round(min(1.0, max(0.0, 1.0 - (seconds - target) / (2.0 * target))), 4)


def _breach_evidence(result: TimingResult, kind: str) -> tuple[tuple[int, Evidence], ...]:
    return tuple(
        (
            b.end_index,
            Evidence(0, 0, f"timing.{kind}_breach", -1.0, f"{b.seconds:.0f}s > {b.target:.0f}s"),
        )
        for b in result.breaches
        if b.kind == kind
    )


def timing_signals(result: TimingResult) -> list[Signal]:
    """Conversation signals in seconds, flags and shares, normalised against the targets."""
    targets = result.targets or ChannelSla(None, None, None)
    first_ok = None
    if result.first_response is not None and targets.first_response is not None:
        first_ok = float(result.first_response <= targets.first_response)
    first = result.pairs[0] if result.first_response is not None else None
    measured = later_pairs(result.pairs, first)
    share = None
    if measured and targets.response is not None:
        share = round(sum(p.seconds <= targets.response for p in measured) / len(measured), 4)
    handle_ok = None
    if result.handle is not None and targets.handle is not None:
        handle_ok = float(result.handle <= targets.handle)
    return [
        Signal("first_response_time", result.first_response, "seconds",
               _within(result.first_response, targets.first_response)),
        Signal("first_response_sla", first_ok, "flag", first_ok,
               evidence=_breach_evidence(result, "first_response")),
        Signal("avg_response_time", result.avg_response, "seconds",
               _within(result.avg_response, targets.response)),
        Signal("longest_response_time", result.longest_response, "seconds",
               _within(result.longest_response, targets.response)),
        Signal("response_time_sla", share, "share", share,
               evidence=_breach_evidence(result, "response")),
        Signal("handle_time", result.handle, "seconds", _within(result.handle, targets.handle)),
        Signal("handle_time_sla", handle_ok, "flag", handle_ok,
               evidence=_breach_evidence(result, "handle")),
    ]  # fmt: skip
