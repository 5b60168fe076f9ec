"""Overview of the loaded conversations (placeholder until the full page lands)."""

from __future__ import annotations

import streamlit as st

from qa_app.ui import context
from qa_app.ui.context import tr


def render() -> None:
    context.current_actor()
    st.title(tr("overview.title"))
    st.info(tr("overview.empty"))
