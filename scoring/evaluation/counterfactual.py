"""Counterfactual identity test (issue 18, item 7): change only who is talking and check that
no automatic label flips.

A study of automatic judges of contact-centre transcripts found verdicts flipping when only
names, gender or context changed. Here every conversation is rewritten with the agent's and
customer's names swapped for names of the other gender (Russian names inflected into the
same case with pymorphy3), gendered forms swapped (Russian past-tense verbs and short
adjectives or participles, "рад"/"рада", "проверил"/"проверила"; English titles and forms
of address), and company names replaced; the AutoQA pipeline scores both versions and
every per-message label and conversation-signal label is compared.

A label flip is a failure (target 0). Scores may move a little because a different name is
a different string (hashed n-grams of "Ольга" and "Андрей" differ); the largest move is
reported and tested against ``SCORE_TOLERANCE``: 0.05 on a 0..1 scale is a twentieth of
the range, below the smallest gap between two rubric levels a suggestion maps to.

Swapping every past-tense form also swaps those whose subject is a thing ("заказ пришёл" ->
"заказ пришла"): ungrammatical, which only makes the test harsher.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scoring.evaluation import EvalResult
from scoring.pipeline.conversation import Conversation, Message

SCORE_TOLERANCE = 0.05

# Opposite-gender counterparts (both directions are built from these pairs).
RU_NAME_PAIRS = (
    ("Ольга", "Андрей"), ("Ирина", "Алексей"), ("Татьяна", "Михаил"), ("Екатерина", "Николай"),
    ("Светлана", "Владимир"), ("Юлия", "Артём"), ("Анастасия", "Павел"), ("Марина", "Евгений"),
    ("Дарья", "Роман"), ("Людмила", "Константин"), ("Вера", "Олег"), ("Алина", "Григорий"),
    ("Анна", "Иван"), ("Мария", "Сергей"), ("Елена", "Дмитрий"), ("Наталья", "Максим"),
)  # fmt: skip
EN_NAME_PAIRS = (
    ("Emma", "James"), ("Olivia", "Daniel"), ("Sophie", "Liam"), ("Chloe", "Noah"),
    ("Grace", "Ethan"), ("Megan", "Marcus"), ("Hannah", "Ben"), ("Priya", "Chris"),
    ("Amelia", "Ahmed"), ("Rachel", "Kevin"), ("Zoe", "Luke"), ("Linda", "George"),
    ("Anna", "John"), ("Mary", "Michael"), ("Sarah", "David"), ("Laura", "Mark"),
)  # fmt: skip
# How the customer or agent is addressed (third-person pronouns are about someone else).
EN_GENDERED = {
    "mr": "ms", "ms": "mr", "mrs": "mr", "sir": "madam", "madam": "sir",
    "ma'am": "sir",
}  # fmt: skip
# Company and brand names (the reference sources' and common telecom/bank brands) and their
# stand-ins. The demo's teams are departments named by what they handle (Tier 1, Billing,
# Tech Support, International): "Tier 2" or "Billing" says what the case is about (an
# escalation, a payment), so they are not identity and are left as they are.
ORGANISATIONS = {
    "Cambridge TownInfo": "Oxford CityDesk",
    "TownInfo": "CityDesk", "Fios": "Linka", "Verizon": "Telecomia", "Ростелеком": "Телекомия",
    "Сбербанк": "Банк Восток", "Сбер": "Восток", "МТС": "Связьком", "Билайн": "Телесеть",
}  # fmt: skip
# Adjectives of address that agree with the customer ("Уважаемая Анна").
_ADDRESS_ADJECTIVES = frozenset({"уважаемый", "дорогой", "любезный"})
_WORD = re.compile(r"[A-Za-z']+")
_RU_TOKEN = re.compile(r"[А-Яа-яЁё]+|[.!?\n]+")
SPEAKER_WINDOW = 4


def _pairs(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    return {a: b for a, b in pairs} | {b: a for a, b in pairs}


EN_NAMES = _pairs(EN_NAME_PAIRS)
RU_NAMES = _pairs(RU_NAME_PAIRS)


@lru_cache(maxsize=1)
def _morph():
    from scoring.text.tokens import _morph as shared

    return shared()


def _match_case(word: str, template: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@lru_cache(maxsize=20_000)
def _swap_ru_name(word: str) -> str | None:
    """A Russian given name's counterpart of the other gender, in the same case."""
    if not word[:1].isupper():
        return None
    morph = _morph()
    for parse in morph.parse(word)[:3]:
        tag = parse.tag
        if "Name" in tag:
            other = RU_NAMES.get(parse.normal_form.capitalize())
            if other is None:
                continue
            target = morph.parse(other)[0]
            wanted = {g for g in (tag.case, tag.number) if g}
            inflected = target.inflect(wanted) if wanted else None
            return _match_case(inflected.word if inflected else other, word)
    return None


@lru_cache(maxsize=20_000)
def _swap_ru_gender(word: str) -> str:
    """Past-tense verbs and short adjectives/participles masc <-> femn ("рад" / "рада")."""
    for parse in _morph().parse(word)[:3]:
        tag = parse.tag
        if parse.score < 0.3:  # "Благодарим" is a verb, not a rare short participle
            continue
        gendered = (tag.POS == "VERB" and tag.tense == "past") or tag.POS in ("ADJS", "PRTS")
        gendered = gendered or (
            tag.POS == "ADJF" and tag.case == "nomn" and parse.normal_form in _ADDRESS_ADJECTIVES
        )
        if tag.number == "sing" and tag.gender in ("masc", "femn") and gendered:
            other_gender = "femn" if tag.gender == "masc" else "masc"
            inflected = parse.inflect({other_gender})
            if inflected is not None:
                return _match_case(inflected.word, word)
    return word


def _swap_ru(text: str) -> str:
    """Names anywhere; gendered forms only where they describe the speaker: after "я"
    (within ``SPEAKER_WINDOW`` words) or opening a sentence with no subject ("Проверил.",
    "Рада помочь"). "Вопрос решён" stays: a woman writes it the same way."""
    out, last, recent, sentence_start = [], 0, [], True
    for match in _RU_TOKEN.finditer(text):
        word = match.group()
        if not word[0].isalpha():  # a sentence end
            sentence_start, recent = True, []
            continue
        new = _swap_ru_name(word) if word[0].isupper() else None
        if new is None and (sentence_start or "я" in recent):
            new = _swap_ru_gender(word)
        if new is not None and new != word:
            out.append(text[last : match.start()] + new)
            last = match.end()
        recent = [*recent[-(SPEAKER_WINDOW - 1) :], word.lower()]
        sentence_start = word.lower() in _ADDRESS_ADJECTIVES and sentence_start
    return "".join(out) + text[last:]


def _swap_en_word(word: str) -> str:
    other = EN_NAMES.get(word)
    if other is not None:
        return other
    lowered = EN_GENDERED.get(word.lower())
    return _match_case(lowered, word) if lowered else word


def swap_identity(text: str, lang: str, extra: Mapping[str, str] | None = None) -> str:
    """``text`` with names, gendered forms and organisation names swapped (see module)."""
    table = {**ORGANISATIONS, **(extra or {})}
    found = sorted((old for old in table if old in text), key=len, reverse=True)
    if found:  # all at once, so "Tier 1" <-> "Tier 2" do not undo each other
        pattern = "|".join(re.escape(old) for old in found)
        text = re.sub(rf"(?<!\w)(?:{pattern})(?!\w)", lambda m: table[m.group()], text)
    if lang == "ru":
        text = _swap_ru(text)
    return _WORD.sub(lambda m: _swap_en_word(m.group()), text)  # also Latin names in Russian


def swap_conversation(conversation: Conversation) -> Conversation:
    """The same conversation with every message's identity cues swapped."""
    lang = conversation.language or "en"
    return Conversation(
        conversation.conversation_id,
        conversation.channel,
        conversation.language,
        [
            Message(
                m.role,
                swap_identity(m.text, lang),
                m.sent_at,
                swap_identity(m.author or "", lang) or m.author,
            )
            for m in conversation.messages
        ],  # fmt: skip
        conversation.started_at,
        conversation.customer_id,
    )


@dataclass(frozen=True)
class FlipReport:
    """Labels compared between each conversation and its identity-swapped twin."""

    conversations: int
    labels: int
    flips: list[tuple[str, str, str, str]]  # (conversation, where, before, after)
    max_score_move: float
    changed_texts: int

    @property
    def flip_rate(self) -> float:
        return len(self.flips) / self.labels if self.labels else 0.0


def _labels(scores) -> dict[str, tuple[str | None, float | None]]:
    out = {}
    for m in scores.messages:
        for task, result in m.results.items():
            out[f"message {m.index} {task}"] = (result.label, result.score)
    for name, signal in scores.signals.items():
        if name.startswith(("first_response", "response", "handle")):
            continue  # timing does not read text
        out[f"signal {name}"] = (signal.label, signal.normalised)
    return out


def flip_report(conversations: Sequence[Conversation], pipeline=None) -> FlipReport:
    """Score ``conversations`` and their swapped twins; list every label that changed."""
    from scoring.pipeline.autoqa import AutoQAPipeline

    pipeline = pipeline or AutoQAPipeline()
    swapped = [swap_conversation(c) for c in conversations]
    changed = sum(
        a.text != b.text
        for c, s in zip(conversations, swapped, strict=True)
        for a, b in zip(c.messages, s.messages, strict=True)
    )
    before = pipeline.score_conversations(conversations)
    after = pipeline.score_conversations(swapped)
    flips, labels, move = [], 0, 0.0
    for b, a in zip(before, after, strict=True):
        left, right = _labels(b), _labels(a)
        for key, (label, score) in left.items():
            other_label, other_score = right.get(key, (None, None))
            labels += 1
            if label != other_label:
                flips.append((b.conversation_id, key, str(label), str(other_label)))
            if score is not None and other_score is not None:
                move = max(move, abs(score - other_score))
    return FlipReport(len(conversations), labels, flips, move, changed)


def reference_conversations(texts_dir: Path, limit: int | None = None) -> list[Conversation]:
    """The reference replies with the customer turn before each, as two-message chats."""
    import csv

    out = []
    for lang in ("en", "ru"):
        path = Path(texts_dir) / f"texts-{lang}.csv"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in list(csv.DictReader(handle))[:limit]:
                messages = [Message("customer", row["context"])] if row["context"] else []
                out.append(Conversation(row["id"], "chat", lang,
                                        [*messages, Message("agent", row["text"])]))  # fmt: skip
    return out


def results(report: FlipReport, dataset: str) -> list[EvalResult]:
    """The flip rate and the largest score move as evaluation rows."""
    note = (
        f"{report.conversations} conversations, {report.changed_texts} messages changed by "
        "the swap (names, gendered forms, teams/companies)"
    )
    if report.flips:
        note += "; first flip: " + " / ".join(report.flips[0])
    return [
        EvalResult("counterfactual identity", dataset, "label flip rate", report.flip_rate,
                   "5-13% of verdicts flipped in a study of 18 LLM judges", 0.0, report.labels,
                   note, higher_is_better=False),
        EvalResult("counterfactual identity", dataset, "max score move", report.max_score_move,
                   "", SCORE_TOLERANCE, report.labels, "largest |score change| of any label",
                   higher_is_better=False),
    ]  # fmt: skip


def evaluate(datasets_dir: Path, limit: int | None = None) -> list[EvalResult]:
    from scoring.evaluation.reference_replies import texts_dir

    conversations = reference_conversations(texts_dir(datasets_dir), limit)
    if not conversations:
        return []
    return results(flip_report(conversations), "reference replies with their context")
