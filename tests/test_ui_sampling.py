"""The sampling page in AppTest, both languages, with a pinned clock: plans (create, run,
run again, due plans run on a visit), the one-off sample's capacity warning and cap, the
notable list sent to review, goals, and the reviewer's own progress on the queue page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sampling_fixtures import WEEK1, add_signals, seed_plan_world
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from ui_harness import _page_script, _signed_in, make_user, visible_text

from qa_app.i18n import t
from qa_app.services import database, reviews, sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import Assignment, Conversation
from qa_app.ui import context

RUN_TIME = WEEK1 + timedelta(days=7, hours=8)  # Monday 9 March, 08:00 UTC


def _open(url: str, lang: str = "en", section: str | None = None, role: str = "lead", **kwargs):
    """The sampling page for the seeded lead (username ``lead``) at ``RUN_TIME``."""
    actor = make_user(url, role, username=kwargs.pop("username", "lead"), lang=lang)
    at = AppTest.from_function(_page_script, args=(kwargs.pop("page", "sampling"),),
                               default_timeout=60)  # fmt: skip
    at.session_state[context.SESSION_CLOCK] = RUN_TIME
    if section:
        at.session_state["sampling.section"] = section
    return _signed_in(at, url, actor).run()


def _count(url: str) -> int:
    with storage_db.unit_of_work(url) as session:
        return session.scalar(select(func.count()).select_from(Assignment))


def _plan(url: str, name: str = "Weekly QA", **overrides) -> int:
    lead = make_user(url, "lead", username="lead")
    data = sampling.PlanInput(name=name, weekdays="mon", run_at="07:00", timezone="UTC",
                              quota_per_agent=2, reviewers=("rev1", "rev2"), **overrides)  # fmt: skip
    return sampling.do_save_plan(
        database.unit_of_work(url), lead, data, now=RUN_TIME - timedelta(days=3)
    )


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_lead_creates_a_weekly_plan_and_runs_it_once(sqlite_url, lang):
    seed_plan_world(sqlite_url)
    at = _open(sqlite_url, lang)
    assert not at.exception
    assert t("sampling.section.plans", lang) in [
        o for o in at.radio(key="sampling.section").options
    ]
    assert t("sampling.plans.none", lang) in visible_text(at)
    at.text_input(key="plannew.name").input("Weekly QA")
    at.selectbox(key="plannew.timezone").set_value("UTC")
    at.number_input(key="plannew.quota").set_value(2)
    at.multiselect(key="plannew.reviewers").set_value(["rev1", "rev2"])
    at.button(key="plannew.save").click().run()
    assert not at.exception, at.exception
    assert t("sampling.plan.saved", lang, name="Weekly QA") in visible_text(at)
    assert _count(sqlite_url) == 0  # saved after this Monday's run time: nothing due yet
    at.button(key="plans.run").click().run()
    text = visible_text(at)
    created = t("sampling.run.created", lang, name="Weekly QA",
                period=t("sampling.period.week", lang, date="2026-03-09"), count=8)  # fmt: skip
    assert created in text and _count(sqlite_url) == 8
    at.button(key="plans.run").click().run()
    already = t("sampling.run.already", lang, name="Weekly QA",
                period=t("sampling.period.week", lang, date="2026-03-09"))  # fmt: skip
    assert already in visible_text(at) and _count(sqlite_url) == 8


def test_a_due_plan_runs_when_the_lead_opens_the_app_and_says_so(sqlite_url):
    seed_plan_world(sqlite_url)
    _plan(sqlite_url)
    at = _open(sqlite_url)
    assert not at.exception
    assert _count(sqlite_url) == 8
    assert any("Weekly QA" in toast.value for toast in at.toast)
    at.run()  # later reruns do not run it again
    assert _count(sqlite_url) == 8


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_preview_of_a_plan_run_warns_about_capacity_with_numbers(sqlite_url, lang):
    world = seed_plan_world(sqlite_url)
    reviews.do_set_goal(database.unit_of_work(sqlite_url), world.lead, "rev1", 2)
    reviews.do_set_goal(database.unit_of_work(sqlite_url), world.lead, "rev2", 1)
    with storage_db.unit_of_work(sqlite_url) as session:
        from qa_app.storage.models import AssignmentPlan

        plan_id = _plan(sqlite_url)
        session.get(AssignmentPlan, plan_id).is_active = False  # not run on the visit
    at = _open(sqlite_url, lang)
    at.button(key="plans.preview_run").click().run()
    text = visible_text(at)
    assert t("sampling.capacity.capped", lang, count=5) in text
    line = t("sampling.capacity.line", lang, reviewer="rev1", goal=2, done=0, open=0,
             capacity=2, wanted=5)  # fmt: skip
    assert line in text and _count(sqlite_url) == 0


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_one_off_sample_is_capped_at_capacity_unless_overridden(sqlite_url, lang):
    world = seed_plan_world(sqlite_url)
    reviews.do_set_goal(database.unit_of_work(sqlite_url), world.lead, "rev1", 3)
    at = _open(sqlite_url, lang, section="oneoff")
    assert not at.exception
    at.multiselect(key="oneoff.reviewers").set_value(["rev1"])
    at.button(key="oneoff.preview").click().run()
    assert not at.exception, at.exception
    text = visible_text(at)  # 4 agents x 3 weeks x 5 a week (the form's default) = 60 wanted
    assert t("sampling.capacity.capped", lang, count=57) in text
    line = t("sampling.capacity.line", lang, reviewer="rev1", goal=3, done=0, open=0,
             capacity=3, wanted=60)  # fmt: skip
    assert line in text
    at.button(key="sampling.create").click().run()
    assert t("sampling.created", lang, count=3) in visible_text(at)
    assert _count(sqlite_url) == 3


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_notable_list_says_why_and_sends_in_one_step(sqlite_url, lang):
    world = seed_plan_world(sqlite_url)
    ids = world.weeks[2]
    with storage_db.unit_of_work(sqlite_url) as session:
        rows = {c.id: c for c in session.scalars(select(Conversation))}
        rows[ids[0]].csat, rows[ids[0]].first_response_seconds = 1, 3 * 3600 + 300
        add_signals(session, ids[1], rudeness=0.8)
    at = _open(sqlite_url, lang, section="notable")
    assert not at.exception, at.exception
    frame = at.dataframe[0].value
    why = frame[t("sampling.notable.col.why", lang)].tolist()
    wait = "3 h 05 min" if lang == "en" else "3 ч 05 мин"
    assert why[0] == t("sampling.notable.reason.low_csat_slow", lang, csat=1, wait=wait)
    assert why[1].startswith(t("sampling.notable.kind.rudeness", lang))
    at.button(key="notable.pick_all").click().run()
    at.multiselect(key=next(w.key for w in at.multiselect if w.key.startswith("notable.pick."))) \
        .set_value([ids[0], ids[1]])  # fmt: skip
    at.multiselect[-1].set_value(["rev2"])
    at.button(key="notable.send").click().run()
    assert not at.exception, at.exception
    assert t("sampling.notable.sent", lang, count=2) in visible_text(at)
    assert _count(sqlite_url) == 2
    assert t("sampling.notable.none", lang) in visible_text(at)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_goals_are_set_by_the_lead_and_shown_to_the_reviewer(sqlite_url, lang):
    world = seed_plan_world(sqlite_url)
    at = _open(sqlite_url, lang, section="goals")
    assert not at.exception
    at.selectbox(key="goals.reviewer").set_value("rev1").run()
    at.number_input(key="goals.weekly.rev1").set_value(12)
    at.button(key="goals.save").click().run()
    assert t("sampling.goals.saved", lang, reviewer="rev1", weekly=12) in visible_text(at)
    with database.unit_of_work(sqlite_url) as uow:
        sampling.assign_conversation(uow.session, world.lead, world.weeks[0][0], "rev1")
        uow.commit()
    queue = _open(sqlite_url, lang, role="reviewer", username="rev1", page="queue")
    assert not queue.exception
    assert [p.text for p in queue.progress] == [t("queue.goal", lang, done=0, goal=12, open=1)]


def test_sections_follow_permissions_and_reviewers_cannot_open_the_page(sqlite_url):
    seed_plan_world(sqlite_url, per_agent_week=1)
    admin = _open(sqlite_url, role="admin", username="root")
    assert len(admin.radio(key="sampling.section").options) == 4
    reviewer = _open(sqlite_url, role="reviewer", username="rev1")
    assert [e.value for e in reviewer.error] == [
        t("shell.page_denied", "en", role=t("role.reviewer", "en"))
    ]
