"""Evaluation harness: every task module measures one scorer on one public dataset.

A task module exposes ``evaluate(datasets_dir: Path, limit: int | None = None)`` returning
an ``EvalResult`` or a list of them; registering a module is one line in ``TASK_MODULES``.
Figures sit beside published ones (from the datasets README) and the project's targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

TASK_MODULES = [
    "scoring.evaluation.sentiment_en_airline",
    "scoring.evaluation.sentiment_ru_rusentitweet",
    "scoring.evaluation.toxicity_ru",
    "scoring.evaluation.emotions_ru_cedr",
    "scoring.evaluation.emotions_en_goemotions",
    "scoring.evaluation.politeness",
    "scoring.evaluation.empathy",
    "scoring.evaluation.reference_replies",
    "scoring.evaluation.customer_upset",
    "scoring.evaluation.detox_pairs",
    "scoring.evaluation.cross_domain",
    "scoring.evaluation.embedding_alternative",
    "scoring.evaluation.counterfactual",
]


@dataclass(frozen=True)
class EvalResult:
    """One measured figure with what it should be compared to."""

    task: str
    dataset: str
    metric: str
    value: float
    reference: str = ""
    target: float | None = None
    n: int = 0
    note: str = ""
    #: False for rates that must stay low (false flags, label flips): met when <= target.
    higher_is_better: bool = True

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value != self.value:  # no target, or not measured
            return None
        if self.higher_is_better:
            return self.value >= self.target
        return self.value <= self.target


def evaluate_all(
    datasets_dir: Path, modules: Sequence[str] | None = None, limit: int | None = None
) -> list[EvalResult]:
    """Run the task modules (all by default) and flatten their results."""
    results: list[EvalResult] = []
    for name in modules or TASK_MODULES:
        out = import_module(name).evaluate(Path(datasets_dir), limit=limit)
        results.extend(out if isinstance(out, list) else [out])
    return results


def markdown_table(results: Sequence[EvalResult]) -> str:
    """The results as a markdown table (what ``qa-studio eval`` prints and writes)."""
    lines = [
        "| task | dataset | metric | ours | reference | target | met | n | note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        target = "" if r.target is None else f"{r.target:g}"
        if target and not r.higher_is_better:
            target = f"≤ {target}"
        met = {None: "", True: "yes", False: "**no**"}[r.met]
        lines.append(
            f"| {r.task} | {r.dataset} | {r.metric} | {r.value:.3f} | {r.reference} "
            f"| {target} | {met} | {r.n} | {r.note} |"
        )
    return "\n".join(lines) + "\n"


def first_rows(texts: list, labels: list, limit: int | None) -> tuple[list, list]:
    """A small deterministic slice (for tests); stratification is not needed there."""
    if limit is None:
        return texts, labels
    return texts[:limit], labels[:limit]
