"""End to end in Debian's chromium: the real server, the real sign-in, real pages.

Screenshots of every page land in ``artifacts/screenshots`` for a human to look at.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser import CHROMIUM, browser_page, running_app, sign_in, wait_for_app

pytestmark = pytest.mark.browser

PASSWORD = "demo-password-e2e-1"
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'demo.db'}"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory, demo_db):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (make test installs Debian's chromium)")
    db_url = demo_db
    subprocess.run(
        [sys.executable, "-m", "qa_app.cli", "--db", db_url, "demo", "--conversations", "150"],
        check=True,
        capture_output=True,
        env={"QA_STUDIO_DEMO_PASSWORD": PASSWORD, **__import__("os").environ},
        timeout=600,
    )
    with running_app(db_url, log_path=tmp_path_factory.mktemp("log") / "server.log") as url:
        yield url


def _nav_hrefs(page) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("[data-testid='stSidebarNav'] a").all()]


def _open(page, href: str) -> None:
    page.locator(f"[data-testid='stSidebarNav'] a[href='{href}']").first.click()
    page.wait_for_timeout(500)
    wait_for_app(page)


def test_wrong_password_is_refused_with_a_message(demo_app):
    with browser_page() as page:
        page.goto(demo_app)
        wait_for_app(page)
        page.locator("input[type='text']").first.fill("lead")
        page.locator("input[type='password']").first.fill("not-the-password")
        page.locator("[data-testid='stFormSubmitButton'] button").click()
        page.wait_for_selector("[data-testid='stAlert']")
        assert page.locator("[data-testid='stSidebarNav']").count() == 0


def test_lead_sees_every_page_without_errors_in_both_languages(demo_app):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page() as page:
        sign_in(page, demo_app, "lead", PASSWORD)
        for lang_button in ("English", "Русский"):
            page.locator("[data-testid='stSidebar']").get_by_text(lang_button, exact=True).click()
            wait_for_app(page)
            for href in _nav_hrefs(page):
                _open(page, href)
                name = href.split("/", 3)[3] or "overview"
                assert page.locator("[data-testid='stException']").count() == 0, name
                page.screenshot(
                    path=str(
                        SHOTS / f"lead-{'en' if lang_button == 'English' else 'ru'}-{name}.png"
                    )
                )
        assert "Обзор" in page.locator("[data-testid='stSidebarNav']").inner_text()


def test_agent_sees_only_their_pages(demo_app):
    with browser_page() as page:
        sign_in(page, demo_app, "d.smirnov", PASSWORD)
        hrefs = " ".join(_nav_hrefs(page))
        assert "/sampling" not in hrefs
        assert "/users" not in hrefs
        assert "/import" not in hrefs
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=str(SHOTS / "agent-landing.png"))


def _session_cookie(page) -> dict | None:
    found = [c for c in page.context.cookies() if c["name"] == "qa_studio_session"]
    return found[0] if found else None


def _wait_for_cookie(page, present: bool, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while (_session_cookie(page) is not None) != present:
        assert time.monotonic() < deadline, f"session cookie still {'absent' if present else 'set'}"
        page.wait_for_timeout(200)


def test_reload_keeps_the_user_signed_in_until_sign_out(demo_app):
    """The session cookie is set by the server, HttpOnly: the page's scripts cannot read it
    (document.cookie does not show it), yet a reload resumes the session."""
    with browser_page() as page:
        sign_in(page, demo_app, "reviewer", PASSWORD)
        _wait_for_cookie(page, present=True)
        cookie = _session_cookie(page)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert "qa_studio_session" not in page.evaluate("document.cookie")
        page.reload()
        page.wait_for_selector("[data-testid='stSidebarNav']", timeout=60_000)
        wait_for_app(page)
        assert page.locator("input[type='password']").count() == 0

        page.locator("[data-testid='stSidebar'] button", has_text="Sign out").click()
        page.wait_for_selector("input[type='password']", timeout=60_000)
        _wait_for_cookie(page, present=False)
        page.reload()
        wait_for_app(page)
        page.wait_for_selector("input[type='password']", timeout=60_000)
        assert page.locator("[data-testid='stSidebarNav']").count() == 0


def _draft_of(db_url: str, username: str) -> dict[str, float | None]:
    """The stored draft grades of ``username``'s review in progress."""
    from sqlalchemy import select

    from qa_app.storage import db as storage_db
    from qa_app.storage.models import Review, User

    with storage_db.unit_of_work(db_url) as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        review = session.scalar(
            select(Review).where(Review.reviewer_id == user_id, Review.status == "draft")
        )
        return {g.criterion_id: g.value for g in review.grades} if review else {}


def _click_unchecked_option(page, group_index: int) -> None:
    """In the ``group_index``-th criterion of the review form, pick an option not chosen."""
    page.wait_for_selector("[data-testid='stRadioOption']", timeout=60_000)
    group = page.locator("[data-testid='stRadio']").nth(group_index)
    options = group.locator("[data-testid='stRadioOption']")
    for i in range(options.count()):
        if options.nth(i).locator("xpath=..").get_attribute("data-selected") != "true":
            options.nth(i).click()
            return
    page.screenshot(path=str(SHOTS / "debug-radio.png"))
    raise AssertionError(
        f"criterion {group_index}: every option already chosen ({options.count()} options,"
        f" {page.locator('[data-testid=stRadio]').count()} groups, {page.url})"
    )


def _reset_password_as_admin(page, base_url: str, username: str) -> str:
    """In a browser of its own (a separate context: its own cookies), the admin resets
    ``username``'s password on the Users page."""
    context = page.context.browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        admin = context.new_page()
        admin.set_default_timeout(60_000)
        sign_in(admin, base_url, "admin", PASSWORD)
        admin.goto(f"{base_url}/users")
        wait_for_app(admin)
        picker = admin.locator("[data-testid='stSelectbox']").filter(has_text="Username")
        box = picker.locator("input").first
        box.click()
        box.fill(username)  # filters the (virtualised) list to this one user
        admin.keyboard.press("Enter")
        wait_for_app(admin)
        admin.locator("button", has_text="Reset password").click()
        admin.wait_for_selector("[data-testid='stCode']")
        assert f"New password for {username} generated." in admin.inner_text("body")
        return admin.locator("[data-testid='stCode'] code").first.inner_text().strip()
    finally:
        context.close()


def test_reset_in_another_browser_signs_the_tab_out_and_keeps_the_draft(demo_app, demo_db):
    """Tried as the issue asks: a reviewer has a draft open; an admin resets their password
    from another browser; the reviewer's next click signs the tab out (nothing saved as the
    old session), and after signing in with the new password the unsaved grade is still on
    the page and is saved."""
    with browser_page() as page:
        sign_in(page, demo_app, "reviewer.strict", PASSWORD)
        page.goto(f"{demo_app}/review")
        wait_for_app(page)
        _click_unchecked_option(page, 0)
        wait_for_app(page)
        page.wait_for_timeout(500)
        saved = _draft_of(demo_db, "reviewer.strict")
        password = _reset_password_as_admin(page, demo_app, "reviewer.strict")

        _click_unchecked_option(page, 1)  # typed after the reset: not saved yet
        page.wait_for_selector("input[type='password']", timeout=60_000)
        wait_for_app(page)
        assert "You were signed out" in page.locator("[data-testid='stAlert']").inner_text()
        assert _draft_of(demo_db, "reviewer.strict") == saved  # nothing written as the old tab
        page.screenshot(path=str(SHOTS / "signed-out-after-reset.png"))

        page.locator("input[type='text']").first.fill("reviewer.strict")
        page.locator("input[type='password']").first.fill(password)
        page.locator("[data-testid='stFormSubmitButton'] button").click()
        page.wait_for_selector("[data-testid='stRadio']", timeout=120_000)
        wait_for_app(page)
        page.wait_for_timeout(1000)
        after = _draft_of(demo_db, "reviewer.strict")
        changed = {k for k in set(after) | set(saved) if after.get(k) != saved.get(k)}
        assert len(changed) == 1, (saved, after)  # the grade typed after the reset, now saved
        page.screenshot(path=str(SHOTS / "draft-kept-after-sign-in.png"))


def _post(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, method="POST", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("set-cookie", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("set-cookie", "")


def test_cookie_routes_refuse_bad_tickets_and_other_sites(demo_app):
    """The hand-over routes on the real server: no cookie for a made-up ticket, nothing for
    a post from another site, and clearing sets an expired HttpOnly cookie."""
    status, cookie = _post(f"{demo_app}/qa-session/claim", b"made-up-ticket")
    assert (status, cookie) == (403, "")
    status, _ = _post(f"{demo_app}/qa-session/clear", b"", {"Origin": "https://attacker.example"})
    assert status == 403
    status, cookie = _post(f"{demo_app}/qa-session/clear", b"")
    assert status == 204 and "HttpOnly" in cookie and "Max-Age=0" in cookie
