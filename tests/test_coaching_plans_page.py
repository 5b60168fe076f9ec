"""The coaching plans page in AppTest: trainer assigns, records and reads the panel; the
agent confirms; the lead sees overdue plans; a stale edit shows the conflict message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from coaching_fixtures import NOW, open_page, seed_coaching
from ui_harness import make_user, visible_text

from qa_app.i18n import t
from qa_app.services import coaching
from qa_app.services.database import unit_of_work
from qa_app.storage import db as storage_db


@pytest.fixture
def world(tmp_path):
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    storage_db.upgrade(url)
    ids = seed_coaching(url)
    yield url, ids
    storage_db.dispose_engine(url)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_trainer_assigns_records_and_reads_the_panel(world, lang):
    url, ids = world
    at = open_page(url, "coaching_plans", "trainer", lang)
    assert not at.exception, at.exception
    assert t("coaching.plans.none", lang) in visible_text(at)
    # the pickers' placeholders name what they pick (not the sampling form's "reviewers")
    agents = at.multiselect(key="plans.new.agents")
    assert agents.placeholder == t("coaching.plans.choose_agents", lang)
    # set through the session: AppTest formats options in the test's language, not the page's
    at.session_state["plans.new.topic"] = "empathy-acknowledgement"
    at.session_state["plans.new.agents"] = [ids.low]
    at.button(key="plans.create").click().run()
    assert not at.exception, at.exception
    assert t("coaching.plans.created", lang) in visible_text(at)
    assert t("coaching.effect.waiting", lang) in visible_text(at)
    exercises = at.multiselect(key="plans.exercises.1")
    assert exercises.placeholder == t("coaching.plans.choose_exercises", lang)
    at.date_input(key="plans.session_date.1").set_value((NOW - timedelta(days=20)).date())
    at.session_state["plans.exercises.1"] = ["role_play", "quiz"]
    at.text_area(key="plans.session_notes.1").set_value(
        "Role-play: the late parcel. <b>not bold</b>"
    )
    at.button(key="plans.record_button.1").click().run()
    assert not at.exception, at.exception
    text = visible_text(at)
    assert t("coaching.plans.recorded", lang) in text
    assert "Role-play: the late parcel. <b>not bold</b>" in [el.value for el in at.text]
    assert t("coaching.effect.topic_row", lang) in text
    assert t("coaching.verdict.not_distinguishable", lang) in at.dataframe[-1].value.to_string()


def test_agent_confirms_and_lead_sees_overdue(world):
    url, ids = world
    trainer = make_user(url, "trainer")
    plan_id = coaching.do_create_plan(
        unit_of_work(url), trainer, "etiquette", [ids.low], NOW + timedelta(days=1), now=NOW
    )
    coaching.do_record_session(unit_of_work(url), trainer, plan_id, 1, NOW, ["quiz"], now=NOW)
    at = open_page(url, "coaching_plans", "agent", username="agent-low", agent_login="a.low")
    assert not at.exception, at.exception
    assert not at.tabs  # nothing to assign: the agent sees their plans
    at.button(key=f"plans.confirm.{1}").click().run()
    assert t("coaching.plans.confirmed", "en") in visible_text(at)
    assert not [b for b in at.button if b.key and b.key.startswith("plans.confirm")]
    other = open_page(url, "coaching_plans", "agent", username="agent-good", agent_login="a.good")
    assert t("coaching.plans.none", "en") in visible_text(other)
    lead = open_page(url, "coaching_plans", "lead")
    lead.session_state["qa_clock"] = NOW + timedelta(days=3)
    lead.run()
    assert (
        any("Tone" in w.value or "etiquette" in w.value.lower() for w in lead.warning)
        or lead.warning
    )
    assert not [f for f in lead.get("form")]  # leads read, trainers change


def test_a_stale_edit_shows_the_conflict(world):
    url, ids = world
    trainer = make_user(url, "trainer")
    plan_id = coaching.do_create_plan(
        unit_of_work(url), trainer, "etiquette", [ids.low], NOW + timedelta(days=5), now=NOW
    )
    at = open_page(url, "coaching_plans", "trainer")
    other = make_user(url, "trainer", username="trainer-two")
    coaching.do_update_plan(unit_of_work(url), other, plan_id, 1, notes="Theirs", now=NOW)
    at.text_area(key="plans.plan_notes.1").set_value("Mine")
    at.button(key="plans.save.1").click().run()
    assert t("coaching.error.conflict", "en") in visible_text(at)
    plan = coaching.plans_screen(unit_of_work(url), trainer, NOW).plans[0]
    assert plan.notes == "Theirs"


def test_notes_written_once_per_language_show_the_reader_s_side(world):
    """Found by the trainer's browser journey: the demo's plans and sessions carry notes
    written as "English / Русский", and the page showed both sides to everyone."""
    url, ids = world
    trainer = make_user(url, "trainer")
    plan_id = coaching.do_create_plan(
        unit_of_work(url), trainer, "etiquette", [ids.low], NOW + timedelta(days=7),
        "Group session on tone. / Групповое занятие о тоне.", now=NOW,
    )  # fmt: skip
    coaching.do_record_session(
        unit_of_work(url), trainer, plan_id, 1, NOW, ["quiz"], "Quiz done. / Провели тест.",
        now=NOW,
    )  # fmt: skip
    for lang, mine, other in (("en", "Group session on tone.", "Групповое"),
                              ("ru", "Групповое занятие о тоне.", "Group session")):  # fmt: skip
        at = open_page(url, "coaching_plans", "trainer", lang)
        assert not at.exception, at.exception
        shown = [el.value for el in at.text]
        assert mine in shown and not any(other in value for value in shown), shown
        assert ("Quiz done." if lang == "en" else "Провели тест.") in shown
