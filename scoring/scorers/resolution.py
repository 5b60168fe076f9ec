"""Was the customer's problem solved? Markers per message, a verdict per conversation.

Four kinds of marker, from editable lexicons (``lexicons/resolution_{ru,en}.tsv``):
the customer confirms ("спасибо, всё заработало"), the agent gives next steps ("в течение
3 рабочих дней"), the customer says it is still unresolved ("still broken"), and
escalation ("передам коллегам", "supervisor"). Beside them, an agent's answer: something
concrete the customer can use (a phone number, a time, "I've booked it", "go to
Settings", "shall I book it?"); most support chats end without the customer confirming
anything, and this is what a reviewer looks for then. A confirmation preceded by a negation in
the same clause ("не заработало", "that didn't fix it") counts as unresolved. Repeat
contacts by the same customer within N days are computed from data by ``repeat_contacts``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from scoring.base import Evidence, ScoreResult, Signal, compact_pickle
from scoring.lexicons import LEXICON_DIR
from scoring.text import detect_languages

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

CATEGORIES = ("confirmed", "next_steps", "unresolved", "escalation")
ANSWER = "answer"
# An answer is either a statement ("answer": a fact, a done action, an instruction) or an
# "offer" to do a specific thing; "readback" (details read back for the customer to
# confirm) is never evidence itself, it only cancels the statements of its message.
ANSWER_KINDS = (ANSWER, "offer", "readback")
ETIQUETTE = ("greeting", "closing", "clarifying", "apology", "thanks")
CATEGORY_WEIGHT = {"confirmed": 1.0, "next_steps": 0.5, "unresolved": -1.0, "escalation": -0.25}
CATEGORY_WEIGHT.update({ANSWER: 0.25, "offer": 0.25})
CATEGORY_WEIGHT.update(dict.fromkeys(ETIQUETTE, 0.0))
_NEGATIONS = {
    "ru": {"не", "ни", "нет", "ничего", "никак", "никогда"},
    "en": {"not", "never", "no", "nothing", "hardly", "cannot"},
}
_NEG_SUFFIX = ("n't", "n’t", "nt")
_CLAUSE_BREAK = re.compile(r"[.!?;:,\n]")
_WORD = re.compile(r"[^\W\d_]+(?:'[a-z]+)?")
# Question words that turn an offer into a request for details: "what time would you like
# me to book?", «на какое время вы хотите забронировать?».
_DETAIL_QUESTION = {
    "ru": {"какой", "какое", "какая", "какие", "каком", "какую", "каких", "сколько", "когда",
           "куда", "где", "во", "кто", "откуда"},
    "en": {"what", "which", "how", "when", "where", "who", "whom"},
}  # fmt: skip
_CLAUSE_END = re.compile(r"[.!?,;](?=\s|$)|\n")


@lru_cache(maxsize=4)
def _pattern_parts(lang: str) -> dict[str, tuple[str, ...]]:
    parts: dict[str, list[str]] = {c: [] for c in (*CATEGORIES, *ANSWER_KINDS, *ETIQUETTE)}
    path = LEXICON_DIR / f"resolution_{lang}.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, pattern = line.split("\t", 1)
        parts[category].append(f"(?:{pattern.strip()})")
    return {c: tuple(p) for c, p in parts.items() if p}


def _compile(parts: Iterable[str]) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


@lru_cache(maxsize=4)
def load_patterns(lang: str) -> dict[str, re.Pattern]:
    """One alternation per category so a message is scanned once per category."""
    return {c: _compile(p) for c, p in _pattern_parts(lang).items()}


@lru_cache(maxsize=32)
def any_marker(lang: str, kinds: tuple[str, ...]) -> re.Pattern | None:
    """All markers of ``kinds`` in one alternation. Its first match is where the earliest
    marker of any kind starts: most messages have none (three customer messages in four),
    and one search of it costs about a quarter of the per-kind scans."""
    parts = _pattern_parts(lang)
    joined = [p for kind in dict.fromkeys(kinds) for p in parts.get(kind, ())]
    return _compile(joined) if joined else None


def _words_before(lowered: str, start: int, n: int) -> list[str]:
    """The last ``n`` words before ``start`` in the same clause."""
    window = lowered[max(0, start - 40) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    return _WORD.findall(window)[-n:]


def is_negated(lowered: str, start: int, lang: str) -> bool:
    """A negation among the three words before ``start`` in the same clause."""
    words = _words_before(lowered, start, 3)
    negations = _NEGATIONS.get(lang, _NEGATIONS["en"])
    return any(w in negations or w.endswith(_NEG_SUFFIX) for w in words)


@compact_pickle
@dataclass(frozen=True, slots=True)
class ResolutionMarks:
    """Marker kinds found in one message (``CATEGORIES`` and ``ETIQUETTE``) with spans."""

    found: frozenset[str]
    evidence: tuple[Evidence, ...]

    confirmed = property(lambda self: "confirmed" in self.found)
    next_steps = property(lambda self: "next_steps" in self.found)
    unresolved = property(lambda self: "unresolved" in self.found)
    escalation = property(lambda self: "escalation" in self.found)
    answer = property(lambda self: ANSWER in self.found or "offer" in self.found)

    @property
    def label(self) -> str:
        for name in ("unresolved", "escalation", "confirmed", "next_steps", ANSWER, "offer"):
            if name in self.found:
                return name
        return "none"


NO_MARKS = ResolutionMarks(frozenset(), ())
ALL_KINDS = ("unresolved", "confirmed", "next_steps", "escalation", *ANSWER_KINDS, *ETIQUETTE)
# What each side of a conversation can say: the pipeline scans only these.
ROLE_KINDS = {
    "customer": ("unresolved", "confirmed", "escalation"),
    "agent": ("next_steps", "escalation", *ANSWER_KINDS, *ETIQUETTE),
    "bot": ("next_steps", "escalation", *ANSWER_KINDS, *ETIQUETTE),
}


def find_marks(text: str, lang: str, kinds: Sequence[str] = ALL_KINDS) -> ResolutionMarks:
    """Scan one text for markers of ``kinds``; a negated confirmation is unresolved."""
    lowered = (text or "").lower().replace("ё", "е")
    lang = lang if lang in ("ru", "en") else "en"
    first = any_marker(lang, tuple(kinds))
    found_at = first.search(lowered) if first is not None else None
    if found_at is None:
        return NO_MARKS
    origin = found_at.start()  # no marker of any kind starts earlier
    patterns = load_patterns(lang)
    evidence: list[Evidence] = []
    unresolved_spans: list[tuple[int, int]] = []
    readback = "readback" in kinds and _found(patterns, "readback", lowered, origin)
    for category in kinds:
        pattern = patterns.get(category)
        if category == "readback":
            continue
        for match in pattern.finditer(lowered, origin) if pattern else ():
            start, end = match.span()
            rule, weight = f"resolution.{category}", CATEGORY_WEIGHT[category]
            if category == ANSWER and (readback or _in_question(lowered, end)):
                continue
            if category == "offer" and _asks_for_details(lowered, start, lang):
                continue
            if category == "unresolved":
                unresolved_spans.append((start, end))
            elif category == "confirmed":
                if any(s < end and start < e for s, e in unresolved_spans):
                    continue
                if is_negated(lowered, start, lang):
                    rule, weight = "resolution.negated_confirmation", -1.0
            evidence.append(Evidence(start, end, rule, weight, text[start:end]))
    found = frozenset(
        "unresolved" if e.rule == "resolution.negated_confirmation" else e.rule[11:]
        for e in evidence
    )
    return ResolutionMarks(found, _joined(sorted(evidence, key=lambda e: e.start), text))


def _joined(evidence: list[Evidence], text: str) -> tuple[Evidence, ...]:
    """Answer spans a space apart (or overlapping) read as one: «Телефон: 01223358966», not
    «Телефон:» and the number as two pieces of evidence."""
    out: list[Evidence] = []
    for item in evidence:
        last = out[-1] if out else None
        if (
            last is not None
            and last.rule == item.rule == f"resolution.{ANSWER}"
            and item.start - last.end <= 2  # a space apart, or overlapping
            and not text[last.end : item.start].strip()
        ):
            item = Evidence(
                last.start,
                max(last.end, item.end),
                item.rule,
                item.weight,
                text[last.start : max(last.end, item.end)],
            )
            out[-1] = item
        else:
            out.append(item)
    return tuple(out)


def _found(patterns: dict[str, re.Pattern], kind: str, lowered: str, origin: int) -> bool:
    pattern = patterns.get(kind)
    return pattern is not None and pattern.search(lowered, origin) is not None


def _in_question(lowered: str, end: int) -> bool:
    """The clause holding ``end`` ends with a question mark: "a table at 7 pm today?"
    reads the customer's details back; "The number is 0122 336 6611, anything else?" still
    answers (the comma ends the answer's clause)."""
    stop = _CLAUSE_END.search(lowered, end)
    return stop is not None and stop.group() == "?"


def _asks_for_details(lowered: str, start: int, lang: str) -> bool:
    """A question word among the four words before ``start`` in the same clause."""
    words = _words_before(lowered, start, 4)
    return any(w in _DETAIL_QUESTION.get(lang, _DETAIL_QUESTION["en"]) for w in words)


class ResolutionScorer:
    """Per-message resolution markers, following the TextScorer contract.

    ``score`` is -1 (unresolved) .. 1 (confirmed): the weight of the strongest marker.
    """

    task = "resolution"
    version = "resolution-1"
    labels = ("unresolved", "escalation", "none", "offer", ANSWER, "next_steps", "confirmed")

    def __init__(self, lang: str = "auto") -> None:
        self.lang = lang

    def find(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> list[ResolutionMarks]:
        langs = detect_languages(texts, langs if langs is not None else self._langs(texts))
        return [find_marks(t, lang) for t, lang in zip(texts, langs, strict=True)]

    def predict_flags(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> np.ndarray:
        """Numbers only: an (n, 4) boolean array in the order of ``CATEGORIES``."""
        import numpy as np  # not at import time: the pipeline's main process never needs it

        marks = self.find(texts, langs)
        flags = [[c in m.found for c in CATEGORIES] for m in marks]
        return np.array(flags, dtype=bool).reshape(len(marks), len(CATEGORIES))

    def score_texts(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> list[ScoreResult]:
        langs = detect_languages(texts, langs if langs is not None else self._langs(texts))
        out = []
        for text, lang in zip(texts, langs, strict=True):
            marks = find_marks(text, lang)
            score = CATEGORY_WEIGHT.get(marks.label, 0.0)
            out.append(ScoreResult(marks.label, score, lang, marks.evidence))
        return out

    def _langs(self, texts: Sequence[str]) -> list[str] | None:
        return None if self.lang == "auto" else [self.lang] * len(texts)


@compact_pickle
@dataclass(frozen=True, slots=True)
class ConversationResolution:
    """Conversation verdict: status plus the message index of the deciding evidence."""

    status: str  # resolved | pending | unresolved | escalated | unknown
    confirmed: bool
    next_steps: bool
    unresolved: bool
    escalation: bool
    evidence: tuple[tuple[int, Evidence], ...]


def resolve_conversation(
    roles: Sequence[str], marks: Sequence[ResolutionMarks]
) -> ConversationResolution:
    """The customer's *last* word decides confirmed vs unresolved: a confirmation followed
    by a later complaint is unresolved, and vice versa."""
    last_customer_state: str | None = None
    next_steps = escalation = False
    evidence: list[tuple[int, Evidence]] = []
    for index, (role, mark) in enumerate(zip(roles, marks, strict=True)):
        evidence.extend((index, e) for e in mark.evidence)
        escalation = escalation or mark.escalation
        if role == "customer":
            if mark.unresolved:
                last_customer_state = "unresolved"
            elif mark.confirmed:
                last_customer_state = "confirmed"
        elif role == "agent":
            next_steps = next_steps or mark.next_steps
    confirmed = last_customer_state == "confirmed"
    unresolved = last_customer_state == "unresolved"
    if confirmed:
        status = "resolved"
    elif escalation:
        status = "escalated"
    elif unresolved:
        status = "unresolved"
    elif next_steps:
        status = "pending"
    else:
        status = "unknown"
    return ConversationResolution(
        status, confirmed, next_steps, unresolved, escalation, tuple(evidence)
    )


def repeat_contacts(
    records: pd.DataFrame | Iterable[tuple[str, str, object]], within_days: float = 7
) -> pd.DataFrame:
    """Repeat contacts by the same customer within ``within_days``, from data.

    ``records`` are (conversation_id, customer_id, started_at) rows. Returns one row per
    conversation with ``is_repeat`` (an earlier contact within the window), the previous
    conversation and the gap in days, and ``followed_by_repeat`` (the customer came back
    within the window: the usual proxy for "not resolved at first contact").
    """
    import pandas as pd  # only this function needs it; scorer workers stay lighter

    frame = (
        records.loc[:, ["conversation_id", "customer_id", "started_at"]].copy()
        if isinstance(records, pd.DataFrame)
        else pd.DataFrame(list(records), columns=["conversation_id", "customer_id", "started_at"])
    )
    frame["started_at"] = pd.to_datetime(frame["started_at"], utc=True, format="mixed")
    frame = frame.sort_values(["customer_id", "started_at", "conversation_id"], kind="stable")
    by_customer = frame.groupby("customer_id", sort=False, dropna=True)
    gap_prev = (frame["started_at"] - by_customer["started_at"].shift(1)).dt.total_seconds() / 86400
    gap_next = (
        by_customer["started_at"].shift(-1) - frame["started_at"]
    ).dt.total_seconds() / 86400
    known = frame["customer_id"].notna()
    frame["previous_conversation_id"] = by_customer["conversation_id"].shift(1)
    frame["days_since_previous"] = gap_prev
    frame["is_repeat"] = known & (gap_prev <= within_days).fillna(False)
    frame["followed_by_repeat"] = known & (gap_next <= within_days).fillna(False)
    return frame.reset_index(drop=True)


def _first_evidence(
    marks: Sequence[ResolutionMarks], indices: Iterable[int], category: str
) -> tuple[tuple[int, Evidence], ...]:
    rule = f"resolution.{category}"
    return tuple((i, e) for i in indices for e in marks[i].evidence if e.rule == rule)[:3]


def resolution_signals(roles: Sequence[str], marks: Sequence[ResolutionMarks]) -> list[Signal]:
    """Conversation signals: resolution verdict, next steps, ``resolves`` (some agent reply
    answers, acts, instructs, offers a specific action or gives next steps: the reference
    set's "resolves" label), escalation, clarifying questions, greeting (first agent
    message) and closing (last two agent messages)."""
    verdict = resolve_conversation(roles, marks)
    agent = [i for i, r in enumerate(roles) if r == "agent"]
    customer = [i for i, r in enumerate(roles) if r == "customer"]

    def flag(category: str, indices: Sequence[int]) -> tuple[float, tuple]:
        evidence = _first_evidence(marks, indices, category)
        return float(bool(evidence)), evidence

    confirmed = 1.0 if verdict.confirmed else 0.0 if verdict.unresolved else 0.5
    negated = _first_evidence(marks, customer, "negated_confirmation")
    next_steps, next_ev = flag("next_steps", agent)
    resolving = [_first_evidence(marks, agent, kind) for kind in (ANSWER, "offer", "next_steps")]
    resolve_ev = tuple(sorted((e for found in resolving for e in found), key=lambda e: e[0]))[:3]
    resolves = float(bool(resolve_ev))
    greeting, greet_ev = flag("greeting", agent[:1])
    closing, close_ev = flag("closing", agent[-2:])
    clarifying, clar_ev = flag("clarifying", agent)
    apology, apology_ev = flag("apology", agent)
    thanks, thanks_ev = flag("thanks", agent)
    return [
        Signal("resolution_confirmed", float(verdict.confirmed), "flag", confirmed, verdict.status,
               _first_evidence(marks, customer, "confirmed") + negated),
        Signal("unresolved", float(verdict.unresolved), "flag", 1.0 - float(verdict.unresolved),
               evidence=(_first_evidence(marks, customer[::-1], "unresolved") + negated)
               if verdict.unresolved else ()),
        Signal("next_steps", next_steps, "flag",
               max(next_steps, float(verdict.confirmed)) if agent else None, evidence=next_ev),
        Signal("resolves", resolves, "flag", max(resolves, float(verdict.confirmed))
               if agent else None, evidence=resolve_ev),
        Signal("escalation", float(verdict.escalation), "flag", None,
               evidence=_first_evidence(marks, range(len(marks)), "escalation")),
        Signal("clarifying_questions", clarifying, "flag", clarifying if agent else None,
               evidence=clar_ev),
        Signal("greeting", greeting, "flag", greeting if agent else None, evidence=greet_ev),
        Signal("closing", closing, "flag", closing if agent else None, evidence=close_ev),
        Signal("apology", apology, "flag", apology if agent else None, evidence=apology_ev),
        Signal("thanks", thanks, "flag", thanks if agent else None, evidence=thanks_ev),
    ]  # fmt: skip
