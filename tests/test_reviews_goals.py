"""Reviewer goals on both databases: set by leads, progress by week, capacity, one-off
samples capped by it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sampling_fixtures import WEEK1, seed_plan_world
from sqlalchemy import select

from qa_app.services import database, reviews, sampling
from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied
from qa_app.storage import db as storage_db
from qa_app.storage.models import AuditEvent

NOW = WEEK1 + timedelta(days=9, hours=12)  # Wednesday 11 March, week 2026-W11


def _assign(world, conv_ids, reviewer="rev1") -> list[int]:
    with database.unit_of_work(world.url) as uow:
        ids = [
            sampling.assign_conversation(uow.session, world.lead, cid, reviewer) for cid in conv_ids
        ]
        uow.commit()
    return ids


def _submit(world, assignment_id: int, at) -> None:
    reviewer = world.reviewers[0]
    with database.unit_of_work(world.url) as uow:
        context = reviews.open_review(uow.session, reviewer, assignment_id)
        draft = reviews.ReviewDraft(
            {c.id: reviews.GradeInput(c.scale.max_value) for c in context.rubric.rubric.criteria()}
        )
        reviews.submit_review(
            uow.session, reviewer, assignment_id, draft, context.lock_version, now=at
        )
        uow.commit()


def test_progress_counts_reviews_done_this_week_and_open_work(db_url):
    world = seed_plan_world(db_url, per_agent_week=2)
    reviews.do_set_goal(database.unit_of_work(db_url), world.lead, "rev1", 10, now=NOW)
    ids = _assign(world, world.weeks[0][:6])
    _submit(world, ids[0], NOW - timedelta(days=5))  # last week: not this week's work
    _submit(world, ids[1], NOW - timedelta(days=1))
    _submit(world, ids[2], NOW)
    rows = {
        r.reviewer: r for r in reviews.goals_screen(database.unit_of_work(db_url), world.lead, NOW)
    }
    rev1 = rows["rev1"]
    assert (rev1.goal, rev1.done, rev1.open, rev1.capacity) == (10, 2, 3, 5)
    assert rows["rev2"].goal is None and rows["rev2"].capacity is None
    assert {"lead", "rev1", "rev2", "rev3"} == set(rows)
    own = reviews.queue_screen(database.unit_of_work(db_url), world.reviewers[0], now=NOW).goal
    assert (own.goal, own.done, own.open) == (10, 2, 3)
    with database.unit_of_work(db_url) as uow:
        event = uow.session.scalars(select(AuditEvent).where(AuditEvent.action == "goal.set")).one()
        assert event.details == {"reviewer": "rev1", "old": None, "new": 10}
        assert event.at == NOW  # stamped at the moment given


def test_only_leads_set_goals_and_values_are_checked(db_url):
    world = seed_plan_world(db_url, per_agent_week=1)
    uow = database.unit_of_work(db_url)
    with pytest.raises(PermissionDenied):
        reviews.do_set_goal(uow, world.reviewers[0], "rev1", 5)
    with pytest.raises(PermissionDenied):
        reviews.goals_screen(uow, world.reviewers[0], NOW)
    with pytest.raises(InvalidInput) as caught:
        reviews.do_set_goal(uow, world.lead, "rev1", -1)
    assert caught.value.key == "sampling.error.goal_range"
    with pytest.raises(NotFound):
        reviews.do_set_goal(uow, world.lead, "ghost", 5)
    reviews.do_set_goal(uow, world.lead, "rev1", 5)
    reviews.do_set_goal(uow, world.lead, "rev1", None)  # removed: not capped again
    assert reviews.queue_screen(uow, world.reviewers[0], now=NOW).goal.goal is None


def test_a_one_off_sample_warns_and_caps_at_capacity(db_url):
    world = seed_plan_world(db_url)
    reviews.do_set_goal(database.unit_of_work(db_url), world.lead, "rev1", 4)
    _assign(world, world.weeks[2][:1])  # rev1 has one open already: room for 3
    request = sampling.SampleRequest(strategy="random", size=20, reviewers=("rev1",))
    preview = sampling.sample_preview(database.unit_of_work(db_url), world.lead, request, now=NOW)
    (row,) = preview.over_capacity
    assert (row.reviewer, row.goal, row.open, row.capacity, row.wanted) == ("rev1", 4, 1, 3, 20)
    assert len(preview.items) == 3 and preview.left_out_capacity == 17
    created = sampling.do_create_sample(database.unit_of_work(db_url), world.lead, request, now=NOW)
    assert len(created.created_ids) == 3
    again = sampling.do_create_sample(
        database.unit_of_work(db_url),
        world.lead,
        sampling.SampleRequest(
            strategy="random", size=2, reviewers=("rev1",), override_capacity=True
        ),
        now=NOW,
    )
    assert len(again.created_ids) == 2  # the lead chose to go over: allowed, and audited
    with storage_db.unit_of_work(db_url) as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert "sampling.capacity_override" in actions
