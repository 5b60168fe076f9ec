"""Weeks a retention purge deleted, read back from the counts it kept: the team dashboard
and the agent's scorecard show them per week, for the teams and agents the reader may see,
in both languages; the figures are the kept counts, nothing estimated."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest
from streamlit.testing.v1 import AppTest
from ui_harness import make_user, signed_in_entries, visible_text

from qa_app.i18n import t
from qa_app.services import scorecards
from qa_app.services.database import unit_of_work
from qa_app.ui import context
from tests.scorecard_fixtures import NOW, add_purged_week, seed_operation

MARCH = scorecards.Period(date(2026, 3, 1), date(2026, 3, 20))
WEEK = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday inside March


@pytest.fixture
def op(db_url):
    operation = seed_operation(db_url)
    add_purged_week(operation, WEEK)
    return operation


def _board(op, actor, **filters):
    with unit_of_work(op.url) as uow:
        return scorecards.build_team_dashboard(
            uow.session, actor, scorecards.TeamFilters(MARCH, **filters), now=NOW
        )


def test_the_lead_sees_every_purged_week_of_the_teams_they_lead(op):
    (week,) = _board(op, op.lead).purged.to_dict("records")
    assert (week["week"], week["week_start"]) == ("2026-W10", date(2026, 3, 2))
    assert (week["conversations"], week["reviews"]) == (12, 3)
    assert week["score"] == pytest.approx(190.0 / 3)
    assert (week["csat"], week["csat_n"]) == (pytest.approx(50.0), 6)
    assert week["nps"] == pytest.approx(0.0) and week["nps_n"] == 3  # one +, one -, one 7-8


def test_scope_and_filters_narrow_the_purged_weeks(op):
    (tier_2,) = _board(op, op.lead_t2).purged.to_dict("records")
    assert tier_2["conversations"] == 4 and math.isnan(tier_2["score"])  # no review kept
    (email,) = _board(op, op.lead, channels=("email",)).purged.to_dict("records")
    assert email["conversations"] == 3
    later = scorecards.Period(date(2026, 3, 9), date(2026, 3, 20))
    with unit_of_work(op.url) as uow:
        board = scorecards.build_team_dashboard(
            uow.session, op.lead, scorecards.TeamFilters(later), now=NOW
        )
    assert board.purged.empty  # the purged week ended before the period began


def test_the_agents_scorecard_shows_only_their_own_purged_weeks(op):
    with unit_of_work(op.url) as uow:
        card = scorecards.build_scorecard(
            uow.session, op.lead, op.agent_ids["anna"], MARCH, now=NOW
        )
    (week,) = card.purged.to_dict("records")
    assert (week["conversations"], week["reviews"], week["score"]) == (5, 2, 75.0)


def _page(page_key: str) -> None:
    from qa_app.ui.app import render_page_by_key

    render_page_by_key(page_key)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_team_page_lists_the_purged_week_in_the_page_language(op, lang):
    actor = make_user(op.url, "lead", username="lead-ui", lang=lang)
    at = AppTest.from_function(_page, args=("team",), default_timeout=60)
    at.session_state[context.SESSION_DB] = op.url
    for key, value in signed_in_entries(op.url, actor).items():
        at.session_state[key] = value
    at.session_state[context.SESSION_CLOCK] = NOW
    at.run()
    assert not at.exception, at.exception
    text = visible_text(at)
    assert t("scorecards.purged.title", lang) in text
    assert t("scorecards.purged.caption", lang) in text
    column = t("scorecards.purged.col.conversations", lang)
    (table,) = [d.value for d in at.dataframe if column in d.value.columns]
    assert list(table[column]) == [12]
    assert t("scorecards.purged.title", "ru" if lang == "en" else "en") not in text


def test_the_team_workbook_and_the_scorecard_workbook_carry_the_purged_weeks(op):
    import io

    import openpyxl

    title = t("scorecards.purged.title", "ru")[:31]
    with unit_of_work(op.url) as uow:
        team = scorecards.export_team(
            uow.session, op.lead, scorecards.TeamFilters(MARCH), "xlsx", "ru", now=NOW
        )
        card = scorecards.export_scorecard(
            uow.session, op.lead, op.agent_ids["anna"], MARCH, "xlsx", "ru", now=NOW
        )
        uow.commit()
    for export, conversations in ((team, 12), (card, 5)):
        book = openpyxl.load_workbook(io.BytesIO(export.data))
        rows = list(book[title].iter_rows(values_only=True))
        header = rows[0]
        assert header[0] == t("scorecards.purged.col.week", "ru")
        column = header.index(t("scorecards.purged.col.conversations", "ru"))
        assert [r[column] for r in rows[1:]] == [conversations]


def test_the_team_pdf_lists_the_purged_weeks(op):
    import io

    from pypdf import PdfReader

    with unit_of_work(op.url) as uow:
        export = scorecards.export_team(
            uow.session, op.lead, scorecards.TeamFilters(MARCH), "pdf", "ru", now=NOW
        )
        uow.commit()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(export.data)).pages)
    assert t("scorecards.purged.title", "ru") in text and "2026-W10" in text
