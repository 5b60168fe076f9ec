"""Mystery-shopper reports: compliance by channel, item, team, agent, scenario and month;
speed against SLA; the outside (shoppers) vs inside (internal QA) gap; PDF and Excel.

Every table carries its number of visits and flags groups with too few to compare. The
figures cover exactly the visits the user may see (a shopper their own, an agent the
published ones about them), decided by the service.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from qa_app.services import mystery
from qa_app.services.errors import ServiceError
from qa_app.services.permissions import can
from qa_app.ui import context, data
from qa_app.ui.context import tr

ACTION = "page.mystery_reports"
EXPORT = "mystery.report.export"
CHANNELS = ("", "chat", "email", "messenger", "social", "phone")
DEFAULT_DAYS = 180
PERIOD = "mystery.report.period"


def _filters() -> mystery.ReportFilter:
    today = context.now().date()
    left, right = st.columns([2, 1])
    st.session_state.setdefault(PERIOD, (today - timedelta(days=DEFAULT_DAYS), today))
    period = left.date_input(tr("mystery.report.filter_period"), key=PERIOD)
    channel = right.selectbox(
        tr("mystery.report.filter_channel"), CHANNELS, key="mystery.report.channel",
        format_func={
            c: tr(f"overview.channel.{c}") if c else tr("mystery.report.all_channels") for c in CHANNELS
        }.get,
    )  # fmt: skip
    start, end = (period[0], period[-1]) if isinstance(period, tuple) and period else (today, today)
    return mystery.ReportFilter(start, end, channel or None)


def render_figures(report: mystery.MysteryReport) -> None:
    lang = context.current_lang()
    for column, (label, value, caption) in zip(
        st.columns(4), mystery.key_figures(report, lang), strict=True
    ):
        column.metric(label, value)
        if caption:
            column.caption(caption)


def _table(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.caption(tr("mystery.report.no_data"))
        return
    # an empty cell reads "None" in Streamlit, in English on a Russian page too: a dash instead
    shown = frame.copy()
    for column in shown.columns[shown.isna().any()]:
        shown[column] = shown[column].map(_cell)
    st.dataframe(shown, hide_index=True, width="stretch")


def _cell(value) -> str:
    """A cell of a column with gaps, as text (Arrow cannot mix numbers and a dash)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def render_tabs(screen: mystery.ReportScreen) -> None:
    report, lang = screen.report, context.current_lang()
    tables = [frame for _title, frame in mystery.sections(report, lang, screen.shows_gap)]
    keys = ["channels", "items", "people", "scenarios", "time", "speed"]
    keys += ["gap"] if screen.shows_gap else []
    tabs = dict(zip(keys, st.tabs([tr(f"mystery.report.tab.{k}") for k in keys]), strict=True))
    with tabs["channels"]:
        st.subheader(tr("mystery.report.by_channel"))
        if not report.by_channel.empty:
            chart = report.by_channel.assign(
                group=report.by_channel["group"].map(lambda c: tr(f"overview.channel.{c}"))
            ).set_index("group")["compliance"]
            st.bar_chart(chart, horizontal=True, height=220)
        _table(tables[0])
    with tabs["items"]:
        st.subheader(tr("mystery.report.worst"))
        _table(tables[2])
        st.subheader(tr("mystery.report.items"))
        _table(tables[1])
    with tabs["people"]:
        st.subheader(tr("mystery.report.by_team"))
        _table(tables[3])
        st.subheader(tr("mystery.report.by_agent"))
        _table(tables[4])
    with tabs["scenarios"]:
        _table(tables[5])
    with tabs["time"]:
        if len(report.over_time) > 1:
            series = report.over_time.set_index(
                report.over_time["period"].map(lambda d: d.strftime("%Y-%m"))
            )[["compliance"]]
            st.line_chart(series, height=220)
        _table(tables[6])
    with tabs["speed"]:
        st.subheader(tr("mystery.report.sla"))
        _table(tables[7])
        st.subheader(tr("mystery.report.weekday_hour"))
        _table(tables[8])
    if screen.shows_gap:
        with tabs["gap"]:
            st.caption(tr("mystery.report.gap_help"))
            _table(tables[9])
    st.caption(tr("mystery.report.too_few_rows", n=mystery.MIN_VISITS))


def render_exports(actor, filters: mystery.ReportFilter) -> None:
    left, right = st.columns(2)
    for column, fmt in ((left, "pdf"), (right, "xlsx")):
        if column.button(tr(f"mystery.report.prepare_{fmt}"), key=f"mystery.prepare.{fmt}"):
            try:
                payload = mystery.do_export_report(
                    context.uow(), actor, filters, fmt, context.current_lang(), now=context.now()
                )
            except ServiceError as exc:
                context.show_error(exc)
                continue
            st.session_state[EXPORT] = (fmt, filters, payload)
        kept = st.session_state.get(EXPORT)
        if kept and kept[0] == fmt and kept[1] == filters:
            mime = "application/pdf" if fmt == "pdf" else (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
            column.download_button(
                tr(f"mystery.report.download_{fmt}"), kept[2], mime=mime, on_click="ignore",
                file_name=f"mystery-report-{filters.start}-{filters.end}.{fmt}",
                key=f"mystery.download.{fmt}", icon=":material/download:",
            )  # fmt: skip


def _show_period_up_to(day) -> None:
    st.session_state[PERIOD] = (day - timedelta(days=DEFAULT_DAYS), day)


def render_jump(day, filters: mystery.ReportFilter) -> None:
    """When the visits are all older than the period shown (an imported history, a demo
    season), one click shows the period that ends with the latest of them."""
    if day is None or day >= filters.start:
        return
    st.button(
        tr("mystery.report.jump", day=day.isoformat(), days=DEFAULT_DAYS),
        on_click=_show_period_up_to, args=(day,), key="mystery.report.jump",
    )  # fmt: skip


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("mystery.reports.title"))
    if not can(actor, "mystery.read_any"):
        st.caption(
            tr("mystery.report.scope_agent" if actor.is_agent else "mystery.report.scope_shopper")
        )
    filters = _filters()
    screen = data.mystery_report(context.database_url(), actor, filters, context.current_lang())
    report = screen.report
    if report.visits == 0:
        st.info(tr("mystery.report.empty"))
        render_jump(screen.last_visit_day, filters)
        return
    render_figures(report)
    if report.visits < mystery.MIN_VISITS:
        st.warning(tr("mystery.report.too_few", n=mystery.MIN_VISITS))
    render_tabs(screen)
    if screen.may_export:
        render_exports(actor, filters)
