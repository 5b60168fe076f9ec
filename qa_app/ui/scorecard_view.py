"""Sections of the scorecard page: each draws part of a ``Scorecard`` in the user's language.

Reviewers' grades and automatic signals are drawn in separate sections, the latter marked
automatic. Comments are shown with ``st.text`` (never Markdown), as people typed them.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from qa_app.i18n.numbers import decimal, signed_decimal
from qa_app.services import scorecards
from qa_app.ui import charts, context, scorecard_charts
from qa_app.ui.context import tr
from scoring.stats import Estimate


def number(value: float, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return decimal(value, context.current_lang(), digits)


def percent(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{number(100 * value, 0)}%"


def estimate_text(e: Estimate, *, share: bool = False) -> str:
    """ "72,4 (68,1–76,0), n = 23" — or "not enough data" when there is no number."""
    if not e.defined:
        return tr("scorecards.no_data", n=e.n)
    show = percent if share else number
    return tr("scorecards.estimate", value=show(e.estimate), low=show(e.low), high=show(e.high),
              n=e.n)  # fmt: skip


def channel(code: str) -> str:
    return tr(f"overview.channel.{code}") if code in charts.CHANNEL_COLOURS else str(code)


def render_headline(card: scorecards.Scorecard) -> None:
    q = card.quality
    cols = st.columns(4)
    cols[0].metric(tr("scorecards.metric.quality"), number(q.estimate) if q.defined else "—",
                   help=tr("scorecards.metric.quality_help"))  # fmt: skip
    cols[0].caption(estimate_text(q))
    cols[1].metric(tr("scorecards.metric.critical"), percent(card.critical.estimate))
    cols[1].caption(estimate_text(card.critical, share=True))
    for col, key, comparison in (
        (cols[2], "scorecards.metric.vs_team", card.versus_team),
        (cols[3], "scorecards.metric.vs_previous", card.versus_previous),
    ):
        diff = comparison.difference
        col.metric(tr(key), "—" if not diff.defined else
                   signed_decimal(diff.estimate, context.current_lang(), 1))  # fmt: skip
        col.caption(tr(f"scorecards.verdict.{comparison.verdict.value}",
                       low=number(diff.low), high=number(diff.high)))  # fmt: skip
    if card.target is not None:
        st.caption(tr("scorecards.target_note", target=number(card.target, 0),
                      team=estimate_text(card.team_quality)))  # fmt: skip


def _criterion_labels(card: scorecards.Scorecard, ids) -> list[str]:
    lang = context.current_lang()
    return [card.criterion_name(i, lang) for i in ids]


def render_criteria(card: scorecards.Scorecard) -> None:
    criteria = card.criteria
    if criteria.empty:
        st.info(tr("scorecards.no_reviews"), icon=":material/info:")
        return
    team = dict(zip(card.team_criteria["criterion_id"], card.team_criteria["mean"], strict=True))
    st.plotly_chart(
        scorecard_charts.interval_bars(
            _criterion_labels(card, criteria["criterion_id"]), criteria,
            title=tr("scorecards.chart.criteria"), x_title=tr("scorecards.axis.score"),
            target=card.target, target_label=tr("scorecards.target"),
            reference=[team.get(c, float("nan")) for c in criteria["criterion_id"]],
            reference_label=tr("scorecards.metric.rest_of_team"),
            bar_label=card.agent_name,
        ), key="sc_criteria",
    )  # fmt: skip
    table = pd.DataFrame({
        tr("scorecards.col.category"): _criterion_labels(card, criteria["category_id"]),
        tr("scorecards.col.criterion"): _criterion_labels(card, criteria["criterion_id"]),
        tr("scorecards.col.score"): [number(v) for v in criteria["mean"]],
        tr("scorecards.col.interval"): [f"{number(lo)}–{number(hi)}"
                                        for lo, hi in zip(criteria["low"], criteria["high"],
                                                          strict=True)],
        "n": criteria["n"],
        tr("scorecards.col.critical_fails"): [
            str(int(f)) if c else "—" for f, c in zip(criteria["critical_fails"], criteria["critical"],
                                                strict=True)],
    })  # fmt: skip
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(tr("scorecards.critical_note"))


def render_purged(weeks: pd.DataFrame, *, language_filter: bool = False) -> None:
    """The weeks a retention purge deleted, from the counts it kept; nothing when none."""
    if weeks.empty:
        return
    st.markdown(f"**{tr('scorecards.purged.title')}**")
    st.caption(tr("scorecards.purged.caption"))
    if language_filter:
        st.caption(tr("scorecards.purged.languages"))
    table = scorecards.purged_table(weeks, context.current_lang())
    st.dataframe(table, hide_index=True, width="stretch")


def render_trend(card: scorecards.Scorecard) -> None:
    weeks = card.trend
    left, right = st.columns(2)
    if not weeks.empty and weeks["n"].sum():
        left.plotly_chart(
            scorecard_charts.trend_band(
                weeks, title=tr("scorecards.chart.trend"), y_title=tr("scorecards.axis.score"),
                band_label=tr("scorecards.band"), partial_label=tr("scorecards.partial_week"),
                lang=context.current_lang(),
                target=card.target, target_label=tr("scorecards.target"),
            ), key="sc_trend",
        )  # fmt: skip
        if weeks["partial"].any():
            left.caption(tr("scorecards.partial_note"))
    dist = card.distribution
    right.plotly_chart(
        charts.bar(dist, "band", "n", title=tr("scorecards.chart.distribution", n=card.quality.n),
                   x_title=tr("scorecards.axis.score"), y_title=tr("scorecards.axis.reviews"),
                   text="n"),
        key="sc_distribution",
    )  # fmt: skip
    render_purged(card.purged)
    st.markdown(f"**{tr('scorecards.channels_title')}**")
    if card.channels.empty:
        st.caption(tr("scorecards.no_reviews"))
        return
    st.plotly_chart(
        scorecard_charts.interval_bars(
            [channel(c) for c in card.channels["channel"]], card.channels,
            title=tr("scorecards.chart.channels"), x_title=tr("scorecards.axis.score"),
            target=card.target, target_label=tr("scorecards.target"),
        ), key="sc_channels",
    )  # fmt: skip


def render_signals(card: scorecards.Scorecard) -> None:
    st.info(tr("scorecards.signals_note"), icon=":material/smart_toy:")
    signals = card.signals
    if signals.empty or not signals["n"].sum():
        st.caption(tr("scorecards.signals_none"))
        return
    rows = []
    for row in signals.itertuples():
        e = Estimate(row.value, row.low, row.high, row.n, row.kind)
        rows.append({
            tr("scorecards.col.signal"): tr(f"scorecards.signal.{row.signal}"),
            tr("scorecards.col.value"): estimate_text(e, share=row.kind == "share"),
        })  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
