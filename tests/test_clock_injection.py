"""Every service that stamps a time takes ``now`` and uses it, on both databases: what a
review, a dispute, a calibration session, an assignment, an import run, an account change
and its audit events record is the moment the caller gave, not the machine's clock (so a
test, the demo's season or a replay is the same on any day)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from review_fixtures import seed_workflow
from sqlalchemy import select

from qa_app.services.accounts import auth, sign_in_sessions, users
from qa_app.services.actor import SYSTEM
from qa_app.services.calibration import grading as calibration
from qa_app.services.disputes import decisions as disputes
from qa_app.services.imports import ImportOptions, import_file
from qa_app.services.reviews.grading import GradeInput, ReviewDraft, submit_review
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import (
    Assignment,
    AuditEvent,
    CalibrationSession,
    Dispute,
    GradeChange,
    ImportRun,
    Review,
    SignInSession,
    User,
)

os.environ.setdefault(auth.HASH_COST_ENV, "test")
T = datetime(2025, 1, 6, 10, 30, tzinfo=UTC)  # long past: the real clock is far from it
EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def _events_at(session, prefix: str) -> set[datetime]:
    return set(session.scalars(select(AuditEvent.at).where(AuditEvent.action.like(prefix))))


def test_review_dispute_and_assignment_take_the_given_moment(db_url):
    flow = seed_workflow(db_url, conversations=3)
    with storage_db.unit_of_work(db_url) as session:
        aid = sampling.assign_conversation(
            session, flow.lead, flow.conversation_ids[0], "rev1", now=T
        )
        draft = ReviewDraft(
            {"politeness": GradeInput(2), "greeting": GradeInput(1), "correct_info": GradeInput(0)}
        )
        review_id = submit_review(session, flow.reviewers[0], aid, draft, None, now=T).review_id
        raised = disputes.raise_dispute(
            session, flow.agents[0], review_id, "Look again", "correct_info", 1,
            now=T + timedelta(days=1),
        )  # fmt: skip
        disputes.resolve_dispute(
            session, flow.lead, raised, True, "Fixed.", now=T + timedelta(days=2)
        )
    with storage_db.unit_of_work(db_url) as session:
        assert session.scalar(select(Assignment.created_at).where(Assignment.id == aid)) == T
        review = session.get(Review, review_id)
        assert (review.created_at, review.submitted_at) == (T, T)
        assert review.updated_at == T + timedelta(days=2)  # the dispute's answer changed it
        dispute = session.get(Dispute, raised)
        assert dispute.created_at == T + timedelta(days=1)
        assert dispute.resolved_at == T + timedelta(days=2)
        assert set(session.scalars(select(GradeChange.at))) == {T + timedelta(days=2)}
        assert _events_at(session, "review.%") == {T}
        assert _events_at(session, "dispute.%") == {T + timedelta(days=1), T + timedelta(days=2)}


def test_calibration_session_takes_the_given_moments(db_url):
    flow = seed_workflow(db_url, conversations=3)
    with storage_db.unit_of_work(db_url) as session:
        sid = calibration.create_session(
            session, flow.lead, "Round 1", ["rev1", "rev2"], list(flow.conversation_ids[:2]),
            now=T,
        )  # fmt: skip
        calibration.close_session(session, flow.lead, sid, "done", now=T + timedelta(days=3))
    with storage_db.unit_of_work(db_url) as session:
        row = session.get(CalibrationSession, sid)
        assert (row.created_at, row.closed_at) == (T, T + timedelta(days=3))
        created = session.scalars(
            select(Assignment.created_at).where(Assignment.calibration_session_id == sid)
        )
        assert set(created) == {T}
        assert _events_at(session, "calibration.%") == {T, T + timedelta(days=3)}


def test_account_changes_take_the_given_moment(db_url):
    with storage_db.unit_of_work(db_url) as session:
        users.add_user(session, SYSTEM, "maria", "reviewer", password="long-enough-pw", now=T)
    with storage_db.unit_of_work(db_url) as session:
        actor = auth.authenticate(session, "maria", "long-enough-pw", now=T)
        sign_in_sessions.open_session(session, actor, now=T)
    later = T + timedelta(hours=1)
    with storage_db.unit_of_work(db_url) as session:
        users.set_role(session, SYSTEM, "maria", "trainer", now=later)
        users.reset_password(session, SYSTEM, "maria", now=later)
        users.deactivate(session, SYSTEM, "maria", now=later)
    with storage_db.unit_of_work(db_url) as session:
        user = session.scalar(select(User).where(User.username == "maria"))
        assert (user.created_at, user.last_login_at) == (T, T)
        assert session.scalar(select(SignInSession.revoked_at)) == later
        assert _events_at(session, "user.%") == {T, later}
        assert _events_at(session, "auth.%") == {T, later}


def test_an_import_run_starts_at_the_given_moment(db_url, tmp_path):
    with storage_db.unit_of_work(db_url) as session:
        summary = import_file(
            session, EXAMPLES / "good_chats.csv", SYSTEM,
            ImportOptions(errors_dir=tmp_path, clock=lambda: T),
        )  # fmt: skip
    with storage_db.unit_of_work(db_url) as session:
        run = session.get(ImportRun, summary.run_id)
        assert run.started_at == T
        assert run.finished_at == T  # the run's clock, never the real one
        assert _events_at(session, "import.%") == {run.finished_at}
