"""Hostile transcripts in Debian's chromium (issue 12, item 5): the real server on a free
port, a SQLite database seeded with ``hostile_text.seed_hostile``, the real sign-in.

Every request the browser makes while a reviewer reads the hostile conversation, an agent
reads the disputed review and a lead reads the calibration session must go to the app's
own host (``page.on("request")``): a Markdown image that escaped would be fetched from
``evil.invalid``. The corpus must show literally in the page's text. Screenshots of each
page land in ``artifacts/screenshots`` (``hostile-*.png``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import CHROMIUM, browser_page, running_app, sign_in, wait_for_app
from hostile_text import EVIL_HOST, HOSTILE, seed_hostile, squeeze

from qa_app.ui import user_text

pytestmark = pytest.mark.browser

PASSWORD = "hostile-password-e2e-1"
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from sqlalchemy import update

    from qa_app.services.accounts import auth
    from qa_app.storage import db as storage_db
    from qa_app.storage.models import User

    url = f"sqlite:///{tmp_path_factory.mktemp('hostile-e2e') / 'hostile.db'}"
    storage_db.upgrade(url)
    seed_hostile(url)
    with storage_db.unit_of_work(url) as session:
        session.execute(update(User).values(password_hash=auth.hash_password(PASSWORD)))
    storage_db.dispose_engine(url)
    with running_app(url, log_path=tmp_path_factory.mktemp("log") / "server.log") as base:
        yield base


def _watch(page) -> list[str]:
    """Every URL the page requests from now on."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def _foreign(urls: list[str], base: str) -> list[str]:
    own = urlsplit(base).netloc
    return [
        u for u in urls if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own
    ]


def _open(page, path: str) -> None:
    page.locator(f"[data-testid='stSidebarNav'] a[href$='/{path}']").first.click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    page.wait_for_load_state("networkidle")


def _shown(page, selector: str = "[data-testid='stMain']") -> str:
    return squeeze(page.locator(selector).first.inner_text())


def test_reviewer_reads_the_hostile_transcript_literally_and_nothing_leaves(hostile_app):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page() as page:
        requests = _watch(page)
        sign_in(page, hostile_app, "rev1", PASSWORD)
        _open(page, "review")
        chat = _shown(page, ".qa-chat")
        missing = [n for n, text in HOSTILE if squeeze(user_text.visible(text)) not in chat]
        assert missing == []
        assert page.locator("[data-testid='stMain'] img").count() == 0
        assert page.locator(".qa-chat a, .qa-chat script").count() == 0
        page.screenshot(path=str(SHOTS / "hostile-review.png"))
        for lang in ("Русский", "English"):
            page.locator("[data-testid='stSidebar']").get_by_text(lang, exact=True).click()
            wait_for_app(page)
        assert _foreign(requests, hostile_app) == []
        assert not [u for u in requests if EVIL_HOST in u]


def test_agent_and_lead_pages_show_reasons_and_comments_literally(hostile_app):
    text = dict(HOSTILE)
    with browser_page() as page:
        requests = _watch(page)
        sign_in(page, hostile_app, "a.petrova", PASSWORD)
        _open(page, "disputes")
        assert squeeze(user_text.visible(text["html_comment"])) in _shown(page)
        page.screenshot(path=str(SHOTS / "hostile-disputes-agent.png"))
        page.get_by_role("tab").nth(1).click()  # the disputes: the open one's reason
        page.wait_for_timeout(300)
        assert squeeze(user_text.visible(text["close_div"])) in _shown(page)
        assert page.locator("[data-testid='stMain'] img").count() == 0
    with browser_page() as page:
        requests += _watch(page)
        sign_in(page, hostile_app, "lead", PASSWORD)
        _open(page, "calibration")
        for expander in page.locator("[data-testid='stExpander'] summary").all():
            expander.click()
        page.wait_for_timeout(500)
        shown = _shown(page)
        assert squeeze(user_text.visible(text["zero_width"])) in shown
        assert squeeze(user_text.visible(text["headings_lists"])) in shown
        assert page.locator("[data-testid='stMain'] img").count() == 0
        page.screenshot(path=str(SHOTS / "hostile-calibration-lead.png"), full_page=True)
    assert _foreign(requests, hostile_app) == []
