"""Toxicity (profanity, insults, threats, rude dismissals) in Russian and English.

Russian mat is a handful of roots with very productive prefixes and endings, so the lexicon
(``scoring/lexicons/toxicity.json``) holds one regular expression per entry, matched against
whole words: "ху[йеяию].*" with its prefixes covers thousands of forms that a word list
would miss, while "хуже", "страхуй" or "корабля" cannot match because the pattern must
cover the whole word. The only Russian toxicity data here is "train: no", so this scorer
is rules only: the evidence is exactly the matched words, and nothing was fitted on data.

One pass per message: split it into words once, fold each word (lower case, ё -> е, Latin
and digit look-alikes -> Cyrillic inside Cyrillic words, stretched letters -> one) and
look it up in a per-word memo; only words never seen before go through the combined
pattern. Phrases ("иди нахуй", "я тебя урою", "закрой рот") are sequences of word
patterns tried only where a word can start one. Masked spellings ("х*й", "п**дец", "бл@")
and letters spaced out ("б л я т ь") have their own small paths.

Russian rows also get a learned opinion (``toxicity_ru``, trained on RuParaDetox, train:
yes; see ``scoring.scorers.toxicity_ru``), joined to the rules by a noisy-OR: the lexicon
alone reached F1 0.672 on the evaluation-only toxic comments because a third of them hold
no listed word. Its evidence is ``learned:<word>``; ``use_model=False`` is rules only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from scoring.base import Evidence, ScoreResult
from scoring.lexicons import toxicity_lexicon
from scoring.scorers.toxicity_ru import load_toxicity_model
from scoring.text import detect_languages

KINDS = ("threat", "dismissal", "profanity", "insult", "contempt", "mild")  # stronger first
# Kinds whose weight grows when aimed at "ты/вы/you"; one hit per entry for the weak kinds.
_ADDRESSABLE = frozenset({"profanity", "insult", "contempt"})
_ONCE = frozenset({"contempt", "mild"})
# Latin letters and digits that look like Cyrillic ones; swapped only inside Cyrillic words.
_LOOKALIKES = str.maketrans("aeopcxykmtbhunr0346", "аеорсхукмтвнипгозчб")
_FOLDABLE = re.compile(r"[a-z0346]")
_LATIN_LOOKALIKE = frozenset("aeopcxykmtbhunr")
_CYRILLIC = re.compile(r"[а-яё]")
_CYRILLIC_WORD = re.compile(r"\w*[а-яё]\w*", re.IGNORECASE)
_MASK = frozenset("*@#$%")
# Words with masks and combining marks (stress accents, a decomposed "ё").
_WORD = re.compile(r"[\w*@#$%\u0300\u0301\u0308]+")
_MARKS = str.maketrans("", "", "\u0300\u0301\u0308")
# Single letters separated by spaces, dots, hyphens: "х у й", "б.л.я", "п-и-з-д-е-ц".
_SPACED = re.compile(r"(?<![\w*@#$%])(?:[^\W\d_][ .\-_*]{1,2}){2,}[^\W\d_](?![\w*@#$%])")
_RUN3 = re.compile(r"(\w)\1{2,}")
_RUN2 = re.compile(r"(\w)\1+")
_NEGATIONS = frozenset({"не", "not", "никакой", "никакая", "никакие"})
_MEMO_LIMIT = 200_000
_MEMO: dict[str, tuple] = {}  # word as written -> (keys, hit, phrase starts)
LEARNED_RULE = "learned"


def fold_text(text: str) -> str:
    """Lower-case, ё -> е, Latin look-alikes -> Cyrillic in Cyrillic words; same length."""
    low = text.lower().replace("ё", "е")
    return _CYRILLIC_WORD.sub(lambda m: m.group().translate(_LOOKALIKES), low)


def _fold_word(word: str) -> str:
    """One word as the lexicon spells it: lower case, ё -> е, look-alikes -> Cyrillic."""
    low = word.lower().translate(_MARKS).replace("ё", "е")
    if _FOLDABLE.search(low) and _CYRILLIC.search(low):
        return low.translate(_LOOKALIKES)
    return low


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


class ToxicityScorer:
    """Probability that a message is toxic, with the offending spans as evidence.

    Evidence rules are ``"<kind>:<entry>"`` or ``"<kind>_addressed:<entry>"`` (kind one of
    threat, dismissal, profanity, insult, contempt, mild), so consumers can match on the
    kind prefix and reviewers see which lexicon entry fired.
    """

    task = "toxicity"
    version = "3.0"
    labels = ("ok", "toxic")

    def __init__(
        self,
        lang: str = "auto",
        threshold: float = 0.5,
        slope: float = 2.2,
        offset: float = 1.0,
        use_model: bool = True,
    ) -> None:
        self.lang = lang
        self.threshold = threshold
        self.slope = slope
        self.offset = offset
        self.use_model = use_model

    # -- compiled lexicon ----------------------------------------------------------------
    def _ensure_compiled(self) -> None:
        if hasattr(self, "word_re_"):
            return
        self.word_re_, self.word_info_, self.phrases_, self.masked_, extra = _compiled()
        self.bonus_, self.address_, self.window_, self.phrase_start_re_ = extra
        # Shared by every scorer in the process (the lexicon is the same for all), so a
        # ToxicityScorer() made per call (as politeness does) still finds words it saw.
        self.memo_ = _MEMO

    # -- one word ------------------------------------------------------------------------
    def _classify(self, word: str) -> tuple:
        """(keys, hit or None, phrase starts) for one word as written; memoised."""
        found = self.memo_.get(word)
        if found is not None:
            return found
        folded = _fold_word(word)
        key = _RUN3.sub(r"\1", folded)
        keys = [key]
        short = _RUN2.sub(r"\1", key)
        if short != key:
            keys.append(short)
        if folded.isascii() and folded.isalpha() and set(folded) <= _LATIN_LOOKALIKE:
            keys.append(key.translate(_LOOKALIKES))  # "cyka" written in Latin letters
        hit = None
        if _MASK.isdisjoint(folded):
            for k in keys:
                m = self.word_re_.fullmatch(k)
                if m is not None:
                    hit = self.word_info_[m.lastgroup]
                    break
        else:
            hit = self._masked(folded)
        starts = ()
        if any(self.phrase_start_re_.fullmatch(k) for k in keys):  # most words begin none
            starts = tuple(
                (p, j)
                for p, phrase in enumerate(self.phrases_)
                for j in phrase.starts
                if any(phrase.parts[j].fullmatch(k) for k in keys)
            )
        found = (tuple(keys), hit, starts)
        if len(self.memo_) >= _MEMO_LIMIT:
            self.memo_.clear()
        self.memo_[word] = found
        return found

    def _masked(self, folded: str) -> tuple | None:
        """'х*й', 'п**дец', 'бл@ть', 'f*ck': masks stand for 1-3 letters of a known word."""
        letters = sum(c.isalpha() for c in folded)
        if letters == 0 or len(folded) < 3:
            return None
        pattern = re.compile(
            "".join(
                f".{{1,{len(run) + 1}}}" if run[0] in _MASK else re.escape(run)
                for run in re.findall(r"[*@#$%]+|[^*@#$%]+", folded)
            )
        )
        for word in self.masked_:
            if pattern.fullmatch(word):
                kind, weight, _ = self.word_info_["masked"]
                return (kind, weight, f"{word} (masked)")
        return None

    # -- one message ---------------------------------------------------------------------
    def _hits(self, text: str) -> list[tuple[int, int, str, str, float]]:
        """(start, end, rule kind, entry, weight) per hit, phrases first, no overlaps."""
        return self._scan(text)[0]

    def _scan(self, text: str) -> tuple[list[tuple[int, int, str, str, float]], list]:
        """The hits and the spans of "safe" phrases («синдром Дауна», «Я дурак»), which the
        learned model must not read either. Words come from ``findall`` (no match objects);
        only those listed or able to begin a phrase are looked at again, and spans are
        found only when a phrase or a word hit needs them."""
        if not text:
            return [], []
        self._ensure_compiled()
        get, classify = self.memo_.get, self._classify
        infos = [get(w) or classify(w) for w in _WORD.findall(text)]
        starts = [i for i, info in enumerate(infos) if info[2]]
        listed = [i for i, info in enumerate(infos) if info[1] is not None]
        keys = [info[0] for info in infos] if starts or listed else []
        hits: list[tuple[int, int, str, str, float]] = []
        covered: list[tuple[int, int]] = []
        safe: list[tuple[int, int]] = []
        spans: list[tuple[int, int]] = []
        matched = self._phrase_matches(infos, keys, starts) if starts else []
        if matched or listed:
            spans = [m.span() for m in _WORD.finditer(text)]
        for i, end, phrase in matched:
            start, stop = spans[i][0], spans[end - 1][1]
            covered.append((start, stop))
            if phrase.kind != "safe":
                hits.append((start, stop, phrase.kind, phrase.entry, phrase.weight))
            else:
                safe.append((start, stop))
        # Spaced-out letters: "б л я т ь" read as one word.
        if " " in text or "." in text or "-" in text:
            for m in _SPACED.finditer(text):
                joined = re.sub(r"[ .\-_*]", "", m.group())
                hit = self._classify(joined)[1]
                if hit is not None and not _overlaps(covered, m.start(), m.end()):
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
                end = self.phrases_[p].match(keys, i, j)
                if end > i and (best < 0 or end > best_end):
                    best, best_end = p, end
            if best >= 0:
                found.append((i, best_end, self.phrases_[best]))
                floor = best_end
        return found

    def _word_hits(self, infos, keys, spans, listed, hits, covered) -> None:
        """Listed single words outside the phrases and spaced letters already found."""
        seen: set[str] = set()
        for n in listed:
            start, stop = spans[n]
            if _overlaps(covered, start, stop):
                continue
            kind, weight, entry = infos[n][1]
            if kind in _ONCE:
                if entry in seen or (n and keys[n - 1][0] in _NEGATIONS):
                    continue
                seen.add(entry)
            if kind in _ADDRESSABLE and self._addressed(keys, n):
                weight += self.bonus_
                kind = f"{kind}_addressed"
            hits.append((start, stop, kind, entry, weight))

    def _addressed(self, keys: list[tuple[str, ...]], n: int) -> bool:
        before, after = self.window_
        near = keys[max(0, n - before) : n] + keys[n + 1 : n + 1 + after]
        return any(k[0] in self.address_ for k in near)

    def _probability(self, total: float) -> float:
        return 1.0 / (1.0 + math.exp(-self.slope * (total - self.offset)))

    def _learned(self, texts: list[str], langs) -> np.ndarray:
        """The model's shifted P(toxic) on Russian rows (``langs``: one code, a code per
        row, or None to take rows with Cyrillic letters); 0 elsewhere or without a model.
        ``texts`` come with the rules' safe phrases already blanked out."""
        out = np.zeros(len(texts))
        model = load_toxicity_model() if self.use_model else None
        if model is None or not texts:
            return out
        if langs is None:
            rows = [i for i, t in enumerate(texts) if _CYRILLIC.search(t.lower())]
        elif isinstance(langs, str):
            rows = list(range(len(texts))) if langs == "ru" else []
        else:
            rows = [i for i, lang in enumerate(langs) if lang == "ru"]
        rows = [i for i in rows if texts[i].strip()]
        if rows:
            out[rows] = model.probability([texts[i] for i in rows])
        return out

    # -- public API ----------------------------------------------------------------------
    def predict_scores(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Probability of toxic per text (fast path, no evidence objects, no language
        detection: without ``langs`` the model reads the rows with Cyrillic letters)."""
        self._ensure_compiled()
        texts = list(texts)
        if langs is None and self.lang in ("ru", "en"):
            langs = self.lang
        scans = [self._scan(t) for t in texts]
        rules = np.array([self._probability(sum(h[4] for h in hits)) for hits, _ in scans])
        masked = [_blank(t, safe) for t, (_, safe) in zip(texts, scans, strict=True)]
        return combine(rules, self._learned(masked, langs))

    def predict(self, texts: Sequence[str], langs=None) -> list[str]:
        return ["toxic" if p >= self.threshold else "ok" for p in self.predict_scores(texts, langs)]

    def score_texts(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        self._ensure_compiled()
        texts = list(texts)
        if langs is None and self.lang in ("ru", "en"):
            langs = self.lang
        resolved = detect_languages(texts, langs)
        scans = [self._scan(t) for t in texts]
        masked = [_blank(t, safe) for t, (_, safe) in zip(texts, scans, strict=True)]
        learned = self._learned(masked, resolved)
        model = load_toxicity_model() if self.use_model else None
        results = []
        for text, lang, p_model, (hits, _), seen in zip(
            texts, resolved, learned, scans, masked, strict=True
        ):
            by_rules = self._probability(sum(h[4] for h in hits))
            prob = float(combine(by_rules, p_model))
            evidence = tuple(
                Evidence(s, e, f"{kind}:{entry}", w, text[s:e]) for s, e, kind, entry, w in hits
            )
            # The model's words are shown only where they, not the rules, made it toxic.
            if model is not None and prob >= self.threshold > by_rules:
                evidence += tuple(
                    Evidence(s, e, f"{LEARNED_RULE}:{word}", c, text[s:e])
                    for s, e, word, c in model.words(seen)
                    if not _overlaps([(h[0], h[1]) for h in hits], s, e)
                )
            label = "toxic" if prob >= self.threshold else "ok"
            results.append(ScoreResult(label, prob, lang, evidence))
        return results


def combine(rules, learned, offset: float | None = None):
    """Noisy-OR of the rules' P(toxic) and the model's: either alone can make a message
    toxic, two weak signals together can too. ``learned`` is a probability, or a logit
    when ``offset`` is given (training chooses the offset with this same function)."""
    rules = np.asarray(rules, dtype=np.float64)
    learned = np.asarray(learned, dtype=np.float64)
    if offset is not None:
        learned = 1.0 / (1.0 + np.exp(-np.clip(learned - offset, -30, 30)))
    return 1.0 - (1.0 - rules) * (1.0 - learned)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given spans replaced by spaces (same length, so offsets hold)."""
    for start, stop in spans:
        text = text[:start] + " " * (stop - start) + text[stop:]
    return text


def _overlaps(covered: list[tuple[int, int]], start: int, stop: int) -> bool:
    return any(start < e and s < stop for s, e in covered)


@lru_cache(maxsize=1)
def _compiled():
    """The lexicon compiled once per process: one combined word pattern (alternatives in
    the order of ``KINDS``, so the stronger kind wins), the phrases and the masked words."""
    lex = toxicity_lexicon()
    weights = lex["weights"]
    alternatives, info = [], {}
    for kind in KINDS:
        for entry, pattern, weight in _entries(lex[kind], float(weights[kind])):
            name = f"g{len(alternatives)}"
            alternatives.append(f"(?P<{name}>{pattern})")
            info[name] = (kind, weight, entry)
    info["masked"] = ("profanity", float(weights["profanity"]), "masked")
    word_re = re.compile("|".join(alternatives))
    phrases = []
    for kind in (*KINDS, "safe"):
        for entry, spec, weight in _entries(lex["phrases"].get(kind, {}), weights.get(kind, 0.0)):
            phrases.append(_Phrase(kind, entry, spec, weight))
    address = frozenset(_RUN3.sub(r"\1", w) for w in lex["address_words"])
    window = tuple(lex.get("address_window", (3, 2)))
    masked = tuple(lex["masked"])
    # Any word that can begin some phrase, in one pattern: a full match of the alternation
    # is a full match of one of its parts (no phrase pattern uses groups or inline flags).
    phrase_start = re.compile(
        "|".join(f"(?:{p.parts[j].pattern})" for p in phrases for j in p.starts) or "(?!)"
    )
    extra = (float(lex["addressed_bonus"]), address, window, phrase_start)
    return word_re, info, phrases, masked, extra
