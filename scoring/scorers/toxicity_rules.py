"""The toxicity lexicon compiled and matched: one pass per message, hits with their spans.

Russian mat is a handful of roots with very productive prefixes and endings, so the lexicon
(``scoring/lexicons/toxicity.json``) holds one regular expression per entry, matched against
whole words: "ху[йеяию].*" with its prefixes covers thousands of forms that a word list
would miss, while "хуже", "страхуй" or "корабля" cannot match because the pattern must
cover the whole word.

A message is split into words once; each word is folded (``scoring.text.folding``) and
looked up in a per-process memo, and only words never seen before go through the combined
pattern. Phrases ("иди нахуй", "я тебя урою", "закрой рот") are sequences of word patterns
tried only where a word can start one. Masked spellings ("х*й", "п**дец", "бл@") and
letters spaced out ("б л я т ь") have their own small paths.
"""

from __future__ import annotations

import re
from functools import lru_cache

from scoring.lexicons import toxicity_lexicon
from scoring.text.folding import LATIN_LOOKALIKE, LOOKALIKES, MASK, RUN2, WORD, fold_word, squeeze

KINDS = ("threat", "dismissal", "profanity", "insult", "contempt", "mild")  # stronger first
# Kinds whose weight grows when aimed at "ты/вы/you"; one hit per entry for the weak kinds.
_ADDRESSABLE = frozenset({"profanity", "insult", "contempt"})
_ONCE = frozenset({"contempt", "mild"})
# Single letters separated by spaces, dots, hyphens: "х у й", "б.л.я", "п-и-з-д-е-ц".
_SPACED = re.compile(r"(?<![\w*@#$%])(?:[^\W\d_][ .\-_*]{1,2}){2,}[^\W\d_](?![\w*@#$%])")
_NEGATIONS = frozenset({"не", "not", "никакой", "никакая", "никакие"})
MEMO_LIMIT = 200_000

Hit = tuple[int, int, str, str, float]  # start, end, rule kind, lexicon entry, weight


def _entries(table: dict, weight: float) -> list[tuple[str, str, float]]:
    """(entry, pattern, weight) from a lexicon table whose values are a pattern or
    [pattern, weight]."""
    out = []
    for entry, value in table.items():
        pattern, w = (value[0], float(value[1])) if isinstance(value, list) else (value, weight)
        out.append((entry, pattern, w))
    return out


class _Phrase:
    """A sequence of word patterns; '?' marks an optional word."""

    __slots__ = ("kind", "entry", "weight", "parts", "optional", "starts")

    def __init__(self, kind: str, entry: str, spec: str, weight: float) -> None:
        self.kind, self.entry, self.weight = kind, entry, weight
        self.parts, self.optional = [], []
        for token in spec.split():
            self.optional.append(token.startswith("?"))
            self.parts.append(re.compile(token.lstrip("?")))
        first_needed = self.optional.index(False) if False in self.optional else 0
        self.starts = tuple(range(first_needed + 1))  # elements a match may begin at

    def match(self, keys: list[tuple[str, ...]], i: int, part: int) -> int:
        """Index after the last word matched from word ``i`` at element ``part``, or -1."""
        if part == len(self.parts):
            return i
        if i < len(keys):
            fullmatch = self.parts[part].fullmatch
            for k in keys[i]:  # a loop, not any(): this runs at every candidate word
                if fullmatch(k):
                    end = self.match(keys, i + 1, part + 1)
                    if end >= 0:
                        return end
                    break
        if self.optional[part]:
            return self.match(keys, i, part + 1)
        return -1


class ToxicityRules:
    """The compiled lexicon and the memo of words already classified.

    One per process (``toxicity_rules()``): the lexicon is the same for every scorer, so a
    ``ToxicityScorer()`` made per call (as politeness does) still finds the words it saw.
    """

    def __init__(self, lexicon: dict) -> None:
        weights = lexicon["weights"]
        alternatives, self.word_info = [], {}
        for kind in KINDS:  # alternatives in the order of KINDS: the stronger kind wins
            for entry, pattern, weight in _entries(lexicon[kind], float(weights[kind])):
                name = f"g{len(alternatives)}"
                alternatives.append(f"(?P<{name}>{pattern})")
                self.word_info[name] = (kind, weight, entry)
        self.word_info["masked"] = ("profanity", float(weights["profanity"]), "masked")
        self.word_re = re.compile("|".join(alternatives))
        self.phrases = [
            _Phrase(kind, entry, spec, weight)
            for kind in (*KINDS, "safe")
            for entry, spec, weight in _entries(
                lexicon["phrases"].get(kind, {}), weights.get(kind, 0.0)
            )
        ]
        self.address = frozenset(squeeze(w) for w in lexicon["address_words"])
        self.window = tuple(lexicon.get("address_window", (3, 2)))
        self.masked_words = tuple(lexicon["masked"])
        self.bonus = float(lexicon["addressed_bonus"])
        # Any word that can begin some phrase, in one pattern: a full match of the
        # alternation is a full match of one of its parts (no phrase pattern uses groups).
        self.phrase_start_re = re.compile(
            "|".join(f"(?:{p.parts[j].pattern})" for p in self.phrases for j in p.starts) or "(?!)"
        )
        self.memo: dict[str, tuple] = {}  # word as written -> (keys, hit, phrase starts)

    # -- one word ------------------------------------------------------------------------
    def classify(self, word: str) -> tuple:
        """(keys, hit or None, phrase starts) for one word as written; memoised."""
        found = self.memo.get(word)
        if found is not None:
            return found
        folded = fold_word(word)
        key = squeeze(folded)
        keys = [key]
        short = RUN2.sub(r"\1", key)
        if short != key:
            keys.append(short)
        if folded.isascii() and folded.isalpha() and set(folded) <= LATIN_LOOKALIKE:
            keys.append(key.translate(LOOKALIKES))  # "cyka" written in Latin letters
        hit = None
        if MASK.isdisjoint(folded):
            for k in keys:
                m = self.word_re.fullmatch(k)
                if m is not None:
                    hit = self.word_info[m.lastgroup]
                    break
        else:
            hit = self._masked(folded)
        starts = ()
        if any(self.phrase_start_re.fullmatch(k) for k in keys):  # most words begin none
            starts = tuple(
                (p, j)
                for p, phrase in enumerate(self.phrases)
                for j in phrase.starts
                if any(phrase.parts[j].fullmatch(k) for k in keys)
            )
        found = (tuple(keys), hit, starts)
        if len(self.memo) >= MEMO_LIMIT:
            self.memo.clear()
        self.memo[word] = found
        return found

    def _masked(self, folded: str) -> tuple | None:
        """'х*й', 'п**дец', 'бл@ть', 'f*ck': masks stand for 1-3 letters of a known word."""
        letters = sum(c.isalpha() for c in folded)
        if letters == 0 or len(folded) < 3:
            return None
        pattern = re.compile(
            "".join(
                f".{{1,{len(run) + 1}}}" if run[0] in MASK else re.escape(run)
                for run in re.findall(r"[*@#$%]+|[^*@#$%]+", folded)
            )
        )
        for word in self.masked_words:
            if pattern.fullmatch(word):
                kind, weight, _ = self.word_info["masked"]
                return (kind, weight, f"{word} (masked)")
        return None

    # -- one message ---------------------------------------------------------------------
    def scan(self, text: str) -> tuple[list[Hit], list[tuple[int, int]]]:
        """The hits (phrases first, no overlaps, in text order) and the spans of "safe"
        phrases («синдром Дауна», «Я дурак»), which a learned model must not read either.
        Words come from ``findall`` (no match objects); only those listed or able to begin
        a phrase are looked at again, and spans are found only when a hit needs them."""
        if not text:
            return [], []
        get, classify = self.memo.get, self.classify
        infos = [get(w) or classify(w) for w in WORD.findall(text)]
        starts = [i for i, info in enumerate(infos) if info[2]]
        listed = [i for i, info in enumerate(infos) if info[1] is not None]
        keys = [info[0] for info in infos] if starts or listed else []
        hits: list[Hit] = []
        covered: list[tuple[int, int]] = []
        safe: list[tuple[int, int]] = []
        spans: list[tuple[int, int]] = []
        matched = self._phrase_matches(infos, keys, starts) if starts else []
        if matched or listed:
            spans = [m.span() for m in WORD.finditer(text)]
        for i, end, phrase in matched:
            start, stop = spans[i][0], spans[end - 1][1]
            covered.append((start, stop))
            if phrase.kind != "safe":
                hits.append((start, stop, phrase.kind, phrase.entry, phrase.weight))
            else:
                safe.append((start, stop))
        if " " in text or "." in text or "-" in text:  # "б л я т ь" read as one word
            for m in _SPACED.finditer(text):
                hit = self.classify(re.sub(r"[ .\-_*]", "", m.group()))[1]
                if hit is not None and not overlaps(covered, m.start(), m.end()):
                    hits.append((m.start(), m.end(), hit[0], hit[2], hit[1]))
                    covered.append((m.start(), m.end()))
        if listed:
            self._word_hits(infos, keys, spans, listed, hits, covered)
        hits.sort()
        return hits, safe

    def _phrase_matches(self, infos: list, keys: list, starts: list[int]) -> list[tuple]:
        """(first word, index after the last, phrase) per phrase found, left to right, the
        longest at each word, none inside another; tried only at ``starts``."""
        found, floor = [], 0
        for i in starts:
            if i < floor:
                continue
            best, best_end = -1, i
            for p, j in infos[i][2]:
                end = self.phrases[p].match(keys, i, j)
                if end > i and (best < 0 or end > best_end):
                    best, best_end = p, end
            if best >= 0:
                found.append((i, best_end, self.phrases[best]))
                floor = best_end
        return found

    def _word_hits(self, infos, keys, spans, listed, hits, covered) -> None:
        """Listed single words outside the phrases and spaced letters already found."""
        seen: set[str] = set()
        for n in listed:
            start, stop = spans[n]
            if overlaps(covered, start, stop):
                continue
            kind, weight, entry = infos[n][1]
            if kind in _ONCE:
                if entry in seen or (n and keys[n - 1][0] in _NEGATIONS):
                    continue
                seen.add(entry)
            if kind in _ADDRESSABLE and self._addressed(keys, n):
                weight += self.bonus
                kind = f"{kind}_addressed"
            hits.append((start, stop, kind, entry, weight))

    def _addressed(self, keys: list[tuple[str, ...]], n: int) -> bool:
        before, after = self.window
        near = keys[max(0, n - before) : n] + keys[n + 1 : n + 1 + after]
        return any(k[0] in self.address for k in near)


@lru_cache(maxsize=1)
def toxicity_rules() -> ToxicityRules:
    """The lexicon compiled once per process."""
    return ToxicityRules(toxicity_lexicon())


def overlaps(covered: list[tuple[int, int]], start: int, stop: int) -> bool:
    return any(start < e and s < stop for s, e in covered)
