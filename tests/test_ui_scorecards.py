"""The scorecard and team pages in AppTest, for every role that may open them, in both
languages; an agent who puts another agent's id in the URL is refused."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from ui_harness import make_user, run_page, signed_in_entries, visible_text

from qa_app.i18n import t
from qa_app.ui import context
from tests.scorecard_fixtures import NOW, seed_operation


@pytest.fixture
def op(sqlite_url):
    return seed_operation(sqlite_url)


def _run(op, page, role, username, lang="en", agent=None):
    """The page as ``username`` opens it, with ``?agent=`` in the URL from the first run."""
    actor = make_user(op.url, role, username=username, lang=lang)
    at = AppTest.from_function(_page, args=(page,), default_timeout=60)
    at.session_state[context.SESSION_DB] = op.url
    for key, value in signed_in_entries(op.url, actor).items():
        at.session_state[key] = value
    at.session_state[context.SESSION_CLOCK] = NOW
    if agent is not None:
        at.query_params["agent"] = str(agent)
    return at.run()


def _page(page_key: str) -> None:
    from qa_app.ui.app import render_page_by_key

    render_page_by_key(page_key)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_lead_sees_any_agent_with_every_section(op, lang):
    at = _run(op, "scorecard", "lead", "lead", lang, agent=op.agent_ids["anna"])
    assert not at.exception, at.exception
    text = visible_text(at)
    assert t("scorecards.title", lang) in text
    assert "Анна Петрова" in text
    assert t("scorecards.signals_note", lang) in text  # automatic signals labelled
    assert t("scorecards.partial_note", lang) in text
    other = t("scorecards.title", "ru" if lang == "en" else "en")
    assert other not in text
    assert len(at.tabs) == 6
    # the CSI beside CSAT and NPS, its responses and the attribute table in the page language
    assert t("scorecards.csi.attributes", lang) in text
    column = t("scorecards.col.attribute", lang)
    (table,) = [d.value for d in at.dataframe if column in d.value.columns]
    assert list(table[column]) == [t(f"scorecards.csi.attribute.{a}", lang)
                                   for a in ("courtesy", "speed")]  # fmt: skip
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("scorecards.metric.csi", lang)] == ("60.4" if lang == "en" else "60,4")


def test_trainer_of_tier_1_may_not_open_tier_2(op):
    at = _run(op, "scorecard", "trainer", "trainer", agent=op.agent_ids["carl"])
    assert not at.exception
    assert t("scorecards.error.not_yours", "en") in visible_text(at)
    assert "Carl Jones" not in visible_text(at)


def test_agent_sees_own_and_is_refused_another_by_url(op):
    at = _run(op, "scorecard", "agent", "anna")
    assert not at.exception, at.exception
    assert "Анна Петрова" in visible_text(at)
    assert [s.key for s in at.selectbox] == ["sc_export_fmt"]  # no agent picker
    refused = _run(op, "scorecard", "agent", "anna", agent=op.agent_ids["boris"])
    assert t("scorecards.error.not_yours", "en") in visible_text(refused)
    assert "Boris Smith" not in visible_text(refused)


@pytest.mark.parametrize("role", ["reviewer"])
def test_roles_without_the_page_are_refused(op, role):
    at = run_page("scorecard", role, op.url)
    assert [e.value for e in at.error] == [
        t("shell.page_denied", "en", role=t(f"role.{role}", "en"))
    ]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_team_dashboard_for_a_lead(op, lang):
    at = _run(op, "team", "lead", "lead", lang)
    assert not at.exception, at.exception
    text = visible_text(at)
    assert t("team.title", lang) in text
    table = at.dataframe[0].value
    assert set(table[t("team.col.agent", lang)]) == {"Анна Петрова", "Boris Smith", "Carl Jones"}
    assert set(table[t("team.col.rank", lang)]) == {t("team.too_few", lang)}
    assert len(at.tabs) == 4


@pytest.mark.parametrize("role", ["trainer", "agent", "reviewer"])
def test_team_dashboard_refused_to_others(op, role):
    at = run_page("team", role, op.url)
    assert [e.value for e in at.error] == [
        t("shell.page_denied", "en", role=t(f"role.{role}", "en"))
    ]


def test_scorecard_export_button_prepares_an_audited_pdf(op):
    at = _run(op, "scorecard", "agent", "anna")
    at.button(key="sc_export_prepare").click().run()
    assert not at.exception, at.exception
    from sqlalchemy import select

    from qa_app.storage.db import unit_of_work
    from qa_app.storage.models import AuditEvent

    with unit_of_work(op.url) as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "anna"))
        assert list(actions) == ["export.scorecard"]
    kept = at.session_state["sc_export_file"][1]
    assert kept.data.startswith(b"%PDF") and "anna" in kept.file_name


def test_team_export_button_prepares_a_workbook(op):
    at = _run(op, "team", "lead", "lead")
    at.selectbox(key="team_export_fmt").set_value("xlsx").run()
    at.button(key="team_export_prepare").click().run()
    assert not at.exception, at.exception
    assert at.session_state["team_export_file"][1].file_name.endswith(".xlsx")
