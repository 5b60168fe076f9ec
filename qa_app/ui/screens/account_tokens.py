"""The account page's personal API tokens: create one (shown once), see and revoke one's
own. The tokens call the REST API (``qa-studio api``) as this user."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from qa_app.services import accounts
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import tr

NEW_TOKEN = "account_new_api_token"


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def _table(rows: list[accounts.ApiTokenRow], now: datetime) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                tr("api_tokens.col.id"): row.id,
                tr("api_tokens.col.start"): f"{row.prefix}…",
                tr("api_tokens.col.name"): row.name,
                tr("api_tokens.col.created"): _when(row.created_at),
                tr("api_tokens.col.expires"): _when(row.expires_at),
                tr("api_tokens.col.last_used"): _when(row.last_used_at),
                tr("api_tokens.col.state"): tr(f"api_tokens.{row.state(now)}"),
            }
            for row in rows
        ]
    )


def _create(actor) -> None:
    with st.form("api_token_create", clear_on_submit=True):
        name = st.text_input(tr("api_tokens.name"), max_chars=120)
        days = st.number_input(
            tr("api_tokens.days"), min_value=1, max_value=accounts.MAX_TOKEN_LIFETIME_DAYS,
            value=accounts.DEFAULT_TOKEN_LIFETIME_DAYS, step=1, help=tr("api_tokens.days_help"),
        )  # fmt: skip
        submitted = st.form_submit_button(tr("api_tokens.create"))
    if not submitted:
        return
    try:
        _row, token = accounts.do_create_api_token(
            context.uow(), actor, actor.username, name, days=int(days), now=context.now()
        )
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.session_state[NEW_TOKEN] = token
    st.rerun()


def _revoke(actor, rows: list[accounts.ApiTokenRow], now: datetime) -> None:
    labels = {row.id: " · ".join(filter(None, (f"{row.id}", f"{row.prefix}…", row.name)))
              for row in rows if row.state(now) == "active"}  # fmt: skip
    if not labels:
        return
    with st.form("api_token_revoke"):
        chosen = st.selectbox(tr("api_tokens.revoke_which"), list(labels),
                              format_func=labels.get, key="api_token_to_revoke")  # fmt: skip
        submitted = st.form_submit_button(tr("api_tokens.revoke"))
    if submitted and chosen is not None:
        try:
            accounts.do_revoke_api_token(context.uow(), actor, int(chosen))
        except ServiceError as exc:
            context.show_error(exc)
            return
        st.rerun()


def render_api_tokens() -> None:
    """The section: the new token once, the list, and the two forms."""
    actor = context.current_actor()
    st.subheader(tr("api_tokens.title"), anchor=False)
    st.caption(tr("api_tokens.help"))
    token = st.session_state.pop(NEW_TOKEN, None)
    if token:
        st.warning(tr("api_tokens.shown_once"))
        st.code(token, language=None)
    try:
        rows = accounts.do_list_api_tokens(context.uow(), actor, actor.username)
    except ServiceError as exc:
        context.show_error(exc)
        return
    now = context.now()
    if rows:
        st.dataframe(_table(rows, now), hide_index=True, width="stretch")
    else:
        st.info(tr("api_tokens.none"))
    _create(actor)
    _revoke(actor, rows, now)
