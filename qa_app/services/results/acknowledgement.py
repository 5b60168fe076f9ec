"""An agent acknowledges a review of their work: "I have read it". Stored once, on the review.

Written with a single conditional UPDATE rather than through the ORM object: the review's
lock version guards grades and comments, and an acknowledgement must neither bump it (a
lead's correction in flight would then fail as stale) nor be lost to a parallel one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qa_app.services import disputes
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied
from qa_app.services.permissions import require
from qa_app.services.results.listing import RESULT_STATES
from qa_app.storage.models import Conversation, Review


def acknowledge_review(
    session: Session, actor: Actor, review_id: int, now: dt.datetime | None = None
) -> dt.datetime:
    """Mark ``review_id`` acknowledged by its agent at ``now``; returns the stored moment
    (the first one when it was already acknowledged, so a second click changes nothing)."""
    require(actor, "results.acknowledge")
    row = session.execute(
        select(Review.status, Review.acknowledged_at, Conversation.agent_id)
        .join(Conversation, Conversation.id == Review.conversation_id)
        .where(Review.id == review_id, disputes.counts_for_agent())
    ).one_or_none()  # a calibration grade that does not count for the agent is not theirs
    if row is None:
        raise NotFound(f"review {review_id} not found", key="error.not_found")
    status, acknowledged, agent_id = row
    if actor.agent_id is None or agent_id != actor.agent_id:
        raise PermissionDenied("not your review", key="disputes.error.not_yours", role=actor.role)
    if status not in RESULT_STATES:
        raise InvalidInput(
            f"review {review_id} is {status}, not submitted",
            key="results.error.not_submitted",
        )
    if acknowledged is not None:
        return acknowledged
    moment = utc_now(now)
    done = session.execute(
        update(Review)
        .where(Review.id == review_id, Review.acknowledged_at.is_(None))
        .values(acknowledged_at=moment)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount == 0:  # another tab acknowledged it a moment ago
        return session.scalar(select(Review.acknowledged_at).where(Review.id == review_id))
    record_event(session, actor, "review.acknowledged", "review", review_id, now=moment)
    return moment
