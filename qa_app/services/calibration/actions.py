"""Calibration changes, each one complete unit of work (``do_x`` runs ``x`` and commits
only when it returned)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.calibration.creation import create_session, resolve_conversations
from qa_app.services.calibration.grading import (
    close_session,
    record_consensus,
    set_counts_for_agents,
)
from qa_app.services.calibration.sessions import SessionSummary, get_session
from qa_app.services.use_case import atomic


def start_session(
    session: Session,
    actor: Actor,
    name: str,
    reviewers: Sequence[str],
    conversation_refs: Sequence[str] | None = None,
    *,
    sample_size: int | None = None,
    seed: int = 42,
    rubric_version_id: int | None = None,
    notes: str = "",
) -> SessionSummary:
    """Create a session from what a lead typed or chose: the conversations by the ids shown
    in the app (``conversation_refs``, resolved here) or a sample of ``sample_size``.
    Returns the new session as the list shows it."""
    ids = None if conversation_refs is None else resolve_conversations(session, conversation_refs)
    created = create_session(
        session, actor, name, reviewers, ids, sample_size=sample_size, seed=seed,
        rubric_version_id=rubric_version_id, notes=notes,
    )  # fmt: skip
    return get_session(session, actor, created)


do_start_session = atomic(start_session)
do_record_consensus = atomic(record_consensus)
do_close_session = atomic(close_session)
do_set_counts_for_agents = atomic(set_counts_for_agents)
