"""Team dashboard: one row per agent with the shrunk score, for leads.

Agents with too few reviews are listed but not ranked; the heat map, reviewer severity
and response times by weekday and hour are in tabs. Opening an agent's scorecard goes
through the scorecard page's ``agent`` query parameter.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from qa_app.services import scorecards
from qa_app.services.errors import ServiceError
from qa_app.ui import charts, context, data_scorecards, export_buttons, scorecard_charts, team_view
from qa_app.ui.context import tr
from qa_app.ui.scorecard_view import channel, estimate_text, number, render_purged


def _language(code: str) -> str:
    return tr(f"overview.language.{code}") if code in ("ru", "en") else str(code)


def render_filters(choices: scorecards.TeamChoices) -> scorecards.TeamFilters | None:
    last = choices.last_day or context.now().date()
    first = max(choices.first_day or last, last - timedelta(days=27))
    with st.expander(tr("overview.filters"), expanded=True, icon=":material/filter_list:"):
        left, right = st.columns(2)
        days = left.date_input(tr("scorecards.period"), value=(first, last), key="team_period")
        teams = dict(choices.teams)
        team_ids = right.multiselect(
            tr("overview.filter.teams"), list(teams), format_func=teams.get,
            placeholder=tr("overview.filter.all"), key="team_teams",
        )  # fmt: skip
        channels = left.multiselect(
            tr("overview.filter.channels"), list(choices.channels), format_func=channel,
            placeholder=tr("overview.filter.all"), key="team_channels",
        )  # fmt: skip
        languages = right.multiselect(
            tr("overview.filter.languages"), list(choices.languages), format_func=_language,
            placeholder=tr("overview.filter.all"), key="team_languages",
        )  # fmt: skip
        corrected = st.toggle(tr("team.corrected"), key="team_corrected",
                              help=tr("team.corrected_help"))  # fmt: skip
    if not isinstance(days, tuple) or len(days) != 2:
        st.caption(tr("scorecards.pick_end"))
        return None
    return scorecards.TeamFilters(
        scorecards.Period(days[0], days[1]), tuple(team_ids), tuple(channels), tuple(languages),
        corrected,
    )  # fmt: skip


def render_headline(board: scorecards.TeamDashboard) -> None:
    cols = st.columns(4)
    cols[0].metric(tr("team.metric.team_mean"), number(board.team_mean.estimate))
    cols[0].caption(estimate_text(board.team_mean))
    ranked = int(board.rows["rankable"].sum())
    cols[1].metric(tr("team.metric.ranked"), f"{ranked} / {len(board.rows)}")
    minimum = board.min_reviews_to_rank
    cols[2].metric(tr("team.metric.minimum"), "—" if minimum is None else str(minimum))
    cols[2].caption(tr("team.minimum_none") if minimum is None else tr(
        "team.minimum_help", between=number(board.between_sd), within=number(board.within_sd)))  # fmt: skip
    quota = board.quota_per_week
    cols[3].metric(tr("team.metric.quota"), "—" if quota is None else str(quota))
    cols[3].caption(tr("team.quota_help") if quota else tr("team.quota_none"))


def render() -> None:
    actor = context.require_page("page.team")
    st.title(tr("team.title"), anchor=False)
    try:
        choices = data_scorecards.team_choices(context.database_url(), actor)
    except ServiceError as exc:
        context.show_error(exc)
        return
    filters = render_filters(choices)
    if filters is None:
        return
    try:
        board = data_scorecards.team(context.database_url(), actor, filters, context.now())
    except ServiceError as exc:
        context.show_error(exc)
        return
    if board.rows.empty:
        st.info(tr("scorecards.no_agents"), icon=":material/person_off:")
        return
    render_headline(board)
    lang, now = context.current_lang(), context.now()
    export_buttons.render(
        "team_export", ("pdf", "xlsx", "csv"),
        lambda fmt: scorecards.do_export_team(context.uow(), actor, filters, fmt, lang, now=now),
        f"{filters}:{lang}",
    )  # fmt: skip
    team_view.render_table(board)
    tabs = st.tabs([tr(f"team.tab.{k}") for k in ("heat", "severity", "waits", "trend")])
    with tabs[0]:
        team_view.render_heat(board)
    with tabs[1]:
        team_view.render_severity(board)
    with tabs[2]:
        render_waits(board)
    with tabs[3]:
        render_trend(board)


def render_waits(board: scorecards.TeamDashboard) -> None:
    cells = board.waits
    if cells.empty:
        st.caption(tr("team.waits_none"))
        return
    values = cells.pivot(index="weekday", columns="hour", values="median_minutes")
    counts = cells.pivot(index="weekday", columns="hour", values="n").fillna(0).astype(int)
    values = values.reindex(index=range(7), columns=range(24))
    counts = counts.reindex(index=range(7), columns=range(24), fill_value=0)
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    values.index = counts.index = [tr(f"overview.weekday.{d}") for d in days]
    st.plotly_chart(
        charts.heatmap(values, counts, title=tr("team.chart.waits"),
                       x_title=tr("overview.axis.hour"), y_title="",
                       value_label=tr("overview.axis.median_minutes"), n_label="n"),
        key="team_waits",
    )  # fmt: skip


def render_trend(board: scorecards.TeamDashboard) -> None:
    weeks = board.trend
    if weeks.empty or not weeks["n"].sum():
        st.caption(tr("scorecards.no_reviews"))
    else:
        render_trend_chart(weeks)
    render_purged(board.purged, language_filter=bool(board.filters.languages))


def render_trend_chart(weeks: pd.DataFrame) -> None:
    st.plotly_chart(
        scorecard_charts.trend_band(
            weeks, title=tr("team.chart.trend"), y_title=tr("scorecards.axis.score"),
            band_label=tr("scorecards.band"), partial_label=tr("scorecards.partial_week"),
                lang=context.current_lang(),
        ), key="team_trend",
    )  # fmt: skip
    if weeks["partial"].any():
        st.caption(tr("scorecards.partial_note"))
    st.dataframe(pd.DataFrame({tr("team.col.week"): weeks["week"], "n": weeks["n"]}).T,
                 width="stretch")  # fmt: skip
