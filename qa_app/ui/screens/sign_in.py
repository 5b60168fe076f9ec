"""The sign-in page: the company account (single sign-on, when the server has it), the
username-and-password form, and the language of the page itself."""

from __future__ import annotations

import streamlit as st

from qa_app.services import accounts
from qa_app.services.errors import ServiceError
from qa_app.ui import context, sso
from qa_app.ui.context import tr

LANGUAGE_KEY = "signin_language"


def _keep_a_language(current: str) -> None:
    """Clicking the language already chosen deselects it in a segmented control; the page
    keeps its language, so the control shows it again instead of nothing."""
    if not st.session_state.get(LANGUAGE_KEY):
        st.session_state[LANGUAGE_KEY] = current


def render_form_language() -> None:
    """Choose the form's language before signing in (the user's own setting wins after)."""
    current = context.current_lang()
    choice = st.segmented_control(
        tr("shell.language"),
        options=list(context.LANGUAGE_NAMES),
        format_func=context.LANGUAGE_NAMES.get,
        default=current,
        key=LANGUAGE_KEY,
        on_change=_keep_a_language,
        args=(current,),
        label_visibility="collapsed",
    )
    if choice and choice != current:
        st.session_state[context.SESSION_FORM_LANG] = choice
        st.rerun()


def render_notice() -> None:
    notice = st.session_state.pop(context.SESSION_NOTICE, None)
    if notice:
        st.info(tr(notice), icon=":material/info:")


def render_first_run_hint(screen: accounts.SignInScreen) -> None:
    if not screen.has_users:
        st.warning(tr("signin.no_users"), icon=":material/person_add:")


def attempt_sign_in(username: str, password: str) -> None:
    """Check the credentials; on success start the session, else show why not."""
    if not username.strip() or not password:
        st.error(tr("signin.fill_both"))
        return
    try:
        actor, token = accounts.do_sign_in(context.uow(), username, password)
    except ServiceError as exc:
        context.show_error(exc)
        return
    context.start_session(actor, token)
    st.rerun()


def render() -> None:
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        render_form_language()
        st.title(tr("signin.title"), anchor=False)
        st.caption(tr("signin.subtitle"))
        render_notice()
        render_first_run_hint(accounts.sign_in_screen(context.uow()))
        if sso.configured():
            sso.render_button()
            st.markdown(f"**{tr('signin.or_password')}**")
        with st.form("sign_in", border=True):
            username = st.text_input(tr("signin.username"), key="signin_username")
            password = st.text_input(tr("signin.password"), type="password", key="signin_password")
            submitted = st.form_submit_button(tr("signin.submit"), type="primary")
        if submitted:
            attempt_sign_in(username, password)
