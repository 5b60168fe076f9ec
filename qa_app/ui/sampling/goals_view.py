"""Reviewer goals: each reviewer's weekly goal, reviews done this week, open work and the
capacity left, and the lead's form to set a goal."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from qa_app.services import reviews
from qa_app.services.errors import ServiceError
from qa_app.ui import context, user_text
from qa_app.ui.context import tr
from qa_app.ui.sampling.words import moment_text


def goals_frame(rows: list[reviews.GoalProgress]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                tr("queue.col.reviewer"): row.reviewer,
                tr("sampling.col.goal"): "—" if row.goal is None else str(row.goal),
                tr("sampling.col.done"): row.done,
                tr("sampling.goals.col.progress"): (
                    round(100 * row.done / row.goal) if row.goal else None
                ),
                tr("sampling.col.open"): row.open,
                tr("sampling.col.capacity"): (
                    tr("sampling.capacity.no_goal") if row.capacity is None else str(row.capacity)
                ),
            }
            for row in rows
        ]
    )


def render_table(rows: list[reviews.GoalProgress]) -> None:
    progress = tr("sampling.goals.col.progress")
    st.dataframe(
        goals_frame(rows),
        hide_index=True,
        width="stretch",
        column_config={
            progress: st.column_config.ProgressColumn(
                progress, min_value=0, max_value=100, format="%d%%"
            ),
        },
    )


DEFAULT_GOAL = 40


def render_form(actor, rows: list[reviews.GoalProgress]) -> None:
    """Choose a reviewer (their current goal fills the number), then save or remove."""
    goals = {row.reviewer: row.goal for row in rows}
    cols = st.columns([3, 2, 2], vertical_alignment="bottom")
    reviewer = cols[0].selectbox(tr("queue.col.reviewer"), list(goals), key="goals.reviewer")
    with st.form("goals.form", border=False):
        cols = st.columns([3, 2, 2], vertical_alignment="bottom")
        current = goals[reviewer] if goals[reviewer] is not None else DEFAULT_GOAL
        weekly = cols[0].number_input(
            tr("sampling.goals.weekly"),
            0,
            reviews.MAX_WEEKLY_GOAL,
            current,
            key=f"goals.weekly.{reviewer}",
        )
        clear = cols[1].checkbox(tr("sampling.goals.clear"), key=f"goals.clear.{reviewer}")
        pressed = st.form_submit_button(
            tr("sampling.goals.save"), type="primary", icon=":material/flag:", key="goals.save"
        )
    if not pressed:
        return
    value = None if clear else int(weekly)
    try:
        reviews.do_set_goal(context.uow(), actor, reviewer, value)
    except ServiceError as exc:
        context.show_error(exc)
        return
    name = user_text.inline(reviewer)
    st.session_state["sampling.flash"] = (
        tr("sampling.goals.cleared", reviewer=name)
        if value is None
        else tr("sampling.goals.saved", reviewer=name, weekly=value)
    )
    st.rerun()


def render(actor, _rubric_names_of=None) -> None:
    """The goals section: one read of every reviewer's week, the table, the form."""
    rows = reviews.goals_screen(context.uow(), actor, context.now())
    if rows:
        zone = reviews.team_timezone()
        first = moment_text(rows[0].week_start, zone)[:10]
        last = moment_text(rows[0].week_end - timedelta(days=1), zone)[:10]
        st.caption(tr("sampling.goals.intro", zone=zone, start=first, end=last))
        render_table(rows)
        with st.container(border=True):
            render_form(actor, rows)
    else:
        st.info(tr("sampling.goals.none"))
