"""Failed checklist items per agent: what the coaching recommendations rank.

The coaching area reads this through the package (``mystery.failed_items_by_agent``); it
gets, per agent and checklist item, how often the item was failed out of the visits that
graded it, the item's coaching topic, and the shoppers' comments on the failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.mystery.checklist import available_checklists
from qa_app.services.mystery.visibility import visible
from qa_app.storage.models import MysteryAnswer, MysteryVisit


@dataclass(frozen=True, slots=True)
class FailedItem:
    agent_id: int
    criterion_id: str
    coaching_topic: str
    failed: int
    graded: int
    comments: tuple[str, ...]

    @property
    def failure_rate(self) -> float:
        return self.failed / self.graded if self.graded else 0.0


def failed_items_by_agent(
    session: Session,
    actor: Actor,
    start: datetime,
    end: datetime,
    *,
    agent_ids: list[int] | None = None,
    published_only: bool = False,
) -> list[FailedItem]:
    """Per agent and item with at least one failure in ``[start, end)``: failures out of
    graded visits, most failures first. Only visits ``actor`` may see count; with
    ``published_only`` only published ones too (coaching shows an agent nothing about
    themselves that a lead has not released to them)."""
    stmt = (
        select(
            MysteryVisit.agent_id,
            MysteryAnswer.criterion_id,
            MysteryAnswer.failed,
            MysteryAnswer.comment,
        )
        .join(MysteryVisit, MysteryVisit.id == MysteryAnswer.visit_id)
        .where(
            MysteryVisit.agent_id.is_not(None),
            MysteryVisit.contacted_at >= start,
            MysteryVisit.contacted_at < end,
            MysteryAnswer.not_applicable.is_(False),
        )
    )
    if agent_ids is not None:
        stmt = stmt.where(MysteryVisit.agent_id.in_(agent_ids))
    if published_only:
        stmt = stmt.where(MysteryVisit.published.is_(True))
    counts: dict[tuple[int, str], list] = {}
    for agent_id, criterion_id, failed, comment in session.execute(visible(stmt, actor)):
        entry = counts.setdefault((agent_id, criterion_id), [0, 0, []])
        entry[1] += 1
        if failed:
            entry[0] += 1
            if comment and comment.strip():
                entry[2].append(comment.strip())
    topics = {c.id: c.coaching_topic for r in available_checklists().values() for c in r.criteria()}
    items = [
        FailedItem(agent, item, topics.get(item, ""), failed, graded, tuple(comments[:5]))
        for (agent, item), (failed, graded, comments) in counts.items()
        if failed
    ]
    return sorted(items, key=lambda i: (-i.failed, -i.failure_rate, i.agent_id, i.criterion_id))
