"""Reviewers' capacity beside a sample: the warning with the numbers, and the table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import sampling
from qa_app.ui import user_text
from qa_app.ui.context import tr


def _room(value: int | None) -> str:
    return tr("sampling.capacity.no_goal") if value is None else str(value)


def capacity_frame(rows: tuple[sampling.CapacityRow, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                tr("queue.col.reviewer"): row.reviewer,
                tr("sampling.col.goal"): "—" if row.goal is None else str(row.goal),
                tr("sampling.col.done"): row.done,
                tr("sampling.col.open"): row.open,
                tr("sampling.col.capacity"): _room(row.capacity),
                tr("sampling.col.planned"): row.planned,
            }
            for row in rows
        ]
    )


def render_capacity(plan: sampling.SamplePlan, *, override: bool) -> None:
    """Warn, with the numbers per reviewer, when the sample exceeds someone's capacity; say
    what the cap left out (or that the lead chose to go over); then the table."""
    over = plan.over_capacity
    if over:
        lines = [
            tr(
                "sampling.capacity.line",
                reviewer=user_text.inline(row.reviewer),
                goal=row.goal,
                done=row.done,
                open=row.open,
                capacity=row.capacity,
                wanted=row.wanted,
            )
            for row in over
        ]
        if override:
            head = tr("sampling.capacity.overridden")
        else:
            head = tr("sampling.capacity.capped", count=plan.left_out_capacity)
        st.warning("\n".join([head, *(f"- {line}" for line in lines)]), icon=":material/warning:")
    no_goal = [row.reviewer for row in plan.capacity if row.goal is None and row.planned]
    if no_goal:
        names = ", ".join(user_text.inline(name) for name in no_goal)
        st.caption(tr("sampling.capacity.no_goal_note", names=names))
    if plan.capacity:
        st.dataframe(capacity_frame(plan.capacity), hide_index=True)
