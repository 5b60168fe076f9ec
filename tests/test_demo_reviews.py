"""The demo season of reviews on a small generated corpus: biases, personas, N/A, comments,
disputes and calibration all show, every score is the one formula's, and a seed repeats."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from statistics import fmean

import pytest
from sqlalchemy import func, select

from qa_app.demo import seed as demo
from qa_app.demo.reviews import DEFAULT_REVIEWERS, create_demo_reviews
from qa_app.services.actor import SYSTEM
from qa_app.services.calibration.results import calibration_results
from qa_app.services.reviews.grading import stored_score
from qa_app.services.rubrics import store as rubrics
from qa_app.storage import db as storage_db
from qa_app.storage.models import (
    Agent,
    CalibrationConsensus,
    CalibrationSession,
    Conversation,
    Dispute,
    GradeChange,
    Review,
    User,
)

SMALL = 220
PER_AGENT_WEEK = 2
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def _season(url: str, seed: int = 11):
    storage_db.upgrade(url)
    with storage_db.unit_of_work(url) as session:
        demo.load_demo(
            session, seed=seed, n_conversations=SMALL, password="demo-pass-12345", reviews=False
        )
    with storage_db.unit_of_work(url) as session:
        version = rubrics.active_version(session, "support-default")
        summary = create_demo_reviews(
            session, version.version_id, DEFAULT_REVIEWERS, seed=seed, per_agent_week=PER_AGENT_WEEK
        )
    return summary


def _grades(url: str) -> list[tuple]:
    with storage_db.unit_of_work(url) as session:
        rows = session.execute(
            select(Review, Conversation.external_id, User.username)
            .join(Conversation, Conversation.id == Review.conversation_id)
            .join(User, User.id == Review.reviewer_id)
        ).all()
        return sorted(
            (ext, name, g.criterion_id, g.value, g.not_applicable, g.comment)
            for review, ext, name in rows
            for g in review.grades
        )


@pytest.fixture(scope="module")
def season_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    _season(url)
    return url


def test_season_repeats_exactly_on_the_other_database(db_url, season_url):
    """Same seed, same season: run on PostgreSQL, compare with the SQLite season grade by
    grade (on SQLite the module's season is the run under test)."""
    if db_url.startswith("sqlite"):
        url, summary = season_url, None
    else:
        url, summary = db_url, _season(db_url)
        assert _grades(db_url) == _grades(season_url)
    with storage_db.unit_of_work(url) as session:
        review_id = session.scalar(select(Review.id).where(Review.status == "final").limit(1))
        review, _stored, score = stored_score(session, review_id)
        assert review.overall_score == pytest.approx(score.overall)
    if summary is not None:
        assert summary.reviews > 100 and len(summary.calibration_sessions) == 2


def test_biases_and_personas_show_in_scores(season_url):
    with storage_db.unit_of_work(season_url) as session:
        rows = session.execute(
            select(User.username, Agent.login, Review.overall_score)
            .join(User, User.id == Review.reviewer_id)
            .join(Conversation, Conversation.id == Review.conversation_id)
            .join(Agent, Agent.id == Conversation.agent_id)
            .where(Review.status != "draft", Review.calibration_session_id.is_(None))
        ).all()
    by_reviewer, by_agent = defaultdict(list), defaultdict(list)
    for reviewer, agent, score in rows:
        by_reviewer[reviewer].append(score)
        by_agent[agent].append(score)
    mean = {k: fmean(v) for k, v in by_reviewer.items()}
    assert mean["reviewer.lenient"] > mean["reviewer"] > mean["reviewer.strict"]
    resolvers = fmean(by_agent["e.kuznetsova"] + by_agent["l.morgan"])
    missers = fmean(by_agent["m.sokolova"] + by_agent["o.hughes"])
    curt = fmean(by_agent["d.smirnov"] + by_agent["t.baker"])
    assert resolvers > curt + 10 and resolvers > missers + 10


def test_na_only_where_allowed_and_comments_in_the_conversation_language(season_url):
    with storage_db.unit_of_work(season_url) as session:
        rubric = rubrics.active_version(session, "support-default").rubric
        rows = session.execute(
            select(Review, Conversation.channel, Conversation.language, Conversation.tags).join(
                Conversation, Conversation.id == Review.conversation_id
            )
        ).all()
        na_allowed = {c.id for c in rubric.criteria() if c.na_allowed}
        comments = 0
        for review, channel, language, tags in rows:
            grades = {g.criterion_id: g for g in review.grades}
            assert set(grades) == set(rubric.criterion_ids())
            for g in review.grades:
                assert not g.not_applicable or g.criterion_id in na_allowed
                if g.comment:
                    comments += 1
                    assert bool(CYRILLIC.search(g.comment)) == (language == "ru")
            if channel == "phone":
                assert grades["literate_writing"].not_applicable
            if channel == "email":
                assert grades["no_interrupting"].not_applicable
            if "bug" not in (tags or []):
                assert grades["bug_reproduction_steps"].not_applicable
    assert comments > 20


def test_disputes_and_calibration_sessions(season_url):
    with storage_db.unit_of_work(season_url) as session:
        disputes = list(session.scalars(select(Dispute)))
        statuses = {d.status for d in disputes}
        assert {"accepted", "rejected", "open"} <= statuses
        for d in disputes:
            lines = list(
                session.scalars(select(GradeChange).where(GradeChange.dispute_id == d.id))
            )  # every decision writes the history; only an accept changes a grade
            assert bool(lines) == (d.status != "open")
            changed = [c for c in lines if c.decision == "changed"]
            assert bool(changed) == (d.status == "accepted")
            assert (d.answer != "") == (d.status != "open")
        sessions = list(session.scalars(select(CalibrationSession)))
        assert len(sessions) == 2 and all(s.status == "closed" and s.notes for s in sessions)
        for row in sessions:
            results = calibration_results(session, SYSTEM, row.id)
            assert 6 <= results.summary.conversations <= 8
            assert len(results.summary.reviewers) == 3
            assert results.reviews == results.summary.total
            assert results.consensus_count > 0
            consensus = session.scalars(
                select(CalibrationConsensus).where(CalibrationConsensus.session_id == row.id)
            )
            assert all(c.notes for c in consensus)
        first, second = sorted(sessions, key=lambda s: s.id)
        spread = [
            max(abs(s.offset) for s in calibration_results(session, SYSTEM, row.id).severity)
            for row in (first, second)
        ]
        assert spread[1] < spread[0]  # calibration worked: the biases shrank


def test_season_is_dated_by_the_corpus_not_by_the_clock(season_url):
    """Every date the season writes lies between the corpus's first day and the season's
    reference day (a few days after the corpus's own last day): nothing is stamped with
    the real clock, so the demo is the same whenever it is built (and a run with the
    clock moved a year ahead sees the same dates)."""
    from qa_app.demo.season import SEASON_TAIL, demo_reference
    from qa_app.storage.models import Assignment, AuditEvent, ImportRun

    reference = demo_reference()
    with storage_db.unit_of_work(season_url) as session:
        first, last = session.execute(
            select(func.min(Conversation.started_at), func.max(Conversation.started_at))
        ).one()
        assert reference - SEASON_TAIL - timedelta(days=1) <= last <= reference
        stamps = {
            "review.submitted_at": select(Review.submitted_at),
            "review.updated_at": select(Review.updated_at),
            "review.created_at": select(Review.created_at),
            "dispute.created_at": select(Dispute.created_at),
            "dispute.resolved_at": select(Dispute.resolved_at),
            "grade_change.at": select(GradeChange.at),
            "calibration.created_at": select(CalibrationSession.created_at),
            "calibration.closed_at": select(CalibrationSession.closed_at),
            "consensus.decided_at": select(CalibrationConsensus.decided_at),
            "assignment.created_at": select(Assignment.created_at),
            "user.created_at": select(User.created_at),
            "import.started_at": select(ImportRun.started_at),
            "audit.review": select(AuditEvent.at).where(AuditEvent.action.like("review.%")),
            "audit.dispute": select(AuditEvent.at).where(AuditEvent.action.like("dispute.%")),
            "audit.calibration": select(AuditEvent.at).where(
                AuditEvent.action.like("calibration.%")
            ),
        }
        for name, query in stamps.items():
            values = [v for v in session.scalars(query) if v is not None]
            assert values, name
            assert first.replace(hour=0, minute=0) <= min(values), name
            assert max(values) <= reference, (name, max(values))
