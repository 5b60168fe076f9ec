"""The rubric as frozen dataclasses: what the review page, scoring and storage share.

Parsing and validation live in :mod:`scoring.rubric` and :mod:`scoring.rubric_schema`; this
module holds only the shapes and the constants both of them rely on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scoring.rubric.conditions import Condition, ConversationFacts

LANGUAGES = ("en", "ru")

#: Automatic signals a criterion may be pre-scored from; scorers map their output to these.
AUTO_SIGNALS: tuple[str, ...] = (
    "sentiment_end",
    "politeness",
    "rudeness",
    "toxicity",
    "empathy",
    "missed_empathy",
    "clarity",
    "jargon",
    "typos",
    "resolution_confirmed",
    "next_steps",
    "resolves",
    "clarifying_questions",
    "first_response_sla",
    "response_time_sla",
    "greeting",
    "closing",
    "customer_name",
    "apology",
    "thanks",
)

#: Built-in scales: level values and their standard labels (en, ru).
BUILTIN_SCALES: dict[str, tuple[tuple[int, str, str], ...]] = {
    "pass_fail": ((0, "Fail", "Не выполнено"), (1, "Pass", "Выполнено")),
    "1-3": (
        (1, "Below expectations", "Ниже ожиданий"),
        (2, "Meets", "Соответствует"),
        (3, "Exceeds", "Превосходит"),
    ),
    "1-5": (
        (1, "Poor", "Плохо"),
        (2, "Weak", "Слабо"),
        (3, "Acceptable", "Приемлемо"),
        (4, "Good", "Хорошо"),
        (5, "Excellent", "Отлично"),
    ),
}
SCALE_TYPES = (*BUILTIN_SCALES, "custom")
CRITICAL_SCOPES = ("category", "conversation")


@dataclass(frozen=True, slots=True)
class LocalText:
    """The same text in English and Russian: both languages are first-class."""

    en: str
    ru: str

    def get(self, lang: str) -> str:
        """Text in ``lang``; unknown languages fall back to English."""
        return self.ru if lang == "ru" else self.en


@dataclass(frozen=True, slots=True)
class Level:
    """One point of a scale with its label and what a reviewer should see to give it."""

    value: int | float
    label: LocalText
    descriptor: LocalText


@dataclass(frozen=True, slots=True)
class Scale:
    """An ordered set of levels; scores are a level's position between min and max."""

    kind: str
    levels: tuple[Level, ...]

    @property
    def values(self) -> tuple[int | float, ...]:
        return tuple(level.value for level in self.levels)

    @property
    def min_value(self) -> int | float:
        return self.levels[0].value

    @property
    def max_value(self) -> int | float:
        return self.levels[-1].value

    def level(self, value: float) -> Level:
        """The level with this value; KeyError when the value is not on the scale."""
        for level in self.levels:
            if level.value == value:
                return level
        raise KeyError(value)

    def position(self, value: float) -> float:
        """0-100: where ``value`` sits between the lowest and the highest level."""
        return (value - self.min_value) / (self.max_value - self.min_value) * 100.0


@dataclass(frozen=True, slots=True)
class Criterion:
    """One thing a reviewer grades; ``critical`` is None, 'category' or 'conversation'."""

    id: str
    name: LocalText
    description: LocalText
    scale: Scale
    weight: float
    na_allowed: bool
    critical: str | None
    fail_below: float | None
    coaching_topic: str
    auto_signal: str | None = None
    #: Where the criterion applies (None: everywhere); elsewhere it is N/A automatically.
    applies_when: Condition | None = None

    def is_fail(self, value: float) -> bool:
        """A fail is a value below ``fail_below``, or else the lowest level of the scale."""
        if self.fail_below is not None:
            return value < self.fail_below
        return value == self.scale.min_value


@dataclass(frozen=True, slots=True)
class Category:
    """A weighted group of criteria (empathy, accuracy...)."""

    id: str
    name: LocalText
    description: LocalText | None
    weight: float
    criteria: tuple[Criterion, ...]
    #: Where the whole category applies (None: everywhere).
    applies_when: Condition | None = None


@dataclass(frozen=True, slots=True)
class RubricSettings:
    """Rubric-wide options: the default critical scope and an optional passing score."""

    critical_default: str = "conversation"
    passing_score: float | None = None


@dataclass(frozen=True, slots=True)
class Rubric:
    """A complete, valid rubric version."""

    id: str
    version: int
    name: LocalText
    description: LocalText
    categories: tuple[Category, ...]
    settings: RubricSettings = RubricSettings()

    def criteria(self) -> Iterator[Criterion]:
        """Every criterion in rubric order."""
        for category in self.categories:
            yield from category.criteria

    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria())

    def criterion(self, criterion_id: str) -> Criterion:
        """Look a criterion up by id; KeyError names the rubric when it is unknown."""
        for criterion in self.criteria():
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(f"rubric {self.id} v{self.version} has no criterion '{criterion_id}'")

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(f"rubric {self.id} v{self.version} has no category '{category_id}'")

    def category_of(self, criterion_id: str) -> Category:
        """The category holding a criterion."""
        for category in self.categories:
            if any(c.id == criterion_id for c in category.criteria):
                return category
        raise KeyError(f"rubric {self.id} v{self.version} has no criterion '{criterion_id}'")

    def not_applicable(self, facts: ConversationFacts) -> dict[str, Condition]:
        """Criteria that do not apply to a conversation, each with the condition that failed
        (its category's when the whole category is out, else its own)."""
        out: dict[str, Condition] = {}
        for category in self.categories:
            if category.applies_when is not None and not category.applies_when.holds(facts):
                out.update((c.id, category.applies_when) for c in category.criteria)
                continue
            for criterion in category.criteria:
                condition = criterion.applies_when
                if condition is not None and not condition.holds(facts):
                    out[criterion.id] = condition
        return out

    def conditional_criteria(self) -> tuple[str, ...]:
        """Ids of criteria that apply only under a condition (their own or their category's)."""
        return tuple(
            criterion.id
            for category in self.categories
            for criterion in category.criteria
            if criterion.applies_when is not None or category.applies_when is not None
        )

    def has_conditions(self) -> bool:
        """Does any category or criterion carry ``applies_when``?"""
        return bool(self.conditional_criteria())

    def coaching_topics(self) -> tuple[str, ...]:
        """Distinct coaching topics in rubric order."""
        return tuple(dict.fromkeys(c.coaching_topic for c in self.criteria()))
