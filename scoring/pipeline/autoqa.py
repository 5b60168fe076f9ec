"""The AutoQA pipeline: every scorer over whole conversations, in batches, on all cores.

Customer messages get sentiment, emotions and defect reports; agent messages get politeness (and its
rudeness side), empathy, clarity and toxicity; every message is scanned for resolution and
etiquette markers; timing is measured against the channel's SLA. All texts of one role in a
batch go to each scorer in a single call (the scorers are vectorised), and batches are
spread over ``n_jobs`` worker processes, each loading the scorers once. Conversation-level
signals are documented in ``docs/autoqa.md``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from scoring.base import ScoreResult
from scoring.pipeline.conversation import (
    ANSWERING_ROLES,
    BOT,
    CUSTOMER,
    Conversation,
    ConversationScores,
    MessageScores,
    SlaTargets,
    normalise_role,
)
from scoring.pipeline.fingerprint import scoring_digest
from scoring.pipeline.signals import conversation_signals, is_upset, signal_view
from scoring.pipeline.timing import TimingAnalyzer
from scoring.pipeline.workers import gc_paused, stream_in_process, stream_in_workers
from scoring.registry import get_scorer
from scoring.scorers.clarity import ClarityReport, ClarityScorer
from scoring.scorers.resolution import ROLE_KINDS, find_marks
from scoring.text.answers import mask_answer_particle
from scoring.text.identify import is_supported, message_languages
from scoring.text.signatures import SIGNATURE

PIPELINE_VERSION = "autoqa-1"
#: A reply that ends with a question: "...?", "...? 🙂", and on social media "...? ^JK"
_QUESTION_END = re.compile(r"\?[^\w?]*(?:" + SIGNATURE + r"\W*)?$")
CUSTOMER_TASKS = ("sentiment", "emotions", "defect_report")
AGENT_TASKS = ("toxicity", "politeness", "empathy", "clarity")  # toxicity feeds politeness


def politeness_with_rudeness(
    scorer,
    texts: list[str],
    langs: list[str] | None,
    toxic: list[ScoreResult],
    upset: list[bool] | None = None,
) -> tuple[list[ScoreResult], list[ScoreResult]]:
    """Politeness and rudeness in one pass, reusing the toxicity results already computed
    (``PolitenessScorer.score_with_rudeness``); ``upset`` says whether the customer was
    upset before each reply (a curt answer to them is rude). Older scorers fall back to
    two calls."""
    if hasattr(scorer, "score_with_rudeness"):
        return scorer.score_with_rudeness(texts, langs, toxicity=toxic, upset=upset)
    return scorer.score_texts(texts, langs), scorer.score_rudeness(texts, langs)


def load_scorers(glossary=None) -> dict[str, object]:
    """One instance of every scorer the pipeline runs (from ``scoring.registry``)."""
    scorers: dict[str, object] = {"clarity": ClarityScorer(glossary=glossary)}
    for task in CUSTOMER_TASKS + AGENT_TASKS:
        if task not in scorers:
            scorers[task] = get_scorer(task)
    return scorers


class AutoQAPipeline:
    """Score conversations with all automatic scorers; see the module docstring.

    ``version`` changes whenever any scorer's version, the SLA targets or the glossary
    change, so stored results can be found and rescored.
    """

    def __init__(
        self,
        sla: SlaTargets | None = None,
        glossary=None,
        n_jobs: int = 1,
        batch_size: int = 256,
    ) -> None:
        self.sla = sla
        self.glossary = glossary
        self.n_jobs = n_jobs
        self.batch_size = batch_size

    def _ensure_loaded(self) -> None:
        if not hasattr(self, "scorers_"):
            self.scorers_ = load_scorers(self.glossary)
            self.timing_ = TimingAnalyzer(self.sla or SlaTargets())

    @property
    def version(self) -> str:
        """Pipeline version plus a digest of scorer versions, configuration and the bytes of
        the scoring code, lexicons and models (``scoring.fingerprint``)."""
        self._ensure_loaded()
        parts = {task: getattr(s, "version", "?") for task, s in sorted(self.scorers_.items())}
        parts["timing"] = self.timing_.version
        parts["sla"] = (self.sla or SlaTargets()).to_dict()
        parts["glossary"] = repr(self.glossary)
        parts["files"] = scoring_digest()  # code, lexicons and models, however small the edit
        digest = hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
        return f"{PIPELINE_VERSION}+{digest[:10]}"

    def score_conversations(
        self, conversations: Sequence[Conversation]
    ) -> list[ConversationScores]:
        """Score a list of conversations (in order)."""
        return list(self.iter_scores(conversations))

    def iter_scores(self, conversations: Iterable[Conversation]) -> Iterator[ConversationScores]:
        """Stream results batch by batch, so millions of messages fit in little memory."""
        batches = _batches(conversations, self.batch_size)
        if self.n_jobs is not None and self.n_jobs == 1:
            self._ensure_loaded()
            yield from stream_in_process(self._score_batch, batches)
            return
        processes = self.n_jobs if self.n_jobs and self.n_jobs > 0 else os.cpu_count() or 1
        context = multiprocessing.get_context("spawn")
        yield from stream_in_workers(self, batches, processes, context)

    def score_batch(self, conversations: Sequence[Conversation]) -> list[ConversationScores]:
        """One batch in this process: each scorer is called once per role. The cyclic
        garbage collector is paused for the batch (see ``scoring.pipeline_workers``)."""
        self._ensure_loaded()
        with gc_paused():
            return self._score_batch(conversations)

    def _score_batch(self, conversations: Sequence[Conversation]) -> list[ConversationScores]:
        version = self.version
        table = _MessageTable.build(conversations)
        per_row, reports = self._run_scorers(table)
        marks = self._marks(table)
        analyze_timing = self.timing_.analyze
        out = []
        for c_index, conversation in enumerate(conversations):
            rows = table.rows_of(c_index)
            messages = tuple(
                MessageScores(
                    table.message_index[row], table.roles[row], table.langs[row],
                    per_row[row], marks[row], table.answering[row],
                )
                for row in rows
            )  # fmt: skip
            clarity = [(table.message_index[r], reports[r]) for r in rows if r in reports]
            timing = analyze_timing(conversation)
            # The conversation's signals speak for its owner: the human agents when a
            # person answered, else the bot (the bot's own replies keep their scores).
            has_bot = BOT in table.roles[rows.start : rows.stop]  # a C-level scan
            if has_bot:
                messages_owned, clarity = signal_view(messages, clarity)
            else:
                messages_owned = messages
            out.append(
                ConversationScores(
                    conversation.conversation_id,
                    table.conv_lang[c_index],
                    version,
                    messages,
                    conversation_signals(
                        messages_owned,
                        clarity,
                        timing,
                        language_supported=is_supported(table.conv_lang[c_index]),
                        conversation=conversation if has_bot else None,
                    ),  # fmt: skip
                    timing,
                )
            )
        return out

    @staticmethod
    def _marks(table: _MessageTable) -> list:
        """Resolution and etiquette markers, once per distinct (text, language, role)."""
        seen: dict = {}
        out = []
        for key in zip(table.texts, table.langs, table.roles, strict=True):
            found = seen.get(key)
            if found is None:
                text, lang, role = key
                kinds = ROLE_KINDS.get(role, ()) if is_supported(lang) else ()
                found = seen[key] = find_marks(text, lang if is_supported(lang) else "en", kinds)
            out.append(found)
        return out

    def _run_scorers(
        self, table: _MessageTable
    ) -> tuple[list[dict[str, ScoreResult]], dict[int, ClarityReport]]:
        """Call each scorer once over the batch's *distinct* texts of the role it applies
        to: support chats repeat templates ("Спасибо!", canned answers) all day long.
        Returns each row's ``{task: result}`` and the clarity reports of agent rows."""
        per_row: list[dict[str, ScoreResult]] = [{} for _ in table.texts]
        reports: dict[int, ClarityReport] = {}
        # A bot's replies get the same scorers as a human agent's.
        for roles, tasks in (((CUSTOMER,), CUSTOMER_TASKS), (ANSWERING_ROLES, AGENT_TASKS)):
            # Text in a language the scorers do not read stays unscored (no English labels
            # on German); timing and the conversation's structure are still measured.
            rows = [
                i for i, r in enumerate(table.roles) if r in roles and is_supported(table.langs[i])
            ]
            if not rows:
                continue
            # Agent replies are keyed by whether the customer was upset just before them
            # (a curt "No." is rude only then); customers are scored first, so it is known.
            upset_of = [
                (q := table.question_row[i]) is not None
                and is_upset(per_row[q], answering=table.answering[q])
                for i in rows
            ]  # fmt: skip
            # A customer's leading "no" that answers the agent's question is not read as
            # sentiment (``scoring.text.answers``); agent rows are read as written.
            read = [
                mask_answer_particle(table.texts[i]) if table.answering[i] else table.texts[i]
                for i in rows
            ]
            position: dict[tuple[str, str, bool], int] = {}
            slot = [
                position.setdefault((text, table.langs[i], u), len(position))
                for i, text, u in zip(rows, read, upset_of, strict=True)
            ]
            texts = [t for t, _, _ in position]
            langs = [lang for _, lang, _ in position]
            upset = [u for _, _, u in position]
            done: dict[str, list[ScoreResult]] = {}
            for task in tasks:
                scorer = self.scorers_.get(task)
                if scorer is None:
                    continue
                if task == "clarity":
                    reports = self._clarity(scorer, table, rows)
                    made: dict[int, ScoreResult] = {}
                    for row in rows:
                        r = reports[row]
                        result = made.get(id(r))
                        if result is None:
                            result = made[id(r)] = ScoreResult(r.label, r.score, r.lang, r.evidence)
                        per_row[row]["clarity"] = result
                    continue
                if task == "politeness" and "toxicity" in done:
                    polite, rude = politeness_with_rudeness(
                        scorer, texts, langs, done["toxicity"], upset
                    )
                    done["rudeness"] = rude
                    for row, k in zip(rows, slot, strict=True):
                        per_row[row]["rudeness"] = rude[k]
                else:
                    polite = scorer.score_texts(texts, langs)
                done[task] = polite
                for row, k in zip(rows, slot, strict=True):
                    per_row[row][task] = polite[k]
        return per_row, reports

    @staticmethod
    def _clarity(scorer, table: _MessageTable, rows: list[int]) -> dict[int, ClarityReport]:
        """Clarity of agent rows, once per distinct (text, language, question)."""
        asked = [(table.texts[i], table.langs[i], table.question[i]) for i in rows]
        unique = list(dict.fromkeys(asked))
        analysed = scorer.analyze(*map(list, zip(*unique, strict=True)))
        report_of = dict(zip(unique, analysed, strict=True))
        return {row: report_of[key] for row, key in zip(rows, asked, strict=True)}


@dataclass(slots=True)
class _MessageTable:
    """All messages of a batch, flattened: the unit the scorers are called on."""

    texts: list[str]
    roles: list[str]
    langs: list[str]
    question: list[str | None]  # the customer's preceding message, for agent rows
    question_row: list[int | None]  # its row in the table
    answering: list[bool]  # a customer row right after an agent's or bot's question
    message_index: list[int]
    offsets: list[int]
    conv_lang: list[str]

    @classmethod
    def build(cls, conversations: Sequence[Conversation]) -> _MessageTable:
        table = cls([], [], [], [], [], [], [], [0], [])
        for conversation in conversations:
            texts = [m.text or "" for m in conversation.messages]
            roles = [normalise_role(m.role) for m in conversation.messages]
            stated = conversation.language if conversation.language != "auto" else None
            langs = message_languages(texts, stated, roles) if texts else []
            # unstated: the language holding most messages
            lang = stated or (max(set(langs), key=langs.count) if langs else "en")
            table.conv_lang.append(lang)
            last_customer: str | None = None
            last_row: int | None = None
            asked = False  # the message before was an agent's or bot's question
            for index, (text, role) in enumerate(zip(texts, roles, strict=True)):
                table.answering.append(role == CUSTOMER and asked)
                asked = role in ANSWERING_ROLES and _QUESTION_END.search(text) is not None
                table.texts.append(text)
                table.roles.append(role)
                table.langs.append(langs[index])
                answering = role in ANSWERING_ROLES
                table.question.append(last_customer if answering else None)
                table.question_row.append(last_row if answering else None)
                table.message_index.append(index)
                if role == CUSTOMER:
                    last_customer, last_row = text, len(table.texts) - 1
            table.offsets.append(len(table.texts))
        return table

    def rows_of(self, c_index: int) -> range:
        return range(self.offsets[c_index], self.offsets[c_index + 1])


def _batches(items: Iterable[Conversation], size: int) -> Iterator[list[Conversation]]:
    iterator = iter(items)
    while batch := list(islice(iterator, max(1, size))):
        yield batch
