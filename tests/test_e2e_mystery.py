"""The mystery-shopper pages in Debian's chromium, as a new user meets them: a lead creates
a scenario; a shopper records a visit whose oversized attachment is refused without losing
anything typed, then saves it with a screenshot attached and corrects it; the lead reads
the reports.

The database holds the demo programme (agents from the demo personas, 240 visits) and the
page clock is the season's reference. Screenshots of every page in English and Russian land
in ``artifacts/screenshots`` (``mystery-<page>-<lang>.png``).
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from browser import CHROMIUM, browser_page, running_app, sign_in, wait_for_app
from sqlalchemy import select
from ui_harness import seed

from qa_app.demo.corpus.personas import AGENTS, TEAMS
from qa_app.demo.mystery import create_demo_mystery
from qa_app.services.accounts import add_user
from qa_app.services.actor import SYSTEM
from qa_app.services.mystery import attachments
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, MysteryAttachment, MysteryVisit, Team

pytestmark = pytest.mark.browser

PASSWORD = "mystery-e2e-password-1"
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
REFERENCE = datetime(2026, 3, 27, 18, 0, tzinfo=UTC)
USERS = (("lead", "lead", "en"), ("lead.ru", "lead", "ru"), ("shopper.en", "shopper", "en"),
         ("shopper.ru", "shopper", "ru"))  # fmt: skip


def _programme(session) -> None:
    teams = {name: Team(name=name) for name in TEAMS}
    session.add_all(teams.values())
    session.flush()
    for a in AGENTS:
        session.add(Agent(login=a.login, display_name=a.name, team_id=teams[a.team].id))
    for username, role, lang in USERS:
        add_user(session, SYSTEM, username, role, password=PASSWORD, language=lang, now=REFERENCE)
    create_demo_mystery(session, REFERENCE)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    folder = tmp_path_factory.mktemp("e2e-mystery")
    db_url = f"sqlite:///{folder / 'qa.db'}"
    storage_db.upgrade(db_url)
    seed(db_url, _programme)
    env = {
        "QA_STUDIO_NOW": REFERENCE.isoformat(),
        attachments.ATTACHMENTS_ENV: str(folder / "files"),
    }
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        with running_app(db_url, log_path=folder / "server.log") as url:
            yield url, db_url
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)


def _open(page, url: str, path: str) -> None:
    page.goto(f"{url}/{path}")
    wait_for_app(page)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # tables draw on a canvas after the run ends: wait for them, then for fonts to settle
    for table in page.locator("[data-testid='stDataFrame']").all():
        if table.is_visible():  # tables in a tab not shown are never drawn
            table.locator("canvas").first.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_lead_creates_a_scenario(app):
    url, _db = app
    with browser_page() as page:
        sign_in(page, url, "lead", PASSWORD)
        _open(page, url, "mystery-scenarios")
        page.get_by_text("New scenario").click()
        page.get_by_label("Name").first.fill("Refund request by chat")
        page.get_by_label("Shopper's persona").first.fill("Oleg, 40, in a hurry")
        page.get_by_label("Request (what the shopper says first)").first.fill("I want a refund")
        page.get_by_label("Correct answer").first.fill("Refund within 7 days to the same card")
        page.get_by_role("button", name="Create scenario").click()
        wait_for_app(page)
        page.get_by_text("Scenario “Refund request by chat” created.").wait_for(timeout=60_000)
        _shot(page, "mystery-scenarios-en.png")


def _answer_every_item(page) -> None:
    groups = page.locator("[data-testid='stRadio']")
    for index in range(groups.count()):
        group = groups.nth(index)
        passed = group.get_by_text("Pass", exact=True)
        # "Pass" on yes/no items; the first level of the 1-3 items (label 0 is the question)
        (passed if passed.count() else group.locator("label").nth(1)).click()
        page.wait_for_timeout(60)


def test_shopper_records_visits_and_an_oversized_file_loses_nothing(app, tmp_path):
    url, db_url = app
    big = tmp_path / "recording.mp3"
    big.write_bytes(b"ID3" + b"\x00" * (attachments.MAX_BYTES + 1))
    shot = tmp_path / "chat.png"
    shot.write_bytes(_png())
    with browser_page(height=1200) as page:
        sign_in(page, url, "shopper.en", PASSWORD)
        _open(page, url, "mystery-visits")
        page.get_by_role("tab", name="Record a visit").click()
        wait_for_app(page)
        _answer_every_item(page)
        page.get_by_label("Summary of the contact").fill("Polite, but no name used")
        page.get_by_label("Resolved after, minutes (empty if not resolved)").fill("25")
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files([str(big)])
        wait_for_app(page)
        page.get_by_role("button", name="Save visit").click()
        wait_for_app(page)
        page.get_by_text("attachments may be at most 10 MB each").wait_for(timeout=60_000)
        assert (
            page.get_by_label("Summary of the contact").input_value() == "Polite, but no name used"
        )
        _shot(page, "mystery-visit-refused-en.png")
        page.locator("[data-testid='stFileChipDeleteBtn']").first.click()
        wait_for_app(page)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files([str(shot)])
        page.get_by_text("chat.png").wait_for(timeout=30_000)  # uploaded before saving
        wait_for_app(page)
        page.wait_for_timeout(1000)
        page.get_by_role("button", name="Save visit").click()
        wait_for_app(page)
        _shot(page, "mystery-visit-saved-en.png")
        page.get_by_text("saved.").first.wait_for(timeout=60_000)
        # the shopper corrects the visit just saved (open in the list): the form is filled
        page.get_by_role("tab", name="Visits").click()
        wait_for_app(page)
        page.get_by_role("button", name="Correct this visit").click()
        wait_for_app(page)
        summary = page.locator("textarea[aria-label='Summary of the contact']:visible").first
        assert summary.input_value() == "Polite, but no name used"
        summary.fill("Polite; used my name once, at the end")
        page.get_by_role("button", name="Save corrections").click()
        wait_for_app(page)
        page.get_by_text("corrected.").first.wait_for(timeout=60_000)
        _shot(page, "mystery-visit-corrected-en.png")
    with storage_db.unit_of_work(db_url) as session:
        visit = session.scalar(select(MysteryVisit).order_by(MysteryVisit.id.desc()))
        assert visit.summary == "Polite; used my name once, at the end"
        assert visit.external_ref is None and visit.lock_version == 2
        files = session.scalars(
            select(MysteryAttachment).where(MysteryAttachment.visit_id == visit.id)
        )
        assert [f.content_type for f in files] == ["image/png"]


@pytest.mark.parametrize(
    ("lang", "lead", "shopper"), [("en", "lead", "shopper.en"), ("ru", "lead.ru", "shopper.ru")]
)
def test_screenshots_of_every_page(app, lang, lead, shopper):
    url, _db = app
    with browser_page() as page:
        sign_in(page, url, lead, PASSWORD)
        for path in ("mystery-scenarios", "mystery-visits", "mystery-reports"):
            _open(page, url, path)
            assert not page.locator("[data-testid='stException']").count()
            _shot(page, f"{path}-{lang}.png")
        tab = "Speed vs SLA" if lang == "en" else "Скорость и нормативы"
        page.get_by_role("tab", name=tab).click()
        wait_for_app(page)
        _shot(page, f"mystery-reports-speed-{lang}.png")
        tab = "Outside vs inside" if lang == "en" else "Снаружи и изнутри"
        page.get_by_role("tab", name=tab).click()
        wait_for_app(page)
        _shot(page, f"mystery-reports-gap-{lang}.png")
    with browser_page() as page:
        sign_in(page, url, shopper, PASSWORD)
        _open(page, url, "mystery-visits")
        _shot(page, f"mystery-visits-shopper-{lang}.png")
