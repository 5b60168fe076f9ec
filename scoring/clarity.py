"""How clear is an agent's answer to a customer? Readability, jargon, typos, structure, length.

Readability is Flesch reading ease (Flesch 1948, "A new readability yardstick", J. Applied
Psychology 32:221) for English, ``206.835 - 1.015*ASL - 84.6*ASW``, and its Russian
adaptation by Oborneva (2006, "Автоматизированная оценка сложности учебных текстов на
основе статистических параметров"), ``206.835 - 1.3*ASL - 60.1*ASW`` (ASL: words per
sentence, ASW: syllables per word; syllables are vowel groups). Jargon is counted against
default glossaries (``lexicons/jargon_{ru,en}.txt``) plus a company glossary; typos are
words unknown to a dictionary (pymorphy3 for Russian, pyspellchecker's English frequency
list). Formulas and weights are documented in ``docs/autoqa.md``.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from scoring.base import Evidence, ScoreResult
from scoring.conversation import Signal
from scoring.text import detect_languages
from scoring.text.tokens import _morph, lemma, stem

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
FLESCH = {"en": (206.835, 1.015, 84.6), "ru": (206.835, 1.3, 60.1)}
# Reading ease mapped linearly onto 0..1 between these points. Russian words are longer, so
# Oborneva's scale runs lower on the same plain reply: the band is shifted by 30 points.
EASE_RANGE = {"en": (10.0, 80.0), "ru": (-20.0, 50.0)}
LONG_SENTENCE = {"en": 25, "ru": 20}
WEIGHTS = {"readability": 0.3, "jargon": 0.3, "typos": 0.2, "structure": 0.1, "length": 0.1}
THRESHOLDS = (0.55, 0.75)  # below the first: unclear; from the second: clear
_CYR = re.compile(r"[а-яё]")
_VOWELS = {"ru": re.compile(r"[аеёиоуыэюя]"), "en": re.compile(r"[aeiouy]+")}
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Words, sentence ends (punctuation runs, line breaks) and URLs/e-mails to step over.
_SCAN = re.compile(
    r"(?P<skip>https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+)"
    r"|(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)"
    r"|(?P<end>[.!?…]+(?=\s|$)|\n)"
)
_LIST_LINE = re.compile(r"(?m)^\s*(?:\d{1,2}[.)]|[-•*–—]|[a-zа-я][.)])\s+\S")
_PARAGRAPH = re.compile(r"\n")


def _band(value: float, low: float, high: float) -> float:
    return min(1.0, max(0.0, (value - low) / (high - low)))


def _script(word: str) -> str:
    return "ru" if _CYR.search(word) else "en"


@lru_cache(maxsize=50_000)
def word_shape(low: str) -> tuple[str, int]:
    """Script and syllable count of a lower-case word, cached: words repeat a lot."""
    script = _script(low)
    return script, syllables(low, script)


def syllables(word: str, lang: str) -> int:
    """Vowel count (Russian) or vowel groups less a silent final e (English), at least 1."""
    if lang == "ru":
        return max(1, len(_VOWELS["ru"].findall(word)))
    count = len(_VOWELS["en"].findall(word))
    if count > 1 and word.endswith("e") and not word.endswith(("le", "ee")):
        count -= 1
    return max(1, count)


def flesch_reading_ease(words: int, sentences: int, syllable_count: int, lang: str) -> float:
    """Flesch (en) or Oborneva (ru) reading ease; higher is easier, roughly 0..100."""
    base, per_sentence, per_syllable = FLESCH.get(lang, FLESCH["en"])
    if words == 0:
        return 100.0
    return base - per_sentence * words / max(1, sentences) - per_syllable * syllable_count / words


def _read_terms(name: str) -> tuple[set[str], set[str]]:
    """Terms and "!"-prefixed never-jargon entries of a glossary file."""
    terms, allowed = set(), set()
    for line in (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.strip().lower().replace("ё", "е")
        if line and not line.startswith("#"):
            (allowed if line.startswith("!") else terms).add(line.lstrip("!"))
    return terms, allowed


@lru_cache(maxsize=1)
def english_vocabulary() -> frozenset[str]:
    """pyspellchecker's English frequency list plus our support vocabulary, loaded once."""
    resource = files("spellchecker").joinpath("resources/en.json.gz")
    with gzip.open(resource.open("rb"), "rt", encoding="utf-8") as handle:
        words = set(json.load(handle))
    words.update(_read_terms("spelling_en.txt")[0])
    return frozenset(words)


@lru_cache(maxsize=1)
def russian_allowlist() -> frozenset[str]:
    return frozenset(_read_terms("spelling_ru.txt")[0])


@lru_cache(maxsize=50_000)
def is_known_word(word: str, lang: str) -> bool:
    """Dictionary check of one lower-case word; British -our/-ise spellings accepted."""
    if lang == "ru":
        return word in russian_allowlist() or _morph().word_is_known(word)
    vocab = english_vocabulary()
    if word in vocab or word.removesuffix("'s") in vocab:
        return True
    american = word.replace("our", "or").replace("ise", "ize").replace("yse", "yze")
    return american in vocab


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
            file_terms, file_allowed = _read_terms(name)
            terms |= file_terms
            allowed |= file_allowed
        add, remove = self._company_terms()
        terms = (terms | add) - remove
        allowed = (allowed - add) | remove
        single = {t for t in terms if re.fullmatch(r"[^\W\d_]+", t)}
        phrases = sorted(terms - single, key=len, reverse=True)
        self.jargon_stems_ = {stem(t, _script(t)) for t in single}
        self.jargon_lemmas_ = {lemma(t, "ru") for t in single if _script(t) == "ru"}
        self.jargon_phrases_ = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")
            if phrases
            else None
        )
        self.not_jargon_ = frozenset(allowed)
        self.word_cache_: dict[tuple, tuple[int, str | None, bool | None]] = {}
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
        if not hasattr(self, "jargon_stems_"):
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
        words, syllable_count, sentences, long_words, checked = self._scan(
            text, lowered, lang, jargon_spans, evidence
        )
        jargon = sum(e.rule.startswith(("clarity.jargon", "clarity.acronym")) for e in evidence)
        typos = sum(e.rule == "clarity.typo" for e in evidence)
        n_words = max(1, words)
        ease = flesch_reading_ease(words, sentences, syllable_count, lang)
        structure = self._structure(text, words, evidence) * (1.0 - 0.5 * long_words / n_words)
        parts = {
            "readability": _band(ease, *EASE_RANGE.get(lang, EASE_RANGE["en"])),
            "jargon": 1.0 - min(1.0, jargon / n_words / 0.15),
            "typos": 1.0 - min(1.0, typos / max(1, checked) / 0.15),
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
            tuple(sorted(evidence, key=lambda e: (e.start, e.end))),
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

    def _scan(
        self,
        text: str,
        lowered: str,
        lang: str,
        jargon_spans: list[tuple[int, int]],
        evidence: list[Evidence],
    ) -> tuple[int, int, int, int, int]:
        """One pass: words, syllables, sentences, words in long sentences, spell-checked
        words; evidence for jargon, typos and long sentences."""
        limit = LONG_SENTENCE.get(lang, 25)
        words = syllable_count = sentences = long_words = checked = 0
        current: list[tuple[int, int]] = []
        for match in [*_SCAN.finditer(text), None]:
            kind = match.lastgroup if match is not None else "end"
            if kind == "end" and current:
                sentences += 1
                words += len(current)
                if len(current) > limit:
                    long_words += len(current)
                    evidence.append(
                        Evidence(current[0][0], current[-1][1], "clarity.long_sentence", -0.1 * len(current) / limit, f"{len(current)} words")
                    )  # fmt: skip
                current = []
            if kind != "word":
                continue
            start, end = match.span()
            n_syllables, rule, typo = self._word_facts(lowered[start:end], match.group(), lang)
            syllable_count += n_syllables
            if typo is not None and match.group()[0].isupper() and current:
                typo = None  # capitalised inside a sentence: a name
            current.append((start, end))
            if jargon_spans and any(s <= start < e for s, e in jargon_spans):
                continue
            if rule is not None:
                evidence.append(Evidence(start, end, rule, -0.15, match.group()))
            elif typo is not None:
                checked += 1
                if typo:
                    evidence.append(Evidence(start, end, "clarity.typo", -0.1, match.group()))
        return words, syllable_count, sentences, long_words, checked

    def _word_facts(
        self, low: str, original: str, lang: str
    ) -> tuple[int, str | None, bool | None]:
        """(syllables, jargon rule or None, typo: True/False, None when not spell-checked).

        Cached per word shape: support texts repeat the same words all day long.
        """
        key = (low, lang, original.isupper(), original[:1].isupper())
        facts = self.word_cache_.get(key)
        if facts is not None:
            return facts
        script, n_syllables = word_shape(low)
        rule = None
        if low not in self.not_jargon_:
            if stem(low, script) in self.jargon_stems_ or (
                script == "ru" and lemma(low, "ru") in self.jargon_lemmas_
            ):
                rule = "clarity.jargon"
            elif original.isupper() and 2 <= len(original) <= 6:
                rule = "clarity.acronym"
        typo = None
        if rule is None and len(low) >= 3 and script == lang and not original.isupper():
            typo = not all(is_known_word(part, lang) for part in low.split("-") if part)
        facts = (n_syllables, rule, typo)
        if len(self.word_cache_) < 50_000:
            self.word_cache_[key] = facts
        return facts

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
