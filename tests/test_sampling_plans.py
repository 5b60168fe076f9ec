"""Recurring plans on both databases: saving, running once per period, capacity, the
scheduler's due check, and two schedulers racing for the same week."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sampling_fixtures import WEEK1, seed_plan_world
from sqlalchemy import func, select

from qa_app.services import database, reviews, sampling
from qa_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from qa_app.storage import db as storage_db
from qa_app.storage.models import (
    Assignment,
    AssignmentPlan,
    AssignmentPlanRun,
    AuditEvent,
    User,
)

MONDAY2 = WEEK1 + timedelta(days=7)  # Monday 9 March 00:00 UTC
RUN_TIME = MONDAY2 + timedelta(hours=8)  # after the 07:00 run


def _plan(world, **overrides) -> int:
    values = dict(
        name="Weekly QA",
        weekdays="mon",
        run_at="07:00",
        timezone="UTC",
        quota_per_agent=2,
        reviewers=("rev1", "rev2"),
    )
    data = sampling.PlanInput(**(values | overrides))
    with database.unit_of_work(world.url) as uow:
        plan_id = sampling.save_plan(uow.session, world.lead, data, now=MONDAY2)
        uow.commit()
    return plan_id


def _run(world, plan_id, now=RUN_TIME, **kwargs) -> sampling.PlanRunResult:
    return sampling.do_run_plan(
        database.unit_of_work(world.url), world.lead, plan_id, now, **kwargs
    )


def _assignments(url) -> list[Assignment]:
    with storage_db.unit_of_work(url) as session:
        return list(session.scalars(select(Assignment).order_by(Assignment.id)))


def test_a_run_takes_the_quota_per_agent_from_the_previous_week_once(db_url):
    world = seed_plan_world(db_url)
    plan_id = _plan(world)
    first = _run(world, plan_id)
    assert first.status == "created" and first.period_key == "2026-W11"
    rows = _assignments(db_url)
    assert len(rows) == first.created == 2 * len(world.agent_logins)
    assert {r.conversation_id for r in rows} <= set(world.weeks[0])  # last week's only
    assert {r.plan_run_id for r in rows} == {rows[0].plan_run_id} and rows[0].plan_run_id
    assert rows[0].sample_label.startswith("stratified plan=Weekly QA|2026-W11: quota:")
    again = _run(world, plan_id, RUN_TIME + timedelta(days=2))  # same week, later
    assert again.status == "already_ran" and again.created == 0
    assert len(_assignments(db_url)) == len(rows)
    with storage_db.unit_of_work(db_url) as session:
        assert session.scalar(select(func.count()).select_from(AssignmentPlanRun)) == 1
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "plan.run")).one()
        assert event.details["assignments"] == len(rows)
        run = session.scalars(select(AssignmentPlanRun)).one()
        # everything is stamped at the moment given, never the machine's clock
        assert event.at == run.ran_at == RUN_TIME
        assert {r.created_at for r in rows} == {RUN_TIME}


def test_due_check_respects_the_schedule_and_the_plan_start(db_url):
    world = seed_plan_world(db_url)
    plan_id = _plan(world)
    with database.unit_of_work(db_url) as uow:
        assert sampling.due_plans(uow.session, world.lead, MONDAY2 + timedelta(hours=6)) == []
        assert sampling.due_plans(uow.session, world.lead, RUN_TIME) == [(plan_id, "Weekly QA")]
    results = sampling.do_run_due_plans(database.unit_of_work(db_url), world.lead, RUN_TIME)
    assert [r.status for r in results] == ["created"]
    assert sampling.do_run_due_plans(database.unit_of_work(db_url), world.lead, RUN_TIME) == []
    late = _plan(world, name="Created on Tuesday")  # saved at MONDAY2 00:00 too
    with database.unit_of_work(db_url) as uow:
        plan = uow.session.get(AssignmentPlan, late)
        plan.active_from = RUN_TIME  # as if created after this Monday's run time
        uow.commit()
    with database.unit_of_work(db_url) as uow:
        assert sampling.due_plans(uow.session, world.lead, RUN_TIME + timedelta(days=1)) == []
        next_week = RUN_TIME + timedelta(days=7)
        assert (late, "Created on Tuesday") in sampling.due_plans(
            uow.session, world.lead, next_week
        )
        summary = {p.name: p for p in sampling.list_plans(uow.session, world.lead, RUN_TIME)}
    assert summary["Weekly QA"].last_run.created == 8 and not summary["Weekly QA"].due
    assert summary["Created on Tuesday"].next_run == MONDAY2 + timedelta(days=7, hours=7)


def _set_goal(world, reviewer: str, weekly: int | None) -> None:
    reviews.do_set_goal(database.unit_of_work(world.url), world.lead, reviewer, weekly)


def test_capacity_caps_the_run_and_an_override_is_audited(db_url):
    world = seed_plan_world(db_url)
    _set_goal(world, "rev1", 3)
    _set_goal(world, "rev2", 2)
    plan_id = _plan(world, quota_per_agent=3)
    preview = sampling.plan_run_preview(
        database.unit_of_work(db_url), world.lead, plan_id, RUN_TIME
    )
    assert preview.status == "preview" and _assignments(db_url) == []
    over = {row.reviewer: (row.capacity, row.wanted) for row in preview.sample.over_capacity}
    assert over == {"rev1": (3, 7), "rev2": (2, 5)}
    assert preview.sample.per_reviewer() == {"rev1": 3, "rev2": 2}
    assert preview.sample.left_out_capacity == 12 - 5
    capped = _run(world, plan_id)
    assert capped.created == 5 and capped.left_out_capacity == 7
    counts = {}
    for row in _assignments(db_url):
        counts[row.reviewer_id] = counts.get(row.reviewer_id, 0) + 1
    assert sorted(counts.values()) == [2, 3]
    # next week, with override: beyond capacity, and the audit log says by how much
    result = _run(world, plan_id, RUN_TIME + timedelta(days=7), override=True)
    assert result.created == 12 and result.left_out_capacity == 0
    with storage_db.unit_of_work(db_url) as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "sampling.capacity_override")
        ).one()
    assert set(event.details["over"]) == {"rev1", "rev2"}


def test_saving_refuses_bad_plans_with_the_field_named(db_url):
    world = seed_plan_world(db_url, per_agent_week=1)
    _plan(world)
    cases = [
        (dict(name="x", weekdays="someday"), InvalidInput, "sampling.error.schedule_weekdays"),
        (dict(name="x", run_at="7pm"), InvalidInput, "sampling.error.schedule_run_at"),
        (dict(name="x", timezone="Moon/Base"), InvalidInput, "sampling.error.schedule_timezone"),
        (dict(name="x", reviewers=("ghost",)), NotFound, "sampling.error.unknown_reviewer"),
        (dict(name="x", reviewers=()), InvalidInput, "sampling.error.no_reviewers"),
        (dict(name="  "), InvalidInput, "sampling.error.plan_name"),
        (dict(name="Weekly QA"), Conflict, "sampling.error.plan_exists"),
        (dict(name="x", rubric_slug="nope"), NotFound, "rubrics.error.not_found"),
    ]
    for overrides, error, key in cases:
        with pytest.raises(error) as caught:
            _plan(world, **overrides)
        assert caught.value.key == key, overrides
    with pytest.raises(PermissionDenied), database.unit_of_work(db_url) as uow:
        sampling.save_plan(
            uow.session,
            world.reviewers[0],
            sampling.PlanInput("mine", reviewers=("rev1",)),
            now=MONDAY2,
        )


def test_a_plan_without_active_reviewers_fails_alone(db_url):
    world = seed_plan_world(db_url)
    broken = _plan(world, name="A broken plan", reviewers=("rev3",))
    healthy = _plan(world, name="B healthy plan")
    with storage_db.unit_of_work(db_url) as session:
        session.scalars(select(User).where(User.username == "rev3")).one().is_active = False
    results = sampling.do_run_due_plans(database.unit_of_work(db_url), world.lead, RUN_TIME)
    status = {r.plan_id: (r.status, r.error_key) for r in results}
    assert status == {
        broken: ("failed", "sampling.error.plan_no_reviewers"),
        healthy: ("created", ""),
    }
    with database.unit_of_work(db_url) as uow:  # the failed one stays due
        assert sampling.due_plans(uow.session, world.lead, RUN_TIME) == [(broken, "A broken plan")]


def test_paused_plans_do_not_run(db_url):
    world = seed_plan_world(db_url, per_agent_week=1)
    plan_id = _plan(world)
    sampling.do_set_plan_active(database.unit_of_work(db_url), world.lead, plan_id, False)
    assert sampling.do_run_due_plans(database.unit_of_work(db_url), world.lead, RUN_TIME) == []


def test_two_schedulers_at_the_same_moment_assign_once(db_url):
    """Two threads run the same plan for the same week at once: one creates, the other
    is a no-op (or a clear Conflict), never a database error; nothing is assigned twice."""
    world = seed_plan_world(db_url)
    plan_id = _plan(world)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def scheduler() -> None:
        barrier.wait()
        try:
            outcomes.append(_run(world, plan_id).status)
        except Conflict as exc:
            outcomes.append(exc.key)
        except Exception as exc:  # recorded, so the assertion shows what went wrong
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) in (["already_ran", "created"], ["created", "sampling.error.busy"])
    rows = _assignments(db_url)
    assert len(rows) == 8 and len({r.conversation_id for r in rows}) == 8
