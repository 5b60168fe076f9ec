"""One unit of work per page action: a rerun of any page opens one for the signed-in user
(the shell re-reads the account) and at most one for the page itself (its ``*_screen``).

Counted on the real ``SqlAlchemyUnitOfWork`` while AppTest runs the real pages."""

from __future__ import annotations

import pytest
from review_fixtures import seed_workflow
from ui_harness import run_page

from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.uow import SqlAlchemyUnitOfWork
from qa_app.ui.screens import PAGES


@pytest.fixture
def opened(monkeypatch) -> list[int]:
    """Counts units of work entered from now on (one entry per ``with uow``)."""
    entered: list[int] = []
    original = SqlAlchemyUnitOfWork.__enter__

    def counting(self):
        entered.append(1)
        return original(self)

    monkeypatch.setattr(SqlAlchemyUnitOfWork, "__enter__", counting)
    return entered


def _flow(url: str):
    flow = seed_workflow(url, conversations=3)
    with storage_db.unit_of_work(url) as session:
        for conv_id in flow.conversation_ids[:2]:
            sampling.assign_conversation(session, flow.lead, conv_id, "rev1")
    return flow


def test_a_review_page_rerun_opens_two_units_of_work(sqlite_url, opened):
    _flow(sqlite_url)
    at = run_page("review", "reviewer", sqlite_url, username="rev1")
    assert not at.exception and at.title
    opened.clear()
    at.run()
    assert not at.exception
    assert len(opened) == 2  # the signed-in user, then the whole review screen


@pytest.mark.parametrize("page_key", [spec.key for spec in PAGES])
def test_every_page_rerun_opens_at_most_two(sqlite_url, opened, page_key):
    _flow(sqlite_url)
    at = run_page(page_key, "admin", sqlite_url, username="root")
    assert not at.exception
    opened.clear()
    at.run()  # cached reads (migrations, bundled rubrics, overview figures) stay cached
    assert not at.exception
    assert len(opened) <= 2, f"{page_key}: {len(opened)} units of work in one rerun"
