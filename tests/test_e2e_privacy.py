"""The new admin pages in Debian's chromium, in English and Russian: Personal data (a
retention period, the dry run), the audit log, and the column-mapping import of an Excel
file uploaded through the real file input, imported and reported.

Screenshots land in ``artifacts/screenshots`` (``privacy-<lang>.png``, ``audit-<lang>.png``,
``mapping-<lang>.png``).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from browser import CHROMIUM, browser_page, running_app, sign_in, wait_for_app
from sqlalchemy import func, select
from test_import_mapping import _xlsx
from ui_harness import TEST_PASSWORD, make_user

from qa_app.services import privacy
from qa_app.services.actor import SYSTEM
from qa_app.services.database import unit_of_work
from qa_app.storage import db as storage_db
from qa_app.storage.models import Conversation
from tests.privacy_fixtures import seed_customer
from tests.review_fixtures import seed_workflow

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
NOW = "2026-05-04T10:00:00+00:00"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    folder = tmp_path_factory.mktemp("e2e-privacy")
    url = f"sqlite:///{folder / 'qa.db'}"
    storage_db.upgrade(url)
    flow = seed_workflow(url, conversations=6)
    old = datetime(2025, 1, 8, 15, 30, tzinfo=UTC)
    seed_customer(flow, "c-old", "OLD1", started=old, index=1)
    seed_customer(flow, "c-busy", "OLD2", started=old, index=2, assignment_status="pending")
    privacy.do_set_policy(unit_of_work(url), SYSTEM, "test", 365, now=datetime.fromisoformat(NOW))
    make_user(url, "admin", username="admin-en", lang="en")
    make_user(url, "admin", username="admin-ru", lang="ru")
    _xlsx(folder / "выгрузка.xlsx")
    saved = os.environ.get("QA_STUDIO_NOW")
    os.environ["QA_STUDIO_NOW"] = NOW
    try:
        with running_app(url, log_path=folder / "server.log") as base:
            yield base, url, folder
    finally:
        if saved is None:
            os.environ.pop("QA_STUDIO_NOW", None)
        else:
            os.environ["QA_STUDIO_NOW"] = saved


def _open(page, base: str, path: str) -> None:
    page.goto(f"{base}/{path}")
    wait_for_app(page)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            (
                "Retention periods",
                "If the purge ran now:",
                "Last purge: 2026-05-04 10:00 UTC",
                "Erase a customer",
            ),
        ),
        (
            "ru",
            (
                "Сроки хранения",
                "Если запустить очистку сейчас:",
                "Последняя очистка: 2026-05-04 10:00 UTC",
                "Удалить данные",
            ),
        ),
    ],
)
def test_privacy_and_audit_pages(app, lang, words):
    base, _url, _folder = app
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page() as page:
        sign_in(page, base, f"admin-{lang}", TEST_PASSWORD)
        _open(page, base, "privacy")
        text = page.inner_text("[data-testid='stMain']")
        for word in words:
            assert word in text
        page.screenshot(path=str(SHOTS / f"privacy-{lang}.png"), full_page=True)
        _open(page, base, "import")
        mask = "Mask personal data" if lang == "en" else "Скрывать персональные данные"
        assert mask in page.inner_text("[data-testid='stMain']")
        page.screenshot(path=str(SHOTS / f"import-masking-{lang}.png"), full_page=True)
        _open(page, base, "audit")
        page.screenshot(path=str(SHOTS / f"audit-{lang}.png"), full_page=True)
        assert page.locator("[data-testid='stDataFrame']").count() == 1


@pytest.mark.parametrize(
    ("lang", "button", "done"),
    [("en", "Import with this mapping", "Imported"), ("ru", "Импортировать с этим", "Добавлено")],
)
def test_mapping_page_imports_an_uploaded_workbook(app, lang, button, done):
    base, url, folder = app
    with browser_page() as page:
        sign_in(page, base, f"admin-{lang}", TEST_PASSWORD)
        _open(page, base, "import-mapping")
        page.set_input_files("input[type='file']", str(folder / "выгрузка.xlsx"))
        page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
        wait_for_app(page)
        field = page.locator("[data-testid='stTextInput'] input").first
        field.fill(r"^op\.")
        field.press("Enter")
        wait_for_app(page)
        page.get_by_role("button", name=button).click()
        page.wait_for_selector(f"text={done}", timeout=60_000)
        wait_for_app(page)
        page.screenshot(path=str(SHOTS / f"mapping-{lang}.png"), full_page=True)
    with storage_db.unit_of_work(url) as session:
        stored = session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.source == "import")
        )
    assert stored == 2
