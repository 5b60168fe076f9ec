"""Correcting a visit on the visits page in AppTest: who is offered it, a saved correction,
a refused one that keeps every typed value, and a correction saved meanwhile in another tab
(the conflict message, the typed work kept, then starting again from the saved visit)."""

from __future__ import annotations

import dataclasses

import pytest
from mystery_fixtures import NOW, PNG, programme, visit
from ui_harness import run_page, seed, visible_text

from qa_app.i18n import t
from qa_app.services import database as services_db
from qa_app.services import mystery
from qa_app.services.mystery import attachments
from qa_app.storage import db as storage_db
from qa_app.storage.models import MysteryVisit
from qa_app.ui import context


@pytest.fixture(autouse=True)
def _files(tmp_path, monkeypatch):
    monkeypatch.setenv(attachments.ATTACHMENTS_ENV, str(tmp_path / "files"))


@pytest.fixture
def prog(sqlite_url):
    """Visit 1 by shopper1 about a.petrova (greeting failed, a screenshot); visit 2 by
    shopper2, published."""
    p = programme(sqlite_url)
    data = visit(p.scenario_id, fail=("greeting",), comments={"greeting": "no hello"})
    uploads = [mystery.Upload("shot.png", PNG)]
    seed(sqlite_url, lambda s: mystery.record_visit(s, p.shopper, data, uploads, now=NOW))
    other = visit(p.scenario_id, days=1, agent="i.ivanov")
    seed(sqlite_url, lambda s: mystery.record_visit(s, p.other_shopper, other, now=NOW))
    seed(sqlite_url, lambda s: mystery.set_published(s, p.lead, [2], now=NOW))
    return p


def _run(role, url, lang="en", **kwargs):
    at = run_page("mystery_visits", role, url, lang, **kwargs)
    at.session_state[context.SESSION_CLOCK] = NOW
    return at.run()


def _key(name: str, visit_id: int = 1, version: int = 1) -> str:
    return f"mystery.edit.{visit_id}.{version}.{name}"


def _save(at, lang: str, visit_id: int = 1, version: int = 1):
    label = t("mystery.edit.save", lang)
    return at.button(key=f"FormSubmitter:{_key('form', visit_id, version)}-{label}").click().run()


def _open_edit(at, visit_id: int = 1):
    if at.session_state["mystery.visits.open"] != visit_id:
        at.selectbox(key="mystery.visits.open").set_value(visit_id).run()
    return at.button(key=f"mystery.edit.start.{visit_id}").click().run()


def _stored(url, visit_id: int = 1) -> MysteryVisit:
    with storage_db.unit_of_work(url) as session:
        row = session.get(MysteryVisit, visit_id)
        session.expunge(row)
        return row


def _offers_edit(at, visit_id: int) -> bool:
    return any(b.key == f"mystery.edit.start.{visit_id}" for b in at.button)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_shopper_corrects_own_visit(prog, lang):
    at = _open_edit(_run("shopper", prog.url, lang, username="shopper1"))
    assert not at.exception, at.exception
    assert t("mystery.edit.heading", lang, id=1) in visible_text(at)
    # the form starts from the visit as saved
    assert at.text_input(key=_key("comment.greeting")).value == "no hello"
    assert at.text_input(key=_key("resolved")).value == "30"
    greeting = at.radio(key=_key("item.greeting"))
    assert greeting.index == 0  # "Fail", as saved
    greeting.set_value(greeting.options[1])  # the top level, "Pass"
    at.text_area(key=_key("summary")).input("Greeted on the second message")
    at = _save(at, lang)
    assert not at.exception, at.exception
    assert t("mystery.edit.saved", lang, id=1) in visible_text(at)
    row = _stored(prog.url)
    assert row.summary == "Greeted on the second message" and row.passed
    assert row.lock_version == 2 and "mystery.edit.open" not in at.session_state  # form closed
    assert not any(b.key and b.key.startswith("FormSubmitter:mystery.edit.") for b in at.button)


def test_who_is_offered_a_correction(prog):
    url = prog.url
    shopper = _run("shopper", url, username="shopper1")
    assert _offers_edit(shopper, 1)
    published_own = _run("shopper", url, username="shopper2")  # visit 2 is published
    assert _visit_ids(published_own) == [2] and not _offers_edit(published_own, 2)
    lead = _run("lead", url, username="lead")
    lead.selectbox(key="mystery.visits.open").set_value(2).run()
    assert _offers_edit(lead, 2)
    trainer = _run("trainer", url, username="trainer")
    assert not any(b.key and b.key.startswith("mystery.edit.") for b in trainer.button)
    seed(url, lambda s: mystery.set_published(s, prog.lead, [1], now=NOW))
    agent = _run("agent", url, username="anna", agent_login="a.petrova")
    assert _visit_ids(agent) == [1] and not _offers_edit(agent, 1)
    # an agent never learns who the shopper was; the programme's staff do
    shopper_column = t("mystery.col.shopper", "en")
    assert shopper_column not in agent.dataframe[0].value.columns
    assert "shopper1" not in visible_text(agent)
    assert shopper_column not in shopper.dataframe[0].value.columns  # always oneself
    assert lead.dataframe[0].value[shopper_column].tolist() == ["shopper1", "shopper2"]


def _visit_ids(at) -> list[int]:
    return at.dataframe[0].value["#"].tolist() if at.dataframe else []


def test_a_refused_correction_keeps_what_was_typed(prog):
    at = _open_edit(_run("shopper", prog.url, username="shopper1"))
    at.text_area(key=_key("summary")).input("Typed with care")
    at.text_input(key=_key("first")).input("soon")
    at = _save(at, "en")
    text = visible_text(at)
    assert t("mystery.form.bad_minutes", "en", value="soon") in text
    assert t("mystery.form.kept", "en") in text
    assert at.text_area(key=_key("summary")).value == "Typed with care"
    at.text_input(key=_key("first")).input("4")
    at = _save(at, "en")
    assert t("mystery.edit.saved", "en", id=1) in visible_text(at)
    row = _stored(prog.url)
    assert row.summary == "Typed with care"
    assert (row.first_response_at - row.contacted_at).total_seconds() == 4 * 60


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_correction_saved_in_another_tab_is_a_conflict(prog, lang):
    at = _open_edit(_run("shopper", prog.url, lang, username="shopper1"))
    other_tab = dataclasses.replace(visit(prog.scenario_id), summary="from the other tab")
    mystery.do_update_visit(services_db.unit_of_work(prog.url), prog.shopper, 1, 1, other_tab,
                            now=NOW)  # fmt: skip
    at.text_area(key=_key("summary")).input("from this tab")
    at = _save(at, lang)
    assert not at.exception, at.exception
    text = visible_text(at)
    assert t("mystery.visit.stale", lang, visit=1) in text
    assert t("mystery.edit.kept_conflict", lang) in text
    assert at.text_area(key=_key("summary")).value == "from this tab"  # nothing typed is lost
    assert _stored(prog.url).summary == "from the other tab"
    at.button(key="mystery.reload.1").click().run()
    assert at.text_area(key=_key("summary", version=2)).value == "from the other tab"
    at.text_area(key=_key("summary", version=2)).input("merged by hand")
    at = _save(at, lang, version=2)
    assert t("mystery.edit.saved", lang, id=1) in visible_text(at)
    assert _stored(prog.url).summary == "merged by hand"


def test_an_empty_period_points_at_the_latest_visits(prog):
    """The visits are older than the default period (an imported history, the demo season):
    the reports page says so and one click shows the 180 days up to the latest one."""
    from datetime import timedelta

    at = run_page("mystery_reports", "lead", prog.url, "ru", username="lead")
    at.session_state[context.SESSION_CLOCK] = NOW + timedelta(days=400)
    at.run()
    assert t("mystery.report.empty", "ru") in visible_text(at)
    at.button(key="mystery.report.jump").click().run()
    assert not at.exception, at.exception
    assert at.metric[3].value == "2"  # both visits
    start, end = at.date_input(key="mystery.report.period").value
    assert end == (NOW - timedelta(days=1)).date() and (end - start).days == 180
