"""Admin: who may sign in, with which role; add users, reset passwords, deactivate."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.i18n import in_language
from qa_app.services import accounts
from qa_app.services.errors import ServiceError
from qa_app.services.permissions import ROLES
from qa_app.ui import context, user_text
from qa_app.ui.context import current_lang, tr

FLASH = "users.flash"


def _role_label(role: str) -> str:
    return tr(f"role.{role}")


def _when(moment) -> str:
    """UTC time to the minute (the column header says UTC); empty when it never happened."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def render_user_table(rows: list[accounts.UserRow]) -> None:
    frame = pd.DataFrame(
        {
            tr("users.col.username"): [r.username for r in rows],
            tr("users.col.name"): [in_language(r.display_name, current_lang()) for r in rows],
            tr("users.col.role"): [_role_label(r.role) for r in rows],
            tr("users.col.agent"): [r.agent_login or "" for r in rows],
            tr("users.col.team"): [r.team_name or "" for r in rows],
            tr("users.col.language"): [
                context.LANGUAGE_NAMES.get(r.language, r.language) for r in rows
            ],
            tr("users.col.active"): [r.is_active for r in rows],
            tr("users.col.last_login"): [_when(r.last_login_at) for r in rows],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def render_add_user() -> None:
    with st.form("add_user", clear_on_submit=True):
        st.subheader(tr("users.add"), anchor=False)
        left, right = st.columns(2)
        username = left.text_input(tr("users.col.username"))
        name = right.text_input(tr("users.col.name"))
        role = left.selectbox(tr("users.col.role"), ROLES, index=2, format_func=_role_label)
        language = right.selectbox(
            tr("users.col.language"), ("ru", "en"), format_func=context.LANGUAGE_NAMES.get
        )
        agent = left.text_input(tr("users.col.agent"), help=tr("users.agent_help"))
        team = right.text_input(tr("users.col.team"), help=tr("users.team_help"))
        submitted = st.form_submit_button(tr("users.add_submit"), type="primary")
    if not submitted:
        return
    try:
        row, password = accounts.do_add_user(
            context.uow(),
            context.current_actor(),
            username,
            role,
            display_name=name,
            agent_login=agent or None,
            team_name=team or None,
            language=language,
        )
    except ServiceError as exc:
        context.show_error(exc)
        return
    _done(tr("users.added", username=user_text.inline(row.username)), password)


def _done(message: str, password: str | None = None) -> None:
    """Rerun so the table shows the change; the message (and a new password) show once."""
    st.session_state[FLASH] = (message, password)
    st.rerun()


def render_flash() -> None:
    """The last action's outcome; a generated password is shown here once and never again."""
    message, password = st.session_state.pop(FLASH, None) or ("", None)
    if message:
        st.success(message)
    if password:
        st.info(tr("users.password_once"), icon=":material/key:")
        st.code(password, language=None)


def render_change_user(actor, rows: list[accounts.UserRow]) -> None:
    """Pick a user, then change the role, reset the password or switch the account off/on."""
    st.subheader(tr("users.change"), anchor=False)
    by_name = {r.username: r for r in rows}
    if not by_name:
        return
    username = st.selectbox(tr("users.col.username"), list(by_name), key="users_target")
    row = by_name[username]
    role_col, password_col, state_col = st.columns(3, border=True)
    with role_col:
        new_role = st.selectbox(
            tr("users.col.role"), ROLES, index=ROLES.index(row.role), format_func=_role_label,
            key=f"users_new_role_{row.id}",
        )  # fmt: skip
        new_agent = st.text_input(
            tr("users.col.agent"), value=row.agent_login or "", key=f"users_new_agent_{row.id}",
            help=tr("users.agent_help"),
        )  # fmt: skip
        if st.button(tr("users.set_role"), key="users_set_role"):
            agent = new_agent.strip() or None if new_role == "agent" else None
            _apply(
                lambda: accounts.do_set_role(
                    context.uow(), actor, username, new_role, agent_login=agent
                ),
                tr("users.role_set", username=user_text.inline(username)),
            )
    with password_col:
        st.caption(tr("users.reset_help"))
        if st.button(tr("users.reset_password"), key="users_reset"):
            _apply(
                lambda: accounts.do_reset_password(context.uow(), actor, username),
                tr("users.password_reset", username=user_text.inline(username)),
                shows_password=True,
            )
    with state_col:
        st.caption(tr("users.state_active" if row.is_active else "users.state_inactive"))
        if row.is_active and st.button(tr("users.deactivate"), key="users_deactivate"):
            _apply(
                lambda: accounts.do_deactivate(context.uow(), actor, username),
                tr("users.deactivated", username=user_text.inline(username)),
            )
        if not row.is_active and st.button(tr("users.reactivate"), key="users_reactivate"):
            _apply(
                lambda: accounts.do_reactivate(context.uow(), actor, username),
                tr("users.reactivated", username=user_text.inline(username)),
            )


def _apply(action, success: str, *, shows_password: bool = False) -> None:
    """Run one admin action (one use case); report success or the reason not."""
    try:
        result = action()
    except ServiceError as exc:
        context.show_error(exc)
        return
    _done(success, result if shows_password else None)


def render() -> None:
    actor = context.require_page("page.users")
    st.title(tr("users.title"), anchor=False)
    rows = accounts.users_screen(context.uow(), actor)
    render_user_table(rows)
    render_flash()
    render_add_user()
    render_change_user(actor, rows)
