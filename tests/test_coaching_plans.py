"""Coaching plans on SQLite and PostgreSQL: assign, record, confirm, see, conflicts."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from coaching_fixtures import NOW, seed_coaching
from ui_harness import make_user

from qa_app.services import coaching
from qa_app.services.database import unit_of_work
from qa_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from scoring.stats import Verdict

DUE = NOW + timedelta(days=14)


@pytest.fixture
def world(db_url):
    ids = seed_coaching(db_url)
    trainer = make_user(db_url, "trainer")
    return db_url, ids, trainer


def _plan(url, trainer, ids, agents=None) -> int:
    return coaching.do_create_plan(
        unit_of_work(url),
        trainer,
        "empathy-acknowledgement",
        agents or [ids.low],
        DUE,
        "Start with the role-play",
        now=NOW,
    )


def test_assign_record_confirm_and_read_back(world):
    url, ids, trainer = world
    plan_id = _plan(url, trainer, ids, [ids.low, ids.new])
    held = NOW - timedelta(days=1)
    coaching.do_record_session(
        unit_of_work(url), trainer, plan_id, 1, held, ["role_play", "quiz"], "Went well", now=NOW
    )
    agent = make_user(url, "agent", username="agent-low", agent_login="a.low")
    screen = coaching.plans_screen(unit_of_work(url), agent, NOW)
    (plan,) = screen.plans
    assert plan.topic_id == "empathy-acknowledgement" and plan.team == "Tier 1"
    assert [name for _, name in plan.agents] == ["a.low", "a.new"]
    (session,) = plan.sessions
    assert session.exercises == ("role_play", "quiz") and session.confirmed == ()
    coaching.do_confirm_session(unit_of_work(url), agent, session.session_id, now=NOW)
    coaching.do_confirm_session(
        unit_of_work(url), agent, session.session_id, now=NOW
    )  # again: no-op
    plan = coaching.plans_screen(unit_of_work(url), agent, NOW).plans[0]
    assert plan.sessions[0].confirmed == (ids.low,)
    assert plan.version == 2  # the recorded session moved the plan on


def test_before_after_panel_after_a_session(world):
    url, ids, trainer = world
    plan_id = _plan(url, trainer, ids)
    # the fixture's reviews are every 5 days back from NOW - 3 days; split in the middle
    split = NOW - timedelta(days=20)
    coaching.do_record_session(
        unit_of_work(url), trainer, plan_id, 1, split, ["role_play"], now=NOW
    )
    screen = coaching.plans_screen(unit_of_work(url), trainer, NOW, plan_id)
    effect = screen.effect
    assert effect.split == split
    topic, criterion = effect.rows
    assert topic.key == coaching.TOPIC_ROW and criterion.key == "acknowledges_feelings"
    # a.low graded 1 of 5 (score 0) throughout: 4 reviews before, 4 after, no change
    assert (criterion.comparison.before.n, criterion.comparison.after.n) == (4, 4)
    assert criterion.comparison.difference.estimate == 0
    assert criterion.comparison.verdict is Verdict.NOT_DISTINGUISHABLE


def test_no_panel_before_the_first_session(world):
    url, ids, trainer = world
    plan_id = _plan(url, trainer, ids)
    assert coaching.plans_screen(unit_of_work(url), trainer, NOW, plan_id).effect is None


def test_bad_input_is_refused_with_a_reason(world):
    url, ids, trainer = world
    with pytest.raises(InvalidInput) as unknown:
        coaching.do_create_plan(unit_of_work(url), trainer, "juggling", [ids.low], DUE, now=NOW)
    assert unknown.value.key == "coaching.error.topic"
    with pytest.raises(InvalidInput) as past:
        coaching.do_create_plan(
            unit_of_work(url), trainer, "etiquette", [ids.low], NOW - timedelta(days=1), now=NOW
        )
    assert past.value.key == "coaching.error.due_past"
    with pytest.raises(InvalidInput):
        coaching.do_create_plan(unit_of_work(url), trainer, "etiquette", [], DUE, now=NOW)
    with pytest.raises(NotFound):
        coaching.do_create_plan(unit_of_work(url), trainer, "etiquette", [99999], DUE, now=NOW)
    plan_id = _plan(url, trainer, ids)
    with pytest.raises(InvalidInput) as future:
        coaching.do_record_session(
            unit_of_work(url), trainer, plan_id, 1, NOW + timedelta(days=1), ["quiz"], now=NOW
        )
    assert future.value.key == "coaching.error.session_future"
    with pytest.raises(InvalidInput):
        coaching.do_record_session(
            unit_of_work(url), trainer, plan_id, 1, NOW, ["karaoke"], now=NOW
        )
    assert coaching.plans_screen(unit_of_work(url), trainer, NOW).plans[0].sessions == ()


def test_who_may_do_what(world):
    url, ids, trainer = world
    plan_id = _plan(url, trainer, ids)
    lead = make_user(url, "lead")
    with pytest.raises(PermissionDenied):
        coaching.do_create_plan(unit_of_work(url), lead, "etiquette", [ids.low], DUE, now=NOW)
    other = make_user(url, "agent", username="agent-good", agent_login="a.good")
    assert coaching.plans_screen(unit_of_work(url), other, NOW).plans == ()
    session_id = coaching.do_record_session(
        unit_of_work(url), trainer, plan_id, 1, NOW, ["quiz"], now=NOW
    )
    with pytest.raises(PermissionDenied):
        coaching.do_confirm_session(unit_of_work(url), other, session_id, now=NOW)
    with pytest.raises(PermissionDenied):
        coaching.plans_screen(unit_of_work(url), make_user(url, "reviewer"), NOW)


def test_leads_see_overdue_plans(world):
    url, ids, trainer = world
    _plan(url, trainer, ids)
    lead = make_user(url, "lead")
    later = DUE + timedelta(days=1)
    screen = coaching.plans_screen(unit_of_work(url), lead, later)
    assert [p.topic_id for p in screen.overdue] == ["empathy-acknowledgement"]
    assert not screen.can_plan
    assert coaching.plans_screen(unit_of_work(url), lead, NOW).overdue == ()


def test_an_edit_from_a_stale_page_is_a_conflict(world):
    url, ids, trainer = world
    plan_id = _plan(url, trainer, ids)
    other = make_user(url, "trainer", username="trainer-two")
    assert coaching.do_update_plan(unit_of_work(url), other, plan_id, 1, notes="Mine", now=NOW) == 2
    with pytest.raises(Conflict) as stale:
        coaching.do_update_plan(unit_of_work(url), trainer, plan_id, 1, status="done", now=NOW)
    assert stale.value.key == "coaching.error.conflict"
    plan = coaching.plans_screen(unit_of_work(url), trainer, NOW).plans[0]
    assert (plan.notes, plan.status) == ("Mine", "active")


def test_two_trainers_at_the_same_moment_one_conflict(world):
    url, ids, trainer = world
    if not url.startswith("postgresql"):
        pytest.skip("row locks between two connections: PostgreSQL")
    plan_id = _plan(url, trainer, ids)
    other = make_user(url, "trainer", username="trainer-two")
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def edit(actor, notes) -> None:
        uow = unit_of_work(url)
        try:
            with uow:
                uow.session.get(coaching_plan_model(), plan_id)  # both read version 1
                barrier.wait(timeout=20)
                coaching.update_plan(uow.session, actor, plan_id, 1, notes=notes, now=NOW)
                uow.commit()
            outcomes.append("saved")
        except Conflict as exc:
            outcomes.append(exc)

    threads = [
        threading.Thread(target=edit, args=(trainer, "First")),
        threading.Thread(target=edit, args=(other, "Second")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, outcomes)).count("saved") == 1
    (conflict,) = [o for o in outcomes if isinstance(o, Conflict)]
    assert conflict.key == "coaching.error.conflict"
    plan = coaching.plans_screen(unit_of_work(url), trainer, NOW).plans[0]
    assert plan.version == 2 and plan.notes in ("First", "Second")


def coaching_plan_model():
    from qa_app.storage.models import CoachingPlan

    return CoachingPlan
