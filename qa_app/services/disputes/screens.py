"""What the disputes page draws, read in one unit of work: the disputes the actor may see,
the review behind the open dispute being decided, and the reviews the actor may dispute."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.services.actor import Actor
from qa_app.services.conversations import Transcript, load_transcript
from qa_app.services.disputes.listing import (
    DisputeInfo,
    ReviewSummary,
    list_disputes,
    review_summary,
    visible_reviews,
)
from qa_app.services.permissions import can
from qa_app.storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class DisputesScreen:
    disputes: list[DisputeInfo]
    #: Reviews the actor may read (and, for agents and leads, dispute), newest first.
    reviews: list[ReviewSummary]
    #: The open dispute being decided and its review (None: nothing for this actor to decide).
    deciding: DisputeInfo | None = None
    deciding_review: ReviewSummary | None = None
    #: The conversation behind the dispute being decided, read beside its grades.
    deciding_transcript: Transcript | None = None

    @property
    def open_disputes(self) -> list[DisputeInfo]:
        return [d for d in self.disputes if d.status == "open"]


def disputes_screen(
    uow: UnitOfWork, actor: Actor, deciding_id: int | None = None
) -> DisputesScreen:
    """The disputes page; ``deciding_id`` is the open dispute chosen for a decision (the
    first open one when it is not, or no longer, open)."""
    with uow:
        session = uow.session
        items = list_disputes(session, actor)
        summaries = visible_reviews(session, actor)
        open_items = [d for d in items if d.status == "open"]
        decides = can(actor, "dispute.resolve") or can(actor, "dispute.resolve_any")
        if not (open_items and decides):
            return DisputesScreen(items, summaries)
        deciding = next((d for d in open_items if d.dispute_id == deciding_id), open_items[0])
        summary = review_summary(session, actor, deciding.review_id)
        transcript = load_transcript(session, summary.conversation_id)
    return DisputesScreen(items, summaries, deciding, summary, transcript)
