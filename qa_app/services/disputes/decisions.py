"""Disputes: an agent or a lead challenges a grade; the reviewer or a lead decides.

A decision is one of three, each with its own wording and its own line in the grade
history (``GradeChange.decision``):

* ``accepted`` — at least one grade changes; the score is recomputed with the same formula
  as submission. An accept that would change nothing is refused, never reported as a change;
* ``accepted_kept`` — "accepted, grade kept": the objection is fair but the grade stands
  (the lead says so explicitly with ``keep_grade=True``);
* ``rejected`` — the grade stands and the answer says why.

Two leads deciding the same dispute at once: the first wins, the second gets Conflict
(the dispute is claimed with ``UPDATE ... WHERE status = 'open'``, which the database
serialises). Agents only ever see reviews of their own conversations: the filter is
applied here, not only in the page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa_app.services import reviews
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.disputes.listing import (
    DISPUTABLE,
    DisputeInfo,
    GradeLine,
    ReviewSummary,
    check_owner,
    dispute_info,
    grade_history,
    list_disputes,
    review_counts,
    review_summary,
    visible_reviews,
)
from qa_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from qa_app.services.permissions import can, require
from qa_app.storage.models import Dispute, GradeChange, Review, ReviewGrade
from scoring.rubric.score_maths import check_grades

__all__ = [
    "DisputeInfo",
    "GradeLine",
    "ReviewSummary",
    "grade_history",
    "list_disputes",
    "raise_dispute",
    "resolve_dispute",
    "review_summary",
    "visible_reviews",
]


def raise_dispute(
    session: Session,
    actor: Actor,
    review_id: int,
    reason: str,
    criterion_id: str | None = None,
    proposed_value: float | None = None,
    *,
    now: datetime | None = None,
) -> int:
    """Dispute a whole review or one criterion; the review moves to ``disputed``."""
    require(actor, "dispute.raise")
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(f"review {review_id} not found", key="error.not_found")
    check_owner(session, actor, review)
    if not review_counts(session, review):
        raise Conflict(
            "a calibration review is not the agent's evaluation until a lead decides it counts",
            key="disputes.error.calibration",
        )
    if review.status not in DISPUTABLE:
        raise Conflict("only submitted reviews can be disputed", key="disputes.error.not_submitted")
    if not reason.strip():
        raise InvalidInput("a reason is required", key="disputes.error.reason_required")
    _, stored, _ = reviews.stored_score(session, review_id)
    if criterion_id is not None:
        if criterion_id not in stored.rubric.criterion_ids():
            raise InvalidInput(f"unknown criterion {criterion_id}", key="disputes.error.criterion")
        if proposed_value is not None and check_grades(
            stored.rubric, {criterion_id: proposed_value}
        ):
            raise InvalidInput("proposed value is not on the scale", key="disputes.error.value")
    open_same = session.scalar(
        select(Dispute.id).where(
            Dispute.review_id == review_id,
            Dispute.status == "open",
            Dispute.criterion_id.is_(None)
            if criterion_id is None
            else Dispute.criterion_id == criterion_id,
        )
    )
    if open_same is not None:
        raise Conflict("this grade is already disputed", key="disputes.error.already_open")
    dispute = Dispute(
        review_id=review_id,
        criterion_id=criterion_id,
        raised_by=actor.user_id,
        reason=reason.strip(),
        proposed_value=proposed_value if criterion_id else None,
        created_at=utc_now(now),
    )
    session.add(dispute)
    review.status = "disputed"
    review.updated_at = utc_now(now)
    _flush(session, review)
    record_event(
        session,
        actor,
        "dispute.raised",
        "dispute",
        dispute.id,
        now=now,
        review_id=review_id,
        criterion_id=criterion_id,
        proposed_value=proposed_value,
    )
    return dispute.id


def _flush(session: Session, review: Review) -> None:
    review_id = review.id  # read before a failed flush expires the row
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(f"review {review_id} changed meanwhile", key="review.error.stale") from exc


def _real_changes(session: Session, review: Review, new_values: dict) -> dict:
    """The requested grades that differ from the stored ones (checked against the rubric)."""
    _, stored, _ = reviews.stored_score(session, review.id)
    problems = check_grades(stored.rubric, new_values)
    if problems:
        raise InvalidInput(
            "; ".join(problems), key="review.error.bad_grade", detail="; ".join(problems)
        )
    rows = {g.criterion_id: g for g in review.grades}
    changes = {}
    for criterion_id, value in new_values.items():
        row = rows.get(criterion_id)
        same = row is not None and row.value == value and row.not_applicable == (value is None)
        if not same:
            changes[criterion_id] = value
    return changes


def _history(session, actor, review, dispute, criterion_id, old, new, decision, now) -> None:
    session.add(
        GradeChange(
            review_id=review.id,
            criterion_id=criterion_id or "",
            old_value=old,
            new_value=new,
            changed_by=actor.user_id,
            dispute_id=dispute.id,
            reason=dispute.answer,
            decision=decision,
            at=now,
        )
    )


def _change_grades(session, actor, review: Review, dispute: Dispute, changes: dict, now) -> None:
    """Write the changed grades with one history line each, then rescore the review."""
    rows = {g.criterion_id: g for g in review.grades}
    for criterion_id, value in changes.items():
        row = rows.get(criterion_id)
        if row is None:
            row = ReviewGrade(criterion_id=criterion_id)
            review.grades.append(row)
        old = row.value
        row.value, row.not_applicable, row.auto_na = value, value is None, False
        _history(session, actor, review, dispute, criterion_id, old, value, "changed", now)
    session.flush()
    _, _, score = reviews.stored_score(session, review.id)
    review.overall_score = score.overall
    review.critical_fail = bool(score.critical_fails)


def _grade_kept(session, actor, review: Review, dispute: Dispute, decision: str, now) -> None:
    """A decision that leaves the grade as it is still writes its line of history."""
    row = next((g for g in review.grades if g.criterion_id == dispute.criterion_id), None)
    value = row.value if row is not None else None
    _history(session, actor, review, dispute, dispute.criterion_id, value, value, decision, now)


def _claim(session: Session, dispute: Dispute, status: str, actor: Actor, answer: str, now):
    """Decide the dispute only if it is still open: the database serialises two leads
    deciding at once, and the one that comes second finds nothing open."""
    claimed = session.execute(
        update(Dispute)
        .where(Dispute.id == dispute.id, Dispute.status == "open")
        .values(status=status, resolved_by=actor.user_id, resolved_at=now, answer=answer)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise Conflict(
            f"dispute {dispute.id} was decided meanwhile", key="disputes.error.decided_meanwhile"
        )
    session.refresh(dispute)


def _decision(
    session: Session, review: Review, dispute: Dispute, accept: bool, keep: bool, values
) -> tuple[str, dict]:
    """(status, grade changes) of a decision; an accept must change a grade or say it keeps it."""
    if not accept:
        return "rejected", {}
    if keep:
        if values:
            raise InvalidInput(
                "an accept that keeps the grade changes none", key="disputes.error.keep_and_change"
            )
        return "accepted_kept", {}
    if values is None and dispute.criterion_id and dispute.proposed_value is not None:
        values = {dispute.criterion_id: dispute.proposed_value}
    changes = _real_changes(session, review, values or {})
    if not changes:
        raise InvalidInput(
            "accepting changes no grade", key="disputes.error.accept_changes_nothing"
        )
    return "accepted", changes


def resolve_dispute(
    session: Session,
    actor: Actor,
    dispute_id: int,
    accept: bool,
    answer: str,
    new_values: dict[str, float | None] | None = None,
    *,
    keep_grade: bool = False,
    now: datetime | None = None,
) -> DisputeInfo:
    """Accept with changed grades (score recomputed), accept keeping the grade
    (``keep_grade=True``), or reject; each with an answer and a line of grade history."""
    now = utc_now(now)
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound(f"dispute {dispute_id} not found", key="error.not_found")
    review = session.get(Review, dispute.review_id)
    if not can(actor, "dispute.resolve_any"):
        require(actor, "dispute.resolve")
        if review.reviewer_id != actor.user_id:
            raise PermissionDenied(
                "not your review", key="disputes.error.not_yours", role=actor.role
            )
    if dispute.status != "open":
        raise Conflict("dispute already resolved", key="disputes.error.resolved")
    if not answer.strip():
        raise InvalidInput("an answer is required", key="disputes.error.answer_required")
    status, changes = _decision(session, review, dispute, accept, keep_grade, new_values)
    score_before = review.overall_score
    _claim(session, dispute, status, actor, answer.strip(), now)
    if changes:
        _change_grades(session, actor, review, dispute, changes, now)
    else:
        _grade_kept(session, actor, review, dispute, "kept" if accept else "rejected", now)
    session.flush()
    still_open = session.scalar(
        select(Dispute.id).where(Dispute.review_id == review.id, Dispute.status == "open")
    )
    review.status = "disputed" if still_open else "final"
    review.updated_at = now
    _flush(session, review)
    record_event(
        session,
        actor,
        f"dispute.{dispute.status}",
        "dispute",
        dispute.id,
        now=now,
        review_id=review.id,
        changes=changes,
        score_before=score_before,
        score=review.overall_score,
    )
    return dispute_info(session, actor, dispute, score_before=score_before)
