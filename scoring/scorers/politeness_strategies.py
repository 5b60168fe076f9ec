"""Politeness and rudeness strategies found in one message, with character spans.

The strategy names follow Danescu-Niculescu-Mizil et al. (ACL 2013, "A computational
approach to politeness"), extended with support formulas and the rude side a QA reviewer
looks for. Names are language-independent: a weight learned on English Wikipedia requests
applies to the same strategy detected in Russian, for which no labelled corpus exists.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from scoring.scorers.politeness_lexicon import (
    WHOLE_TEXT_CACHE,
    Detection,
    PhraseLexicon,
    Word,
    dict_cache,
    is_negated,
    split_words,
)

# Feature order of the shipped model: never reorder, only append.
STRATEGIES: tuple[str, ...] = (
    "gratitude",
    "deference",
    "greeting",
    "apologizing",
    "please",
    "please_start",
    "indirect_btw",
    "direct_question",
    "direct_start",
    "counterfactual_modal",
    "indicative_modal",
    "first_person_start",
    "first_person_plural",
    "first_person",
    "second_person",
    "second_person_start",
    "hedges",
    "factuality",
    "positive_lexicon",
    "negative_lexicon",
    "thanks_for_contacting",
    "apology_inconvenience",
    "thanks_for_waiting",
    "glad_to_help",
    "customer_name",
    "formal_address",
    "informal_address",
    "command",
    "blame",
    "repetition",
    "dismissive",
    "sarcasm",
    "shouting",
    "exclamation",
)
RUDE_STRATEGIES = frozenset(
    {"informal_address", "command", "blame", "repetition", "dismissive", "sarcasm", "shouting"}
    | {"exclamation"}
)
# Courtesy that "not"/"не" in front of it cancels ("I'm not sorry", "не за что извиняться").
NEGATABLE = frozenset(
    {"gratitude", "apologizing", "please", "deference", "positive_lexicon", "negative_lexicon"}
    | {"thanks_for_contacting", "apology_inconvenience", "thanks_for_waiting"}
)
_CYRILLIC_RE = re.compile("[А-Яа-яЁё]")
_EXCLAMATION_RE = re.compile(r"!(?:\s*[!?1])+|\?\s*!")
_GREETING_WORDS = frozenset({"hi", "hello", "hey", "dear", "morning", "afternoon", "evening"})
_GREETING_WORDS_RU = frozenset({"здравствуйте", "уважаемый", "уважаемая", "добрый", "день"})
_NOT_NAMES_EN = frozenset(
    {"thanks", "thank", "sorry", "hello", "hi", "hey", "yes", "no", "ok", "okay", "well", "so"}
    | {"unfortunately", "however", "please", "sure", "great", "also", "now", "again", "first"}
    | {"dear", "sir", "madam", "team", "all", "everyone", "guys", "again", "then", "hmm"}
)


@lru_cache(maxsize=1)
def politeness_lexicon() -> PhraseLexicon:
    """The shipped English + Russian strategy lexicon (built once per process)."""
    return PhraseLexicon.from_files("politeness_en.tsv", "politeness_ru.tsv")


@dict_cache(50_000)
def _ru_grammemes(word: str) -> frozenset[str]:
    """Grammemes over all pymorphy3 parses of a Russian word (cached)."""
    from scoring.text.tokens import _morph  # the shared analyser; loading it twice is slow

    tags: set[str] = set()
    for parse in _morph().parse(word)[:3]:
        tags.update(parse.tag.grammemes)
    return frozenset(tags)


@dict_cache(50_000)
def _ru_top_pos(word: str) -> str | None:
    """Part of speech of a Russian word's most likely parse: «три» is first the numeral
    "three", though one of its parses is the imperative of «тереть» ("rub!")."""
    from scoring.text.tokens import _morph

    parses = _morph().parse(word)
    return parses[0].tag.POS if parses else None


def _is_cyrillic(word: Word) -> bool:
    return word.key != word.lower or "а" <= word.lower[0] <= "я"


# Imperatives that are conventional formulas of a support reply, not orders: "Обратите
# внимание" is "please note".
_FORMULA_IMPERATIVES = {"обратите": "внимание"}


def _is_formula(words: Sequence[Word], i: int) -> bool:
    follower = _FORMULA_IMPERATIVES.get(words[i].lower)
    return follower is not None and i + 1 < len(words) and words[i + 1].lower == follower


def _russian_commands(words: Sequence[Word], taken: set[int]) -> list[Detection]:
    """Sentence-initial Russian imperatives ("пришлите", "читай") and informal "ты" forms."""
    found = []
    for i, word in enumerate(words):
        if not word.sentence_start or i in taken or not _is_cyrillic(word):
            continue
        if _is_formula(words, i):
            continue
        tags = _ru_grammemes(word.lower)
        if "impr" in tags and "VERB" in tags and _ru_top_pos(word.lower) == "VERB":
            found.append(Detection("command", word.start, word.end))
            if "plur" not in tags:
                found.append(Detection("informal_address", word.start, word.end))
    return found


def _customer_names(text: str, words: Sequence[Word]) -> list[Detection]:
    """A name in the opening words ("Anna, ...", "Hi John", "Здравствуйте, Анна")."""
    found = []
    for i, word in enumerate(words[:5]):
        if not word.text[0].isupper() or word.text.isupper():
            continue
        after_greeting = i > 0 and words[i - 1].lower in _GREETING_WORDS | _GREETING_WORDS_RU
        before_comma = text[word.end : word.end + 1] in {",", "!"}
        if _is_cyrillic(word):
            tags = _ru_grammemes(word.lower)
            is_name = ("Name" in tags or "Patr" in tags) and (after_greeting or before_comma or i)
        else:
            is_name = (after_greeting or (i == 0 and before_comma)) and (
                word.lower not in _NOT_NAMES_EN
            )
        if is_name:
            found.append(Detection("customer_name", word.start, word.end))
    return found


def _shouting(words: Sequence[Word]) -> list[Detection]:
    """Runs of capitalised words ("THIS IS NOT OUR PROBLEM"); lone acronyms do not count."""
    found, run = [], []
    if not any(w.text.isupper() for w in words):
        return found
    for word in [*words, None]:
        if word is not None and len(word.text) >= 2 and word.text.isupper():
            run.append(word)
            continue
        if len(run) >= 2 and any(len(w.text) >= 4 for w in run):
            found.append(Detection("shouting", run[0].start, run[-1].end))
        run = []
    return found


def _applies(strategy: str, sentence: int, softened: set[int], questions: frozenset[int]) -> bool:
    """Commands softened by "please" or asked as questions, and wh-words in statements, drop."""
    if strategy == "command":
        return sentence not in softened and sentence not in questions
    if strategy == "direct_question":
        return sentence in questions
    return True


def _filter(
    detections: list[Detection], words: Sequence[Word], questions: frozenset[int]
) -> tuple[list[Detection], list[Detection]]:
    """Apply context: negation, "please" softening commands, questions vs statements."""
    starts = [w.start for w in words]
    located = []
    for det in detections:
        idx = bisect_left(starts, det.start)
        located.append(idx if idx < len(starts) and starts[idx] == det.start else None)
    softened = {
        words[idx].sentence
        for det, idx in zip(detections, located, strict=True)
        if det.strategy == "please" and idx is not None
    }
    kept, negated = [], []
    for det, idx in zip(detections, located, strict=True):
        sentence = words[idx].sentence if idx is not None else -1
        if det.strategy in NEGATABLE and idx is not None and is_negated(words, idx):
            negated.append(det)
        elif _applies(det.strategy, sentence, softened, questions):
            kept.append(det)
    return kept, negated


# Russian blame entries are past obligations ("нужно было": "you should have"), matched on
# lemmas, so "нужно будет" ("you will need to") matched them too: an instruction, not blame.
_FUTURE_BYT = re.compile(r"\bбуд(?:у|ешь|ет|ем|ете|ут)\b", re.IGNORECASE)


def _not_future_blame(det: Detection, text: str) -> bool:
    return det.strategy != "blame" or not _FUTURE_BYT.search(text[det.start : det.end])


@lru_cache(maxsize=WHOLE_TEXT_CACHE)
def detect_strategies(text: str) -> tuple[tuple[Detection, ...], tuple[Detection, ...]]:
    """Strategies in one message and the courtesy detections cancelled by negation.

    Memoised per text: the politeness and empathy scorers both need them.
    """
    text = text or ""
    words, questions = split_words(text)
    detections = list(politeness_lexicon().find(words))
    if _CYRILLIC_RE.search(text):  # words already matched by a phrase are not commands
        detections = [d for d in detections if _not_future_blame(d, text)]
        starts = {d.start for d in detections}
        taken = {i for i, w in enumerate(words) if w.start in starts}
        detections += _russian_commands(words, taken)
    detections += _customer_names(text, words)
    detections += _shouting(words)
    detections += [
        Detection("exclamation", m.start(), m.end()) for m in _EXCLAMATION_RE.finditer(text)
    ]
    kept, negated = _filter(detections, words, questions)
    return tuple(kept), tuple(negated)
