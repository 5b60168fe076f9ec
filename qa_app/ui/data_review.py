"""Cached set-up for the review workflow pages: the bundled rubrics, loaded once per database."""

from __future__ import annotations

import streamlit as st

from qa_app.services import database as services_db
from qa_app.services import rubrics


@st.cache_resource(show_spinner=False)
def ensure_rubrics(url: str) -> tuple[str, ...]:
    """Load ``rubrics/*.yaml`` into the database when missing (once per process and URL)."""
    return tuple(rubrics.do_ensure_default_rubric(services_db.unit_of_work(url)))
