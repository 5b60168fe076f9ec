"""The three mystery-shopper pages in AppTest with real data, for every role that may open
them: who sees which visits, recording a visit through the form, publishing, the report."""

from __future__ import annotations

from datetime import date

import pytest
from mystery_fixtures import NOW, PNG, programme, visit
from ui_harness import run_page, seed, visible_text

from qa_app.i18n import t
from qa_app.services import mystery
from qa_app.services.mystery import attachments
from qa_app.storage import db as storage_db
from qa_app.ui import context


@pytest.fixture(autouse=True)
def _files(tmp_path, monkeypatch):
    monkeypatch.setenv(attachments.ATTACHMENTS_ENV, str(tmp_path / "files"))


@pytest.fixture
def prog(sqlite_url):
    p = programme(sqlite_url)
    for day, (actor, agent) in enumerate([(p.shopper, "a.petrova"), (p.other_shopper, "i.ivanov")]):
        uploads = [mystery.Upload("shot.png", PNG)] if day == 0 else []
        data = visit(p.scenario_id, days=day, agent=agent, fail=("greeting",),
                     comments={"greeting": "**bold** <b>x</b>"})  # fmt: skip
        seed(
            sqlite_url,
            lambda s, a=actor, d=data, u=uploads: mystery.record_visit(s, a, d, u, now=NOW),
        )
    return p


def _run(page, role, url, lang="en", **kwargs):
    at = run_page(page, role, url, lang, **kwargs)
    at.session_state[context.SESSION_CLOCK] = NOW
    return at.run()


def _period(at):
    return (
        at.date_input(key="mystery.report.period")
        .set_value((date(2026, 1, 1), date(2026, 3, 31)))
        .run()
    )


def _visit_ids(at) -> list[int]:
    return at.dataframe[0].value["#"].tolist() if at.dataframe else []


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_visits_page_shows_each_role_its_visits(prog, lang):
    url = prog.url
    lead = _run("mystery_visits", "lead", url, lang, username="lead")
    assert not lead.exception and len(_visit_ids(lead)) == 2
    assert t("mystery.visit.publish", lang) in [b.label for b in lead.button]
    shopper = _run("mystery_visits", "shopper", url, lang, username="shopper1")
    assert not shopper.exception and len(_visit_ids(shopper)) == 1
    assert [tab.label for tab in shopper.tabs] == [
        t("mystery.visits.tab.list", lang),
        t("mystery.visits.tab.record", lang),
    ]
    trainer = _run("mystery_visits", "trainer", url, lang, username="trainer")
    assert len(_visit_ids(trainer)) == 2 and not any(
        "publish" in b.key for b in trainer.button if b.key
    )
    agent = _run("mystery_visits", "agent", url, lang, username="anna", agent_login="a.petrova")
    assert not agent.exception and _visit_ids(agent) == []
    assert t("mystery.visits.none_agent", lang) in visible_text(agent)


def test_lead_publishes_and_the_agent_then_sees_it(prog):
    url = prog.url
    lead = _run("mystery_visits", "lead", url, username="lead")
    ids = _visit_ids(lead)
    petrova_visit = min(ids)  # the shopper1 visit about a.petrova was recorded first
    lead.selectbox(key="mystery.visits.open").set_value(petrova_visit).run()
    lead.button(key=f"mystery.publish.{petrova_visit}").click().run()
    assert t("mystery.visit.published_done", "en") in visible_text(lead)
    agent = _run("mystery_visits", "agent", url, username="anna", agent_login="a.petrova")
    assert _visit_ids(agent) == [petrova_visit]
    # the shopper's comment is shown as typed, never as Markdown or HTML
    comments = agent.dataframe[1].value[t("mystery.visit.comment", "en")].tolist()
    assert "**bold** <b>x</b>" in comments


def test_shopper_opens_own_attachment_only(prog):
    shopper = _run("mystery_visits", "shopper", prog.url, username="shopper1")
    button = next(b for b in shopper.button if b.key and b.key.startswith("mystery.attachment."))
    button.click().run()
    assert not shopper.exception
    assert len(shopper.get("download_button")) >= 1
    other = _run("mystery_visits", "shopper", prog.url, username="shopper2")
    assert not any(b.key and b.key.startswith("mystery.attachment.") for b in other.button)


def test_shopper_records_a_visit_through_the_form(prog):
    at = _run("mystery_visits", "shopper", prog.url, "ru", username="shopper1")
    for radio in at.radio:
        radio.set_value(radio.options[-1] if "н/п" not in radio.options[-1] else radio.options[-2])
    at.date_input(key="mystery.form.0.date").set_value(date(2026, 3, 19))
    at.text_input(key="mystery.form.0.resolved").input("45")
    at.text_area(key="mystery.form.0.summary").input("Оператор вежлив")
    at.button(key="FormSubmitter:mystery.form.0.form-Сохранить визит").click().run()
    assert not at.exception, at.exception
    assert t("mystery.form.saved", "ru", id=3) in visible_text(at), visible_text(at)
    with storage_db.unit_of_work(prog.url) as session:
        from qa_app.storage.models import MysteryVisit

        saved = session.get(MysteryVisit, 3)
        assert saved.shopper_id == prog.shopper.user_id and saved.summary == "Оператор вежлив"
        assert (saved.resolved_at - saved.contacted_at).total_seconds() == 45 * 60


def test_incomplete_form_is_refused_and_keeps_the_input(prog):
    at = _run("mystery_visits", "shopper", prog.url, username="shopper1")
    at.text_area(key="mystery.form.0.summary").input("Kept text")
    at.button(key="FormSubmitter:mystery.form.0.form-Save visit").click().run()
    assert t("mystery.form.kept", "en") in visible_text(at)
    assert at.text_area(key="mystery.form.0.summary").value == "Kept text"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_scenarios_page_lists_and_creates(prog, lang):
    at = _run("mystery_scenarios", "lead", prog.url, lang, username="lead")
    assert not at.exception and len(at.dataframe[0].value) == 7
    at.text_input(key="mystery.new.name").input("Cancellation by phone")
    at.text_area(key="mystery.new.persona").input("Ivan")
    at.text_area(key="mystery.new.request").input("Cancel please")
    at.text_area(key="mystery.new.answer").input("Offer a pause first")
    at.button(
        key=f"FormSubmitter:mystery.scenario.new-{t('mystery.scenarios.create', lang)}"
    ).click().run()
    assert t("mystery.scenarios.created", lang, name="Cancellation by phone") in visible_text(at)
    assert len(at.dataframe[0].value) == 8


@pytest.mark.parametrize(
    ("role", "username", "visits"),
    [
        ("lead", "lead", 2),
        ("trainer", "trainer", 2),
        ("shopper", "shopper2", 1),
        ("agent", "anna", 0),
    ],
)
def test_reports_page_covers_what_the_role_may_see(prog, role, username, visits):
    kwargs = {"agent_login": "a.petrova"} if role == "agent" else {}
    at = _run("mystery_reports", role, prog.url, username=username, **kwargs)
    at = _period(at)
    assert not at.exception, at.exception
    if visits == 0:
        assert t("mystery.report.empty", "en") in visible_text(at)
        return
    assert at.metric[3].value == str(visits)
    assert t("mystery.report.too_few", "en", n=10) in visible_text(at)
    exporting = any(b.key == "mystery.prepare.pdf" for b in at.button)
    assert exporting == (role in ("lead", "trainer"))


def test_report_pdf_export_from_the_page(prog):
    at = _period(_run("mystery_reports", "lead", prog.url, "ru", username="lead"))
    at.button(key="mystery.prepare.pdf").click().run()
    assert not at.exception
    assert len(at.get("download_button")) == 1
