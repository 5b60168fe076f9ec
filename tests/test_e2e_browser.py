"""End to end in Debian's chromium: the real server, the real sign-in, real pages.

Screenshots of every page land in ``artifacts/screenshots`` for a human to look at.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from browser import CHROMIUM, browser_page, running_app, sign_in, wait_for_app

pytestmark = pytest.mark.browser

PASSWORD = "demo-password-e2e-1"
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (make test installs Debian's chromium)")
    db_url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'demo.db'}"
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


def test_reload_keeps_the_user_signed_in_until_sign_out(demo_app):
    with browser_page() as page:
        sign_in(page, demo_app, "reviewer", PASSWORD)
        page.wait_for_function("document.cookie.includes('qa_studio_session=')", timeout=30_000)
        page.reload()
        page.wait_for_selector("[data-testid='stSidebarNav']", timeout=60_000)
        wait_for_app(page)
        assert page.locator("input[type='password']").count() == 0

        page.locator("[data-testid='stSidebar'] button", has_text="Sign out").click()
        page.wait_for_selector("input[type='password']", timeout=60_000)
        page.wait_for_function("!document.cookie.includes('qa_studio_session=')", timeout=30_000)
        page.reload()
        wait_for_app(page)
        page.wait_for_selector("input[type='password']", timeout=60_000)
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
