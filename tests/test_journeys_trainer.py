"""Trainer journey in Debian's chromium, in English and Russian: the trainer reads the
coaching recommendations, assigns a coaching topic to the new hire as a plan, opens it and
records a session with notes; both are stored.
"""

from __future__ import annotations

import pytest
from journeys import LANGS
from sqlalchemy import func, select

from qa_app.storage import db as storage_db
from qa_app.storage.models import CoachingPlan, CoachingSession

# A journey walks a whole role through a real browser on a 2-core machine: one retry of a
# step that timed out under load, never of a wrong text, a console error or a database check
# (those fail the same way twice).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.flaky(reruns=1, reruns_delay=2, only_rerun=["TimeoutError"]),
]

NEW_HIRE = "k.lebedeva"  # the demo's new hire, as the agent list names her


def _plans(db_url: str) -> tuple[int, int]:
    with storage_db.unit_of_work(db_url) as session:
        newest = session.scalar(select(func.max(CoachingPlan.id)))
        held = session.scalar(select(func.count()).select_from(CoachingSession))
        return newest, held


@pytest.mark.parametrize("lang", LANGS)
def test_trainer_assigns_a_topic_and_records_a_session(journey, journey_server, lang):
    _url, db_url = journey_server(lang)
    newest, held = _plans(db_url)
    walk = journey("trainer", lang)
    page = walk.page
    walk.sign_in("trainer")
    walk.open("coaching")
    assert walk.tr("coaching.title") in walk.main_text()
    walk.step("recommendations")
    walk.open("coaching-plans")
    walk.step("plans")
    page.get_by_role("tab", name=walk.tr("coaching.plans.tab.new")).click()
    form = page.locator("[data-testid='stForm']").filter(
        has=page.get_by_role("button", name=walk.tr("coaching.plans.create"))
    )
    form.locator("[data-testid='stMultiSelect'] input").click()
    page.keyboard.type(NEW_HIRE)
    page.get_by_role("option").filter(has_text=NEW_HIRE).first.click()
    page.keyboard.press("Escape")
    form.locator("[data-testid='stMultiSelect']").get_by_text(NEW_HIRE).first.wait_for()
    # the list of options must be closed, or it lies over the form's button
    if page.get_by_role("listbox").count():
        page.get_by_role("tab", name=walk.tr("coaching.plans.tab.new")).click()
    page.get_by_role("listbox").wait_for(state="hidden")
    walk.step("new-plan", full_page=False)
    walk.click(form.get_by_role("button", name=walk.tr("coaching.plans.create")))
    walk.see(walk.tr("coaching.plans.created"))
    walk.step("plan-assigned", full_page=False)
    plan_id, _ = _plans(db_url)
    assert plan_id > newest
    walk.open(f"coaching-plans?plan={plan_id}")
    notes = page.get_by_label(walk.tr("coaching.plans.notes")).first
    notes.fill("Went through two refund chats together." if lang == "en"
               else "Разобрали вместе два чата о возврате денег.")  # fmt: skip
    notes.scroll_into_view_if_needed()
    walk.step("session-form", full_page=False)
    walk.click(page.get_by_role("button", name=walk.tr("coaching.plans.record_button")))
    walk.see(walk.tr("coaching.plans.recorded"))
    walk.step("session-recorded", full_page=False)
    assert _plans(db_url) == (plan_id, held + 1)
    walk.finish()
