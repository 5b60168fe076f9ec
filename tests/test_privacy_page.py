"""The Personal data page in AppTest, for each role, in both languages, at a pinned clock:
set a period, see the dry run, purge, preview and erase one customer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from ui_harness import make_user, run_page, signed_in_entries, visible_text

from qa_app.services import privacy
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import AuditEvent, Conversation
from qa_app.ui import context
from tests.privacy_fixtures import seed_customer
from tests.review_fixtures import seed_workflow

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
OLD = datetime(2025, 1, 8, 15, 30, tzinfo=UTC)


def _page(page_key: str) -> None:
    from qa_app.ui.app import render_page_by_key

    render_page_by_key(page_key)


def open_page(url: str, lang: str = "en") -> AppTest:
    actor = make_user(url, "admin", username="root", lang=lang)
    at = AppTest.from_function(_page, args=("privacy",), default_timeout=60)
    at.session_state[context.SESSION_DB] = url
    at.session_state[context.SESSION_CLOCK] = NOW
    for key, value in signed_in_entries(url, actor).items():
        at.session_state[key] = value
    return at.run()


def _conversations(url: str) -> int:
    with unit_of_work(url) as session:
        return session.scalar(select(func.count()).select_from(Conversation))


@pytest.mark.parametrize("role", ["lead", "reviewer", "trainer", "agent"])
def test_only_admins_open_the_page(sqlite_url, role):
    at = run_page("privacy", role, sqlite_url)
    assert not at.exception
    assert at.error and "Retention periods" not in visible_text(at)


@pytest.mark.parametrize(
    ("lang", "title", "none"),
    [
        ("en", "Personal data", "No retention periods are set"),
        ("ru", "Персональные данные", "Сроки хранения не заданы"),
    ],
)
def test_empty_page_in_both_languages(sqlite_url, lang, title, none):
    at = open_page(sqlite_url, lang)
    assert not at.exception
    assert at.title[0].value == title
    assert none in visible_text(at)


def test_set_period_see_dry_run_and_purge(sqlite_url):
    flow = seed_workflow(sqlite_url, conversations=2)
    seed_customer(flow, "c-old", "OLD1", started=OLD, index=1)
    at = open_page(sqlite_url)
    at.selectbox[0].set_value("test")
    at.number_input[0].set_value(365)
    at.button[0].click().run()  # "Save period"
    assert not at.exception
    assert "Saved: test." in visible_text(at)
    frames = [f.value for f in at.dataframe]
    preview = frames[1]
    assert list(preview["Conversations"]) == [1] and list(preview["Held back"]) == [0]
    assert _conversations(sqlite_url) == 3
    confirm = [c for c in at.checkbox if "deleted for good" in c.label][0]
    confirm.check()
    [b for b in at.button if b.label == "Purge now"][0].click().run()
    assert not at.exception
    assert "Purged 1 conversations; 1 agent-week aggregates written." in visible_text(at)
    assert _conversations(sqlite_url) == 2
    assert "Last purge: 2026-05-04 10:00 UTC by root, 1 conversations." in visible_text(at)


def test_erase_preview_then_confirm(sqlite_url):
    flow = seed_workflow(sqlite_url, conversations=2)
    seed_customer(flow, "c-del", "DEL1", started=OLD, index=1)
    at = open_page(sqlite_url, "ru")
    at.text_input[0].set_value("nobody")
    [b for b in at.button if b.label == "Показать, что будет удалено"][0].click().run()
    assert "Разговоров этого клиента нет" in visible_text(at)
    at.text_input[0].set_value("c-del")
    [b for b in at.button if b.label == "Показать, что будет удалено"][0].click().run()
    ref = privacy.customer_ref("c-del")
    assert f"Будет удалено разговоров клиента {ref}: 1" in visible_text(at)
    [b for b in at.button if b.label.startswith("Удалить данные клиента")][0].click().run()
    assert not at.exception
    assert f"Удалено разговоров клиента {ref}: 1" in visible_text(at)
    assert _conversations(sqlite_url) == 2
    with unit_of_work(sqlite_url) as session:
        event = session.scalars(select(AuditEvent).filter_by(action="privacy.erased")).one()
        assert event.actor == "root" and event.entity_id == ref


def test_an_admin_opening_the_app_runs_the_due_purge_once(sqlite_url):
    flow = seed_workflow(sqlite_url, conversations=2)
    seed_customer(flow, "c-old", "OLD1", started=OLD, index=1)
    privacy.do_set_policy(unit_of_work_service(sqlite_url), privacy_admin(), "test", 365, now=NOW)
    at = open_page(sqlite_url)
    assert not at.exception
    assert "Scheduled purge: 1 conversations" in " ".join(str(t.value) for t in at.toast)
    assert _conversations(sqlite_url) == 2
    assert "Last purge: 2026-05-04 10:00 UTC by root, 1 conversations." in visible_text(at)
    at.run()
    assert not at.toast


def unit_of_work_service(url: str):
    from qa_app.services.database import unit_of_work as service_uow

    return service_uow(url)


def privacy_admin():
    from qa_app.services.actor import Actor

    return Actor(None, "admin", "admin")
