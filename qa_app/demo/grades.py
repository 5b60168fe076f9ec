"""How a demo reviewer grades a demo conversation: from what happened in it, plus noise and
the reviewer's bias.

A reviewer reads the transcript: did the agent greet, use the name, thank, apologise, stay
polite, confirm the fix, close properly? Those facts are found in the agents' and
customers' messages using the demo corpus's own phrase bank (the lines it writes are known),
and the agent's persona sets the rest (the jargon agent explains poorly, the new hire gets
better week by week). Each criterion gets a quality between 0 and 1, the reviewer's bias
and noise move it, and it lands on the nearest level of the criterion's scale.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache

from qa_app.services.reviews import GradeInput, ReviewDraft
from scoring.rubric.files import Criterion, Rubric

#: Phrase-bank keys whose lines show a fact in agent messages (customer keys under "customer").
AGENT_MARKS = {
    "greeted": ("greet_named", "greet_plain", "phone_pickup", "intro"),
    "thanked": ("thanks_contact", "warm_extra", "fluff"),
    "empathised": ("empathy", "empathy_angry"),
    "apologised": ("empathy_angry", "typo_fix"),
    "confirmed": ("confirm", "next_steps"),
    "closed": ("closing", "warm_extra"),
    "curt_close": ("curt_close",),
    "rude": ("rude", "rude_prefix"),
    "jargon": ("jargon_general",),
    "wrong_info": ("typo_fix",),
    "asked_bug": ("bug_request",),
}
CUSTOMER_MARKS = {"missed_point": ("repeat",), "confused": ("confused_tail",)}
MARKUP = re.compile(r"\{\w+\}|\[[^\]]*\]|<[^>]*>")
MIN_CHUNK = 8
NOISE = 0.09  # a reviewer's day-to-day wobble on the 0-1 quality scale
CALIBRATED_AFTER_WEEK = 5  # biases shrink after the first calibration session

#: What a persona does when the transcript alone does not tell (quality 0-1 per aspect).
PERSONA = {
    #               tone  patience knowledge clarity structure proactive questions
    "warm_slow": (0.92, 0.95, 0.75, 0.80, 0.75, 0.75, 0.75),
    "fast_curt": (0.35, 0.35, 0.65, 0.55, 0.25, 0.10, 0.35),
    "jargon": (0.55, 0.65, 0.75, 0.12, 0.40, 0.40, 0.50),
    "resolver": (0.85, 0.85, 0.92, 0.90, 0.95, 0.85, 0.88),
    "polite_misses": (0.75, 0.75, 0.35, 0.70, 0.45, 0.25, 0.18),
    "rude_under_pressure": (0.60, 0.55, 0.75, 0.70, 0.65, 0.45, 0.60),
    "new_hire": (0.70, 0.75, 0.40, 0.65, 0.55, 0.40, 0.55),
    "solid": (0.70, 0.75, 0.75, 0.75, 0.70, 0.50, 0.65),
}
ASPECTS = ("tone", "patience", "knowledge", "clarity", "structure", "proactive", "questions")


@dataclass(frozen=True, slots=True)
class ConversationFacts:
    """What a reviewer can tell about one conversation."""

    persona: str
    skill: float  # 0 in a new hire's first week, 1 once learned (1 for everyone else)
    language: str
    channel: str
    angry: bool
    bug: bool
    repeat: bool
    resolved: bool
    escalated: bool
    name_known: bool
    name_used: bool
    sla_breached: bool
    marks: frozenset[str]

    def aspect(self, name: str) -> float:
        base = PERSONA.get(self.persona, PERSONA["solid"])[ASPECTS.index(name)]
        if self.persona == "new_hire" and name in ("knowledge", "clarity", "structure"):
            return base + (0.85 - base) * self.skill
        return base


def _chunk(template: str) -> str:
    pieces = [p.strip(" ,.!?:;—-–«»\"'()").lower() for p in MARKUP.split(template)]
    return max(pieces, key=len, default="")


@lru_cache(maxsize=4)
def fingerprints(language: str) -> dict[str, tuple[str, ...]]:
    """Distinctive fragments of the corpus's lines per fact; empty without the corpus."""
    try:
        from qa_app.demo.corpus.phrasebook import load_bank
    except ImportError:  # the app runs without the demo package: persona traits only
        return {}
    bank = load_bank(language)
    out: dict[str, tuple[str, ...]] = {}
    for fact, keys in (AGENT_MARKS | CUSTOMER_MARKS).items():
        source = bank.get("customer", {}) if fact in CUSTOMER_MARKS else bank
        chunks = {_chunk(t) for key in keys for t in source.get(key, []) if isinstance(t, str)}
        out[fact] = tuple(c for c in chunks if len(c) >= MIN_CHUNK)
    return out


def find_marks(language: str, agent_text: str, customer_text: str) -> frozenset[str]:
    """Facts whose lines appear in the agent's (or, for some, the customer's) messages."""
    agent_low, customer_low = agent_text.lower(), customer_text.lower()
    found = set()
    for fact, chunks in fingerprints(language).items():
        text = customer_low if fact in CUSTOMER_MARKS else agent_low
        if any(chunk in text for chunk in chunks):
            found.add(fact)
    return frozenset(found)


def _pass(flag: bool) -> float:
    return 0.92 if flag else 0.08


def _quality(cid: str, f: ConversationFacts) -> float | None:
    """The criterion's true quality in this conversation (0-1), or None when N/A."""
    m, rude = f.marks, "rude" in f.marks
    if cid == "acknowledges_feelings":
        return 0.05 if rude else (0.85 if "empathised" in m else (0.2 if f.angry else 0.45))
    if cid == "patience":
        return 0.05 if rude else f.aspect("patience")
    if cid == "positive_tone":
        return 0.1 if rude else f.aspect("tone")
    if cid == "correct_information":
        if "wrong_info" in m:
            return 0.3
        return 0.45 if "missed_point" in m else max(0.55, f.aspect("knowledge"))
    if cid == "product_knowledge":
        return f.aspect("knowledge") - (0.2 if "wrong_info" in m else 0.0)
    if cid == "follows_process":
        return 0.35 if "missed_point" in m else 0.55 + 0.35 * f.aspect("knowledge")
    if cid == "plain_language":
        return min(f.aspect("clarity"), 0.15 if "jargon" in m or "confused" in m else 1.0)
    if cid == "structured_answer":
        return f.aspect("structure")
    if cid == "literate_writing":
        return None if f.channel == "phone" else 0.35 + 0.6 * f.skill
    if cid == "first_contact_resolution":
        if f.resolved:
            return 1.0 if "confirmed" in m else 0.8
        return 0.6 if f.escalated or "confirmed" in m else (0.2 if f.repeat else 0.35)
    if cid == "confirms_resolution":
        return _pass("confirmed" in m)
    if cid == "proactive_help":
        return f.aspect("proactive")
    if cid == "objection_handling":
        if not (f.angry or f.repeat):
            return None
        return 0.1 if rude else f.aspect("tone") * 0.6 + f.aspect("questions") * 0.3
    if cid == "response_time":
        return 0.25 if f.sla_breached else 0.9
    if cid == "professional_tone":
        return _pass(not rude)
    if cid == "greeting":
        return _pass("greeted" in m)
    if cid == "customer_name":
        return _pass(f.name_used) if f.name_known else None
    if cid == "thanks":
        return _pass("thanked" in m)
    if cid == "apology_where_due":
        due = f.angry or f.repeat or "wrong_info" in m
        return _pass("apologised" in m) if due else None
    if cid == "no_interrupting":
        return None if f.channel == "email" else (0.3 if rude else f.aspect("patience") + 0.1)
    if cid == "proper_closing":
        return _pass("closed" in m and "curt_close" not in m)
    if cid == "clarifying_questions":
        return 0.15 if "missed_point" in m else f.aspect("questions")
    if cid in ("bug_reproduction_steps", "expected_vs_actual", "environment_and_contacts"):
        return (0.85 if "asked_bug" in m else 0.1) if f.bug else None
    return 0.7  # a criterion the demo knows nothing about: an ordinary grade


def level_for(criterion: Criterion, quality: float) -> float:
    """The scale level nearest to ``quality`` (0 = lowest level, 1 = highest)."""
    values = criterion.scale.values
    index = round(max(0.0, min(1.0, quality)) * (len(values) - 1))
    return values[index]


def grade_conversation(
    rubric: Rubric, facts: ConversationFacts, bias: float, rng: random.Random, noise: float = 0.1
) -> dict[str, float | None]:
    """Every criterion graded (None = N/A), as a reviewer with ``bias`` would."""
    grades: dict[str, float | None] = {}
    for criterion in rubric.criteria():
        quality = _quality(criterion.id, facts)
        if quality is None:
            if criterion.na_allowed:
                grades[criterion.id] = None
                continue
            quality = 0.7
        grades[criterion.id] = level_for(criterion, quality + bias + rng.gauss(0.0, noise))
    return grades


COMMENTS = {
    "acknowledges_feelings": ("The customer was upset; no acknowledgement.", "Клиент был расстроен, но сотрудник этого не заметил."),
    "patience": ("Rushed the customer.", "Торопил клиента."),
    "positive_tone": ("Cold wording, refusals without alternatives.", "Сухие формулировки, отказ без альтернативы."),
    "correct_information": ("The first answer was wrong.", "Первый ответ был неверным."),
    "product_knowledge": ("Unsure about the product details.", "Неуверенно знает продукт."),
    "plain_language": ("Too much jargon; the customer got lost.", "Слишком много жаргона, клиент запутался."),
    "structured_answer": ("Answer not structured; hard to follow.", "Ответ без структуры, трудно следить."),
    "literate_writing": ("Several typos.", "Несколько опечаток."),
    "first_contact_resolution": ("Left without a solution or a plan.", "Клиент остался без решения и без плана."),
    "confirms_resolution": ("Did not check that the fix worked.", "Не проверил, что проблема решена."),
    "professional_tone": ("Blamed the customer; this fails the conversation.", "Обвинил клиента — это провал разговора."),
    "greeting": ("No greeting.", "Не поздоровался."),
    "customer_name": ("Name known but never used.", "Имя известно, но не прозвучало."),
    "thanks": ("No thanks at any point.", "Ни разу не поблагодарил."),
    "apology_where_due": ("An apology was due.", "Здесь нужно было извиниться."),
    "proper_closing": ("Conversation just stops.", "Разговор просто обрывается."),
    "clarifying_questions": ("Answered a different question.", "Ответил не на тот вопрос."),
    "bug_reproduction_steps": ("No steps to reproduce collected.", "Шаги воспроизведения не собраны."),
}  # fmt: skip
PRAISE = {
    "first_contact_resolution": ("Solved and confirmed, well done.", "Решено и подтверждено, отлично."),
    "acknowledges_feelings": ("Good empathy with an upset customer.", "Хорошая эмпатия с расстроенным клиентом."),
}  # fmt: skip


def comments_for(
    rubric: Rubric, grades: dict[str, float | None], language: str, rng: random.Random
) -> dict[str, str]:
    """Short comments where a reviewer would write one: low grades, now and then praise."""
    index = 1 if language == "ru" else 0
    out = {}
    for criterion in rubric.criteria():
        value = grades.get(criterion.id)
        if value is None:
            continue
        position = criterion.scale.position(value)
        if position <= 25 and criterion.id in COMMENTS and rng.random() < 0.7:
            out[criterion.id] = COMMENTS[criterion.id][index]
        elif position == 100 and criterion.id in PRAISE and rng.random() < 0.25:
            out[criterion.id] = PRAISE[criterion.id][index]
    return out


def effective_bias(bias: float, week: int) -> float:
    """Calibration works: after the first session a reviewer's bias is halved."""
    return bias if week < CALIBRATED_AFTER_WEEK else bias * 0.5


def draft_of(
    rubric: Rubric, grades: dict[str, float | None], comments: dict[str, str], comment: str = ""
) -> ReviewDraft:
    """The review form as a reviewer fills it: a value or N/A for every criterion."""
    known = set(rubric.criterion_ids())
    return ReviewDraft(
        grades={
            cid: GradeInput(value, value is None, comments.get(cid, ""))
            for cid, value in grades.items()
            if cid in known
        },
        comment=comment,
    )


def persona_true_quality() -> dict[str, float]:
    """Each demo agent's true quality, 0-100: the mean of their persona's seven aspect
    qualities in ``PERSONA`` (the part of a grade the demo reviewer takes from who the agent
    is rather than from noise or their own bias; a new hire counts half-way through their
    learning). Rankings of the review data are checked against it (``qa-studio stats
    ranking``)."""
    from qa_app.demo.corpus.personas import AGENTS

    truth = {}
    for agent in AGENTS:
        aspects = list(PERSONA.get(agent.persona, PERSONA["solid"]))
        if agent.persona == "new_hire":
            for name in ("knowledge", "clarity", "structure"):
                i = ASPECTS.index(name)
                aspects[i] += (0.85 - aspects[i]) * 0.5
        truth[agent.login] = 100.0 * sum(aspects) / len(aspects)
    return truth
