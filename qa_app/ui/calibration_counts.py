"""The lead's decision on a closed calibration session: do its grades count as the agents'
evaluation? Until they do, agents neither see nor dispute them (the services enforce it)."""

from __future__ import annotations

import streamlit as st

from qa_app.services import calibration
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import tr


def render_counts(actor, summary: calibration.SessionSummary, flash_key: str) -> None:
    """Say whether the grades count for the agents and offer to change it (closed only)."""
    if not summary.is_closed:
        return
    st.subheader(tr("calibration.counts.header"), anchor=False)
    counted = summary.counts_for_agents
    st.caption(tr("calibration.counts.visible" if counted else "calibration.counts.hidden"))
    label = "calibration.counts.withdraw" if counted else "calibration.counts.count"
    if not st.button(tr(label), key=f"calibration.counts.{summary.session_id}"):
        return
    try:
        calibration.do_set_counts_for_agents(context.uow(), actor, summary.session_id, not counted)
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.session_state[flash_key] = tr(
        "calibration.counts.withdrawn" if counted else "calibration.counts.done"
    )
    st.rerun()
