"""One pass over an answer's words for the clarity score: words, syllables, sentences,
jargon and typos, with their evidence.

Kept apart from ``clarity.py`` because it is the hot loop of the scorer (every agent
reply, every word) and has one job: turn text into counts. What the counts mean for the
score lives in ``clarity.py``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from scoring.base import Evidence
from scoring.scorers.clarity_words import is_known_word, script, word_shape
from scoring.text.gender import fold_word_ru
from scoring.text.names import is_person_name
from scoring.text.signatures import SIGNATURE
from scoring.text.tokens import lemma, stem

NAME_SYLLABLES = 2  # every given name counts as one two-syllable word
LONG_SENTENCE = {"en": 25, "ru": 20}
WORD_CACHE_SIZE = 50_000  # word forms remembered per language by each ``JargonGlossary``
# Words, sentence ends (punctuation runs, line breaks) and what is not prose to step over:
# URLs, e-mails, @handles and #hashtags of social replies, and the agent's initials that
# sign a reply on social media ("^JK", "*SR", "-AB", «^АК» at its very end), which are
# neither typos nor acronyms a customer needs explained.
_SCAN = re.compile(
    r"(?P<skip>https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+|(?<!\w)[@#]\w+|"
    + SIGNATURE
    + r"(?=\W*$))"
    r"|(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)"
    r"|(?P<end>[.!?…]+(?=\s|$)|\n)"
)
#: Russian particles written with a hyphen («что-нибудь», «кто-то», «кое-где», «скажи-ка»):
#: not words of their own for the spelling check.
_HYPHEN_PARTICLES = frozenset({"нибудь", "то", "либо", "кое", "ка", "таки", "де"})


@dataclass(frozen=True, slots=True)
class WordCounts:
    """What one scan of an answer counted (``checked``: words that were spell-checked)."""

    words: int
    syllables: int
    sentences: int
    long_sentence_words: int
    checked: int
    jargon: int
    typos: int


class JargonGlossary:
    """Single-word jargon (by stem, and by lemma for Russian), the words never to call
    jargon, and a per-language memo of what each word form is: support replies repeat the
    same words all day long, so each form is looked up once."""

    def __init__(self, stems: set[str], lemmas: set[str], allowed: frozenset[str]) -> None:
        self.stems = stems
        self.lemmas = lemmas
        self.allowed = allowed
        self.word_cache: dict[str, dict[str, tuple]] = {}  # lang -> word -> facts

    @classmethod
    def of_terms(cls, single: set[str], allowed: frozenset[str]) -> JargonGlossary:
        return cls(
            {stem(t, script(t)) for t in single},
            {lemma(t, "ru") for t in single if script(t) == "ru"},
            allowed,
        )

    def learn(self, low: str, original: str, lang: str) -> tuple:
        """(lower-case form, syllables, jargon rule or None, typo: True/False or None when
        not spell-checked, starts with a capital) of a word form not yet in ``word_cache``,
        remembered there while it has room."""
        facts = self._facts(low, original, lang)
        cache = self.word_cache.setdefault(lang, {})
        if len(cache) < WORD_CACHE_SIZE:
            cache[original] = facts
        return facts

    def _facts(self, low: str, original: str, lang: str) -> tuple:
        word_script, n_syllables = word_shape(low)
        if is_person_name(original):  # a name is who, not how clearly: never a typo
            return (low, NAME_SYLLABLES, None, None, True)
        if word_script == "ru" and low.endswith(("а", "ась")):  # "счастлива" reads like "счастлив"
            n_syllables = word_shape(fold_word_ru(low))[1]
        rule = None
        if low not in self.allowed:
            if stem(low, word_script) in self.stems or (
                word_script == "ru" and lemma(low, "ru") in self.lemmas
            ):
                rule = "clarity.jargon"
            elif original.isupper() and 2 <= len(original) <= 6:
                rule = "clarity.acronym"
        typo = None
        if rule is None and len(low) >= 3 and word_script == lang and not original.isupper():
            typo = not all(
                is_known_word(part, lang)
                for part in low.split("-")
                if part and part not in _HYPHEN_PARTICLES
            )
        return (low, n_syllables, rule, typo, original[:1].isupper())


def in_code(text: str, start: int, end: int) -> bool:
    """Capitals that are part of a code with digits (a booking reference, a train or
    order number): a reference a customer needs, not an acronym to explain."""
    return (start > 0 and text[start - 1].isdigit()) or (end < len(text) and text[end].isdigit())


def scan_words(
    text: str,
    lowered: str,
    lang: str,
    glossary: JargonGlossary,
    jargon_spans: list[tuple[int, int]],
    evidence: list[Evidence],
) -> WordCounts:
    """Count and collect evidence for jargon, typos and long sentences in one pass; words
    inside ``jargon_spans`` (glossary phrases, already counted) are skipped."""
    limit = LONG_SENTENCE.get(lang, 25)
    words = syllable_count = sentences = long_words = checked = jargon = typos = 0
    first = last = run = 0  # the current sentence: first start, last end, word count
    cache = glossary.word_cache.setdefault(lang, {})
    learn = glossary.learn
    names: set[str] = set()  # capitalised inside a sentence somewhere in this text
    openers: list[Evidence] = []  # typos that open a sentence: names if seen in `names`
    for match in _SCAN.finditer(text):
        kind = match.lastgroup
        if kind != "word":
            if kind == "end" and run:
                sentences += 1
                words += run
                if run > limit:
                    long_words += run
                    evidence.append(_long_sentence(first, last, run, limit))
                run = 0
            continue
        start, end = match.span()
        original = match.group()
        low = lowered[start:end]
        facts = cache.get(original)
        if facts is None or facts[0] != low:
            facts = learn(low, original, lang)
        _, n_syllables, rule, typo, capitalised = facts
        syllable_count += n_syllables
        if run:
            if typo is not None and capitalised:
                typo = None  # capitalised inside a sentence: a name
                names.add(original)
        else:
            first = start
        run += 1
        last = end
        if jargon_spans and any(s <= start < e for s, e in jargon_spans):
            continue
        if rule == "clarity.acronym" and in_code(text, start, end):
            rule = None  # "TR" of the train TR1840, "NJB" of the booking NJB87PAP
        if rule is not None:
            jargon += 1
            evidence.append(Evidence(start, end, rule, -0.15, original))
        elif typo is not None:
            checked += 1
            if typo:
                typos += 1
                evidence.append(Evidence(start, end, "clarity.typo", -0.1, original))
                if run == 1 and capitalised:
                    openers.append(evidence[-1])
    # "Parkside Police Station is at Parkside": the name that opens a sentence is the
    # name found inside another one, not a typo.
    for item in (e for e in openers if e.text in names):
        evidence.remove(item)
        typos -= 1
        checked -= 1
    if run and not sentences and run > limit and not any(map(str.isupper, text)):
        # An unpunctuated, all-lower-case reply is a speech transcript: where its sentences
        # end is unknown, so it is read as sentences of ordinary length, not one long one.
        return WordCounts(
            run, syllable_count, math.ceil(run / (limit / 2)), 0, checked, jargon, typos
        )
    if run:
        sentences += 1
        words += run
        if run > limit:
            long_words += run
            evidence.append(_long_sentence(first, last, run, limit))
    return WordCounts(words, syllable_count, sentences, long_words, checked, jargon, typos)


def _long_sentence(start: int, end: int, words: int, limit: int) -> Evidence:
    return Evidence(start, end, "clarity.long_sentence", -0.1 * words / limit, f"{words} words")
