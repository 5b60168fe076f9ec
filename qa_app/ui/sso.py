"""Single sign-on in the browser: Streamlit's ``st.login`` / ``st.user`` / ``st.logout``.

``qa-studio serve --sso-...`` writes Streamlit's ``[auth]`` secrets (provider ``sso``) and
sets ``QA_STUDIO_SSO_MAPPING`` to the deployment's mapping file (docs/sso.md). The sign-in
page then offers the company account beside the password form. After the provider sends
the browser back, ``st.user`` carries the ID token's claims; ``sign_in_from_identity``
hands them to ``accounts.do_sso_sign_in``, which creates or updates the account from the
mapping and opens the same QA Studio sign-in session a password does (cookie included),
so nothing downstream knows how the user signed in. Signing out ends both.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from qa_app.i18n import LANGUAGES
from qa_app.services import accounts
from qa_app.services.actor import Actor
from qa_app.services.errors import ServiceError
from qa_app.ui import context

LOG = logging.getLogger("qa_app.ui")

MAPPING_ENV = "QA_STUDIO_SSO_MAPPING"
#: The ``[auth.sso]`` section ``qa-studio serve`` writes (Streamlit allows no underscore).
PROVIDER = "sso"
#: The identity this tab already tried (refused or stale), so it is not retried every run.
SESSION_TRIED = "qa_sso_tried"
#: Why the last single sign-on was refused (shown on the sign-in page).
SESSION_REFUSAL = "qa_sso_refusal"


def configured() -> bool:
    """Is single sign-on set up for this server: a mapping file and Streamlit's secrets."""
    if not os.environ.get(MAPPING_ENV, "").strip():
        return False
    try:
        auth = st.secrets.get("auth")
    except Exception:  # no secrets file at all
        return False
    return bool(auth) and PROVIDER in auth


def identity() -> dict[str, Any] | None:
    """The provider's claims for this browser (``st.user``), or None when not signed in."""
    try:
        claims = st.user.to_dict()
    except Exception:  # no script run context (scripts, some tests)
        return None
    return claims if claims.get("is_logged_in") else None


def _prefer_language(claims: dict[str, Any]) -> None:
    """Show the sign-in page (and a refusal) in the provider's ``locale`` when it names one
    of ours and the person has not chosen a language on the form."""
    locale = str(claims.get("locale") or "")[:2].lower()
    if locale in LANGUAGES and context.SESSION_FORM_LANG not in st.session_state:
        st.session_state[context.SESSION_FORM_LANG] = locale


def sign_in_from_identity() -> Actor | None:
    """Sign this tab in from the provider's claims, once per identity; None when there is
    none, it is stale, or the mapping refuses it (the reason waits for the sign-in page)."""
    if not configured():
        return None
    claims = identity()
    if claims is None:
        return None
    tried = f"{claims.get('iss')}|{claims.get('sub')}|{claims.get('iat')}"
    if st.session_state.get(SESSION_TRIED) == tried:
        return None
    st.session_state[SESSION_TRIED] = tried
    _prefer_language(claims)
    try:
        mapping = accounts.load_sso_mapping(os.environ[MAPPING_ENV])
        # the ID token's age is measured on the real clock, never a pinned page clock
        actor, token = accounts.do_sso_sign_in(
            context.uow(), claims, mapping, now=datetime.now(UTC)
        )
    except accounts.SsoStale:
        return None
    except ServiceError as exc:
        st.session_state[SESSION_REFUSAL] = exc
        return None
    st.session_state.pop(SESSION_REFUSAL, None)
    context.start_session(actor, token)
    return actor


def render_button() -> None:
    """The company-account button and, after a refusal, why (in the page's language)."""
    refusal = st.session_state.get(SESSION_REFUSAL)
    if refusal is not None:
        context.show_error(refusal)
    if st.button(
        context.tr("signin.sso_button"),
        type="primary",
        icon=":material/badge:",
        key="sso_sign_in",
        width="stretch",
    ):
        st.session_state.pop(SESSION_REFUSAL, None)
        st.login(PROVIDER)
    st.caption(context.tr("signin.sso_caption"))


def end_identity() -> bool:
    """After a QA Studio sign-out: end the provider's identity too (``st.logout`` sends the
    browser through the provider's sign-out and back). True when it did."""
    if identity() is None:
        return False
    st.logout()
    return True
