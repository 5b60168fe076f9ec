"""Does the customer report a defect? Phrases of a broken product, in Russian and English.

Rubrics show their bug-report criteria only where a customer says something is broken
("the app crashes at checkout", «приложение вылетает, когда нажимаю Оплатить»), so the
signal must say *why* it fired: every match is evidence with its span. Patterns and their
weights live in editable lexicons (``lexicons/defect_{ru,en}.tsv``); a message reports a
defect when the weights of its distinct matches reach ``threshold``. A negation just before
a match ("no errors", «больше не вылетает», «без сбоев») cancels it, except for phrases that
carry the negation themselves ("doesn't work", «не работает»).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from scoring.base import Evidence, ScoreResult
from scoring.lexicons import LEXICON_DIR
from scoring.text import detect_languages

_NEGATED_BEFORE = {
    "en": re.compile(r"(?:\bno|\bnot|\bnever|\bwithout|\bno more|\bn[o']?t any)\s+(?:\w+\s+)?$"),
    "ru": re.compile(r"(?:\bне|\bнет|\bбез|\bникаких|\bни одного|\bни одной)\s+(?:\w+\s+)?$"),
}
_WINDOW = 24  # characters before a match searched for a negation


@lru_cache(maxsize=4)
def load_defect_patterns(lang: str) -> tuple[tuple[float, str, re.Pattern], ...]:
    """(weight, source pattern, compiled pattern) rows of one language's lexicon."""
    rows = []
    path = LEXICON_DIR / f"defect_{lang}.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        weight, pattern = line.split("\t", 1)
        compiled = re.compile(r"(?<!\w)(?:" + pattern.strip() + r")(?!\w)", re.IGNORECASE)
        rows.append((float(weight), pattern.strip(), compiled))
    return tuple(rows)


def _self_negated(pattern: str) -> bool:
    return pattern.startswith(("(?:не|", "не ", "ничего", "(?:does", "(?:won", "nothing"))


class DefectReportScorer:
    """Score 0..1 that a customer message reports a product defect, with matched spans.

    ``labels``: ``defect`` when the score reaches ``threshold``, else ``none``. The score is
    the sum of the weights of the distinct patterns found, capped at 1.
    """

    task = "defect_report"
    version = "1.0"
    labels = ("none", "defect")

    def __init__(self, lang: str = "auto", threshold: float = 0.5) -> None:
        self.lang = lang
        self.threshold = threshold

    def _languages(self, texts: Sequence[str], langs: Sequence[str] | None) -> list[str]:
        if langs is not None:
            return [lang if lang in ("ru", "en") else "en" for lang in langs]
        if self.lang in ("ru", "en"):
            return [self.lang] * len(texts)
        return list(detect_languages(list(texts)))

    def score_texts(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> list[ScoreResult]:
        """One result per text (vectorised like every scorer; texts are independent)."""
        return [
            self._score_one(text or "", lang)
            for text, lang in zip(texts, self._languages(texts, langs), strict=True)
        ]

    def _score_one(self, text: str, lang: str) -> ScoreResult:
        evidence: list[Evidence] = []
        negation = _NEGATED_BEFORE[lang]
        for weight, pattern, compiled in load_defect_patterns(lang):
            for match in compiled.finditer(text):
                before = text[max(0, match.start() - _WINDOW) : match.start()].lower()
                if not _self_negated(pattern) and negation.search(before):
                    continue
                evidence.append(
                    Evidence(match.start(), match.end(), f"defect:{pattern}", weight, match.group())
                )
                break  # a pattern counts once per message
        score = round(min(1.0, sum(e.weight for e in evidence)), 4)
        label = "defect" if score >= self.threshold else "none"
        evidence.sort(key=lambda e: e.start)
        return ScoreResult(label, score, lang, tuple(evidence))
