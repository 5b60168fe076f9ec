"""The coaching pages in Debian's chromium with the demo loaded, in English and Russian:
the trainer reads the new hire's recommendations with their evidence, the team's topics and
the new hire's plan with its before/after panel; the lead reads the satisfaction drivers,
reviewer productivity and the overdue plan; the new hire sees her own plan.

Screenshots land in ``artifacts/screenshots`` (``coaching-<lang>-<page>.png``). The demo
database is built once per run by ``browser.demo_database`` (``QA_STUDIO_E2E_DEMO_DIR`` keeps
it between runs).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import DEMO_PASSWORD, browser_page, demo_app, sign_in, wait_for_app
from sqlalchemy import select, update

from qa_app.i18n import t
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, CoachingPlan, User

pytestmark = pytest.mark.browser

PASSWORD = DEMO_PASSWORD
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with demo_app(tmp_path_factory, 600) as served:  # pages clocked at the demo's own day
        yield served


def _set_language(db_url: str, username: str, lang: str) -> None:
    with storage_db.unit_of_work(db_url) as session:
        session.execute(update(User).where(User.username == username).values(language=lang))


def _ids(db_url: str) -> tuple[int, int]:
    with storage_db.unit_of_work(db_url) as session:
        agent = session.scalar(select(Agent.id).where(Agent.login == "k.lebedeva"))
        plan = session.scalar(
            select(CoachingPlan.id).where(CoachingPlan.topic_id == "product-knowledge")
        )
        return agent, plan


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    wait_for_app(page)
    page.screenshot(path=str(SHOTS / f"coaching-{name}.png"), full_page=True)


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_trainer_reads_recommendations_and_the_plan(demo, lang):
    url, db_url = demo
    agent_id, plan_id = _ids(db_url)
    _set_language(db_url, "trainer", lang)
    with browser_page() as page:
        sign_in(page, url, "trainer", PASSWORD)
        page.goto(f"{url}/coaching?agent={agent_id}")
        wait_for_app(page)
        assert t("coaching.title", lang) in _main_text(page)
        _shot(page, f"{lang}-team-topics")
        page.get_by_role("tab", name=t("coaching.tab.agent", lang)).click()
        wait_for_app(page)
        assert "k.lebedeva" in _main_text(page)
        _shot(page, f"{lang}-agent")
    with browser_page(height=2300) as page:  # tall enough for the before/after panel
        sign_in(page, url, "trainer", PASSWORD)
        page.goto(f"{url}/coaching-plans?plan={plan_id}")
        wait_for_app(page)
        text = _main_text(page)
        assert t("coaching.effect.title", lang) in text
        _shot(page, f"{lang}-plans")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_lead_reads_drivers_productivity_and_overdue(demo, lang):
    url, db_url = demo
    _set_language(db_url, "lead", lang)
    with browser_page() as page:
        sign_in(page, url, "lead", PASSWORD)
        page.goto(f"{url}/drivers")
        wait_for_app(page)
        assert t("drivers.title", lang) in _main_text(page)
        _shot(page, f"{lang}-drivers")
        page.goto(f"{url}/productivity")
        wait_for_app(page)
        assert t("productivity.unacknowledged", lang) in _main_text(page)
        _shot(page, f"{lang}-productivity")
        page.goto(f"{url}/coaching-plans")
        wait_for_app(page)
        assert "i.volkov" in _main_text(page)  # the overdue group plan comes first
        _shot(page, f"{lang}-lead-plans")


def test_the_new_hire_sees_her_plan(demo):
    url, _ = demo
    with browser_page() as page:
        sign_in(page, url, "k.lebedeva", PASSWORD)
        page.goto(f"{url}/coaching-plans")
        wait_for_app(page)
        text = _main_text(page)
        assert "k.lebedeva" in text and "i.volkov" not in text
        _shot(page, "agent-plans")
