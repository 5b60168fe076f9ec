"""Cached data access for the shell and the Overview page.

Migrations run once per process and database; overview figures are cached for a minute
per (database, visibility scope, filters) so moving between pages stays quick. Keys are
plain values only, so one user's cache entry can never serve another's scope.
"""

from __future__ import annotations

import streamlit as st

from qa_app.services import database as services_db


@st.cache_resource(show_spinner=False)
def prepare_database(url: str) -> str:
    """Apply pending migrations once per server process for this database."""
    return services_db.prepare_database(url)
