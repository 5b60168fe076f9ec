"""How clear is an agent's answer to a customer? Readability, jargon, typos, structure, length.

Readability is Flesch reading ease for English and Oborneva's Russian adaptation
(``scoring.clarity_words``, with the references); jargon is counted against default
glossaries (``lexicons/jargon_{ru,en}.txt``) plus a company glossary; typos are words
unknown to a dictionary (pymorphy3 for Russian, pyspellchecker's English frequency list).
Formulas and weights are documented in ``docs/autoqa.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scoring.base import Evidence, ScoreResult, Signal
from scoring.scorers.clarity_scan import JargonGlossary, scan_words
from scoring.scorers.clarity_words import flesch_reading_ease, read_terms
from scoring.text import detect_languages

if TYPE_CHECKING:
    import numpy as np

# Reading ease mapped linearly onto 0..1 between these points. Russian words are longer, so
# Oborneva's scale runs lower on the same plain reply: the band is shifted by 30 points.
EASE_RANGE = {"en": (10.0, 80.0), "ru": (-20.0, 50.0)}
WEIGHTS = {"readability": 0.3, "jargon": 0.3, "typos": 0.2, "structure": 0.1, "length": 0.1}
THRESHOLDS = (0.55, 0.75)  # below the first: unclear; from the second: clear
#: Jargon and typo rates are counted as if every reply had this many more clean words: one
#: typo in an eight-word reply is not a 12% error rate that makes the reply unclear, while
#: a long reply full of jargon still is (a prior of zero errors, weight of ten words).
PRIOR_WORDS = 10
MIN_WORDS_FOR_EASE = 6
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_LIST_LINE = re.compile(r"(?m)^\s*(?:\d{1,2}[.)]|[-•*–—]|[a-zа-я][.)])\s+\S")
_PARAGRAPH = re.compile(r"\n")


def _band(value: float, low: float, high: float) -> float:
    return min(1.0, max(0.0, (value - low) / (high - low)))


def _readability(ease: float, words: int, lang: str) -> float:
    """Reading ease as 0..1; a reply of a few words ("Приятного отдыха!") has no measurable
    reading ease (two long words give a Flesch score below zero), so it counts as easy, and
    a short one is pulled towards easy by ``PRIOR_WORDS`` easy words, as the jargon and
    typo rates are: «Номер телефона отделения коронарной терапии: 01223217297» after a
    four-word sentence was "unclear" for its long medical words."""
    if words < MIN_WORDS_FOR_EASE:
        return 1.0
    band = _band(ease, *EASE_RANGE.get(lang, EASE_RANGE["en"]))
    return (band * words + PRIOR_WORDS) / (words + PRIOR_WORDS)


def _span_key(evidence: Evidence) -> tuple[int, int]:
    return evidence.start, evidence.end


@dataclass(frozen=True, slots=True)
class ClarityReport:
    """Everything measured on one answer; ``score`` is 0..1, higher is clearer."""

    score: float
    label: str
    lang: str
    words: int
    reading_ease: float
    jargon_terms: int
    jargon_density: float
    typos: int
    typo_rate: float
    checked_words: int
    structure: float
    length_fit: float
    evidence: tuple[Evidence, ...]


class ClarityScorer:
    """Clarity of agent messages (TextScorer contract, task ``clarity``).

    ``glossary`` is the company's jargon list: an iterable of terms to add, or a mapping
    ``{"add": [...], "remove": [...]}``. Pass ``questions`` (the customer's preceding
    message per text) to judge the answer's length against the question.
    """

    task = "clarity"
    version = "clarity-1"
    labels = ("unclear", "ok", "clear")

    def __init__(
        self,
        lang: str = "auto",
        glossary: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
    ) -> None:
        self.lang = lang
        self.glossary = glossary

    def fit(self, texts: Sequence[str] | None = None, y: object = None) -> ClarityScorer:
        """Build the glossary matchers (nothing is learned from ``texts``)."""
        terms, allowed = set(), set()
        for name in ("jargon_ru.txt", "jargon_en.txt"):
            file_terms, file_allowed = read_terms(name)
            terms |= file_terms
            allowed |= file_allowed
        add, remove = self._company_terms()
        terms = (terms | add) - remove
        allowed = (allowed - add) | remove
        single = {t for t in terms if re.fullmatch(r"[^\W\d_]+", t)}
        phrases = sorted(terms - single, key=len, reverse=True)
        self.jargon_words_ = JargonGlossary.of_terms(single, frozenset(allowed))
        self.jargon_phrases_ = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")
            if phrases
            else None
        )
        return self

    def _company_terms(self) -> tuple[set[str], set[str]]:
        def norm(items: Iterable[str]) -> set[str]:
            return {str(t).strip().lower().replace("ё", "е") for t in items if str(t).strip()}

        if self.glossary is None:
            return set(), set()
        if isinstance(self.glossary, Mapping):
            return norm(self.glossary.get("add", ())), norm(self.glossary.get("remove", ()))
        return norm(self.glossary), set()

    def analyze(
        self,
        texts: Sequence[str],
        langs: Sequence[str] | None = None,
        questions: Sequence[str | None] | None = None,
    ) -> list[ClarityReport]:
        """Full measurements and evidence per text."""
        if not hasattr(self, "jargon_words_"):
            self.fit()
        if langs is None and self.lang != "auto":
            langs = [self.lang] * len(texts)
        resolved = detect_languages(texts, langs)
        questions = questions if questions is not None else [None] * len(texts)
        return [
            self._analyze_one(text or "", lang, question)
            for text, lang, question in zip(texts, resolved, questions, strict=True)
        ]

    def predict_scores(
        self, texts: Sequence[str], langs: Sequence[str] | None = None, questions=None
    ) -> np.ndarray:
        """Numbers only: clarity 0..1 per text."""
        import numpy as np  # not at import time: the pipeline's main process never needs it

        return np.array([r.score for r in self.analyze(texts, langs, questions)], dtype=float)

    def score_texts(
        self, texts: Sequence[str], langs: Sequence[str] | None = None, questions=None
    ) -> list[ScoreResult]:
        return [
            ScoreResult(r.label, r.score, r.lang, r.evidence)
            for r in self.analyze(texts, langs, questions)
        ]

    def _analyze_one(self, text: str, lang: str, question: str | None) -> ClarityReport:
        evidence: list[Evidence] = []
        lowered = text.lower().replace("ё", "е")
        if len(lowered) != len(text):  # rare case-mapping that changes length
            lowered = "".join(ch.lower()[0] for ch in text).replace("ё", "е")
        jargon_spans = self._phrase_jargon(text, lowered, evidence)
        counts = scan_words(text, lowered, lang, self.jargon_words_, jargon_spans, evidence)
        words, checked, typos = counts.words, counts.checked, counts.typos
        jargon = counts.jargon + len(jargon_spans)  # phrases ("вторая линия") and single words
        n_words = max(1, words)
        ease = flesch_reading_ease(words, counts.sentences, counts.syllables, lang)
        structure = self._structure(text, words, evidence) * (
            1.0 - 0.5 * counts.long_sentence_words / n_words
        )
        parts = {
            "readability": _readability(ease, words, lang),
            "jargon": 1.0 - min(1.0, jargon / (n_words + PRIOR_WORDS) / 0.15),
            "typos": 1.0 - min(1.0, typos / (checked + PRIOR_WORDS) / 0.15),
            "structure": structure,
            "length": self._length_fit(words, question, evidence),
        }
        mean = sum(WEIGHTS[k] * v for k, v in parts.items())
        score = round(0.5 * mean + 0.5 * min(parts.values()), 4)
        label = "unclear" if score < THRESHOLDS[0] else "ok" if score < THRESHOLDS[1] else "clear"
        evidence.append(
            Evidence(0, 0, "clarity.reading_ease", parts["readability"] - 0.5, f"{ease:.0f}")
        )
        return ClarityReport(
            score, label, lang, words, round(ease, 1), jargon, jargon / n_words, typos,
            typos / max(1, checked), checked, parts["structure"], parts["length"],
            tuple(sorted(evidence, key=_span_key)),
        )  # fmt: skip

    def _phrase_jargon(
        self, text: str, lowered: str, evidence: list[Evidence]
    ) -> list[tuple[int, int]]:
        """Multi-word and alphanumeric glossary terms ("вторая линия", "L2")."""
        if self.jargon_phrases_ is None:
            return []
        spans = [m.span() for m in self.jargon_phrases_.finditer(lowered)]
        evidence.extend(Evidence(s, e, "clarity.jargon", -0.15, text[s:e]) for s, e in spans)
        return spans

    @staticmethod
    def _structure(text: str, words: int, evidence: list[Evidence]) -> float:
        """Long answers need steps, bullets or paragraphs; short ones are fine as they are."""
        if words <= 60:
            return 1.0
        if len(_LIST_LINE.findall(text)) >= 2:
            evidence.append(Evidence(0, 0, "clarity.steps", 0.1, "list"))
            return 1.0
        if _PARAGRAPH.search(text.strip()):
            return 0.8
        value = max(0.0, 1.0 - (words - 60) / 140.0)
        evidence.append(
            Evidence(0, 0, "clarity.wall_of_text", value - 1.0, f"{words} words, no breaks")
        )
        return value

    @staticmethod
    def _length_fit(words: int, question: str | None, evidence: list[Evidence]) -> float:
        """Too short for a long question, or a wall of text for a short one."""
        if not question:
            return 1.0
        asked = len(_WORD.findall(question))
        if asked >= 25 and words < max(5.0, 0.15 * asked):
            value = words / max(5.0, 0.15 * asked)
            evidence.append(
                Evidence(0, 0, "clarity.too_short", value - 1.0, f"{words} vs {asked} words")
            )
            return value
        if asked <= 12 and words > 120:
            value = max(0.0, 1.0 - (words - 120) / 200.0)
            evidence.append(
                Evidence(0, 0, "clarity.too_long", value - 1.0, f"{words} vs {asked} words")
            )
            return value
        return 1.0


def clarity_signals(reports: Sequence[tuple[int, ClarityReport]]) -> list[Signal]:
    """Conversation signals over the agent's messages (index, report): mean clarity,
    jargon density (terms per word) and typo rate (typos per checked word)."""
    if not reports:
        return [
            Signal(n, None, u, None)
            for n, u in (("clarity", "score_0_1"), ("jargon", "ratio"), ("typos", "ratio"))
        ]
    words = sum(r.words for _, r in reports)
    jargon = sum(r.jargon_terms for _, r in reports) / max(1, words)
    typos = sum(r.typos for _, r in reports) / max(1, sum(r.checked_words for _, r in reports))
    clarity = sum(r.score for _, r in reports) / len(reports)

    def spans(prefix: tuple[str, ...]) -> tuple[tuple[int, Evidence], ...]:
        return tuple((i, e) for i, r in reports for e in r.evidence if e.rule.startswith(prefix))

    worst = min(reports, key=lambda item: item[1].score)
    return [
        Signal("clarity", round(clarity, 4), "score_0_1", round(clarity, 4),
               "unclear" if clarity < THRESHOLDS[0] else "ok" if clarity < THRESHOLDS[1] else "clear",
               tuple((worst[0], e) for e in worst[1].evidence if e.weight < 0)[:5]),
        Signal("jargon", round(jargon, 4), "ratio", round(1.0 - min(1.0, jargon / 0.15), 4),
               evidence=spans(("clarity.jargon", "clarity.acronym"))[:10]),
        Signal("typos", round(typos, 4), "ratio", round(1.0 - min(1.0, typos / 0.15), 4),
               evidence=spans(("clarity.typo",))[:10]),
    ]  # fmt: skip
