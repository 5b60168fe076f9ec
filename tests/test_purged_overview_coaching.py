"""Weeks a retention purge deleted, where leads and trainers read volumes and effects: the
Overview draws them beside the live weeks (and its date filter reaches them), and a
coaching plan's before/after says how many of its "before" reviews were deleted."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from ui_harness import run_page, visible_text

from qa_app.i18n import t
from qa_app.services import overview
from qa_app.services.coaching.effect import plan_effect, purged_reviews
from qa_app.services.database import unit_of_work
from tests.scorecard_fixtures import NOW, add_purged_week, seed_operation

WEEK = datetime(2026, 3, 2, tzinfo=UTC)  # the live conversations' first week
EARLIER = datetime(2026, 2, 16, tzinfo=UTC)  # two weeks before anything live
MARCH = overview.OverviewFilters(date(2026, 3, 1), date(2026, 3, 20))


@pytest.fixture
def op(db_url):
    operation = seed_operation(db_url)
    add_purged_week(operation, WEEK)
    add_purged_week(operation, EARLIER)
    return operation


def _overview(op, actor, filters=MARCH):
    with unit_of_work(op.url) as uow:
        return overview.load_overview(uow.session, actor, filters)


def test_the_overview_lists_purged_weeks_of_the_period_within_the_reader_s_scope(op):
    (week,) = _overview(op, op.lead).purged.to_dict("records")
    assert (week["week_start"], week["conversations"], week["reviews"]) == (date(2026, 3, 2), 12, 3)
    (email,) = _overview(op, op.lead, MARCH.__class__(
        MARCH.date_from, MARCH.date_to, channels=("email",))).purged.to_dict("records")  # fmt: skip
    assert email["conversations"] == 3
    (own,) = _overview(op, op.anna).purged.to_dict("records")  # an agent: only their own
    assert own["conversations"] == 5
    whole = overview.OverviewFilters(date(2026, 2, 1), date(2026, 3, 20))
    assert _overview(op, op.boris, whole).purged["conversations"].tolist() == [3, 3]


def test_a_language_filter_hides_the_purged_weeks_and_says_so(op):
    english = overview.OverviewFilters(MARCH.date_from, MARCH.date_to, languages=("en",))
    figures = _overview(op, op.lead, english)
    assert figures.purged.empty and figures.purged_hidden
    later = overview.OverviewFilters(date(2026, 3, 9), date(2026, 3, 20), languages=("en",))
    assert not _overview(op, op.lead, later).purged_hidden  # nothing purged there to hide


def test_the_date_filter_reaches_back_to_the_first_purged_week(op):
    with unit_of_work(op.url) as uow:
        options = overview.filter_options(uow.session, op.lead)
        agent_options = overview.filter_options(uow.session, op.anna)
    assert options.first_day == date(2026, 2, 16)
    assert agent_options.first_day == date(2026, 2, 16)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_overview_page_shows_the_purged_weeks_in_the_page_language(op, lang):
    at = run_page("overview", "lead", op.url, lang, username="lead-overview", timeout=60)
    assert not at.exception, at.exception
    text = visible_text(at)
    assert t("scorecards.purged.title", lang) in text
    column = t("scorecards.purged.col.conversations", lang)
    (table,) = [d.value for d in at.dataframe if column in d.value.columns]
    assert list(table[column]) == [12, 12]  # the default period reaches the earlier week
    figure = next(c for c in at.get("plotly_chart") if "chart_week" in str(c.proto.id))
    series = {trace["name"]: trace for trace in json.loads(figure.proto.spec)["data"]}
    purged = series[t("overview.purged.series", lang)]
    assert _values(purged["y"]) == [12, 12]


def _values(array) -> list:
    """A plotly trace's values, whether plain or packed as typed base64 (``bdata``)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def test_a_plan_s_effect_counts_the_before_reviews_a_purge_deleted(op):
    agents = [op.agent_ids["anna"], op.agent_ids["boris"]]
    first_session = datetime(2026, 3, 10, tzinfo=UTC)
    with unit_of_work(op.url) as uow:
        effect = plan_effect(uow.session, "empathy-acknowledgement", agents, first_session, NOW)
        # the before window (eight weeks) overlaps both purged weeks: 2 + 1 reviews each
        assert effect.purged_reviews == 6
        assert purged_reviews(uow.session, agents, WEEK + timedelta(days=7), first_session) == 0
        assert purged_reviews(uow.session, [], EARLIER, first_session) == 0  # nobody, not all
        assert purged_reviews(uow.session, [op.agent_ids["carl"]], EARLIER, first_session) == 0


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_plan_panel_says_how_many_before_reviews_were_deleted(lang):
    at = AppTest.from_function(_effect_panel, args=(lang,), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert t("coaching.effect.purged", lang, n=6) in visible_text(at)


def _effect_panel(lang: str) -> None:
    from datetime import UTC, datetime

    import streamlit as st

    from qa_app.services.coaching import PlanEffect
    from qa_app.ui import context
    from qa_app.ui.coaching_view import render_effect

    st.session_state[context.SESSION_FORM_LANG] = lang
    split = datetime(2026, 3, 10, tzinfo=UTC)
    render_effect(PlanEffect(split, datetime(2026, 1, 13, tzinfo=UTC), split, None, (), 6))
