"""The session cookie, set by the server as ``HttpOnly``: no script on the page can read it.

Streamlit can read cookies (``st.context.cookies``) but a script run cannot set them, and a
cookie written by a page script (``document.cookie``) is readable by every script on that
page. So the token never reaches the page: after sign-in the run asks this module for a
one-time *ticket* (random, 30 seconds, one use, tied to the browser's address and
User-Agent) and a short fixed script posts the ticket to ``/qa-session/claim``; the server
swaps it for the token and answers with ``Set-Cookie: ...; HttpOnly; SameSite=Strict``
(``Secure`` over HTTPS). ``/qa-session/clear`` deletes the cookie on sign-out.

The routes are served by ``qa_app/ui/server.py`` (``st.App``), which ``qa-studio serve``
runs. Tickets live in this process's memory: one server process per app, as Streamlit's
own sessions already require.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from qa_app.services.accounts import ABSOLUTE_LIFETIME

COOKIE_NAME = "qa_studio_session"
CLAIM_PATH = "/qa-session/claim"
CLEAR_PATH = "/qa-session/clear"
TICKET_SECONDS = 30.0
MAX_TICKET_LENGTH = 100
_MAX_OPEN_TICKETS = 10_000


@dataclass(frozen=True, slots=True)
class _Ticket:
    token: str
    browser: str  # digest of the address and User-Agent the ticket was issued for
    expires: float  # time.monotonic()


_TICKETS: dict[str, _Ticket] = {}
_LOCK = threading.Lock()


_LOCAL = frozenset((None, "", "127.0.0.1", "::1"))


def browser_digest(address: str | None, user_agent: str | None) -> str:
    """What ties a ticket to the browser it was made for (not secret, only compared).
    Streamlit reports a local connection's address as None; the route sees 127.0.0.1."""
    where = "local" if address in _LOCAL else address
    return hashlib.sha256(f"{where}\n{user_agent or ''}".encode()).hexdigest()


def issue(token: str, browser: str, *, now: float | None = None) -> str:
    """A one-time ticket that the browser ``browser`` may swap for ``token`` once."""
    now = time.monotonic() if now is None else now
    ticket = secrets.token_urlsafe(32)
    with _LOCK:
        for key in [k for k, v in _TICKETS.items() if v.expires <= now]:
            del _TICKETS[key]
        if len(_TICKETS) >= _MAX_OPEN_TICKETS:  # a flood of sign-ins: drop the oldest
            del _TICKETS[next(iter(_TICKETS))]
        _TICKETS[ticket] = _Ticket(token, browser, now + TICKET_SECONDS)
    return ticket


def redeem(ticket: str, browser: str, *, now: float | None = None) -> str | None:
    """The token for a fresh, unused ticket presented by the browser it was made for."""
    now = time.monotonic() if now is None else now
    if not ticket or len(ticket) > MAX_TICKET_LENGTH:
        return None
    with _LOCK:
        found = _TICKETS.pop(ticket, None)  # one use, even when refused below
    if found is None or found.expires <= now:
        return None
    if not hmac.compare_digest(found.browser, browser):
        return None
    return found.token


def _same_origin(request: Request) -> bool:
    """Refuse cross-site posts (a page elsewhere cannot sign this browser in or out)."""
    origin = request.headers.get("origin")
    if origin is None:
        return request.headers.get("sec-fetch-site", "same-origin") == "same-origin"
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def _is_https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


def _request_browser(request: Request) -> str:
    address = request.client.host if request.client else None
    return browser_digest(address, request.headers.get("user-agent"))


async def claim(request: Request) -> Response:
    """POST a ticket: the answer sets the session cookie (HttpOnly) for this browser."""
    if not _same_origin(request):
        return Response(status_code=403)
    body = (await request.body())[: MAX_TICKET_LENGTH + 1].decode("ascii", "replace").strip()
    token = redeem(body, _request_browser(request))
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        COOKIE_NAME, token, max_age=int(ABSOLUTE_LIFETIME.total_seconds()), path="/",
        secure=_is_https(request), httponly=True, samesite="strict",
    )  # fmt: skip
    return response


async def clear(request: Request) -> Response:
    """POST: delete the session cookie (sign-out, or a token the server refused)."""
    if not _same_origin(request):
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(
        COOKIE_NAME, path="/", secure=_is_https(request), httponly=True, samesite="strict"
    )
    return response


ROUTES = [
    Route(CLAIM_PATH, claim, methods=["POST"]),
    Route(CLEAR_PATH, clear, methods=["POST"]),
]
