"""What every page needs: who is signed in, in which language, and one way to the database.

Pages call ``current_actor()``, ``tr(key)``, ``uow()`` and ``show_error(exc)``; the
sign-in state lives in ``st.session_state`` under the keys below, which the test harness
sets exactly as the sign-in page does (``session_entries``, with a real sign-in session).
Every run re-checks the tab's sign-in session against the database (``resolve_actor``);
input a page declares with ``keep_on_sign_out`` survives a forced sign-out for the same
user.
"""

from __future__ import annotations

import logging
import os
import re
import string
from datetime import UTC, datetime, timedelta
from typing import Any

import streamlit as st

from qa_app.i18n import LANGUAGES, catalogue, t, t_or
from qa_app.services import accounts, permissions
from qa_app.services import database as services_db
from qa_app.services.actor import Actor
from qa_app.services.errors import ServiceError
from qa_app.ui import user_text
from qa_app.ui.cookie_handover import COOKIE_NAME as SESSION_COOKIE

LOG = logging.getLogger("qa_app.ui")

SESSION_USER = "qa_user_id"
SESSION_ROLE = "qa_role"
SESSION_ACTOR = "qa_actor"
SESSION_DB = "qa_database_url"
SESSION_FORM_LANG = "qa_form_lang"
SESSION_NOTICE = "qa_notice"
SESSION_TOKEN = "qa_session_token"
SESSION_KEPT = "qa_kept_input"
SESSION_COOKIE_PENDING = "qa_cookie_pending"
SESSION_COOKIE_REJECTED = "qa_cookie_rejected"
#: What a tab keeps when its user signs out; everything else it held is forgotten.
_TAB_KEYS = frozenset(
    (SESSION_DB, SESSION_FORM_LANG, SESSION_NOTICE, SESSION_KEPT, SESSION_COOKIE_PENDING,
     SESSION_COOKIE_REJECTED)
)  # fmt: skip
#: Why a tab's session was refused -> what the sign-in page tells the user.
_ENDED_NOTICES = {
    "idle": "shell.session_expired",
    "expired": "shell.session_expired",
    "inactive": "shell.account_inactive",
}
_KEPT_PATTERNS: list[re.Pattern[str]] = []

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


#: A pinned page clock (an aware datetime): tests set it, so no page depends on today.
SESSION_CLOCK = "qa_clock"
#: The same for a demo or a screenshot run: an ISO date-time with offset.
CLOCK_ENV = "QA_STUDIO_NOW"


def now() -> datetime:
    """The page's clock: pinned in the session (tests), else ``QA_STUDIO_NOW`` (demos of
    data from another period), else the real time. Pages hand it to the services that
    depend on the date (sampling, goals), which never read the machine's clock."""
    pinned = st.session_state.get(SESSION_CLOCK)
    if isinstance(pinned, datetime) and pinned.tzinfo is not None:
        return pinned
    raw = os.environ.get(CLOCK_ENV, "").strip()
    if raw:
        try:
            moment = datetime.fromisoformat(raw)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        except ValueError:
            LOG.warning("%s=%r is not an ISO date-time; using the real clock", CLOCK_ENV, raw)
    return datetime.now(UTC)


def session_entries(actor: Actor, token: str) -> dict[str, Any]:
    """The session-state entries that mean "signed in as ``actor`` with sign-in session
    ``token``" (from ``accounts.open_session``); the role is kept as the tab's snapshot."""
    return {SESSION_USER: actor.user_id, SESSION_TOKEN: token, SESSION_ROLE: actor.role}


def keep_on_sign_out(*patterns: str) -> None:
    """Declare session-state keys (regular expressions matched against the whole key) that
    hold input not yet saved. When this tab's session ends under the user (password reset,
    deactivation, role change, idle limit, sign-out), their values are set aside and given
    back only when the same user signs in again in this tab, so nothing typed is lost and
    nothing is written as the old identity. Only plain values: never a button's key."""
    _KEPT_PATTERNS.extend(re.compile(p) for p in patterns)


def _set_aside(user_id: int | None) -> None:
    """Put the declared unsaved input aside for ``user_id``'s next sign-in in this tab."""
    if user_id is None:
        return
    values = {
        key: value
        for key, value in st.session_state.items()
        if isinstance(key, str) and any(p.fullmatch(key) for p in _KEPT_PATTERNS)
    }
    kept = st.session_state.get(SESSION_KEPT)
    if kept and kept.get("user_id") == user_id:
        values = {**kept["values"], **values}
    if values:
        st.session_state[SESSION_KEPT] = {"user_id": user_id, "values": values}


def start_session(actor: Actor, token: str, *, write_cookie: bool = True) -> None:
    """Mark this tab signed in; ``token`` is also handed to the browser as a cookie so a
    reload resumes the session. Input set aside when this tab's last session ended comes
    back if, and only if, the same user signed in."""
    kept = st.session_state.pop(SESSION_KEPT, None)
    st.session_state.update(session_entries(actor, token))
    st.session_state[SESSION_ACTOR] = actor
    st.session_state.pop(SESSION_NOTICE, None)
    if kept and kept.get("user_id") == actor.user_id:
        st.session_state.update(kept["values"])
    if write_cookie:
        st.session_state[SESSION_COOKIE_PENDING] = token


def end_session(notice: str | None = None, *, revoke: bool = True) -> None:
    """Sign this tab out: revoke its stored session so a reload cannot resume it
    (``revoke=False``: it is revoked already), set the declared unsaved input aside for the
    same user, and forget everything else this tab held (another person may sign in next)."""
    lang = current_lang()
    token = st.session_state.get(SESSION_TOKEN)
    _set_aside(st.session_state.get(SESSION_USER))
    if token:
        if revoke:
            accounts.do_revoke_session(uow(), token)
        st.session_state[SESSION_COOKIE_PENDING] = ""
        st.session_state[SESSION_COOKIE_REJECTED] = token
    for key in list(st.session_state.keys()):
        if key not in _TAB_KEYS:
            del st.session_state[key]
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


def _check(token: str | None) -> accounts.SessionCheck:
    """One unit of work, one indexed query: is ``token``'s session still good, as whom."""
    idle = timedelta(seconds=idle_limit_seconds())
    return accounts.do_check_session(uow(), token, idle)


def _resume_from_cookie() -> Actor | None:
    """After a reload: the browser's session cookie, if still valid, signs the tab in."""
    token = _browser_token()
    if token is None:
        return None
    actor = _check(token).actor
    if actor is None:
        st.session_state[SESSION_COOKIE_REJECTED] = token
        st.session_state[SESSION_COOKIE_PENDING] = ""
        return None
    start_session(actor, token, write_cookie=False)
    return actor


def _revalidate() -> Actor | None:
    """This signed-in tab's session checked again: still valid, same user, same role as
    when it signed in. Otherwise the tab signs out, keeping unsaved input, and says why."""
    check = _check(st.session_state.get(SESSION_TOKEN))
    actor, reason = check.actor, check.reason
    if actor is not None and (
        actor.user_id != st.session_state.get(SESSION_USER)
        or not actor.still_holds(st.session_state.get(SESSION_ROLE))
    ):
        actor, reason = None, "role_changed"
    if actor is None:
        # idle and deactivated sessions were revoked by the check; a changed role was not
        end_session(
            _ENDED_NOTICES.get(reason, "shell.session_ended"), revoke=reason == "role_changed"
        )
        return None
    st.session_state[SESSION_ACTOR] = actor
    return actor


def resolve_actor() -> Actor | None:
    """The signed-in user as stored now, or None; called at the start of every run.

    Every run re-checks the tab's sign-in session (revoked, expired, idle, deactivated,
    role changed) in one unit of work, so a tab open before a password reset stops at its
    next click.
    """
    if st.session_state.get(SESSION_USER) is None or not st.session_state.get(SESSION_TOKEN):
        st.session_state.pop(SESSION_ACTOR, None)
        return _resume_from_cookie()
    return _revalidate()


def validated_actor() -> Actor | None:
    """The actor for a widget callback that writes: callbacks run before the page's run
    re-checks the session, so they check it themselves (None: signed out meanwhile)."""
    if st.session_state.get(SESSION_USER) is None:
        return None
    return _revalidate()


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


def describe_error(exc: BaseException, lang: str, *, markdown: bool = False) -> str:
    """A user-facing sentence for an error in ``lang``; never a traceback, and for a
    database failure never the driver's text (``services_db.translate_error``).
    ``markdown``: the sentence goes into Markdown, so the values in it (names a user typed,
    the error's detail) pass ``user_text.inline`` and show as typed."""
    if not isinstance(exc, ServiceError):
        exc = services_db.translate_error(exc) or exc
    if not isinstance(exc, ServiceError):
        return t("shell.unexpected_error", lang)
    texts = catalogue().get(exc.key) or catalogue()["error.generic"]
    template = texts.get(lang) or texts.get("en", "")
    params = _Lenient(detail=exc.message, **exc.params)
    if markdown:
        params = _Lenient({k: user_text.inline(v) if isinstance(v, str) else v
                           for k, v in params.items()})  # fmt: skip
    if isinstance(params.get("role"), str) and f"role.{params['role']}" in catalogue():
        params["role"] = t(f"role.{params['role']}", lang)
    try:
        return string.Formatter().vformat(template, (), params)
    except (ValueError, IndexError):
        return template


def show_error(exc: BaseException) -> None:
    """Show an error in the user's language; what is not the user's to fix is logged for
    the admin as one safe line (a database failure's kind and code, or the error's type and
    where it happened), never SQL, values or a traceback."""
    if not isinstance(exc, ServiceError) and services_db.translate_error(exc) is not None:
        LOG.error(services_db.error_log_line(exc))
    elif not isinstance(exc, ServiceError):
        LOG.error("unexpected %s on a page (%s)", type(exc).__name__, _where(exc))
    st.error(describe_error(exc, current_lang(), markdown=True), icon=":material/error:")


def show_expected_error(exc: BaseException) -> bool:
    """Show a service or database error in the user's language and return True; False for
    anything else (a programming error, for the caller to re-raise: Streamlit's generic
    message, details in the log)."""
    if not isinstance(exc, ServiceError) and services_db.translate_error(exc) is None:
        return False
    show_error(exc)
    return True


def _where(exc: BaseException) -> str:
    """``module:line`` of the innermost frame, so the admin can find the fault."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "unknown place"
    return f"{tb.tb_frame.f_globals.get('__name__', '?')}:{tb.tb_lineno}"


def require_page(action: str) -> Actor:
    """Second guard inside a page: stop with a clear message if the role may not open it."""
    actor = current_actor()
    if not permissions.can(actor, action):
        st.error(tr("shell.page_denied", role=tr(f"role.{actor.role}")), icon=":material/block:")
        st.stop()
    return actor
