"""Reviewer productivity (leads): reviews per reviewer per week against goals, minutes per
review, coverage of the sampling quota, and the feedback agents have not acknowledged."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import sampling
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import tr

ACTION = "page.productivity"


def _percent(value) -> str:
    return "—" if pd.isna(value) else f"{100 * value:.0f}%"


def render_weeks(screen: sampling.ProductivityScreen) -> None:
    st.subheader(tr("productivity.weeks"))
    if screen.weeks.empty:
        st.info(tr("productivity.no_reviews"))
        return
    frame = pd.DataFrame(
        {
            tr("productivity.col.week"): screen.weeks["week"].astype(str),
            tr("productivity.col.reviewer"): screen.weeks["reviewer"],
            tr("productivity.col.reviews"): screen.weeks["reviews"],
            tr("productivity.col.goal"): [
                "—" if pd.isna(g) else f"{int(g)}" for g in screen.weeks["goal"]
            ],
            tr("productivity.col.of_goal"): [_percent(v) for v in screen.weeks["of_goal"]],
            tr("productivity.col.minutes"): screen.weeks["median_minutes"].round(1),
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(tr("productivity.weeks_note"))


def render_coverage(screen: sampling.ProductivityScreen) -> None:
    st.subheader(tr("productivity.coverage"))
    source = "productivity.quota_plans" if screen.quota_from_plans else "productivity.quota_default"
    st.caption(tr(source, quota=screen.quota))
    if screen.coverage.empty:
        st.info(tr("productivity.no_conversations"))
        return
    frame = pd.DataFrame(
        {
            tr("productivity.col.week"): screen.coverage["week"].astype(str),
            tr("productivity.col.agents"): screen.coverage["agents"],
            tr("productivity.col.expected"): screen.coverage["expected"],
            tr("productivity.col.covered"): screen.coverage["covered"],
            tr("productivity.col.coverage"): [_percent(v) for v in screen.coverage["coverage"]],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def render_unacknowledged(screen: sampling.ProductivityScreen) -> None:
    st.subheader(tr("productivity.unacknowledged"))
    if screen.unacknowledged.empty:
        st.success(tr("productivity.all_acknowledged"))
        return
    frame = pd.DataFrame(
        {
            tr("productivity.col.agent"): screen.unacknowledged["agent"],
            tr("productivity.col.waiting"): screen.unacknowledged["unacknowledged"],
            tr("productivity.col.oldest"): [
                m.strftime("%Y-%m-%d") if pd.notna(m) else "—"
                for m in screen.unacknowledged["oldest_submitted_at"]
            ],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("productivity.title"))
    try:
        screen = sampling.productivity_screen(context.uow(), actor, context.now())
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.caption(
        tr(
            "productivity.period",
            since=screen.since.strftime("%Y-%m-%d"),
            until=(screen.until - pd.Timedelta(days=1)).strftime("%Y-%m-%d"),
            zone=screen.timezone,
        )
    )
    render_weeks(screen)
    render_coverage(screen)
    render_unacknowledged(screen)
