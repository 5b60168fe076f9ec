"""The signed-in user's own settings: interface language, password, personal API tokens."""

from __future__ import annotations

import streamlit as st

from qa_app.services import accounts
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import tr
from qa_app.ui.screens.account_tokens import render_api_tokens

LANGUAGE_WIDGETS = ("sidebar_language", "account_language")


def _save_language(widget_key: str) -> None:
    choice = st.session_state.get(widget_key)
    actor = context.validated_actor()  # a callback: the run has not re-checked the session yet
    if actor is None:
        return
    if not choice or choice == actor.language:
        st.session_state[widget_key] = actor.language
        return
    for other in LANGUAGE_WIDGETS:
        if other in st.session_state:
            st.session_state[other] = choice
    try:
        accounts.do_set_language(context.uow(), actor, choice)
    except ServiceError as exc:
        context.show_error(exc)


def render_language_switch(key: str = "account_language", *, show_label: bool = True) -> None:
    """RU/EN switch saved to the user's profile, so it follows them to any browser."""
    st.segmented_control(
        tr("shell.language"),
        options=list(context.LANGUAGE_NAMES),
        format_func=context.LANGUAGE_NAMES.get,
        default=context.current_lang(),
        key=key,
        on_change=_save_language,
        args=(key,),
        label_visibility="visible" if show_label else "collapsed",
    )


def render_password_form() -> None:
    st.subheader(tr("account.change_password"), anchor=False)
    with st.form("change_password", clear_on_submit=True):
        current = st.text_input(tr("account.current_password"), type="password")
        new = st.text_input(
            tr("account.new_password"),
            type="password",
            help=tr("account.password_rules", min=accounts.MIN_PASSWORD_LENGTH),
        )
        repeat = st.text_input(tr("account.repeat_password"), type="password")
        submitted = st.form_submit_button(tr("account.save_password"), type="primary")
    if not submitted:
        return
    if new != repeat:
        st.error(tr("account.passwords_differ"))
        return
    try:
        accounts.do_change_password(
            context.uow(),
            context.current_actor(),
            current,
            new,
            keep_token=st.session_state.get(context.SESSION_TOKEN),
        )
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.success(tr("account.password_changed"))


def render() -> None:
    actor = context.current_actor()
    st.title(tr("account.title"), anchor=False)
    st.markdown(f"**{tr('account.username')}:** `{actor.username}` · {tr(f'role.{actor.role}')}")
    st.subheader(tr("shell.language"), anchor=False)
    render_language_switch(show_label=False)
    render_password_form()
    render_api_tokens()
