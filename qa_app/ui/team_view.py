"""Sections of the team dashboard: the ranked table, the criterion heat map and reviewer
severity. Names come from the database and are shown as table cells, never Markdown."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from qa_app.services import scorecards
from qa_app.ui import context, scorecard_charts
from qa_app.ui.context import tr
from qa_app.ui.scorecard_view import number, percent

ARROWS = {"up": "↑", "down": "↓", "flat": "→"}


def _rank(row) -> str:
    return str(int(row.rank)) if row.rankable and not pd.isna(row.rank) else tr("team.too_few")


def render_table(board: scorecards.TeamDashboard) -> None:
    rows = board.rows
    table = pd.DataFrame({
        tr("team.col.rank"): [_rank(r) for r in rows.itertuples()],
        tr("team.col.agent"): rows["name"],
        tr("team.col.team"): rows["team"],
        tr("team.col.score"): [round(v, 1) if not math.isnan(v) else None for v in rows["shrunk"]],
        tr("scorecards.col.interval"): [
            f"{number(lo)}–{number(hi)}" for lo, hi in zip(rows["low"], rows["high"], strict=True)
        ],
        tr("team.col.raw"): [round(v, 1) if not math.isnan(v) else None for v in rows["raw"]],
        "n": rows["n"],
        tr("team.col.trend"): [
            f"{ARROWS[a]} {number(c) if not math.isnan(c) else ''}".strip()
            for a, c in zip(rows["trend"], rows["trend_change"], strict=True)
        ],
        tr("team.col.coverage"): [
            tr("team.coverage", n=n, conversations=c, share=percent(s))
            for n, c, s in zip(rows["n"], rows["conversations"], rows["coverage"], strict=True)
        ],
        tr("team.col.quota"): [
            "—" if q is None or (isinstance(q, float) and math.isnan(q)) else
            tr("team.quota_yes" if met else "team.quota_no", quota=number(q, 0))
            for q, met in zip(rows["quota"], rows["quota_met"], strict=True)
        ],
        tr("team.col.outlier"): [tr(f"team.outlier.{o}") if o else "" for o in rows["outlier"]],
    })  # fmt: skip
    if board.quota_per_week is None:
        table = table.drop(columns=[tr("team.col.quota")])  # no plan sets one: nothing to say
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(tr("team.table_note"))
    ids = rows["agent_id"].tolist()
    names = dict(zip(ids, rows["name"], strict=True))
    left, right = st.columns([3, 1])
    chosen = left.selectbox(tr("team.open_agent"), ids, format_func=names.get, key="team_open")
    if right.button(tr("team.open"), key="team_open_button", icon=":material/badge:"):
        page = st.Page(lambda: None, title=tr("scorecards.title"), url_path="scorecard")
        st.switch_page(page, query_params={"agent": str(chosen)})


def render_heat(board: scorecards.TeamDashboard) -> None:
    if board.heat.empty:
        st.caption(tr("scorecards.no_reviews"))
        return
    lang = context.current_lang()
    values = board.heat.rename(columns=lambda c: board.names.get(c, {}).get(lang, c))
    counts = board.heat_n.rename(columns=lambda c: board.names.get(c, {}).get(lang, c))
    st.plotly_chart(scorecard_charts.heat(values, counts, title=tr("team.chart.heat"),
                                          n_label="n"), key="team_heat")  # fmt: skip


def render_severity(board: scorecards.TeamDashboard) -> None:
    st.caption(tr("team.severity_note"))
    if board.severity.empty:
        st.info(tr("team.severity_none"), icon=":material/info:")
        return
    frame = board.severity
    st.dataframe(pd.DataFrame({
        tr("team.col.reviewer"): frame["reviewer"],
        tr("team.col.offset"): [f"{v:+.1f}" for v in frame["offset"]],
        tr("scorecards.col.interval"): [f"{number(lo)}–{number(hi)}"
                                        for lo, hi in zip(frame["low"], frame["high"], strict=True)],
        tr("team.col.overlap"): frame["n"],
    }), hide_index=True, width="stretch")  # fmt: skip
