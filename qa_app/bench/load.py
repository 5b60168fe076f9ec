"""``qa-studio bench load``: many reviewers grading at once on one PostgreSQL database.

Each simulated reviewer is a thread with its own connections that grades through the review
service exactly as the page does (``reviewer_sim``): next assignment, open, submit with the
version it saw. While they work, two more kinds of traffic probe the write paths that two
people can reach at once:

* *two tabs*: every ``tab_every``-th review is first saved as a draft in one "tab", then
  saved again from a second tab that still holds the old version: the second save must be
  refused (``Conflict``), never silently overwrite the first;
* *two leads*: two threads race to put the same unassigned conversations in different
  reviewers' queues: each conversation must end up with exactly one open assignment.

Afterwards the database is checked: every submit the reviewers were told succeeded is
stored once (no lost and no duplicated review), no assignment has two reviews, no
conversation has two open assignments. It is bounded in time and count and talks only to
the database URL it is given (loopback by default).
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from qa_app.bench.reviewer_sim import do_open_review, draft_for, grade_one
from qa_app.services import accounts, database, reviews, rubrics, sampling
from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.errors import Conflict
from qa_app.services.use_case import atomic
from qa_app.storage import db as storage_db
from qa_app.storage.models import Assignment, Conversation, Review, User

LEAD = "load.lead"


@dataclass
class LoadReport:
    reviewers: int
    seconds: float
    submitted: int = 0
    submit_conflicts: int = 0
    open_times: list[float] = field(default_factory=list)
    submit_times: list[float] = field(default_factory=list)
    tab_probes: int = 0
    tab_refused: int = 0
    race_conversations: int = 0
    race_double_assigned: int = 0
    stored_reviews: int = 0
    lost: int = 0
    duplicated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def reviews_per_second(self) -> float:
        return self.submitted / self.seconds if self.seconds > 0 else 0.0


do_assign_conversation = atomic(sampling.assign_conversation)
do_save_draft = reviews.do_save_draft


def prepare(url: str, export: Path, n_reviewers: int) -> tuple[list[Actor], list[int]]:
    """Import ``export``, add the reviewers and a lead, fill every reviewer's queue; returns
    the reviewers and the conversations left unassigned for the two-leads race."""
    from qa_app.services.imports import ImportOptions, import_file

    database.upgrade(url)
    with storage_db.unit_of_work(url) as session:
        import_file(session, str(export), options=ImportOptions(source="bench-load"))
    rubrics.do_ensure_default_rubric(database.unit_of_work(url))
    names = [f"load.rev{i:02d}" for i in range(1, n_reviewers + 1)]
    for name in (*names, LEAD):
        role = "lead" if name == LEAD else "reviewer"
        accounts.do_add_user(database.unit_of_work(url), SYSTEM, name, role)
    with storage_db.unit_of_work(url) as session:
        ids = session.scalars(sa.select(Conversation.id).order_by(Conversation.id)).all()
        spare = list(ids[: len(ids) // 5])  # kept for the two-leads race
        for k, conversation_id in enumerate(ids[len(spare) :]):
            sampling.assign_conversation(session, SYSTEM, conversation_id, names[k % len(names)])
        users = {u.username: u for u in session.scalars(sa.select(User)).all()}
        actors = [accounts.actor_for(users[name]) for name in names]
    return actors, spare


def _next(url: str, actor: Actor) -> int | None:
    uow = database.unit_of_work(url)
    with uow:
        return reviews.next_assignment(uow.session, actor)


def _two_tabs(url: str, actor: Actor, assignment_id: int, rng: random.Random) -> bool:
    """Save a draft in tab A, then from tab B with A's old version: True if B was refused."""
    seen = do_open_review(database.unit_of_work(url), actor, assignment_id)
    draft = draft_for(seen, rng, 0.7)
    do_save_draft(database.unit_of_work(url), actor, assignment_id, draft, seen.lock_version)
    if seen.lock_version is None:  # the first save created the review: tab B saw no version
        seen = do_open_review(database.unit_of_work(url), actor, assignment_id)
        do_save_draft(database.unit_of_work(url), actor, assignment_id, draft, seen.lock_version)
    try:
        do_save_draft(database.unit_of_work(url), actor, assignment_id, draft, seen.lock_version)
    except Conflict:
        return True
    return False


def _reviewer(url: str, actor: Actor, deadline: float, limit: int, report: LoadReport,
              lock: threading.Lock, seed: int, tab_every: int, now: datetime) -> None:  # fmt: skip
    rng, done = random.Random(seed), 0
    while time.perf_counter() < deadline:
        with lock:
            if report.submitted >= limit:
                return
        try:
            assignment_id = _next(url, actor)
            if assignment_id is None:
                return
            if tab_every and done % tab_every == tab_every - 1:
                refused = _two_tabs(url, actor, assignment_id, rng)
                with lock:
                    report.tab_probes += 1
                    report.tab_refused += refused
            graded = grade_one(url, actor, assignment_id, rng, quality=rng.uniform(0.5, 0.9),
                               now=now)  # fmt: skip
        except Exception as exc:  # a raw database error is a finding: keep the run going
            with lock:
                report.errors.append(f"{actor.username}: {type(exc).__name__}: {exc}"[:300])
            continue
        done += 1
        with lock:
            report.open_times.append(graded.open_seconds)
            report.submit_times.append(graded.submit_seconds)
            if graded.outcome == "submitted":
                report.submitted += 1
            else:
                report.submit_conflicts += 1


def _lead_race(url: str, spare: list[int], reviewer: str, wins: list[int],
               lock: threading.Lock) -> None:  # fmt: skip
    for conversation_id in spare:
        try:
            do_assign_conversation(database.unit_of_work(url), SYSTEM, conversation_id, reviewer)
        except Conflict:
            continue
        with lock:
            wins.append(conversation_id)


def check_database(url: str, report: LoadReport) -> None:
    """Count what is stored against what the reviewers were told."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        report.stored_reviews = connection.execute(
            sa.select(sa.func.count()).select_from(Review).where(Review.status == "submitted")
        ).scalar_one()
        report.duplicated = connection.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(Review.assignment_id).where(Review.assignment_id.is_not(None))
                .group_by(Review.assignment_id).having(sa.func.count() > 1).subquery()
            )
        ).scalar_one()  # fmt: skip
        report.race_double_assigned = connection.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(Assignment.conversation_id)
                .where(Assignment.calibration_session_id.is_(None),
                       Assignment.status != "cancelled")
                .group_by(Assignment.conversation_id).having(sa.func.count() > 1).subquery()
            )
        ).scalar_one()  # fmt: skip
    engine.dispose()
    report.lost = max(0, report.submitted - report.stored_reviews)


def run_load(url: str, actors: list[Actor], spare: list[int], *, seconds: float,
             limit: int, tab_every: int = 10) -> LoadReport:  # fmt: skip
    """The reviewers and the two leads at once, bounded by ``seconds`` and ``limit``."""
    report, lock = LoadReport(reviewers=len(actors), seconds=0.0), threading.Lock()
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    began = time.perf_counter()
    deadline = began + seconds
    threads = [
        threading.Thread(target=_reviewer, args=(url, actor, deadline, limit, report, lock,
                                                 k, tab_every, now + timedelta(seconds=k)))
        for k, actor in enumerate(actors)
    ]  # fmt: skip
    wins: list[int] = []
    for reviewer in (actors[0].username, actors[-1].username):
        threads.append(threading.Thread(target=_lead_race, args=(url, spare, reviewer, wins, lock)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report.seconds = time.perf_counter() - began
    report.race_conversations = len(spare)
    check_database(url, report)
    return report
