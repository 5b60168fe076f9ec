"""Two simulated weeks of a weekly plan that respects capacity (issue #16, item 5):
quotas met, nobody over capacity, no conversation twice, goal progress right."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sampling_fixtures import WEEK1, seed_plan_world
from sqlalchemy import select

from qa_app.services import database, reviews, sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import Assignment, AssignmentPlanRun, Conversation, Review, User

GOALS = {"rev1": 6, "rev2": 4, "rev3": 3}  # 13 a week between them
QUOTA = 3  # per agent per week: 4 agents x 3 = 12 wanted each week


def _setup(db_url):
    world = seed_plan_world(db_url, per_agent_week=5)
    for name, goal in GOALS.items():
        reviews.do_set_goal(database.unit_of_work(db_url), world.lead, name, goal)
    data = sampling.PlanInput(
        name="Monday QA",
        weekdays="mon",
        run_at="07:00",
        timezone="Europe/Moscow",
        quota_per_agent=QUOTA,
        reviewers=tuple(GOALS),
    )
    plan_id = sampling.do_save_plan(database.unit_of_work(db_url), world.lead, data, now=WEEK1)
    return world, plan_id


def _agent_of(session) -> dict[int, str]:
    from qa_app.storage.models import Agent

    rows = session.execute(select(Conversation.id, Agent.login).join(Agent)).all()
    return dict(rows)


def test_two_weeks_of_a_weekly_plan_keep_every_promise(db_url):
    world, plan_id = _setup(db_url)
    weeks = sampling.simulate_plan(
        database.unit_of_work(db_url),
        world.lead,
        plan_id,
        start=WEEK1 + timedelta(days=7),
        weeks=2,
        review_share=0.5,
    )
    assert [w.run.period_key for w in weeks] == ["2026-W11", "2026-W12"]
    assert [w.run.status for w in weeks] == ["created", "created"]
    with storage_db.unit_of_work(db_url) as session:
        agent_of = _agent_of(session)
        names = dict(session.execute(select(User.id, User.username)).all())
        runs = {r.period_key: r.id for r in session.scalars(select(AssignmentPlanRun))}
        rows = list(session.scalars(select(Assignment).where(Assignment.plan_run_id.is_not(None))))
        reviews = list(session.scalars(select(Review)))

    # no conversation twice, and each week took only that window's conversations
    assert len({r.conversation_id for r in rows}) == len(rows)
    for week_index, period in enumerate(("2026-W11", "2026-W12")):
        taken = [r for r in rows if r.plan_run_id == runs[period]]
        assert {r.conversation_id for r in taken} <= set(world.weeks[week_index])
        per_agent = Counter(agent_of[r.conversation_id] for r in taken)
        per_reviewer = Counter(names[r.reviewer_id] for r in taken)
        before = weeks[week_index].before
        # nobody over capacity; everyone with room filled before anything is left out
        for name, count in per_reviewer.items():
            assert count <= before[name].capacity, (period, name)
        room = sum(b.capacity for b in before.values())
        assert len(taken) == min(room, len(world.agent_logins) * QUOTA)
        assert max(per_agent.values()) <= QUOTA
        assert max(per_agent.values()) - min(per_agent.values()) <= 1  # the cap cut evenly
        assert weeks[week_index].run.left_out_capacity == len(world.agent_logins) * QUOTA - len(
            taken
        )

    # week 1: empty queues, so the quota (12) fits the capacity (13) entirely
    first, second = weeks
    assert first.run.created == 12 and first.run.left_out_capacity == 0
    assert {n: b.capacity for n, b in first.before.items()} == GOALS
    # goals progress: each reviewer did half their queue in week 1 (submitted that week)
    for name, after in first.after.items():
        planned = first.run.sample.per_reviewer().get(name, 0)
        assert after.done == first.reviewed[name] == planned // 2
        assert after.open == planned - planned // 2
    # week 2: a new week (done starts at 0) but last week's leftovers are still open
    for name, before in second.before.items():
        assert before.done == 0 and before.open == first.after[name].open
        assert before.capacity == GOALS[name] - before.open
    assert second.run.created == sum(b.capacity for b in second.before.values())
    assert len(reviews) == sum(w.reviewed[n] for w in weeks for n in GOALS)


def test_the_same_week_again_assigns_nothing(db_url):
    world, plan_id = _setup(db_url)
    start = WEEK1 + timedelta(days=7)
    sampling.simulate_plan(database.unit_of_work(db_url), world.lead, plan_id, start, weeks=1)
    again = sampling.simulate_plan(
        database.unit_of_work(db_url), world.lead, plan_id, start, weeks=1
    )
    assert again[0].run.status == "already_ran"
