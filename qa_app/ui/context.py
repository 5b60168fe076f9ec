"""What every page needs: who is signed in, in which language, and one way to the database.

Pages call ``current_actor()``, ``tr(key)``, ``uow()`` and ``show_error(exc)``; the
sign-in state lives in ``st.session_state`` under the keys below, which the test harness
sets exactly as the sign-in page does (``session_entries``).
"""

from __future__ import annotations

import logging
import os
import string
import time
from datetime import timedelta
from typing import Any

import streamlit as st

from qa_app.i18n import LANGUAGES, catalogue, t, t_or
from qa_app.services import accounts, permissions
from qa_app.services import database as services_db
from qa_app.services.actor import Actor
from qa_app.services.errors import ServiceError

LOG = logging.getLogger("qa_app.ui")

SESSION_USER = "qa_user_id"
SESSION_SEEN = "qa_last_seen"
SESSION_ACTOR = "qa_actor"
SESSION_DB = "qa_database_url"
SESSION_FORM_LANG = "qa_form_lang"
SESSION_NOTICE = "qa_notice"
SESSION_TOKEN = "qa_session_token"
SESSION_TOUCHED = "qa_session_touched"
SESSION_COOKIE_PENDING = "qa_cookie_pending"
SESSION_COOKIE_REJECTED = "qa_cookie_rejected"
SESSION_COOKIE = "qa_studio_session"
TOUCH_SECONDS = 60.0

IDLE_ENV = "QA_STUDIO_SESSION_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 8 * 60
LANGUAGE_ENV = "QA_STUDIO_LANGUAGE"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


def idle_limit_seconds() -> float:
    """Inactivity after which a browser session signs out (default 8 hours)."""
    raw = os.environ.get(IDLE_ENV, "")
    try:
        minutes = float(raw) if raw.strip() else DEFAULT_IDLE_MINUTES
    except ValueError:
        minutes = DEFAULT_IDLE_MINUTES
    return max(minutes, 1.0) * 60.0


def default_language() -> str:
    lang = os.environ.get(LANGUAGE_ENV, "en").strip().lower()
    return lang if lang in LANGUAGES else "en"


def database_url() -> str:
    """The database of this browser session (set once from the configuration)."""
    url = st.session_state.get(SESSION_DB)
    if not url:
        url = services_db.database_url()
        st.session_state[SESSION_DB] = url
    return url


def uow() -> services_db.UnitOfWork:
    """A fresh unit of work on this browser session's database, handed to ONE use case
    (``reviews.review_screen(context.uow(), ...)``); pages never open sessions themselves."""
    return services_db.unit_of_work(database_url())


def session_entries(actor: Actor, now: float | None = None) -> dict[str, Any]:
    """The session-state entries that mean "signed in as ``actor``"."""
    return {SESSION_USER: actor.user_id, SESSION_SEEN: time.time() if now is None else now}


def start_session(actor: Actor, token: str | None = None, *, write_cookie: bool = True) -> None:
    """Mark this tab signed in; ``token`` (from ``sign_in_sessions.open_session``) is also
    handed to the browser as a cookie so a reload resumes the session."""
    st.session_state.update(session_entries(actor))
    st.session_state[SESSION_ACTOR] = actor
    st.session_state.pop(SESSION_NOTICE, None)
    if token:
        st.session_state[SESSION_TOKEN] = token
        st.session_state[SESSION_TOUCHED] = time.time()
        if write_cookie:
            st.session_state[SESSION_COOKIE_PENDING] = token


def end_session(notice: str | None = None, *, revoke: bool = True) -> None:
    """Sign this tab out and revoke its stored session, so a reload cannot resume it
    (``revoke=False``: the sign-out use case has revoked it already)."""
    lang = current_lang()
    token = st.session_state.pop(SESSION_TOKEN, None)
    if token:
        if revoke:
            accounts.do_revoke_session(uow(), token)
        st.session_state[SESSION_COOKIE_PENDING] = ""
        st.session_state[SESSION_COOKIE_REJECTED] = token
    for key in (SESSION_USER, SESSION_SEEN, SESSION_ACTOR, SESSION_TOUCHED):
        st.session_state.pop(key, None)
    st.session_state[SESSION_FORM_LANG] = lang
    if notice:
        st.session_state[SESSION_NOTICE] = notice


def _browser_token() -> str | None:
    try:
        token = st.context.cookies.get(SESSION_COOKIE)
    except Exception:  # no browser request behind this run (tests, scripts)
        return None
    if not isinstance(token, str) or not token:
        return None  # AppTest has no browser request and offers a placeholder object
    if token == st.session_state.get(SESSION_COOKIE_REJECTED):
        return None
    return token


def _resume_from_cookie() -> Actor | None:
    """After a reload: the browser's session cookie, if still valid, signs the tab in."""
    token = _browser_token()
    if token is None:
        return None
    idle = timedelta(seconds=idle_limit_seconds())
    actor = accounts.do_resume_session(uow(), token, idle)
    if actor is None:
        st.session_state[SESSION_COOKIE_REJECTED] = token
        st.session_state[SESSION_COOKIE_PENDING] = ""
        return None
    start_session(actor, token, write_cookie=False)
    return actor


def _token_to_touch() -> str | None:
    """This tab's sign-in token when its activity is due to be recorded (once a minute)."""
    token = st.session_state.get(SESSION_TOKEN)
    touched = float(st.session_state.get(SESSION_TOUCHED) or 0.0)
    return token if token and time.time() - touched >= TOUCH_SECONDS else None


def resolve_actor() -> Actor | None:
    """The signed-in user as stored now (role and activity re-read), or None.

    Signs out after the idle limit, and when the account was deactivated meanwhile.
    """
    user_id = st.session_state.get(SESSION_USER)
    if user_id is None:
        st.session_state.pop(SESSION_ACTOR, None)
        return _resume_from_cookie()
    last_seen = float(st.session_state.get(SESSION_SEEN) or 0.0)
    if time.time() - last_seen > idle_limit_seconds():
        end_session("shell.session_expired")
        return None
    touch = _token_to_touch()
    actor = accounts.do_refresh_actor(uow(), int(user_id), touch)
    if actor is None:
        end_session("shell.account_inactive")
        return None
    st.session_state[SESSION_SEEN] = time.time()
    st.session_state[SESSION_ACTOR] = actor
    if touch:
        st.session_state[SESSION_TOUCHED] = time.time()
    return actor


def current_actor() -> Actor:
    """The signed-in user; stops the page when nobody is (the router prevents that)."""
    actor = st.session_state.get(SESSION_ACTOR)
    if actor is None:
        st.warning(t("shell.sign_in_required", current_lang()))
        st.stop()
    return actor


def current_lang() -> str:
    actor = st.session_state.get(SESSION_ACTOR)
    if actor is not None and actor.language in LANGUAGES:
        return actor.language
    lang = st.session_state.get(SESSION_FORM_LANG)
    return lang if lang in LANGUAGES else default_language()


def tr(key: str, **params: Any) -> str:
    """``key`` translated into the user's language."""
    return t(key, current_lang(), **params)


def show_flash(key: str, icon: str = ":material/task_alt:") -> None:
    """Show, once, the success message an action left under ``key`` before its rerun."""
    message = st.session_state.pop(key, None)
    if message:
        st.success(message, icon=icon)


def tr_or(key: str, fallback: str) -> str:
    """``key`` in the user's language, or ``fallback`` when the catalogue lacks it."""
    return t_or(key, current_lang(), fallback)


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return ""


def describe_error(exc: BaseException, lang: str) -> str:
    """A user-facing sentence for an error in ``lang``; never a traceback."""
    if not isinstance(exc, ServiceError):
        return t("shell.unexpected_error", lang)
    texts = catalogue().get(exc.key) or catalogue()["error.generic"]
    template = texts.get(lang) or texts.get("en", "")
    params = _Lenient(detail=exc.message, **exc.params)
    if isinstance(params.get("role"), str) and f"role.{params['role']}" in catalogue():
        params["role"] = t(f"role.{params['role']}", lang)
    try:
        return string.Formatter().vformat(template, (), params)
    except (ValueError, IndexError):
        return template


def show_error(exc: BaseException) -> None:
    """Show an error in the user's language; unexpected ones are logged for the admin."""
    if not isinstance(exc, ServiceError):
        LOG.error("unexpected error on a page", exc_info=exc)
    st.error(describe_error(exc, current_lang()), icon=":material/error:")


def require_page(action: str) -> Actor:
    """Second guard inside a page: stop with a clear message if the role may not open it."""
    actor = current_actor()
    if not permissions.can(actor, action):
        st.error(tr("shell.page_denied", role=tr(f"role.{actor.role}")), icon=":material/block:")
        st.stop()
    return actor
