"""AppTest: the review page and the Automatic scoring page with bot-answered conversations,
in both languages (the example import file, imported and scored for real)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from review_fixtures import seed_workflow
from sqlalchemy import select
from ui_harness import run_page, visible_text

from qa_app.services.actor import SYSTEM
from qa_app.services.autoqa.scoring_runs import score_conversations
from qa_app.services.imports import ImportOptions, import_file
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Conversation

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "bot_conversations.jsonl"


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('bots') / 'bots.db'}"
    storage_db.upgrade(url)
    flow = seed_workflow(url, conversations=2)
    with unit_of_work(url) as session:
        import_file(session, EXAMPLE, options=ImportOptions())
    with unit_of_work(url) as session:
        score_conversations(session, SYSTEM)
    with unit_of_work(url) as session:
        handed = session.scalars(select(Conversation).filter_by(external_id="bot-en-001")).one()
        sampling.assign_conversation(session, flow.lead, handed.id, "rev1")
    yield url
    storage_db.dispose_engine(url)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", ["Hand-over: Helpdesk Bot → i.volkov after 3 min",
                "the customer had to repeat themselves (similarity 0.73 ≥ 0.50)",
                "Helpdesk Bot (Bot)"]),
        ("ru", ["Передача: Helpdesk Bot → i.volkov через 3 мин",
                "клиенту пришлось повторить вопрос (сходство 0,73 ≥ 0,50)",
                "Helpdesk Bot (Бот)"]),
    ],
)  # fmt: skip
def test_the_review_page_shows_the_handover(scored, lang, said):
    at = run_page("review", "reviewer", scored, lang=lang, username="rev1")
    assert not at.exception, at.exception
    text = visible_text(at)
    for phrase in said:
        assert phrase in text


@pytest.mark.parametrize(
    ("lang", "header", "bot_column"),
    [("en", "Bots and hand-over to a person", "Bot"),
     ("ru", "Боты и передача оператору", "Бот")],
)  # fmt: skip
def test_the_autoqa_page_sums_handovers_per_bot(scored, lang, header, bot_column):
    at = run_page("autoqa", "lead", scored, lang=lang, timeout=180)
    assert not at.exception, at.exception
    assert header in visible_text(at)
    [table] = [d.value for d in at.dataframe if bot_column in d.value.columns]
    rows = table.set_index(bot_column)
    assert list(rows.index) == ["Helpdesk Bot", "Бот Ника"]
    repeated = "Customer repeated" if lang == "en" else "Клиент повторил"
    assert list(rows[repeated]) == ["100%", "50%"]
