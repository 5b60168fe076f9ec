"""The hand-over of the session cookie: the page only ever sees a one-time ticket, which
the server swaps for the HttpOnly cookie once, for the browser it was issued to, within
seconds. (The routes themselves are exercised in the real browser: test_e2e_browser.py.)"""

from __future__ import annotations

from qa_app.ui import cookie_handover, session_cookie

BROWSER = cookie_handover.browser_digest("10.0.0.7", "Mozilla/5.0 test")


def test_a_ticket_gives_the_token_once():
    ticket = cookie_handover.issue("the-token", BROWSER, now=100.0)
    assert ticket != "the-token" and len(ticket) >= 40
    assert cookie_handover.redeem(ticket, BROWSER, now=101.0) == "the-token"
    assert cookie_handover.redeem(ticket, BROWSER, now=101.0) is None


def test_a_ticket_is_useless_elsewhere_or_late():
    late = cookie_handover.issue("t1", BROWSER, now=100.0)
    assert cookie_handover.redeem(late, BROWSER, now=100.0 + 31) is None
    stolen = cookie_handover.issue("t2", BROWSER, now=100.0)
    other = cookie_handover.browser_digest("203.0.113.9", "Mozilla/5.0 test")
    assert cookie_handover.redeem(stolen, other, now=101.0) is None
    assert cookie_handover.redeem(stolen, BROWSER, now=101.0) is None  # spent by the attempt
    assert cookie_handover.redeem("", BROWSER) is None
    assert cookie_handover.redeem("x" * 500, BROWSER) is None


def test_a_local_browser_is_the_same_whichever_way_its_address_is_reported():
    """Streamlit reports a local connection as None, the route sees 127.0.0.1 or ::1."""
    ua = "Mozilla/5.0 test"
    digests = {cookie_handover.browser_digest(a, ua) for a in (None, "127.0.0.1", "::1")}
    assert len(digests) == 1


def test_the_page_script_carries_the_ticket_never_the_token():
    ticket = cookie_handover.issue("secret-token-value", BROWSER)
    script = session_cookie.claim_script(ticket)
    assert ticket in script and "secret-token-value" not in script
    assert "document.cookie" not in script and cookie_handover.CLAIM_PATH in script
    assert "document.cookie" not in session_cookie.clear_script()
