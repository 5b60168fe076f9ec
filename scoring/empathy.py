"""Empathy in agent replies, and empathy missing where the customer is upset.

Empathy in support is observable wording: acknowledging the feeling ("I understand how
frustrating this is", "понимаю, как это неприятно"), validating it, reassuring, asking to
hear more, personalising and apologising with ownership. Each mechanism is matched from
lemma-based phrase lexicons (``lexicons/empathy_*.tsv``) and combined by a noisy-OR, so a
reviewer sees exactly which words earned the score. The EPITOME data set (Sharma et al.,
EMNLP 2020) is evaluation only: nothing here is fitted on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from scoring.base import Evidence, ScoreResult
from scoring.politeness_features import (
    count_matrix,
    lexical_counts,
    tfidf_matrix,
    unique_counts,
)
from scoring.politeness_lexicon import (
    _GAP,
    WHOLE_TEXT_CACHE,
    Detection,
    PhraseLexicon,
    Word,
    _drop_nested,
    _match_from,
    is_negated,
    split_words,
    word_key,
)
from scoring.politeness_strategies import detect_strategies
from scoring.text import detect_languages

MODEL_NAME = "empathy_v1"
# Chance that one mechanism alone makes a support reply empathetic (noisy-OR), hand-set
# from support-desk practice. Zero-weight mechanisms only place a reply on the EPITOME
# levels: a troubleshooting question or "I checked your order" is not empathy in support.
MECHANISM_WEIGHTS: dict[str, float] = {
    "acknowledgement": 0.45, "inferred_feeling": 0.5, "validation": 0.4,
    "emotion_strong": 0.6, "emotion_intense": 0.35, "emotion_weak": 0.3, "warmth": 0.1, "reassurance": 0.35,
    "exploration": 0.25, "feeling_question": 0.35, "checkin": 0.1,
    "question_specific": 0.0, "question_generic": 0.0,
    "self_disclosure": 0.15, "own_experience": 0.0,
    "personalisation": 0.15, "customer_name": 0.1, "apology_ownership": 0.4,
    "caring_language": 0.2, "caring_language_strong": 0.15,
}  # fmt: skip
# Wording that takes the empathy back: the score is multiplied by CANCEL_FACTOR.
CANCELLING = frozenset({"dismissal", "sarcasm", "non_apology"})
CANCEL_FACTOR = 0.2
NEGATABLE = frozenset(
    {"acknowledgement", "validation", "emotion_weak", "emotion_intense", "emotion_strong", "warmth",
     "self_disclosure"}
)  # fmt: skip
# EPITOME mechanisms (Sharma et al. 2020) -> (weak-level, strong-level) mechanisms, from the
# paper's definitions: emotional reactions weak = alluding to a feeling ("everything will be
# fine", "sorry to hear"), strong = naming one's own feeling ("I feel really sad for you");
# interpretations weak = "I understand how you feel", strong = the inferred feeling named
# ("this must be terrifying") or a similar experience shared; explorations weak = generic
# ("what happened?"), strong = specific ("are you feeling alone right now?").
EPITOME_RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "emotional-reactions": (
        frozenset({"emotion_weak", "emotion_intense", "reassurance", "warmth"}),
        frozenset({"emotion_strong"}),
    ),
    "interpretations": (
        frozenset({"acknowledgement", "validation"}),
        frozenset({"inferred_feeling", "self_disclosure", "own_experience"}),
    ),
    "explorations": (
        frozenset({"exploration", "checkin", "question_generic"}),
        frozenset({"feeling_question", "question_specific"}),
    ),
}
# Lexicon categories that are parts of a rule, never mechanisms by themselves.
_HELPERS = frozenset(
    {"feeling_frame", "reaction_frame", "feeling_word", "emotion_frame", "own_emotion",
     "not_exploration", "upset"}
)  # fmt: skip
_FRAME_TARGET = {"feeling_frame": ("feeling_word", "inferred_feeling"),
                 "reaction_frame": ("feeling_word", "emotion_weak"),
                 "emotion_frame": ("own_emotion", "emotion_strong")}  # fmt: skip
_FRAME_GAP = 2  # words allowed between a frame and its feeling ("must be so very hard")


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SECOND_PERSON = ("you", "your", "yours", "yourself", "you're", "you've", "you'd", "you'll",
                  "u", "ur", "ты", "тебя", "тебе", "тобой", "вы", "вас", "вам", "вами", "ваш",
                  "твой")  # fmt: skip
_FEEL = ("feel", "feels", "feeling", "feelings", "felt", "чувствовать", "чувство", "ощущать",
         "переживать", "настроение")  # fmt: skip
# Words that do not make a question specific (the generic "do you want to talk about it?").
_GENERIC = _wordset("""
a an the and or but so to of in on at for with about from by as is are was were be been am
do does did done doing have has had having what what's whats how why when where who which
there here it it's this that these those anything something everything nothing anyone
someone want talk like need know think mean get got go going happen happened happening
say said tell share more ok okay right now still really just maybe please me my i i'm
can could would will should may might up out again then too also any some
что как почему зачем когда где кто какой это то так там тут ли же бы не ни уже еще
хотеть говорить рассказать сказать быть мочь знать думать сейчас вообще просто случиться
произойти об о про в на с у к по за из и а но или что-то кто-то
""")
_INTERJECTIONS = frozenset({"oh", "ah", "ooh", "wow", "well", "ой", "ах", "ох", "ну", "ого"})
_ELONGATED = re.compile(r"([^\W\d_])\1\1")
_PAST_EN = _wordset("""
was were had did went got felt lost made took left thought found knew came became began
spent tried lived moved quit broke fell gave kept lost met ran saw sat told wrote grew
""")
_NOT_PAST_EN = frozenset({"need", "feed", "speed", "seed", "bleed", "breed", "exceed",
                          "proceed", "succeed", "indeed", "heed", "shed"})  # fmt: skip
_SUBJECT_ADVERBS = frozenset({"also", "too", "once", "never", "finally", "just", "really",
                              "eventually", "actually", "literally", "honestly", "then",
                              "recently", "personally", "always", "even", "still", "only",
                              "тоже", "также", "сам", "сама", "когда-то", "однажды", "уже",
                              "тогда", "долго", "очень", "ведь", "как-то"})  # fmt: skip
_RELATIONS_EN = _wordset("""
mom mum mother dad father parents wife husband ex girlfriend boyfriend partner son daughter
kids kid brother sister friend friends grandma grandmother grandpa grandfather dog cat family
uncle aunt cousin fiance fiancee
""")
# Hearts and hugs: warmth without words ("<3", "❤", "🤗", "🫂", "🙏").
_WARM_SYMBOLS = re.compile("<3+|[\u2764\u2665\U0001f493-\U0001f49f\U0001f917\U0001fac2\U0001f64f]")
_PAST_RU = re.compile(r"(?:л|ла|ли|ло|лся|лась|лись)$")


class _TwoKeyLexicon(PhraseLexicon):
    """``PhraseLexicon`` with entries indexed by their first two keys: the same matches,
    but a word such as "i" or "я" (a hundred entries start with it) only tries the few
    entries whose second word follows it."""

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        super().__init__(entries)
        self.pairs: dict[str, dict[str, list]] = {}
        for first, group in self.index.items():
            by_second: dict[str, list] = {}
            for entry in group:
                second = entry.keys[1] if len(entry.keys) > 1 else ""
                by_second.setdefault(second, []).append(entry)
            self.pairs[first] = by_second

    def find(self, words: Sequence[Word]) -> list[Detection]:
        found: list[Detection] = []
        seen: set[tuple[str, int, int]] = set()
        n = len(words)
        for i, word in enumerate(words):
            by_second = self.pairs.get(word.key)
            if by_second is None:
                continue
            candidates = list(by_second.get("", ()))
            if i + 1 < n:
                candidates += by_second.get(words[i + 1].key, ())
                candidates += by_second.get(_GAP, ())
            for entry in candidates:
                if entry.at_sentence_start and not word.sentence_start:
                    continue
                last = i if len(entry.keys) == 1 else _match_from(words, i, entry.keys)
                if last < 0:
                    continue
                span = (entry.strategy, word.start, words[last].end)
                if span not in seen:
                    seen.add(span)
                    found.append(Detection(*span))
        found.sort(key=lambda d: d.start)
        return _drop_nested(found) if len(found) > 1 else found


@lru_cache(maxsize=1)
def empathy_lexicon() -> PhraseLexicon:
    """The shipped English + Russian empathy lexicon (built once per process)."""
    return _TwoKeyLexicon.from_files("empathy_en.tsv", "empathy_ru.tsv")


@lru_cache(maxsize=1)
def _keys() -> tuple[frozenset[str], frozenset[str]]:
    """Match keys of second-person pronouns and of "feel" words (lemmas for Russian)."""
    return (frozenset(word_key(w) for w in _SECOND_PERSON),
            frozenset(word_key(w) for w in _FEEL))  # fmt: skip


def _framed(found, words, first, last) -> list[Detection]:
    """Frames followed (within ``_FRAME_GAP`` words, same clause) by their feeling."""
    out = []
    targets: dict[str, list[tuple[int, int]]] = {"feeling_word": [], "own_emotion": []}
    understood = set()  # words right after "I understand", "понимаю", "I can see"
    for det in found:
        if det.strategy in targets:
            targets[det.strategy].append((first[det.start], det.end))
        elif det.strategy == "acknowledgement":
            understood.update(range(last[det.end], last[det.end] + 3))
    for det in found:
        if det.strategy not in _FRAME_TARGET:
            continue
        target, mechanism = _FRAME_TARGET[det.strategy]
        i, j = first[det.start], last[det.end]
        if mechanism == "emotion_weak" and i in understood:  # "I understand how hard ..."
            mechanism = "inferred_feeling"
        for k, end in targets[target]:
            if j < k <= j + 1 + _FRAME_GAP and words[k].clause == words[j].clause:
                if not is_negated(words, i) and not is_negated(words, k):
                    out.append(Detection(mechanism, det.start, end))
                break
    return out


def _own_experience(words) -> list[Detection]:
    """A first-person past narrative ("I lost my job", "я потеряла") or "my mom ...":
    the replier describing their own experience (EPITOME's strong interpretation)."""
    out = []
    for i, word in enumerate(words):
        low = word.lower
        if low == "my" and i + 1 < len(words) and words[i + 1].lower in _RELATIONS_EN:
            out.append(Detection("own_experience", word.start, words[i + 1].end))
            continue
        if low not in ("i", "i've", "я"):
            continue
        j = i + 1
        while j < len(words) and j <= i + 2 and words[j].lower in _SUBJECT_ADVERBS:
            j += 1
        if j >= len(words) or words[j].clause != word.clause:
            continue
        verb = words[j].lower
        if low == "я":
            past = len(verb) > 3 and _PAST_RU.search(verb) is not None
        elif low == "i've":
            past = verb == "been" or verb in _PAST_EN or (verb.endswith("ed") and len(verb) > 4)
        else:
            past = verb in _PAST_EN or (
                verb.endswith("ed") and len(verb) > 4 and verb not in _NOT_PAST_EN
            )
        if past:
            out.append(Detection("own_experience", word.start, words[j].end))
    return out


def _questions(found, words, questions, first) -> tuple[list[Detection], set[int]]:
    """Questions that ask about the reader's experience, and the sentences of questions
    that do not (advice, data requests, rhetoric): lexicon explorations there are dropped."""
    second, feel = _keys()
    excluded = {words[first[d.start]].sentence for d in found if d.strategy == "not_exploration"}
    feeling = {first[d.start] for d in found if d.strategy == "feeling_word"}
    out = []
    for sentence in questions - excluded:
        idx = [i for i, w in enumerate(words) if w.sentence == sentence]
        if not idx or not any(words[i].key in second for i in idx):
            continue
        span = Detection("", words[idx[0]].start, words[idx[-1]].end)
        if any(words[i].key in feel or i in feeling for i in idx):
            out.append(span._replace(strategy="feeling_question"))
            continue
        content = sum(
            1 for i in idx
            if words[i].key not in second and words[i].key not in _GENERIC
            and words[i].lower not in _GENERIC and len(words[i].lower) > 2
        )  # fmt: skip
        out.append(
            span._replace(strategy="question_specific" if content >= 2 else "question_generic")
        )
    return out, excluded


def _sarcastic_sentences(words) -> list[Detection]:
    """Mock sympathy: an interjection opening a sentence with a stretched word ("oh, I'm
    sooo sorry", "ой, как жааль")."""
    out = []
    for i, word in enumerate(words):
        if word.sentence_start and word.lower in _INTERJECTIONS:
            for other in words[i + 1 :]:
                if other.sentence != word.sentence:
                    break
                if _ELONGATED.search(other.lower):
                    out.append(Detection("sarcasm", word.start, other.end))
                    break
    return out


@lru_cache(maxsize=WHOLE_TEXT_CACHE)
def detect_mechanisms(text: str) -> tuple[Detection, ...]:
    """Empathy mechanisms in one message (negated ones dropped), memoised per text.

    Cancelling wording (``CANCELLING``) is returned as detections too; helper categories
    of the lexicon (frames, feeling words, non-exploring questions) are not.
    """
    words, questions = split_words(text or "")
    if not words:
        return ()
    first = {w.start: i for i, w in enumerate(words)}
    last = {w.end: i for i, w in enumerate(words)}
    raw = empathy_lexicon().find(words)
    asked, excluded = _questions(raw, words, questions, first)
    found = []
    for det in raw:
        if det.strategy in _HELPERS:
            continue
        idx = first[det.start]
        if det.strategy in NEGATABLE and is_negated(words, idx):
            found.append(det._replace(strategy="negated"))  # also silences the model
            continue
        if det.strategy in ("exploration", "checkin") and words[idx].sentence in excluded:
            continue
        if det.strategy == "checkin" and words[idx].sentence not in questions:
            continue
        found.append(det)
    # an inferred feeling inside a question is an exploration ("are you feeling alone?")
    found += [
        d for d in _framed(raw, words, first, last)
        if d.strategy != "inferred_feeling" or words[first[d.start]].sentence not in questions
    ]  # fmt: skip
    if any(d.strategy == "inferred_feeling" for d in found):
        # "so sorry" + the feeling named ("that sounds incredibly painful"): a specific reaction
        found += [d._replace(strategy="emotion_strong") for d in found
                  if d.strategy == "emotion_intense"]  # fmt: skip
    found += asked
    found += _own_experience(words)
    found += [Detection("warmth", m.start(), m.end()) for m in _WARM_SYMBOLS.finditer(text)]
    found += _sarcastic_sentences(words)
    kept, _ = detect_strategies(text or "")
    found += [d for d in kept if d.strategy == "customer_name"]
    return tuple(found)


def _evidence_weight(strategy: str) -> float:
    """What a mechanism does to the support score: its weight, or minus the share a
    cancelling phrase takes away; 0 for level-only mechanisms (no evidence shown)."""
    if strategy in CANCELLING:
        return CANCEL_FACTOR - 1.0
    return MECHANISM_WEIGHTS.get(strategy, 0.0)


def _noisy_or(strategies: set[str]) -> float:
    keep = 1.0
    for strategy in strategies:
        keep *= 1.0 - MECHANISM_WEIGHTS.get(strategy, 0.0)
    score = 1.0 - keep
    return score * CANCEL_FACTOR if strategies & CANCELLING else score


class EmpathyScorer:
    """How much empathy an agent reply shows: none / weak / strong, score 0..1.

    Phrase rules give the mechanisms; where the shipped ``empathy_v1`` model exists, a
    caring-language probability (GoEmotions) adds "caring_language" for free wording.
    """

    task = "empathy"
    version = "2.0"
    labels = ("none", "weak", "strong")

    def __init__(
        self,
        lang: str = "auto",
        weak_threshold: float = 0.2,
        strong_threshold: float = 0.55,
        model: str | None = MODEL_NAME,
        caring_floor: float = 0.5,
    ) -> None:
        self.lang = lang
        self.weak_threshold = weak_threshold
        self.strong_threshold = strong_threshold
        self.model = model
        self.caring_floor = caring_floor

    def _ensure_model(self) -> None:
        if hasattr(self, "models_"):
            return
        self.models_: dict[str, dict] = {}
        if not self.model:
            return
        from scoring.models import load_model

        try:
            arrays, meta = load_model(self.model)
        except FileNotFoundError:
            return
        self.model_card_ = meta
        for lang in ("en", "ru"):
            part = {k[3:]: v.astype(np.float32) for k, v in arrays.items() if k[:3] == f"{lang}_"}
            # best-F1 thresholds on noisy data can be low; never fire below the floor
            metrics = meta["metrics"][lang]
            part["threshold"] = max(metrics["threshold"], self.caring_floor)
            part["strong_threshold"] = max(metrics["strong_threshold"], part["threshold"])
            self.models_[lang] = part

    def _resolve(self, texts: list[str], langs) -> list[str]:
        if langs is None and self.lang in ("ru", "en"):
            langs = self.lang
        return detect_languages(texts, langs)

    def caring_probability(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """P(caring language) from the GoEmotions model; zeros when no model is shipped."""
        self._ensure_model()
        texts = [t or "" for t in texts]
        resolved = self._resolve(texts, langs)
        out = np.zeros(len(texts))
        for lang, part in self.models_.items():
            rows = [i for i, r in enumerate(resolved) if r == lang]
            if rows:
                counts = [lexical_counts(texts[i]) for i in rows]
                z = float(part["intercept"]) + sum(
                    tfidf_matrix(count_matrix(counts, b), part[f"{b}_idf"]) @ part[f"{b}_coef"]
                    for b in ("word", "char")
                )
                out[rows] = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return out

    def _mechanisms(self, texts: list[str], langs) -> list[set[str]]:
        resolved = self._resolve(texts, langs)
        proba = self.caring_probability(texts, resolved)
        out = []
        for text, lang, p in zip(texts, resolved, proba, strict=True):
            found = {d.strategy for d in detect_mechanisms(text)}
            out.append(found | self._caring_levels(p, lang, found))
        return out

    def _caring_levels(self, p: float, lang: str, found: set[str]) -> set[str]:
        """Caring language from the model, unless the rules saw it negated or taken back
        ("I don't feel sorry for you": the n-grams read "sorry for you")."""
        part = self.models_.get(lang)
        if part is None or "negated" in found or found & CANCELLING:
            return set()
        if p >= part["strong_threshold"]:
            return {"caring_language", "caring_language_strong"}
        return {"caring_language"} if p >= part["threshold"] else set()

    def predict_scores(self, texts: Sequence[str], langs=None) -> np.ndarray:
        """Empathy score per text (fast path: no evidence objects)."""
        texts = [t or "" for t in texts]
        return np.array([_noisy_or(found) for found in self._mechanisms(texts, langs)])

    def label_for(self, score: float) -> str:
        if score >= self.strong_threshold:
            return "strong"
        return "weak" if score >= self.weak_threshold else "none"

    def score_texts(self, texts: Sequence[str], langs=None) -> list[ScoreResult]:
        """Label, score and the phrases that carry the empathy, per text."""
        texts = [t or "" for t in texts]
        resolved = self._resolve(texts, langs)
        proba = self.caring_probability(texts, resolved)
        results = []
        for text, lang, p in zip(texts, resolved, proba, strict=True):
            found = detect_mechanisms(text)
            caring = self._caring_levels(p, lang, {d.strategy for d in found})
            score = _noisy_or({d.strategy for d in found} | caring)
            evidence = [
                Evidence(d.start, d.end, d.strategy, _evidence_weight(d.strategy),
                         text[d.start : d.end])
                for d in found if _evidence_weight(d.strategy)
            ]  # fmt: skip
            if caring:
                evidence += self._caring_evidence(text, lang, float(p))
            results.append(ScoreResult(self.label_for(score), score, lang, tuple(evidence)))
        return results

    def _caring_evidence(self, text: str, lang: str, p: float, top: int = 2) -> list[Evidence]:
        """The words that made the caring-language model fire, else the whole message."""
        part = self.models_[lang]
        counts = lexical_counts(text)
        columns, tf = unique_counts(counts.word_raw)
        weights = part["word_coef"][columns] * tf
        best = {col for col, w in zip(columns.tolist(), weights, strict=True) if w > 0.5}
        spans = sorted(
            ((float(part["word_coef"][col]), s, e) for col, s, e, g in counts.spans
             if col in best and g.replace(" ", "").replace("'", "").isalnum()),
            reverse=True,
        )[:top]  # fmt: skip
        if not spans:
            return [Evidence(0, len(text), "caring_language", p, text[:80])]
        return [Evidence(s, e, "caring_language", p, text[s:e]) for _, s, e in spans]

    def mechanism_levels(self, texts: Sequence[str], mechanism: str, langs=None) -> np.ndarray:
        """EPITOME-style level 0/1/2 of one mechanism per text, from rules and the model."""
        weak, strong = EPITOME_RULES[mechanism]
        found = self._mechanisms([t or "" for t in texts], langs)
        if mechanism != "explorations":  # mock or dismissed feelings are no reaction
            found = [set() if f & CANCELLING else f for f in found]
        return np.array([2 if f & strong else 1 if f & weak else 0 for f in found], dtype=np.int64)


@dataclass(frozen=True, slots=True)
class MissedEmpathy:
    """An upset customer message answered by an agent reply without empathy."""

    customer_index: int
    agent_index: int
    upset: float
    empathy: float
    evidence: tuple[tuple[int, Evidence], ...]


def customer_upset(texts: Sequence[str]) -> np.ndarray:
    """A lexicon estimate (0..1) of how upset each customer message reads."""
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        words, _ = split_words(text or "")
        hits = [d for d in empathy_lexicon().find(words) if d.strategy == "upset"]
        shouting = sum(1 for w in words if len(w.text) >= 4 and w.text.isupper())
        out[i] = 1.0 - 0.5 ** (len(hits) + shouting + (text or "").count("!!"))
    return out


def _upset_evidence(index: int, text: str, upset: float) -> list[tuple[int, Evidence]]:
    words, _ = split_words(text)
    hits = [d for d in empathy_lexicon().find(words) if d.strategy == "upset"]
    if not hits:
        return [(index, Evidence(0, len(text), "customer_upset", upset, text[:80]))]
    return [
        (index, Evidence(d.start, d.end, "customer_upset", upset, text[d.start : d.end]))
        for d in hits
    ]


def find_missed_empathy(
    roles: Sequence[str],
    texts: Sequence[str],
    customer_negativity: Sequence[float | None] | None = None,
    scorer: EmpathyScorer | None = None,
    upset_threshold: float = 0.5,
    empathy_threshold: float = 0.2,
) -> list[MissedEmpathy]:
    """Upset customer turns whose agent replies (until the customer speaks again) show none.

    ``customer_negativity`` is aligned with ``texts`` (e.g. P(negative) from the sentiment
    scorer, or anger/sadness from the emotion scorer); where it is missing, a lexicon of
    complaint wording and shouting stands in. Turns nobody answered are not counted here:
    that is a responsiveness problem, not an empathy one.
    """
    scorer = scorer or EmpathyScorer()
    texts = [t or "" for t in texts]
    customer = [i for i, r in enumerate(roles) if r == "customer"]
    lexical = dict(zip(customer, customer_upset([texts[i] for i in customer]), strict=True))
    agent = [i for i, r in enumerate(roles) if r == "agent"]
    empathy = dict(zip(agent, scorer.predict_scores([texts[i] for i in agent]), strict=True))
    events = []
    for pos, c in enumerate(customer):
        given = customer_negativity[c] if customer_negativity is not None else None
        upset = float(given) if given is not None else float(lexical[c])
        if upset < upset_threshold:
            continue
        end = customer[pos + 1] if pos + 1 < len(customer) else len(texts)
        replies = [i for i in agent if c < i < end]
        if not replies or max(empathy[i] for i in replies) >= empathy_threshold:
            continue
        evidence = _upset_evidence(c, texts[c], upset)
        evidence.append((replies[0], Evidence(0, len(texts[replies[0]]), "no_empathy", 0.0, "")))
        events.append(
            MissedEmpathy(
                c, replies[0], upset, float(max(empathy[i] for i in replies)), tuple(evidence)
            )
        )
    return events
