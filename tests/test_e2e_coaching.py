"""The coaching pages in Debian's chromium with the demo loaded, in English and Russian:
the trainer reads the new hire's recommendations with their evidence, the team's topics and
the new hire's plan with its before/after panel; the lead reads the satisfaction drivers,
reviewer productivity and the overdue plan; the new hire sees her own plan.

Screenshots land in ``artifacts/screenshots`` (``coaching-<lang>-<page>.png``).
``QA_STUDIO_E2E_COACHING_DB`` may name an already loaded demo database (a copy is used).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import CHROMIUM, browser_page, running_app, sign_in, wait_for_app
from sqlalchemy import select, update

from qa_app.i18n import t
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, CoachingPlan, User

pytestmark = pytest.mark.browser

PASSWORD = "demo-password-e2e-4"
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
CLOCK = {"QA_STUDIO_NOW": "2026-04-02T18:00:00+00:00"}  # the demo season's own "today"
PREBUILT = "QA_STUDIO_E2E_COACHING_DB"


def _demo(path: Path) -> str:
    db_url = f"sqlite:///{path}"
    prebuilt = os.environ.get(PREBUILT)
    if prebuilt:
        shutil.copy(prebuilt, path)
        with storage_db.unit_of_work(db_url) as session:  # the demo's passwords are unknown
            from qa_app.services.accounts import auth

            session.execute(update(User).values(password_hash=auth.hash_password(PASSWORD)))
        return db_url
    subprocess.run(
        [sys.executable, "-m", "qa_app.cli", "--db", db_url, "demo", "--conversations", "600",
         "--password", PASSWORD],
        check=True, capture_output=True, env={**os.environ, **CLOCK}, timeout=1200,
    )  # fmt: skip
    return db_url


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (make test installs Debian's chromium)")
    db_url = _demo(tmp_path_factory.mktemp("e2e-coaching") / "demo.db")
    saved = {key: os.environ.get(key) for key in CLOCK}
    os.environ.update(CLOCK)
    try:
        with running_app(db_url, log_path=tmp_path_factory.mktemp("log") / "server.log") as url:
            yield url, db_url
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


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
def test_trainer_reads_recommendations_and_the_plan(demo_app, lang):
    url, db_url = demo_app
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
def test_lead_reads_drivers_productivity_and_overdue(demo_app, lang):
    url, db_url = demo_app
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


def test_the_new_hire_sees_her_plan(demo_app):
    url, _ = demo_app
    with browser_page() as page:
        sign_in(page, url, "k.lebedeva", PASSWORD)
        page.goto(f"{url}/coaching-plans")
        wait_for_app(page)
        text = _main_text(page)
        assert "k.lebedeva" in text and "i.volkov" not in text
        _shot(page, "agent-plans")
