"""The AutoQA pipeline: every scorer over whole conversations, in batches, on all cores.

Customer messages get sentiment and emotions; agent messages get politeness (and its
rudeness side), empathy, clarity and toxicity; every message is scanned for resolution and
etiquette markers; timing is measured against the channel's SLA. All texts of one role in a
batch go to each scorer in a single call (the scorers are vectorised), and batches are
spread over ``n_jobs`` worker processes, each loading the scorers once. Conversation-level
signals are documented in ``docs/autoqa.md``.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice

from scoring.base import Evidence, ScoreResult
from scoring.clarity import ClarityReport, ClarityScorer, clarity_signals
from scoring.conversation import (
    AGENT,
    CUSTOMER,
    Conversation,
    ConversationScores,
    MessageScores,
    Signal,
    SlaTargets,
    normalise_role,
)
from scoring.resolution import ROLE_KINDS, find_marks, resolution_signals
from scoring.text import detect_language
from scoring.text.language import dominant_language
from scoring.timing import TimingAnalyzer, TimingResult, timing_signals

PIPELINE_VERSION = "autoqa-1"
CUSTOMER_TASKS = ("sentiment", "emotions")
AGENT_TASKS = ("toxicity", "politeness", "empathy", "clarity")  # toxicity feeds politeness
# task -> (module, class): loaded when present, so the pipeline runs while a scorer is absent.
SCORER_CLASSES = {
    "sentiment": ("scoring.sentiment", "SentimentScorer"),
    "emotions": ("scoring.emotions", "EmotionScorer"),
    "politeness": ("scoring.politeness", "PolitenessScorer"),
    "empathy": ("scoring.empathy", "EmpathyScorer"),
    "toxicity": ("scoring.toxicity", "ToxicityScorer"),
}


def politeness_with_rudeness(
    scorer, texts: list[str], langs: list[str] | None, toxic: list[ScoreResult]
) -> tuple[list[ScoreResult], list[ScoreResult]]:
    """Politeness and rudeness in one pass, reusing the toxicity results already computed
    (``PolitenessScorer.score_with_rudeness``); older scorers fall back to two calls."""
    if hasattr(scorer, "score_with_rudeness"):
        return scorer.score_with_rudeness(texts, langs, toxicity=toxic)
    return scorer.score_texts(texts, langs), scorer.score_rudeness(texts, langs)


def load_scorers(glossary=None) -> dict[str, object]:
    """Instantiate every available scorer; a missing module is skipped, not fatal."""
    scorers: dict[str, object] = {"clarity": ClarityScorer(glossary=glossary)}
    for task, (module_name, class_name) in SCORER_CLASSES.items():
        try:
            scorers[task] = getattr(importlib.import_module(module_name), class_name)()
        except (ImportError, AttributeError):
            continue
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
        """Pipeline version plus a digest of scorer versions and configuration."""
        self._ensure_loaded()
        parts = {task: getattr(s, "version", "?") for task, s in sorted(self.scorers_.items())}
        parts["timing"] = self.timing_.version
        parts["sla"] = (self.sla or SlaTargets()).to_dict()
        parts["glossary"] = repr(self.glossary)
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
            for batch in batches:
                yield from self.score_batch(batch)
            return
        processes = self.n_jobs if self.n_jobs and self.n_jobs > 0 else os.cpu_count() or 1
        context = multiprocessing.get_context("spawn")
        params = (self.sla, self.glossary, self.batch_size)
        # ProcessPoolExecutor, not Pool: a worker that dies (killed, out of memory) raises
        # BrokenProcessPool here instead of leaving the caller waiting forever.
        with ProcessPoolExecutor(
            processes, mp_context=context, initializer=_init_worker, initargs=(params,)
        ) as pool:
            pending: deque = deque()
            for batch in batches:  # at most two batches per worker in flight: bounded memory
                pending.append(pool.submit(_score_in_worker, batch))
                if len(pending) >= 2 * processes:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()

    def score_batch(self, conversations: Sequence[Conversation]) -> list[ConversationScores]:
        """One batch in this process: each scorer is called once per role."""
        self._ensure_loaded()
        version = self.version
        table = _MessageTable.build(conversations)
        results, reports = self._run_scorers(table)
        out = []
        for c_index, conversation in enumerate(conversations):
            messages = tuple(
                MessageScores(
                    index=table.message_index[row],
                    role=table.roles[row],
                    lang=table.langs[row],
                    results={task: res[row] for task, res in results.items() if row in res},
                    marks=find_marks(
                        table.texts[row], table.langs[row], ROLE_KINDS.get(table.roles[row], ())
                    ),
                )
                for row in table.rows_of(c_index)
            )
            clarity = [
                (table.message_index[r], reports[r]) for r in table.rows_of(c_index) if r in reports
            ]
            timing = self.timing_.analyze(conversation)
            signals = conversation_signals(messages, clarity, timing)
            out.append(
                ConversationScores(
                    conversation.conversation_id,
                    table.conv_lang[c_index],
                    version,
                    messages,
                    signals,
                    timing,
                )
            )
        return out

    def _run_scorers(
        self, table: _MessageTable
    ) -> tuple[dict[str, dict[int, ScoreResult]], dict[int, ClarityReport]]:
        """Call each scorer once over the batch's *distinct* texts of the role it applies
        to: support chats repeat templates ("Спасибо!", canned answers) all day long."""
        results: dict[str, dict[int, ScoreResult]] = {}
        reports: dict[int, ClarityReport] = {}
        for role, tasks in ((CUSTOMER, CUSTOMER_TASKS), (AGENT, AGENT_TASKS)):
            rows = [i for i, r in enumerate(table.roles) if r == role]
            if not rows:
                continue
            keys = [(table.texts[i], table.langs[i]) for i in rows]
            distinct = list(dict.fromkeys(keys))
            texts = [t for t, _ in distinct]
            langs = [lang for _, lang in distinct]
            for task in tasks:
                scorer = self.scorers_.get(task)
                if scorer is None:
                    continue
                if task == "clarity":
                    asked = [(table.texts[i], table.langs[i], table.question[i]) for i in rows]
                    unique = list(dict.fromkeys(asked))
                    analysed = scorer.analyze(*map(list, zip(*unique, strict=True)))
                    report_of = dict(zip(unique, analysed, strict=True))
                    reports = {row: report_of[key] for row, key in zip(rows, asked, strict=True)}
                    results[task] = {
                        row: ScoreResult(r.label, r.score, r.lang, r.evidence)
                        for row, r in reports.items()
                    }
                    continue
                if task == "politeness" and "toxicity" in results:
                    toxic = [results["toxicity"][rows[keys.index(k)]] for k in distinct]
                    polite, rude = politeness_with_rudeness(scorer, texts, langs, toxic)
                    rude_of = dict(zip(distinct, rude, strict=True))
                    results["rudeness"] = {r: rude_of[k] for r, k in zip(rows, keys, strict=True)}
                else:
                    polite = scorer.score_texts(texts, langs)
                by_key = dict(zip(distinct, polite, strict=True))
                results[task] = {row: by_key[key] for row, key in zip(rows, keys, strict=True)}
        return results, reports


@dataclass(slots=True)
class _MessageTable:
    """All messages of a batch, flattened: the unit the scorers are called on."""

    texts: list[str]
    roles: list[str]
    langs: list[str]
    question: list[str | None]  # the customer's preceding message, for agent rows
    message_index: list[int]
    offsets: list[int]
    conv_lang: list[str]

    @classmethod
    def build(cls, conversations: Sequence[Conversation]) -> _MessageTable:
        table = cls([], [], [], [], [], [0], [])
        for conversation in conversations:
            texts = [m.text or "" for m in conversation.messages]
            lang = conversation.language
            if lang not in ("ru", "en"):
                lang = dominant_language(texts) if texts else "en"
            table.conv_lang.append(lang)
            last_customer: str | None = None
            for index, (message, text) in enumerate(zip(conversation.messages, texts, strict=True)):
                role = normalise_role(message.role)
                table.texts.append(text)
                table.roles.append(role)
                table.langs.append(
                    lang if conversation.language in ("ru", "en") else detect_language(text, lang)
                )
                table.question.append(last_customer if role == AGENT else None)
                table.message_index.append(index)
                if role == CUSTOMER:
                    last_customer = text
            table.offsets.append(len(table.texts))
        return table

    def rows_of(self, c_index: int) -> range:
        return range(self.offsets[c_index], self.offsets[c_index + 1])


def _batches(items: Iterable[Conversation], size: int) -> Iterator[list[Conversation]]:
    iterator = iter(items)
    while batch := list(islice(iterator, max(1, size))):
        yield batch


_WORKER: AutoQAPipeline | None = None


def _init_worker(params: tuple) -> None:
    """Each worker process builds its own pipeline once and keeps it."""
    global _WORKER
    sla, glossary, batch_size = params
    _WORKER = AutoQAPipeline(sla=sla, glossary=glossary, n_jobs=1, batch_size=batch_size)
    _WORKER._ensure_loaded()
    gc.freeze()  # the loaded models live as long as the worker: keep them out of GC passes


def _score_in_worker(batch: list[Conversation]) -> list[ConversationScores]:
    assert _WORKER is not None
    return _WORKER.score_batch(batch)


# Signals that need a scorer or an agent message: present (as None) even when they cannot
# be computed, so every result has the same keys.
SIGNAL_UNITS = {
    "politeness": "probability",
    "politeness_min": "probability",
    "rudeness": "probability",
    "toxicity": "probability",
    "empathy": "score_0_1",
    "missed_empathy": "count",
}
NEGATIVE_EMOTIONS = frozenset({"anger", "annoyance", "disapproval", "sadness", "fear"})
UPSET_SENTIMENT = -0.3  # customer sentiment at or below this counts as upset
TREND_DELTA = 0.3  # sentiment change needed to call a trajectory improved/worsened
EMPATHY_SHOWN = 0.2  # an agent reply at or above this empathy score shows empathy


def _clip01(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)


def _top_evidence(item: MessageScores, task: str, n: int = 3) -> tuple:
    result = item.results.get(task)
    if result is None:
        return ()
    ranked = sorted(result.evidence, key=lambda e: -abs(e.weight))[:n]
    return tuple((item.index, e) for e in ranked)


def _is_upset(item: MessageScores) -> bool:
    sentiment, emotion = item.results.get("sentiment"), item.results.get("emotions")
    return bool(
        (sentiment is not None and sentiment.score <= UPSET_SENTIMENT)
        or (emotion is not None and emotion.label in NEGATIVE_EMOTIONS)
    )


def sentiment_signals(customer: Sequence[MessageScores]) -> list[Signal]:
    """Customer sentiment at the start, at the end and the trend between them."""
    scored = [m for m in customer if "sentiment" in m.results]
    if not scored:
        return [
            Signal(n, None, "score_-1_1", None)
            for n in ("sentiment_start", "sentiment_end", "sentiment_trajectory")
        ]
    first, last = scored[0], scored[-1]
    start, end = first.results["sentiment"].score, last.results["sentiment"].score
    delta = end - start
    trend = (
        "improved" if delta >= TREND_DELTA else "worsened" if delta <= -TREND_DELTA else "stable"
    )
    return [
        Signal("sentiment_start", round(start, 4), "score_-1_1", _clip01((start + 1) / 2),
               first.results["sentiment"].label, _top_evidence(first, "sentiment")),
        Signal("sentiment_end", round(end, 4), "score_-1_1", _clip01((end + 1) / 2),
               last.results["sentiment"].label, _top_evidence(last, "sentiment")),
        Signal("sentiment_trajectory", round(delta, 4), "delta_-2_2", _clip01(0.5 + delta / 2), trend,
               _top_evidence(first, "sentiment", 1) + _top_evidence(last, "sentiment", 1)),
    ]  # fmt: skip


def agent_signals(messages: Sequence[MessageScores]) -> list[Signal]:
    """Politeness (mean, min), rudeness (max), toxicity (max), empathy and missed empathy."""
    agent = [m for m in messages if m.role == AGENT]
    out = []
    polite = [(m.results["politeness"].score, m) for m in agent if "politeness" in m.results]
    if polite:
        mean = sum(p for p, _ in polite) / len(polite)
        low, low_item = min(polite, key=lambda x: x[0])
        out += [Signal("politeness", round(mean, 4), "probability", _clip01(mean)),
                Signal("politeness_min", round(low, 4), "probability", _clip01(low),
                       evidence=_top_evidence(low_item, "politeness"))]  # fmt: skip
    for task, name in (("rudeness", "rudeness"), ("toxicity", "toxicity")):
        values = [(m.results[task].score, m) for m in agent if task in m.results]
        if values:
            high, item = max(values, key=lambda x: x[0])
            out.append(Signal(name, round(high, 4), "probability", _clip01(1 - high),
                              evidence=_top_evidence(item, task)))  # fmt: skip
    out += empathy_signals(messages)
    return out


def empathy_signals(messages: Sequence[MessageScores]) -> list[Signal]:
    """Empathy shown (best agent message) and missed empathy: an upset customer turn whose
    agent replies, until the customer speaks again, all stay below ``EMPATHY_SHOWN`` (the
    rule of ``scoring.empathy.find_missed_empathy``, on the scores already computed)."""
    agent = [m for m in messages if m.role == AGENT and "empathy" in m.results]
    if not agent:
        return []
    best = max(agent, key=lambda m: m.results["empathy"].score)
    customer = [m for m in messages if m.role == CUSTOMER]
    upset = [m for m in customer if _is_upset(m)]
    missed: list[tuple[MessageScores, MessageScores]] = []
    for item in upset:
        following = [m.index for m in customer if m.index > item.index]
        end = following[0] if following else len(messages)
        replies = [m for m in agent if item.index < m.index < end]
        if replies and max(m.results["empathy"].score for m in replies) < EMPATHY_SHOWN:
            missed.append((item, replies[0]))
    label = "missed" if missed else "shown" if upset else "not_needed"
    evidence = tuple(
        ev
        for turn, reply in missed[:3]
        for ev in _top_evidence(turn, "sentiment", 2)
        + ((reply.index, Evidence(0, 0, "empathy.none_in_reply", -1.0, "")),)
    )
    score = best.results["empathy"].score
    return [
        Signal("empathy", round(score, 4), "score_0_1", _clip01(score), best.results["empathy"].label,
               _top_evidence(best, "empathy")),
        Signal("missed_empathy", float(len(missed)), "count", 0.0 if missed else 1.0, label, evidence),
    ]  # fmt: skip


def customer_name_signal(messages: Sequence[MessageScores]) -> Signal:
    """Did the agent address the customer by name (politeness ``customer_name`` spans)?"""
    agent = [m for m in messages if m.role == AGENT and "politeness" in m.results]
    if not agent:
        return Signal("customer_name", None, "flag", None)
    evidence = tuple(
        (m.index, e)
        for m in agent
        for e in m.results["politeness"].evidence
        if e.rule == "customer_name"
    )[:3]
    value = float(bool(evidence))
    return Signal("customer_name", value, "flag", value, evidence=evidence)


def conversation_signals(
    messages: Sequence[MessageScores],
    clarity: Sequence[tuple[int, ClarityReport]],
    timing: TimingResult,
) -> dict[str, Signal]:
    """Every conversation-level signal, keyed by name (names as in ``AUTO_SIGNALS``)."""
    customer = [m for m in messages if m.role == CUSTOMER]
    signals = sentiment_signals(customer) + agent_signals(messages) + clarity_signals(clarity)
    roles = [m.role for m in messages]
    signals += resolution_signals(roles, [m.marks for m in messages])
    signals += timing_signals(timing)
    signals.append(customer_name_signal(messages))
    out = {s.name: s for s in signals}
    apology = out.get("apology")
    if apology is not None and apology.value == 0.0 and not any(map(_is_upset, customer)):
        out["apology"] = Signal("apology", 0.0, "flag", 1.0, "not_needed")
    for name, unit in SIGNAL_UNITS.items():  # same keys for every conversation
        out.setdefault(name, Signal(name, None, unit, None))
    return out
