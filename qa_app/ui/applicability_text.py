"""Conditions (``applies_when``) as a sentence in the reader's language: why a criterion is
N/A automatically ("applies only when the customer reports a defect or tag is bug").

The rubric holds the structure; every word comes from the catalogue (``applies.*``), and
values the rubric author typed (tags, team names) are shown as written, quoted.
"""

from __future__ import annotations

from qa_app.ui.context import current_lang, tr
from scoring.rubric.conditions import (
    AllOf,
    AnyOf,
    Condition,
    CsatBetween,
    FactIs,
    Not,
    SignalDetected,
)


def _quoted(value: str) -> str:
    return f"«{value}»" if current_lang() == "ru" else f"“{value}”"


def _either(words: list[str]) -> str:
    return tr("applies.or").join(words)


def _fact(condition: FactIs) -> str:
    if condition.key == "channel":
        values = [tr(f"overview.channel.{v}") for v in condition.values]
    elif condition.key == "language":
        values = [tr(f"applies.language.{v}") for v in condition.values]
    else:
        values = [_quoted(v) for v in condition.values]
    return tr(f"applies.{condition.key}", values=_either(values))


def _signal(name: str) -> str:
    return tr(f"applies.signal.{name}")


def describe(condition: Condition) -> str:
    """The condition as words, nested combinations in brackets."""
    if isinstance(condition, FactIs):
        return _fact(condition)
    if isinstance(condition, SignalDetected):
        return _either([_signal(n) for n in condition.names])
    if isinstance(condition, CsatBetween):
        if condition.low is not None and condition.high is not None:
            return tr("applies.csat_between", low=f"{condition.low:g}", high=f"{condition.high:g}")
        if condition.low is not None:
            return tr("applies.csat_min", low=f"{condition.low:g}")
        return tr("applies.csat_max", high=f"{condition.high:g}")
    if isinstance(condition, Not):
        return tr("applies.not", condition=describe(condition.item))
    joiner = tr("applies.and") if isinstance(condition, AllOf) else tr("applies.or")
    parts = [describe(item) for item in condition.items]
    nested = [f"({p})" if isinstance(i, AllOf | AnyOf) else p for i, p in
              zip(condition.items, parts, strict=True)]  # fmt: skip
    return joiner.join(nested)


def auto_na_reason(condition: Condition) -> str:
    """The sentence the review form shows under a criterion that is N/A automatically."""
    return tr("applies.reason", condition=describe(condition))
