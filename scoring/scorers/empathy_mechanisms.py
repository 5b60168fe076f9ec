"""Which empathy mechanisms one reply uses: the rules behind ``EmpathyScorer``.

Acknowledgement, validation, inferred feelings, own emotions, reassurance, questions about
the reader's experience, own-experience sharing, and the wording that takes empathy back
(dismissal, mock sympathy, non-apologies). Lemma-based phrase lexicons
(``lexicons/empathy_*.tsv``) plus a few structural rules (a frame followed by a feeling,
first-person past stories, questions addressed to the reader), written from the mechanism
definitions of Sharma et al. (EMNLP 2020); nothing is fitted on EPITOME.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from scoring.scorers.politeness_lexicon import (
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
from scoring.scorers.politeness_strategies import detect_strategies

# Wording that takes the empathy back (the scorer multiplies its score down).
CANCELLING = frozenset({"dismissal", "sarcasm", "non_apology"})
NEGATABLE = frozenset(
    {"acknowledgement", "validation", "emotion_weak", "emotion_intense", "emotion_strong", "warmth",
     "self_disclosure", "apology_plain"}
)  # fmt: skip
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
#: After "sorry (that) we", what makes it a refusal, not ownership: "Sorry, we don't have an
#: ETA", "sorry, we can't", "sorry, we are unable to" (apology yes, ownership no), whereas
#: "sorry we missed your call" and "sorry we didn't reply sooner" own a failing.
_REFUSING = frozenset({"don't", "can't", "cannot", "aren't", "won't", "doesn't", "isn't",
                       "currently", "only", "no"})  # fmt: skip
_REFUSING_AUX = frozenset({"do", "does", "are", "can", "will", "have"})
_REFUSING_AFTER_AUX = frozenset({"not", "unable", "no"})


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
        n, pairs = len(words), self.pairs
        for i in [i for i, word in enumerate(words) if word[3] in pairs]:  # Word.key
            word = words[i]
            by_second = pairs[word.key]
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


def _refusal_follows(words, j: int) -> bool:
    """Whether the ownership phrase ending at word ``j`` ("sorry we") goes on to refuse."""
    if words[j].lower != "we" or j + 1 >= len(words):
        return False
    after = words[j + 1].lower
    if after in _REFUSING:
        return True
    return (
        after in _REFUSING_AUX and j + 2 < len(words) and words[j + 2].lower in _REFUSING_AFTER_AUX
    )


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
        if det.strategy == "apology_ownership" and _refusal_follows(words, last[det.end]):
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
