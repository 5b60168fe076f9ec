"""Lexicon + rules polarity, in the spirit of VADER, for Russian and English support text.

Why rules beside a trained model: they explain themselves span by span and they know the
things support text is full of that little training data covers: ")))" and "(((",
"не работает", "ничего хорошего", sarcastic "отлично, опять ..." and "but" clauses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from scoring.lexicons import modifiers, polarity_lexicon, symbol_weights, word_key
from scoring.text.gender import fold_word_ru
from scoring.text.names import is_person_name
from scoring.text.tokens import _TOKEN_RE as TOKEN_PATTERN  # same tokens as tokenize()
from scoring.text.tokens import stem

NEGATION_SCALE = -0.74  # VADER's published negation factor (Hutto & Gilbert, 2014)
CAPS_BOOST = 0.3
CONTRAST_BEFORE, CONTRAST_AFTER = 0.5, 1.5
ALPHA = 15.0  # VADER's normalisation constant: score / sqrt(score^2 + alpha)
DURATION_WEIGHT = -0.8  # "3 hours", "вторую неделю": time spent waiting
REPEAT_CONTACT_WEIGHT = -1.2  # "the third time", "пишу пятый раз"
WEAK = "?"  # suffix of a counted hit that needs other complaint evidence to stay
ACKNOWLEDGEMENT_SHARE = 0.2
SINGLE_PAREN = 0.9  # a lone ")" / "(" not closing or opening a bracket: "Спасибо)", "жаль("  # "Хорошо, жду письма": agreement keeps a fifth of its weight
WORD_KEY_MEMO = 50_000  # word forms whose key a scorer remembers (strings only: no GC cost)
_CLAUSE_BREAK = re.compile(r"[.!?;,:]")
_PAREN_RUN = re.compile(r"^(\)+|\(+)$")


class Token(NamedTuple):
    """``scoring.text.Token`` as a light tuple: the rules run per token, so it matters."""

    text: str
    start: int
    end: int
    kind: str


@lru_cache(maxsize=4096)
def scan(text: str) -> tuple[Token, ...]:
    """The shared tokenizer's tokens, built as tuples for speed. Remembered for a batch's
    worth of texts: the sentiment rules and the model's explanation both read them."""
    new = tuple.__new__  # skips the named tuple's Python-level constructor
    return tuple(
        new(Token, (m.group(), m.start(), m.end(), m.lastgroup or "punct"))
        for m in TOKEN_PATTERN.finditer(text or "")
    )


class PolarityHit(NamedTuple):
    """One reason the polarity moved: span, rule name and signed contribution."""

    start: int
    end: int
    rule: str
    weight: float
    text: str


class Polarity(NamedTuple):
    """Rules verdict for one text: compound in -1..1, positive/negative sums, hits."""

    compound: float
    positive: float
    negative: float
    hits: tuple[PolarityHit, ...]


def _symbol_weight(tok: Token, table: dict[str, float]) -> float:
    if tok.text in table:
        return table[tok.text]
    if _PAREN_RUN.match(tok.text):  # Russian smiles: ")))" happy, "(((" sad; longer = stronger
        strength = min(1.2 + 0.35 * (len(tok.text) - 2), 2.6)
        return strength if tok.text[0] == ")" else -strength
    base = tok.text[:1]
    return table.get(base, 0.0) if tok.kind == "emoji" else 0.0


def _lone_parens(tokens: Sequence[Token]) -> dict[int, float]:
    """Single ")" / "(" that are smiles, not brackets: a ")" with no "(" open before it,
    a "(" never closed after it. Returns token index -> weight."""
    out: dict[int, float] = {}
    open_at: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.text == "(":
            open_at.append(i)
        elif tok.text == ")":
            if open_at:
                open_at.pop()
            elif not i or (tokens[i - 1].kind != "number" and len(tokens[i - 1].text) > 1):
                out[i] = SINGLE_PAREN  # "1)", "a)" are list markers
    for i in open_at:
        out[i] = -SINGLE_PAREN
    return out


_DECLINE = frozenset({"no", "нет"})
_THANKS = frozenset({"thanks", "thank", "thx", "спасибо"})
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th", "й", "ий", "ый", "ой", "я", "е", "го"})


def _after_ordinal(tokens: Sequence[Token], i: int) -> int:
    """Index of the word after a number written as an ordinal ("3rd", "3-й", "3й"), or -1.
    The suffix must touch the number (or its hyphen): "3 rd" is not an ordinal."""
    j = i + 1
    if j < len(tokens) and tokens[j].text == "-" and tokens[j].start == tokens[i].end:
        j += 1
    suffix = tokens[j] if j < len(tokens) else None
    if suffix is None or suffix.kind != "word" or suffix.start != tokens[j - 1].end:
        return -1
    if suffix.text.lower() not in _ORDINAL_SUFFIXES or j + 1 >= len(tokens):
        return -1
    return j + 1


def _settle_weak(items: list[list]) -> list[list]:
    """Keep plain counted hits ("3 hours") only beside other negative evidence."""
    complains = any(item[3] < 0 and item[2][-1] != WEAK for item in items)
    kept = [item for item in items if item[2][-1] != WEAK or complains]
    for item in kept:
        item[2] = item[2].rstrip(WEAK)
    return kept


def _ack_break(tokens: Sequence[Token]) -> bool:
    """The first word stands alone: "Хорошо, ..." / "Ok. ..." followed by more words."""
    return len(tokens) > 2 and tokens[1].text[:1] in ",.;"


class PolarityRules:
    """Scores texts of one language with the lexicon and the modifier rules."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def _prepare(self) -> None:
        self.word_keys_: dict[str, str] = {}  # word as written -> its key, "" for a name
        mods = modifiers()
        self.lex_ = polarity_lexicon(self.lang)
        self.symbols_ = symbol_weights()
        key = self._key
        self.negators_ = {key(w) for w in mods["negators"][self.lang]}
        self.boosters_ = {key(w): v for w, v in mods["boosters"][self.lang].items()}
        self.contrast_ = {key(w) for w in mods["contrast"][self.lang]}
        self.repeats_ = {key(w) for w in mods["repeat_markers"][self.lang]}
        self.openers_ = {key(w) for w in mods["sarcastic_openers"][self.lang]}
        self.counted_ = {
            rule: (
                {key(w) for w in mods[name][self.lang]["counts"]},
                {key(w) for w in mods[name][self.lang]["units"]},
                weight,
                {key(w) for w in mods[name][self.lang]["strong"]},
            )
            for rule, name, weight in (
                ("duration", "durations", DURATION_WEIGHT),
                ("repeat_contact", "repeat_contact", REPEAT_CONTACT_WEIGHT),
            )
        }
        self.units_ = frozenset().union(*(units for _, units, _, _ in self.counted_.values()))
        self.acks_ = {key(w) for w in mods["acknowledgements"][self.lang]}
        self.harm_ = {key(w) for w in mods["harm"][self.lang]}
        self.first_person_ = {key(w) for w in mods["first_person"][self.lang]}
        self.requests_ = {w.lower() for w in mods["request_forms"][self.lang]}
        self.closings_ = {
            tuple(key(w) for w in entry.split()) for entry in mods["courtesy_closings"][self.lang]
        }

    def _key(self, word: str) -> str:
        if self.lang == "ru":  # "рада" weighs as "рад": the speaker's gender is no sentiment
            return word_key(fold_word_ru(word.lower()), self.lang)
        return word_key(word, self.lang)

    def _word_key(self, word: str) -> str:
        """A word's key, remembered per form as written (words repeat all day long). A
        given name carries no sentiment ("Regards, Grace"): who signs must not count."""
        memo = self.word_keys_
        if len(memo) >= WORD_KEY_MEMO:
            memo.clear()
        key = memo[word] = "" if is_person_name(word) else self._key(word)
        return key

    def _word_weight(self, key: str) -> float:
        if len(key) < 2:  # "L" of a booking code "XK7P2L" is not VADER's "L" (loser)
            return 0.0
        lex = self.lex_
        weight = lex.words.get(key)
        if weight is None and lex.stems:
            weight = lex.stems.get(stem(key, self.lang), 0.0)
        return weight or 0.0

    def _first_person(self, keys: list[str]) -> bool:
        """Does the message speak of its writer ("I", «меня»)? Harm is the customer's own
        only then; "three people were hurt" reports someone else's."""
        return not self.first_person_.isdisjoint(keys)

    def _counted(self, tokens: Sequence[Token], keys: list[str], i: int) -> tuple[int, str, float]:
        """A count followed by a unit: "3 hours", "вторую неделю" (duration), "the third
        time", "пятый раз" (repeat contact). Returns (span, rule, weight) or (0, "", 0).

        A "strong" count (an ordinal, "уже", "for" before the number) always counts; a
        plain one is marked ``WEAK`` and kept only if the message complains elsewhere.
        """
        tok = tokens[i]
        if i + 1 >= len(tokens) or tokens[i + 1].kind != "word":
            return 0, "", 0.0
        for rule, (counts, units, weight, strong) in self.counted_.items():
            if keys[i + 1] in units and (tok.kind == "number" or keys[i] in counts):
                if keys[i] in strong or (i and keys[i - 1] in strong):
                    return 2, rule, weight
                return 2, rule + WEAK, weight
        return 0, "", 0.0

    def score(self, text: str) -> Polarity:
        """Score one text; see module docstring for the rules applied."""
        if not hasattr(self, "lex_"):
            self._prepare()
        tokens = scan(text)
        get, key_of = self.word_keys_.get, self._word_key
        keys = [
            (k if (k := get(t[0])) is not None else key_of(t[0])) if t[3] == "word" else t[0]
            for t in tokens
        ]  # t[0], t[3]: Token.text, Token.kind (index access is cheaper per token)
        items = self._items(text, tokens, keys)
        if any(item[2][-1] == WEAK for item in items):
            items = _settle_weak(items)
        items = self._apply_contrast_and_sarcasm(tokens, keys, items)
        if items and items[-1][3] > 0 and ("?" in text or any(it[3] < 0 for it in items)):
            self._courtesy_closing(tokens, keys, items)
        return self._finish(text, items)

    def _courtesy_closing(self, tokens: Sequence[Token], keys: list[str], items: list) -> None:
        """'Can I add a bag? Thanks.' / 'Bag still missing. Thanks.': a bare thanks ending
        a message after a question or a complaint is courtesy. Only the words of the
        closing formula may follow the question mark or the sentence end before it."""
        item = items[-1]
        words = [j for j in range(len(tokens)) if tokens[j].kind == "word"]
        asked = max(
            (j for j in range(item[4]) if tokens[j].text[:1] in "?.!;" or tokens[j].text == ","),
            default=-1,
        )
        if asked < 0 or ("?" not in tokens[asked].text and not any(it[3] < 0 for it in items)):
            return
        tail = tuple(keys[j] for j in words if j > asked)
        if tail in self.closings_:
            item[2], item[3] = "courtesy", item[3] * ACKNOWLEDGEMENT_SHARE

    def _items(self, text: str, tokens: Sequence[Token], keys: list[str]) -> list[list]:
        """Find lexicon hits (phrases first) and apply boosters, negation and CAPS."""
        lex, items, i, n = self.lex_, [], 0, len(tokens)
        lone = _lone_parens(tokens) if "(" in text or ")" in text else {}
        starts = lex.phrase_starts
        text_caps = text.isupper()
        while i < n:
            tok = tokens[i]
            span, weight, rule = 1, 0.0, "lexicon"
            unit = _after_ordinal(tokens, i) if tok.kind == "number" else -1
            if unit > 0 and keys[unit] in self.units_:  # "3rd time", «3-й раз»: an ordinal
                rule, weight = next(
                    (rule, weight) for rule, (_, units, weight, _) in self.counted_.items()
                    if keys[unit] in units
                )  # fmt: skip
                items.append([tok.start, tokens[unit].end, rule, weight, i])
                i = unit + 1
                continue
            if tok.kind in ("word", "number") and i + 1 < n and keys[i + 1] in self.units_:
                span, rule, weight = self._counted(tokens, keys, i)
                if span:
                    items.append([tok.start, tokens[i + 1].end, rule, weight, i])
                    i += span
                    continue
                span, rule = 1, "lexicon"
            if tok.kind == "word":
                sizes = range(min(lex.max_phrase, n - i), 1, -1) if keys[i] in starts else ()
                for size in sizes:
                    phrase = tuple(keys[i : i + size])
                    if phrase in lex.phrases:
                        span, weight, rule = size, lex.phrases[phrase], "phrase"
                        break
                if rule == "lexicon":
                    weight = self._word_weight(keys[i])
                    if weight < 0 and keys[i] in self.harm_ and self._first_person(keys):
                        rule = "harm"  # what happened to the customer: see is_upset
                    elif weight > 0 and tok.text.lower() in self.requests_:
                        weight, rule = 0.0, "request"
                    elif weight and i == 0 and keys[0] in self.acks_ and _ack_break(tokens):
                        weight, rule = weight * ACKNOWLEDGEMENT_SHARE, "acknowledgement"
            elif tok.kind in ("emoticon", "emoji") or tok.text in self.symbols_:
                weight, rule = _symbol_weight(tok, self.symbols_), "emoticon"
            elif i in lone:
                weight, rule = lone[i], "emoticon"
            if weight and tok.kind == "word":
                weight, rule = self._modify(tokens, keys, i, weight, rule, text_caps)
            if weight:
                last = tokens[i + span - 1]
                items.append([tok.start, last.end, rule, weight, i])
            i += span
        return items

    def _modify(self, tokens, keys, i, weight, rule, text_caps) -> tuple[float, str]:
        """Boosters and negators in the three words before, CAPS on the word itself."""
        boost, negated, seen = 0.0, False, 0
        for j in range(i - 1, -1, -1):
            if tokens[j].kind != "word":
                if _CLAUSE_BREAK.match(tokens[j].text):
                    break
                continue
            seen += 1
            if seen > 3:
                break
            boost += self.boosters_.get(keys[j], 0.0) * (1.0 if seen == 1 else 0.6)
            if keys[j] in self.negators_ and rule != "phrase":
                # "no thanks" / «нет, спасибо» declines politely: the thanks stay thanks
                negated = not (seen == 1 and keys[j] in _DECLINE and keys[i] in _THANKS)
        tok = tokens[i]
        if tok.kind == "word" and tok.text.isupper() and len(tok.text) > 1 and not text_caps:
            boost += CAPS_BOOST
        weight *= 1.0 + boost
        if negated:
            return weight * NEGATION_SCALE, "negation"
        return weight, rule

    def _apply_contrast_and_sarcasm(self, tokens, keys, items) -> list[list]:
        contrast_at = max(
            (i for i, k in enumerate(keys) if tokens[i].kind == "word" and k in self.contrast_),
            default=-1,
        )
        if contrast_at >= 0:
            for item in items:
                item[3] *= CONTRAST_BEFORE if item[4] < contrast_at else CONTRAST_AFTER
        else:
            for n, item in enumerate(items):
                if item[3] > 0 and (end := self._sarcasm_end(tokens, keys, items, n)) >= 0:
                    item[2], item[3] = "sarcasm", -abs(item[3]) * 0.8
                    for later in items[n + 1 :]:  # the clapping emoji is part of the irony
                        if later[4] < end and later[2] == "emoticon" and later[3] > 0:
                            later[2], later[3] = "sarcasm", -later[3] * 0.8
        return items

    def _sarcasm_end(self, tokens, keys, items, n) -> int:
        """Praise followed, in the same sentence, by a complaint: 'great, broken again',
        'thanks for losing my bag', 'отлично, опять ничего не работает'. Returns the index of
        the token that ends the sentence when item ``n`` is such praise, else -1."""
        at = items[n][4]
        if tokens[at].kind != "word" or keys[at] not in self.openers_:
            return -1
        end = next(
            (j for j in range(at + 1, len(tokens)) if tokens[j].text[:1] in ".!?…"),
            len(tokens),
        )
        # a clapping or smiling emoji after the complaint is part of the irony, not praise
        rest = sum(
            item[3]
            for item in items[n + 1 :]
            if item[4] < end and not (item[2] == "emoticon" and item[3] > 0)
        )
        repeat = any(k in self.repeats_ for k in keys[at + 1 : end])
        return end if rest < -1.0 or (repeat and rest < 0) else -1

    def _finish(self, text: str, items: list[list]) -> Polarity:
        hits = [PolarityHit(s, e, r, w, text[s:e]) for s, e, r, w, _ in items]
        total = sum(h.weight for h in hits)
        bangs = min(text.count("!"), 4)
        if bangs and total:
            emphasis = math.copysign(0.292 * bangs, total)
            total += emphasis
            pos = text.find("!")
            hits.append(PolarityHit(pos, pos + 1, "exclamation", emphasis, "!"))
        questions = text.count("?")
        if questions > 1 and total:
            emphasis = math.copysign(min(0.18 * questions, 0.96), total)
            total += emphasis
            pos = text.find("?")
            hits.append(PolarityHit(pos, pos + 1, "questions", emphasis, "?"))
        compound = total / math.sqrt(total * total + ALPHA) if total else 0.0
        positive = sum(h.weight for h in hits if h.weight > 0)
        negative = -sum(h.weight for h in hits if h.weight < 0)
        return Polarity(compound, positive, negative, tuple(hits))
