"""Russian grammatical gender folded away before a learned model reads a text.

Russian marks the speaker's gender on past-tense verbs and short adjectives ("я проверил" /
"я проверила", "рад" / "рада"). The hashed n-gram models learned those forms as different
words, so the same reply scored differently by who wrote it (the counterfactual test of
issue 18, item 7, found such label flips). Folding every feminine singular past-tense verb
and short adjective or participle to its masculine form makes the models blind to it.
"""

from __future__ import annotations

import re
from functools import lru_cache

SPEAKER_WINDOW = 4
_SENTENCE_END = re.compile(r"[.!?\n]")
_WORDS = re.compile(r"[а-яё]+")
#: A reading this unlikely ("права" as a short adjective) is not folded.
MIN_SCORE = 0.3
# Feminine singular short forms and past-tense verbs all end in "а" or, reflexive, "ась".
_CANDIDATE = re.compile(r"(?<![а-яё])[а-яё]{2,}(?:а|ась)(?![а-яё])")


@lru_cache(maxsize=50_000)
def _masculine(word: str) -> str:
    from scoring.text.tokens import _morph

    for parse in _morph().parse(word)[:2]:  # "рада" is first a noun (the parliament)
        tag = parse.tag
        if parse.score < MIN_SCORE or tag.number != "sing" or tag.gender != "femn":
            continue
        if (tag.POS == "VERB" and tag.tense == "past") or tag.POS in ("ADJS", "PRTS"):
            folded = parse.inflect({"masc"})  # ё as е: the text was folded before
            return folded.word.replace("ё", "е") if folded is not None else word
    return word


def fold_gender_ru(lowered: str) -> str:
    """``lowered`` (already lower case) with the speaker's feminine past/short forms made
    masculine: those within ``SPEAKER_WINDOW`` words after "я", or opening a sentence with
    no subject ("рада помочь", "проверила"). "Она испугалась" keeps its form: a third
    person's gender is what the text is about, not who wrote it."""
    if "а" not in lowered:
        return lowered
    out, last = [], 0
    for match in _CANDIDATE.finditer(lowered):
        if not _speaks(lowered, match.start()):
            continue
        folded = _masculine(match.group())
        if folded != match.group():
            out.append(lowered[last : match.start()] + folded)
            last = match.end()
    return "".join(out) + lowered[last:] if out else lowered


def _speaks(lowered: str, start: int) -> bool:
    """Is the word at ``start`` the speaker's: after "я" nearby, or opening a sentence?"""
    before = _SENTENCE_END.split(lowered[max(0, start - 60) : start])[-1]
    words = _WORDS.findall(before)
    return not words or "я" in words[-SPEAKER_WINDOW:]


def fold_word_ru(token: str) -> str:
    """One lower-case token folded like ``fold_gender_ru`` (others pass unchanged)."""
    if len(token) > 2 and token.endswith(("а", "ась")) and "а" <= token[0] <= "я":
        return _masculine(token)
    return token


# English marks the customer's or agent's gender only in titles and forms of address ("Ms
# Smith", "madam"); models read them as the masculine ones. Third-person pronouns ("she
# said") are about someone else and stay (folding them cost airline sentiment 0.001).
EN_MASCULINE = {"ms": "mr", "mrs": "mr", "madam": "sir", "ma'am": "sir"}  # not "miss": a verb
_EN_FEMININE = re.compile(r"(?<![\w'])(?:" + "|".join(map(re.escape, EN_MASCULINE)) + r")(?![\w'])")


def fold_gender_en(lowered: str) -> str:
    """``lowered`` (lower case) with feminine pronouns and titles made masculine."""
    return _EN_FEMININE.sub(lambda m: EN_MASCULINE[m.group()], lowered)


def fold_tokens(tokens: list[str]) -> list[str]:
    """Lower-case tokens (punctuation as tokens) with the speaker's gender folded: English
    feminine pronouns and titles always, Russian forms as in ``fold_gender_ru``."""
    out, recent, opening = [], [], True
    for token in tokens:
        if token in ".!?":
            out.append(token)
            recent, opening = [], True
            continue
        if token in EN_MASCULINE:
            token = EN_MASCULINE[token]
        elif opening or "я" in recent:
            token = fold_word_ru(token)
        out.append(token)
        if token[:1].isalpha():
            recent = [*recent[-(SPEAKER_WINDOW - 1) :], token]
            opening = False
    return out
