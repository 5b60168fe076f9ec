"""Upgrading a SQLite database that already holds work.

Batch mode rebuilds a SQLite table by copying it; with foreign keys enforced, dropping a
table that other rows point at used to fail half-way (a populated demo database could not
be upgraded past revision 0011, and a temporary table was left behind). This walks a
populated database down below this release's migrations and back up to head."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from review_fixtures import seed_workflow

from qa_app.storage import db as storage_db

COUNTED = ("conversations", "messages", "reviews", "review_grades", "calibration_sessions",
           "calibration_consensus", "disputes", "assignments", "users")  # fmt: skip


def _populated(tmp_path) -> str:
    from qa_app.services.calibration import grading as calibration
    from qa_app.services.disputes import decisions as disputes
    from qa_app.services.reviews import grading as reviews
    from qa_app.services.reviews.grading import GradeInput, ReviewDraft
    from qa_app.services.sampling import plans

    url = f"sqlite:///{tmp_path / 'work.db'}"
    storage_db.upgrade(url)
    flow = seed_workflow(url, conversations=6, reviewers=2)
    draft = ReviewDraft(
        grades={
            "politeness": GradeInput(2),
            "greeting": GradeInput(1),
            "correct_info": GradeInput(1),
        }
    )
    with storage_db.unit_of_work(url) as session:
        done = plans.assign_conversation(session, flow.lead, flow.conversation_ids[2], "rev1")
    with storage_db.unit_of_work(url) as session:
        review_id = reviews.submit_review(session, flow.reviewers[0], done, draft, None).review_id
        disputes.raise_dispute(session, flow.agents[0], review_id, "unfair")
        calibration.create_session(
            session, flow.lead, "populated", ["rev1", "rev2"], [flow.conversation_ids[4]]
        )
    return url


def _counts(url: str) -> dict[str, int]:
    with storage_db.get_engine(url).connect() as connection:
        return {t: connection.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in COUNTED}


def test_a_populated_sqlite_database_goes_down_and_up_again_keeping_its_rows(tmp_path):
    url = _populated(tmp_path)
    before = _counts(url)
    assert before["calibration_sessions"] == 1 and before["disputes"] == 1
    config = storage_db._alembic_config(url)

    command.downgrade(config, "0006")
    command.upgrade(config, "head")

    assert storage_db.current_revision(url) == storage_db.head_revision()
    assert _counts(url) == before
    with storage_db.get_engine(url).connect() as connection:
        leftovers = connection.scalars(
            sa.text("SELECT name FROM sqlite_master WHERE name LIKE '\\_alembic%' ESCAPE '\\'")
        ).all()
        assert leftovers == []
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
