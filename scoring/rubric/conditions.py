"""When a criterion or a category applies: conditions on the conversation (``applies_when``).

A bug-report criterion means nothing on a refund over social media; asking the reviewer to
set it to N/A by hand on every conversation wastes time and invites mistakes. A rubric can
say instead::

    applies_when:
      any:
        - signal: defect_report        # the pipeline heard the customer report a defect
        - tag: [bug, bug_report]

Where the condition does not hold the criterion is N/A automatically and the score maths
leaves it out exactly like a manual N/A (``score_review(..., not_applicable=...)``).

Keys of one mapping must all hold; ``all``/``any`` combine lists, ``not`` inverts.
Unknown facts (no CSAT answer, a conversation not scored yet) make a test false, so a
criterion that needs a defect report stays N/A until the pipeline has heard one.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scoring.pipeline.conversation import CHANNELS
from scoring.rubric.model import LANGUAGES

#: Automatic signals a condition may test (flags the AutoQA pipeline reports per
#: conversation; a value above 0 means "detected").
CONDITION_SIGNALS: tuple[str, ...] = (
    "defect_report",
    "escalation",
    "unresolved",
    "resolution_confirmed",
)
FACT_KEYS = ("channel", "language", "tag", "team")
CONDITION_KEYS = (*FACT_KEYS, "signal", "csat", "all", "any", "not")
CSAT_RANGE = (1, 5)


@dataclass(frozen=True, slots=True)
class ConversationFacts:
    """What conditions may look at: plain values the app reads from a conversation.

    ``signals`` maps a signal name to its value (None or absent: not computed)."""

    channel: str | None = None
    language: str | None = None
    tags: frozenset[str] = frozenset()
    team: str | None = None
    csat: float | None = None
    signals: Mapping[str, float | None] = field(default_factory=dict)

    def signal_detected(self, name: str) -> bool:
        value = self.signals.get(name)
        return value is not None and value > 0


@dataclass(frozen=True, slots=True)
class FactIs:
    """``channel``/``language``/``team``: the fact is one of ``values``;
    ``tag``: the conversation carries at least one of them."""

    key: str
    values: tuple[str, ...]

    def holds(self, facts: ConversationFacts) -> bool:
        if self.key == "tag":
            return not facts.tags.isdisjoint(self.values)
        return getattr(facts, self.key) in self.values

    def to_yaml(self) -> Any:
        return {self.key: self.values[0] if len(self.values) == 1 else list(self.values)}


@dataclass(frozen=True, slots=True)
class SignalDetected:
    """At least one of the automatic signals was detected on the conversation."""

    names: tuple[str, ...]

    def holds(self, facts: ConversationFacts) -> bool:
        return any(facts.signal_detected(name) for name in self.names)

    def to_yaml(self) -> Any:
        return {"signal": self.names[0] if len(self.names) == 1 else list(self.names)}


@dataclass(frozen=True, slots=True)
class CsatBetween:
    """The customer's CSAT answer lies in ``[low, high]`` (a bound may be open)."""

    low: float | None
    high: float | None

    def holds(self, facts: ConversationFacts) -> bool:
        if facts.csat is None:
            return False
        return (self.low is None or facts.csat >= self.low) and (
            self.high is None or facts.csat <= self.high
        )

    def to_yaml(self) -> Any:
        bounds = {"min": self.low, "max": self.high}
        return {"csat": {k: v for k, v in bounds.items() if v is not None}}


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Condition, ...]

    def holds(self, facts: ConversationFacts) -> bool:
        return all(item.holds(facts) for item in self.items)

    def to_yaml(self) -> Any:
        return {"all": [item.to_yaml() for item in self.items]}


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Condition, ...]

    def holds(self, facts: ConversationFacts) -> bool:
        return any(item.holds(facts) for item in self.items)

    def to_yaml(self) -> Any:
        return {"any": [item.to_yaml() for item in self.items]}


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition

    def holds(self, facts: ConversationFacts) -> bool:
        return not self.item.holds(facts)

    def to_yaml(self) -> Any:
        return {"not": self.item.to_yaml()}


Condition = FactIs | SignalDetected | CsatBetween | AllOf | AnyOf | Not


# --- parsing (of a document already validated by ``check_condition``) ---------------------


def _names(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def parse_condition(data: Mapping) -> Condition:
    """A Condition from a valid ``applies_when`` mapping (several keys: all must hold)."""
    parts: list[Condition] = []
    for key, value in data.items():
        if key in FACT_KEYS:
            parts.append(FactIs(key, tuple(str(v) for v in _names(value))))
        elif key == "signal":
            parts.append(SignalDetected(_names(value)))
        elif key == "csat":
            parts.append(CsatBetween(value.get("min"), value.get("max")))
        elif key == "all":
            parts.append(AllOf(tuple(parse_condition(item) for item in value)))
        elif key == "any":
            parts.append(AnyOf(tuple(parse_condition(item) for item in value)))
        elif key == "not":
            parts.append(Not(parse_condition(value)))
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def condition_to_yaml(condition: Condition) -> dict:
    """Plain data in the YAML shape: ``parse_condition(condition_to_yaml(c)) == c`` except
    that a multi-key mapping comes back as an explicit ``all``."""
    return condition.to_yaml()


# --- validation ----------------------------------------------------------------------------


def check_condition(value: Any, path: str, add) -> None:
    """Report every problem of an ``applies_when`` value through ``add(path, message)``."""
    if not isinstance(value, Mapping) or not value:
        add(path, "must be a mapping of conditions, e.g. {signal: defect_report}; "
            f"keys: {', '.join(CONDITION_KEYS)}")  # fmt: skip
        return
    for key, item in value.items():
        where = f"{path}.{key}"
        if key not in CONDITION_KEYS:
            hint = difflib.get_close_matches(str(key), CONDITION_KEYS, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            add(where, f"unknown condition{extra}; known: {', '.join(CONDITION_KEYS)}")
        elif key in ("all", "any"):
            if not isinstance(item, list) or not item:
                add(where, f"'{key}' needs a non-empty list of conditions")
                continue
            for index, sub in enumerate(item):
                check_condition(sub, f"{where}[{index}]", add)
        elif key == "not":
            check_condition(item, where, add)
        elif key == "csat":
            _check_csat(item, where, add)
        else:
            _check_names(key, item, where, add)


_ALLOWED = {"channel": CHANNELS, "language": LANGUAGES, "signal": CONDITION_SIGNALS}


def _check_names(key: str, value: Any, path: str, add) -> None:
    names = value if isinstance(value, list) else [value]
    if not names:
        add(path, f"'{key}' needs at least one value")
        return
    allowed = _ALLOWED.get(key)
    for index, name in enumerate(names):
        where = f"{path}[{index}]" if isinstance(value, list) else path
        if not isinstance(name, str) or not name.strip():
            add(where, f"'{key}' values must be non-empty text")
        elif allowed is not None and name not in allowed:
            hint = difflib.get_close_matches(name, allowed, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            add(where, f"unknown {key} '{name}'{extra}; known: {', '.join(allowed)}")


def _check_csat(value: Any, path: str, add) -> None:
    low_limit, high_limit = CSAT_RANGE
    if not isinstance(value, Mapping) or not value or set(value) - {"min", "max"}:
        add(path, "must be a mapping with 'min' and/or 'max', e.g. {max: 2}")
        return
    for key in ("min", "max"):
        bound = value.get(key)
        if key in value and (
            isinstance(bound, bool)
            or not isinstance(bound, int | float)
            or not low_limit <= bound <= high_limit
        ):
            add(f"{path}.{key}", f"must be a number from {low_limit} to {high_limit}")
            return
    if "min" in value and "max" in value and value["min"] > value["max"]:
        add(path, f"min {value['min']} is above max {value['max']}: no answer could match")
