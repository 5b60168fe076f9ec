"""Hands the sign-in session to the browser as an ``HttpOnly`` cookie (or removes it).

The token itself never reaches the page: the run issues a one-time ticket
(``cookie_handover.issue``) and a short fixed script (``st.html`` with JavaScript allowed;
only this script, never user text) posts it to the server, which sets the cookie
``HttpOnly; SameSite=Strict`` (``Secure`` over HTTPS) for no longer than the server-side
session. Scripts on the page therefore cannot read the cookie. A reload presents it to the
server (``st.context.cookies`` reads the WebSocket's request), which resumes the session.
"""

from __future__ import annotations

import json

import streamlit as st

from qa_app.ui import context, cookie_handover


def _post_script(path: str, body: str = "") -> str:
    """A script that posts ``body`` to ``path`` on this app's own origin."""
    return (
        "<script>(function(){"
        f"var url = new URL({json.dumps(path)}, window.location.href);"
        "fetch(url, {method: 'POST', credentials: 'same-origin', cache: 'no-store',"
        f" headers: {{'Content-Type': 'text/plain'}}, body: {json.dumps(body)}}});"
        "})();</script>"
    )


def claim_script(ticket: str) -> str:
    """The script that swaps ``ticket`` for the HttpOnly session cookie."""
    return _post_script(cookie_handover.CLAIM_PATH, ticket)


def clear_script() -> str:
    """The script that asks the server to delete the session cookie."""
    return _post_script(cookie_handover.CLEAR_PATH)


def this_browser() -> str:
    """The digest a ticket is tied to: this connection's address and User-Agent."""
    try:
        address = st.context.ip_address
        agent = st.context.headers.get("User-Agent")
    except Exception:  # no browser request behind this run (tests, scripts)
        address, agent = None, None
    return cookie_handover.browser_digest(address, agent if isinstance(agent, str) else None)


def apply_pending_cookie() -> None:
    """Set or delete the cookie once after sign-in, sign-out or a refused token."""
    if context.SESSION_COOKIE_PENDING not in st.session_state:
        return
    token = st.session_state.pop(context.SESSION_COOKIE_PENDING)
    script = clear_script()
    if token:
        script = claim_script(cookie_handover.issue(token, this_browser()))
    st.html(script, unsafe_allow_javascript=True)
