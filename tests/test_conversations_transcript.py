"""Conversations as reviewers read them, on both databases: messages in order, waits and
SLA breaches, and blind review hiding who the agent is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from review_fixtures import BASE_TIME, add_conversation, seed_workflow

from qa_app.services import conversations, database
from qa_app.services.errors import NotFound
from qa_app.storage.models import Agent, Team


def _conversation(url: str) -> int:
    """A chat: the customer writes twice, Anna answers after 20 minutes, then after 2."""
    texts = [
        ("customer", "My card was charged twice"),
        ("customer", "Hello?"),
        ("agent", "Hi, Anna Petrova here, sorry for the wait. Checking now."),
        ("customer", "Thanks"),
        ("agent", "Refunded. a.petrova"),
    ]
    with database.unit_of_work(url) as uow:
        session = uow.session
        agent = session.query(Agent).filter_by(login="a.petrova").one()
        team = session.query(Team).one()
        conv = add_conversation(session, agent=agent, team=team, index=99, texts=texts)
        offsets = (0, 60, 20 * 60, 21 * 60, 23 * 60)
        for message, seconds in zip(conv.messages, offsets, strict=True):
            message.sent_at = BASE_TIME + timedelta(seconds=seconds)
        conv.first_response_seconds = 20 * 60
        session.flush()
        uow.commit()
        return conv.id


def _transcript(url: str, conversation_id: int, blind: bool = False):
    with database.unit_of_work(url) as uow:
        return conversations.load_transcript(uow.session, conversation_id, blind=blind)


def test_rows_in_order_with_waits_and_breaches(db_url):
    seed_workflow(db_url, conversations=1)
    transcript = _transcript(db_url, _conversation(db_url))
    assert [r.side for r in transcript.rows] == [
        "customer",
        "customer",
        "agent",
        "customer",
        "agent",
    ]
    first_reply, second_reply = transcript.rows[2], transcript.rows[4]
    assert first_reply.wait_seconds == 20 * 60  # from the first unanswered message
    assert first_reply.sla_breach and first_reply.sla_target == 15 * 60
    assert second_reply.wait_seconds == 2 * 60 and not second_reply.sla_breach
    assert transcript.breaches == 1
    header = transcript.header
    assert header.first_response_breach and header.agent == "Anna Petrova"
    assert conversations.first_response_breached("chat", 16 * 60)
    assert not conversations.first_response_breached("phone", 10 * 3600)  # no phone target


def test_blind_review_hides_the_agent(db_url):
    seed_workflow(db_url, conversations=1)
    transcript = _transcript(db_url, _conversation(db_url), blind=True)
    agent_rows = [r for r in transcript.rows if r.side == "agent"]
    assert {r.author for r in agent_rows} == {"•••"} and transcript.header.agent == "•••"
    text = " ".join(r.text for r in agent_rows)
    assert "Anna" not in text and "Petrova" not in text and "a.petrova" not in text
    assert "sorry for the wait" in text


def test_unknown_conversation_is_not_found(db_url):
    with pytest.raises(NotFound):
        _transcript(db_url, 12345)
