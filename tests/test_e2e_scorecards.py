"""The scorecard and team pages in Debian's chromium with the demo loaded: the lead finds
the fast and curt agent on the team dashboard and opens their scorecard, in English and
Russian; that agent signs in and is refused another agent's scorecard by URL.

Screenshots land in ``artifacts/screenshots`` (``scorecards-<lang>-<page>.png``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import DEMO_PASSWORD, browser_page, demo_app, sign_in, wait_for_app
from sqlalchemy import select, update

from qa_app.i18n import t
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, User

pytestmark = pytest.mark.browser

PASSWORD = DEMO_PASSWORD
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
NOW = "2026-03-31T09:00:00+00:00"
SLOW = 300_000  # ms: the shared 2-core machine can take minutes to render under load


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with demo_app(tmp_path_factory, 600, now=NOW) as served:
        yield served


def _set_language(db_url: str, username: str, lang: str) -> None:
    with storage_db.unit_of_work(db_url) as session:
        session.execute(update(User).where(User.username == username).values(language=lang))


def _agent_id(db_url: str, login: str) -> int:
    with storage_db.unit_of_work(db_url) as session:
        return session.scalar(select(Agent.id).where(Agent.login == login))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle", timeout=SLOW)
    wait_for_app(page, SLOW)
    page.screenshot(path=str(SHOTS / f"scorecards-{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_lead_finds_the_fast_curt_agent_and_opens_the_scorecard(demo, lang):
    url, db_url = demo
    _set_language(db_url, "lead", lang)
    with browser_page(height=2400) as page:
        sign_in(page, url, "lead", PASSWORD, SLOW)
        page.goto(f"{url}/team")
        wait_for_app(page, SLOW)
        body = page.locator("[data-testid='stMain']")
        assert t("team.title", lang) in body.inner_text()
        _shot(page, f"{lang}-team")
        # the fast and curt agent is near the bottom of the table; open their scorecard
        picker = page.locator("[data-testid='stSelectbox']").filter(
            has_text=t("team.open_agent", lang)
        )
        picker.click()
        page.keyboard.type("t.baker")
        page.keyboard.press("Enter")
        wait_for_app(page, SLOW)
        page.locator(".st-key-team_open_button button").click()
        page.wait_for_url(f"**/scorecard?agent={_agent_id(db_url, 't.baker')}")
        wait_for_app(page, SLOW)
        text = page.locator("[data-testid='stMain']").inner_text()
        assert "t.baker" in text and t("scorecards.metric.quality", lang) in text
        _shot(page, f"{lang}-scorecard")
        for tab in ("trend", "service", "signals", "findings", "examples"):
            page.get_by_role("tab", name=t(f"scorecards.tab.{tab}", lang)).click()
            page.wait_for_timeout(800)
            _shot(page, f"{lang}-scorecard-{tab}")


def test_agent_sees_only_their_own_scorecard(demo):
    url, db_url = demo
    with browser_page() as page:
        sign_in(page, url, "t.baker", PASSWORD, SLOW)
        page.goto(f"{url}/scorecard")
        wait_for_app(page, SLOW)
        assert "t.baker" in page.locator("[data-testid='stMain']").inner_text()
        page.goto(f"{url}/scorecard?agent={_agent_id(db_url, 'e.kuznetsova')}")
        wait_for_app(page, SLOW)
        text = page.locator("[data-testid='stMain']").inner_text()
        assert t("scorecards.error.not_yours", "en") in text and "e.kuznetsova" not in text
        _shot(page, "en-agent-refused")
