"""Run the AutoQA pipeline over the database: new or changed conversations only.

A conversation is (re)scored when it has no ``AutoScoreRun``, when its content hash changed
on re-import, or when the pipeline version changed (a scorer, the SLA targets or the
glossary changed). Conversations stream from the database in batches (messages loaded per
batch, in ``seq`` order); each batch of results is written with Core bulk inserts and
committed on its own, so a long run that is interrupted keeps what it finished and the
next run resumes where it stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.errors import InvalidInput
from qa_app.services.permissions import require
from qa_app.storage.models import AutoScore, AutoScoreRun, Conversation, Message
from scoring.pipeline.autoqa import AutoQAPipeline
from scoring.pipeline.conversation import Conversation as ScoredConversation
from scoring.pipeline.conversation import ConversationScores
from scoring.pipeline.conversation import Message as ScoredMessage

DEFAULT_BATCH = 256
#: progress(done, total, messages_per_second, eta_seconds)
Progress = Callable[[int, int, float, float | None], None]


@dataclass
class ScoringSummary:
    """What one run did; ``messages_per_second`` covers loading, scoring and writing."""

    pipeline_version: str
    candidates: int = 0
    scored: int = 0
    messages: int = 0
    score_rows: int = 0
    seconds: float = 0.0
    n_jobs: int = 1
    batch_size: int = DEFAULT_BATCH
    errors: list[str] = field(default_factory=list)

    @property
    def messages_per_second(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0

    @property
    def conversations_per_second(self) -> float:
        return self.scored / self.seconds if self.seconds > 0 else 0.0


@dataclass(slots=True)
class _Pending:
    """What the writer needs about a conversation once its scores come back."""

    message_ids: list[int]
    content_hash: str


def pending_conversation_ids(
    session: Session,
    pipeline_version: str,
    *,
    rescore_all: bool = False,
    among: Sequence[int] | None = None,
) -> list[int]:
    """Ids of conversations to score (ordered): never scored, changed, or scored by an
    older pipeline; every conversation when ``rescore_all``; only ``among`` when given (a
    queue job's conversations)."""
    query = select(Conversation.id).order_by(Conversation.id)
    if among is not None:
        query = query.where(Conversation.id.in_(list(among)))
    if not rescore_all:
        query = query.outerjoin(
            AutoScoreRun, AutoScoreRun.conversation_id == Conversation.id
        ).where(
            or_(
                AutoScoreRun.conversation_id.is_(None),
                AutoScoreRun.pipeline_version != pipeline_version,
                AutoScoreRun.content_hash != Conversation.content_hash,
            )
        )
    return list(session.scalars(query))


def _load_batch(
    session: Session, ids: Sequence[int], pending: dict[int, _Pending]
) -> list[ScoredConversation]:
    """Conversations of ``ids`` as the pipeline sees them; fills ``pending`` for the writer."""
    heads = session.execute(
        select(
            Conversation.id,
            Conversation.channel,
            Conversation.language,
            Conversation.started_at,
            Conversation.customer_id,
            Conversation.content_hash,
        ).where(Conversation.id.in_(ids))
    ).all()
    messages: dict[int, list[Any]] = {cid: [] for cid in ids}
    rows = session.execute(
        select(
            Message.id,
            Message.conversation_id,
            Message.role,
            Message.text,
            Message.sent_at,
            Message.author,
        )
        .where(Message.conversation_id.in_(ids))
        .order_by(Message.conversation_id, Message.seq)
    )
    for row in rows:
        messages[row.conversation_id].append(row)
    out = []
    for head in sorted(heads, key=lambda h: h.id):
        items = messages[head.id]
        pending[head.id] = _Pending([m.id for m in items], head.content_hash)
        out.append(
            ScoredConversation(
                conversation_id=str(head.id),
                channel=head.channel,
                language=head.language,
                messages=[ScoredMessage(m.role, m.text or "", m.sent_at, m.author) for m in items],
                started_at=head.started_at,
                customer_id=head.customer_id,
            )
        )
    return out


def _stream(
    session: Session, ids: Sequence[int], batch_size: int, pending: dict[int, _Pending]
) -> Iterator[ScoredConversation]:
    for start in range(0, len(ids), batch_size):
        yield from _load_batch(session, ids[start : start + batch_size], pending)


def _evidence(items) -> list[dict]:
    return [e.to_dict() for e in items]


def score_rows(
    result: ConversationScores, message_ids: Sequence[int], versions: dict[str, str]
) -> list[dict]:
    """AutoScore rows of one conversation: one per message and task, one per signal."""
    cid = int(result.conversation_id)
    rows = []
    for item in result.messages:
        message_id = message_ids[item.index]
        for task, res in item.results.items():
            rows.append(
                {
                    "conversation_id": cid,
                    "message_id": message_id,
                    "task": task,
                    "scorer_version": versions.get(task, result.version)[:80],
                    "label": (res.label or None) and str(res.label)[:40],
                    "score": round(float(res.score), 4),
                    "evidence": _evidence(res.evidence),
                }
            )
        if item.marks.evidence:
            rows.append(
                {
                    "conversation_id": cid,
                    "message_id": message_id,
                    "task": "marks",
                    "scorer_version": result.version[:80],
                    "label": item.marks.label[:40],
                    "score": None,
                    "evidence": _evidence(item.marks.evidence),
                }
            )
    for name, signal in result.signals.items():
        rows.append(
            {
                "conversation_id": cid,
                "message_id": None,
                "task": name[:60],
                "scorer_version": result.version[:80],
                "label": signal.label and str(signal.label)[:40],
                "score": None if signal.value is None else float(signal.value),
                "evidence": [{"message": i, **e.to_dict()} for i, e in signal.evidence],
            }
        )
    return rows


def run_signals(result: ConversationScores) -> dict[str, dict]:
    """The compact ``AutoScoreRun.signals`` document: {name: {value, unit, normalised, label}}."""
    return {
        name: {
            "value": s.value,
            "unit": s.unit,
            "normalised": s.normalised,
            "label": s.label,
        }
        for name, s in result.signals.items()
    }


def _write_batch(
    session: Session,
    results: Sequence[ConversationScores],
    pending: dict[int, _Pending],
    versions: dict[str, str],
) -> int:
    """Replace the stored scores of these conversations; one transaction (committed)."""
    ids = [int(r.conversation_id) for r in results]
    session.execute(delete(AutoScore).where(AutoScore.conversation_id.in_(ids)))
    session.execute(delete(AutoScoreRun).where(AutoScoreRun.conversation_id.in_(ids)))
    rows: list[dict] = []
    runs: list[dict] = []
    now = _now()
    for result in results:
        info = pending.pop(int(result.conversation_id))
        batch_rows = score_rows(result, info.message_ids, versions)
        for row in batch_rows:
            row["created_at"] = now
        rows.extend(batch_rows)
        runs.append(
            {
                "conversation_id": int(result.conversation_id),
                "pipeline_version": result.version[:120],
                "content_hash": info.content_hash,
                "signals": run_signals(result),
                "scored_at": now,
            }
        )
    if rows:
        session.execute(insert(AutoScore.__table__), rows)
    session.execute(insert(AutoScoreRun.__table__), runs)
    session.commit()
    return len(rows)


def _now():
    from qa_app.services.clock import utc_now

    return utc_now()


def _check(actor: Actor, n_jobs: int, batch_size: int, limit: int | None) -> None:
    require(actor, "autoqa.run")
    if n_jobs < 1 or batch_size < 1 or (limit is not None and limit < 0):
        raise InvalidInput(
            f"jobs and batch must be >= 1 and limit >= 0 (got {n_jobs}, {batch_size}, {limit})",
            key="autoqa.error.bad_run_options",
        )


def score_conversations(
    session: Session,
    actor: Actor,
    *,
    rescore_all: bool = False,
    n_jobs: int = 1,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
    limit: int | None = None,
    pipeline: AutoQAPipeline | None = None,
    among: Sequence[int] | None = None,
) -> ScoringSummary:
    """Score new and changed conversations (all when ``rescore_all``); lead/admin/system.

    Commits after every batch (see the module docstring); returns what was done.
    """
    _check(actor, n_jobs, batch_size, limit)
    pipeline = pipeline or AutoQAPipeline(n_jobs=n_jobs, batch_size=batch_size)
    pipeline.n_jobs, pipeline.batch_size = n_jobs, batch_size
    version = pipeline.version
    versions = {task: str(getattr(s, "version", version)) for task, s in pipeline.scorers_.items()}
    ids = pending_conversation_ids(session, version, rescore_all=rescore_all, among=among)
    if limit is not None:
        ids = ids[:limit]
    summary = ScoringSummary(version, len(ids), n_jobs=n_jobs, batch_size=batch_size)
    started = time.perf_counter()
    pending: dict[int, _Pending] = {}
    buffer: list[ConversationScores] = []
    if progress:
        progress(0, len(ids), 0.0, None)
    for result in pipeline.iter_scores(_stream(session, ids, batch_size, pending)):
        buffer.append(result)
        summary.messages += len(result.messages)
        if len(buffer) >= batch_size:
            _flush(session, buffer, pending, versions, summary, started, progress)
    _flush(session, buffer, pending, versions, summary, started, progress)
    summary.seconds = time.perf_counter() - started
    record_event(
        session,
        actor,
        "autoqa.score",
        "auto_score_run",
        version,
        scored=summary.scored,
        messages=summary.messages,
        rescore_all=rescore_all,
        seconds=round(summary.seconds, 2),
    )
    session.commit()
    return summary


def _flush(session, buffer, pending, versions, summary, started, progress) -> None:
    if not buffer:
        return
    summary.score_rows += _write_batch(session, buffer, pending, versions)
    summary.scored += len(buffer)
    buffer.clear()
    elapsed = time.perf_counter() - started
    summary.seconds = elapsed
    if progress:
        rate = summary.messages / elapsed if elapsed > 0 else 0.0
        per_conversation = elapsed / summary.scored
        eta = per_conversation * (summary.candidates - summary.scored)
        progress(summary.scored, summary.candidates, rate, eta)


def score_everything_for_demo(session: Session, n_jobs: int = 1) -> ScoringSummary:
    """What the demo loader calls after importing: score every unscored conversation."""
    from qa_app.services.actor import SYSTEM

    return score_conversations(session, SYSTEM, n_jobs=n_jobs)


def current_pipeline_version() -> str:
    """The version a run would stamp now (loads the scorers: cache it in long-lived callers)."""
    return AutoQAPipeline().version
