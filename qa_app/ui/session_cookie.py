"""Hands the sign-in session token to the browser as a cookie (or removes it).

Streamlit can read cookies (``st.context.cookies``) but not set them, so a short script
(``st.html`` with JavaScript allowed; only this fixed script, never user text) sets
``document.cookie`` on the app's own page. The token is random and only
its hash is stored; the cookie is ``SameSite=Strict`` (and ``Secure`` over HTTPS) and
lives no longer than the server-side session.
"""

from __future__ import annotations

import json

import streamlit as st

from qa_app.services.accounts import ABSOLUTE_LIFETIME
from qa_app.ui import context


def cookie_script(token: str) -> str:
    """The script that stores ``token`` (an empty token deletes the cookie)."""
    max_age = int(ABSOLUTE_LIFETIME.total_seconds()) if token else 0
    attributes = f"; Path=/; Max-Age={max_age}; SameSite=Strict"
    return (
        "<script>(function(){"
        f"var value = {json.dumps(context.SESSION_COOKIE)} + '=' + "
        f"encodeURIComponent({json.dumps(token)}) + {json.dumps(attributes)};"
        "if (window.parent.location.protocol === 'https:') { value += '; Secure'; }"
        "window.parent.document.cookie = value;"
        "})();</script>"
    )


def apply_pending_cookie() -> None:
    """Write or delete the cookie once after sign-in, sign-out or a rejected token."""
    if context.SESSION_COOKIE_PENDING not in st.session_state:
        return
    token = st.session_state.pop(context.SESSION_COOKIE_PENDING)
    st.html(cookie_script(token or ""), unsafe_allow_javascript=True)
