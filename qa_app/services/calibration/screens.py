"""What the calibration page draws, read in one unit of work: the sessions, the chosen
session with the actor's own progress and (when the actor may see them) its results, and
for leads the choices of the "new session" form."""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_app.services import reviews, rubrics
from qa_app.services.actor import Actor
from qa_app.services.calibration.result_types import CalibrationResults
from qa_app.services.calibration.results import calibration_results
from qa_app.services.calibration.sessions import (
    MyAssignment,
    SessionSummary,
    get_session,
    list_sessions,
    my_assignments,
)
from qa_app.services.errors import ServiceError
from qa_app.services.permissions import can
from qa_app.storage.uow import UnitOfWork
from scoring.rubric.files import Rubric


@dataclass(frozen=True, slots=True)
class CalibrationScreen:
    sessions: list[SessionSummary]
    selected: SessionSummary | None = None
    #: The actor's own assignments in the selected session while it is open.
    my_assignments: list[MyAssignment] = field(default_factory=list)
    #: Agreement and discussion, for leads and, once the session is closed, everyone in it.
    results: CalibrationResults | None = None
    rubric: Rubric | None = None
    #: Why the selected session (or its results) could not be read; the list still shows.
    error: ServiceError | None = None
    #: The "new session" form's choices (leads): (user id, username) and the rubrics.
    reviewer_choices: list[tuple[int, str]] | None = None
    rubric_choices: list[rubrics.RubricSummary] | None = None


def calibration_screen(
    uow: UnitOfWork, actor: Actor, session_id: int | None = None
) -> CalibrationScreen:
    """The calibration page for ``session_id`` (the first listed when it is not listed)."""
    with uow:
        session = uow.session
        sessions = list_sessions(session, actor)
        choices: dict = {}
        if can(actor, "calibration.manage"):
            choices = {
                "reviewer_choices": reviews.reviewer_options(session, actor),
                "rubric_choices": rubrics.list_rubrics(session),
            }
        ids = [s.session_id for s in sessions]
        if not ids:
            return CalibrationScreen(sessions, **choices)
        chosen = session_id if session_id in ids else ids[0]
        try:
            details = _session_details(session, actor, chosen)
        except ServiceError as exc:
            return CalibrationScreen(sessions, error=exc, **choices)
    return CalibrationScreen(sessions, **details, **choices)


def session_list(uow: UnitOfWork, actor: Actor) -> list[SessionSummary]:
    """Every session the actor may see, with status and grading progress."""
    with uow:
        return list_sessions(uow.session, actor)


def results_report(uow: UnitOfWork, actor: Actor, session_id: int) -> CalibrationResults:
    """A session's agreement per criterion, reviewer severity and items to discuss."""
    with uow:
        return calibration_results(uow.session, actor, session_id)


def _session_details(session, actor: Actor, session_id: int) -> dict:
    summary = get_session(session, actor, session_id)
    details: dict = {"selected": summary}
    if summary.my_total is not None and not summary.is_closed:
        details["my_assignments"] = my_assignments(session, actor, session_id)
    if can(actor, "calibration.manage") or summary.is_closed:
        try:
            details["results"] = calibration_results(session, actor, session_id)
            details["rubric"] = rubrics.get_version(session, summary.rubric_version_id).rubric
        except ServiceError as exc:
            details["error"] = exc
    return details
