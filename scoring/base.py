"""The scorer contract shared by every automatic scorer.

Every score carries its evidence: the character spans of the text and the rule, lexicon
entry or feature that moved it, so a reviewer can check the machine's reasoning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason a score moved: a span of the text (may be empty for whole-text features)."""

    start: int
    end: int
    rule: str
    weight: float
    text: str = ""

    def to_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
            "weight": round(float(self.weight), 4),
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """A scorer's verdict on one text: label, numeric score, language and evidence."""

    label: str
    score: float
    lang: str
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "score": round(float(self.score), 4),
            "lang": self.lang,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@runtime_checkable
class TextScorer(Protocol):
    """What the app and `qa-studio classify` rely on.

    Scorers follow scikit-learn conventions: ``__init__`` only stores parameters, learned
    state ends in ``_``, and methods are vectorised over lists of texts.
    """

    task: str
    version: str
    labels: tuple[str, ...]

    def score_texts(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> list[ScoreResult]: ...
