"""AppTest of My results: the agent's reviews newest first with transcript, grades, comments
and automatic figures marked automatic; acknowledge and dispute in place; the trend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from review_fixtures import seed_workflow
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from ui_harness import _page_script, _signed_in, make_user, reader_text, run_page, visible_text

from qa_app.services.disputes import decisions as disputes
from qa_app.services.reviews import grading as reviews
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import Dispute, Review
from qa_app.ui import context

NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)
COMMENT = "Say **sorry** <b>first</b>"


def _submit(flow, conv_index: int, when: datetime) -> int:
    draft = reviews.ReviewDraft(
        grades={
            "politeness": reviews.GradeInput(2, comment=COMMENT),
            "greeting": reviews.GradeInput(1),
            "correct_info": reviews.GradeInput(1),
        },
        comment="Solid answer",
    )
    with storage_db.unit_of_work(flow.url) as session:
        conv = flow.conversation_ids[conv_index]
        assignment = sampling.assign_conversation(session, flow.lead, conv, "rev1")
        return reviews.submit_review(
            session, flow.reviewers[0], assignment, draft, None, now=when
        ).review_id


def _open(url: str, lang: str = "en") -> AppTest:
    actor = make_user(url, "agent", username="a.petrova", lang=lang)
    at = AppTest.from_function(_page_script, args=("my_results",), default_timeout=60)
    at.session_state[context.SESSION_CLOCK] = NOW
    return _signed_in(at, url, actor).run()


def _seeded(url: str) -> tuple[object, list[int]]:
    flow = seed_workflow(url, conversations=6)
    start = datetime(2026, 3, 3, 9, tzinfo=UTC)
    ids = [_submit(flow, i, start + timedelta(days=i)) for i in (0, 2, 4)]
    _submit(flow, 1, start)  # Bob's, never on Anna's page
    return flow, ids


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_agent_reads_own_reviews_newest_first(sqlite_url, lang):
    _flow, ids = _seeded(sqlite_url)
    at = _open(sqlite_url, lang)
    assert not at.exception
    text = visible_text(at)
    assert at.title[0].value == ("My results" if lang == "en" else "Мои результаты")
    heads = [reader_text(m.value.split("**")[1]) for m in at.markdown if m.value.startswith("**c")]
    assert heads == ["c-4", "c-2", "c-0"]
    assert "c-1" not in text and "c\\-1" not in text
    # Comments are shown escaped, in full; the automatic column is marked as automatic.
    assert COMMENT in text and "<b>" not in "".join(m.value for m in at.markdown)  # as typed
    frame = at.dataframe[0].value
    auto = "Automatic suggestion" if lang == "en" else "Автоматическая подсказка"
    assert auto in frame.columns
    assert len(at.get("plotly_chart")) == 1
    acks = [b for b in at.button if str(b.key).startswith("results.ack.")]
    assert [b.key for b in acks] == [f"results.ack.{i}" for i in ids[::-1]]


def test_acknowledge_stores_the_moment_and_hides_the_button(sqlite_url):
    _flow, ids = _seeded(sqlite_url)
    at = _open(sqlite_url)
    at.button(key=f"results.ack.{ids[-1]}").click().run()
    assert not at.exception
    assert "Marked as read." in visible_text(at)
    with storage_db.unit_of_work(sqlite_url) as session:
        stamped = {r.id: r.acknowledged_at for r in session.scalars(select(Review))}
    assert stamped[ids[-1]] == NOW and stamped[ids[0]] is None
    keys = {b.key for b in at.button}
    assert f"results.ack.{ids[-1]}" not in keys and f"results.ack.{ids[0]}" in keys
    assert "read 2026-03-20" in visible_text(at)


def test_agent_disputes_from_the_page_and_sees_the_answer(sqlite_url):
    flow, ids = _seeded(sqlite_url)
    newest = ids[-1]
    at = _open(sqlite_url)
    at.selectbox(key=f"disputes.raise.{newest}.target").set_value("politeness").run()
    at.text_area(key=f"disputes.raise.{newest}.reason").set_value("I apologised at once")
    next(b for b in at.button if b.label == "Raise dispute").click().run()
    assert not at.exception
    assert "Dispute sent" in visible_text(at)
    assert "dispute open" in visible_text(at)
    with storage_db.unit_of_work(sqlite_url) as session:
        dispute = session.scalars(select(Dispute)).one()
        assert (dispute.review_id, dispute.criterion_id) == (newest, "politeness")
        disputes.resolve_dispute(session, flow.reviewers[0], dispute.id, False, "It came late")
    at = _open(sqlite_url)
    text = visible_text(at)
    assert "dispute rejected" in text and "Answer: It came late" in text


def test_an_agent_without_reviews_gets_a_clear_note(sqlite_url):
    seed_workflow(sqlite_url, conversations=2)
    at = _open(sqlite_url, "ru")
    assert not at.exception
    assert "Проверенных разговоров пока нет" in visible_text(at)


@pytest.mark.parametrize("role", ["reviewer", "lead"])
def test_staff_are_refused(sqlite_url, role):
    at = run_page("my_results", role, sqlite_url)
    assert at.error and not at.title  # the page stops at its own guard
    assert not [b for b in at.button if str(b.key).startswith("results.")]
