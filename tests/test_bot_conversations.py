"""Conversations answered by a bot, on both databases: every import path accepts a ``bot``
role and recognises listed bot authors, the bot is stored as an agent of its own, its
replies are scored like an agent's, and the hand-over to a person is measured and shown."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from qa_app.ingest import ParsedConversation
from qa_app.ingest.bot_authors import BOT_AUTHORS_ENV, BotAuthorsError, bot_authors
from qa_app.ingest.helpdesk import read_helpdesk_export
from qa_app.ingest.mapping import ColumnMapping
from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.autoqa.queries import handover_summary
from qa_app.services.autoqa.scoring_runs import score_conversations
from qa_app.services.conversations.transcript import load_transcript
from qa_app.services.imports import ImportOptions, import_file
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Agent, AutoScore, Conversation, Message

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "bot_conversations.jsonl"
LEAD = Actor(None, "lead", "lead")


def _import(url: str, path: Path) -> None:
    with unit_of_work(url) as session:
        summary = import_file(session, path, options=ImportOptions())
    assert summary.rejected_rows == 0, summary


def _conversation(session, external_id: str) -> Conversation:
    return session.scalars(select(Conversation).filter_by(external_id=external_id)).one()


def test_the_example_file_stores_bots_as_agents_of_their_own(db_url):
    _import(db_url, EXAMPLE)
    with unit_of_work(db_url) as session:
        agents = {a.login: a.is_bot for a in session.scalars(select(Agent))}
        assert agents == {"Helpdesk Bot": True, "Бот Ника": True, "i.volkov": False,
                          "m.orlova": False, "a.kuznetsov": False}  # fmt: skip
        handed = _conversation(session, "bot-en-001")
        # "Helpdesk Bot" was written as role agent: the bot-author list made it a bot
        assert [m.role for m in handed.messages] == [
            "customer", "bot", "customer", "bot", "agent", "customer", "agent", "customer",
        ]  # fmt: skip
        assert handed.agent.login == "i.volkov"  # the person who took over owns it
        assert handed.first_response_seconds == 243.0  # to the person, not to the bot
        alone = _conversation(session, "bot-en-002")
        assert alone.agent.login == "Helpdesk Bot" and alone.agent.is_bot
        bot_ids = {m.agent_id for m in alone.messages if m.role == "bot"}
        assert bot_ids == {alone.agent_id}
        russian = _conversation(session, "bot-ru-001")
        assert [m.role for m in russian.messages][:2] == ["customer", "bot"]  # role «бот»


def test_bot_replies_are_scored_and_handovers_summed_per_bot(db_url):
    _import(db_url, EXAMPLE)
    with unit_of_work(db_url) as session:
        summary = score_conversations(session, SYSTEM)
        assert summary.scored == 4
    with unit_of_work(db_url) as session:
        bot_tasks = set(
            session.scalars(
                select(AutoScore.task)
                .join(Message, Message.id == AutoScore.message_id)
                .where(Message.role == "bot")
            )
        )
        assert {"politeness", "empathy", "clarity", "toxicity"} <= bot_tasks
        frame = handover_summary(session, LEAD).set_index("bot")
    en, ru = frame.loc["Helpdesk Bot"], frame.loc["Бот Ника"]
    # EN: one conversation alone, one handed over after 239 s where the customer repeated
    assert (en.conversations, en.handed_over, en.median_seconds) == (2, 1, 239.0)
    assert (en.compared, en.repeated) == (1, 1)
    # RU: both handed over (120 s and 569 s); the customer repeated in one of them
    assert (ru.conversations, ru.handed_over, ru.median_seconds) == (2, 2, 344.5)
    assert (ru.compared, ru.repeated) == (2, 1)


def test_the_transcript_marks_bot_messages_and_the_handover(db_url):
    _import(db_url, EXAMPLE)
    with unit_of_work(db_url) as session:
        handed = _conversation(session, "bot-en-001")
        transcript = load_transcript(session, handed.id)
        blind = load_transcript(session, handed.id, blind=True)
        alone = load_transcript(session, _conversation(session, "bot-en-002").id)
    assert [r.side for r in transcript.rows][:2] == ["customer", "bot"]
    facts = transcript.header.handover
    assert (facts.bot, facts.human, facts.seconds, facts.repeated) == (
        "Helpdesk Bot", "i.volkov", 239.0, True,
    )  # fmt: skip
    assert blind.header.handover.human == "•••"
    assert alone.header.agent_is_bot and alone.header.handover.human is None


def test_csv_accepts_bot_role_spellings(sqlite_url, tmp_path):
    data = tmp_path / "chats.csv"
    data.write_text(
        "conversation_id,role,author,text,sent_at\n"
        "c1,customer,,Где мой заказ?,2026-03-02T09:00:00+03:00\n"
        "c1,чат-бот,,Заказ в пути,2026-03-02T09:00:05+03:00\n"
        "c1,AI agent,Fin,Anything else?,2026-03-02T09:00:09+03:00\n",
        encoding="utf-8",
    )
    _import(sqlite_url, data)
    with unit_of_work(sqlite_url) as session:
        messages = session.scalars(select(Message).order_by(Message.seq)).all()
        assert [(m.role, m.author) for m in messages] == [
            ("customer", None), ("bot", "bot"), ("bot", "Fin"),
        ]  # fmt: skip


def test_the_bot_author_list_is_configurable(sqlite_url, tmp_path, monkeypatch):
    own = tmp_path / "bots.yaml"
    own.write_text("bot_authors:\n  names: [Kiosk]\n  patterns: ['^auto-']\n", "utf-8")
    monkeypatch.setenv(BOT_AUTHORS_ENV, str(own))
    listed = bot_authors()
    assert listed.is_bot("kiosk") and listed.is_bot("auto-reply")
    assert not listed.is_bot("Helpdesk Bot")  # the shipped list is replaced, not merged
    data = tmp_path / "chats.jsonl"
    record = {"conversation_id": "k1", "messages": [
        {"role": "customer", "text": "Hi"},
        {"role": "agent", "author": "Kiosk", "text": "Hello, how can I help?"},
        {"role": "agent", "author": "Helpdesk Bot", "text": "Hello"},
    ]}  # fmt: skip
    data.write_text(json.dumps(record) + "\n", "utf-8")
    _import(sqlite_url, data)
    with unit_of_work(sqlite_url) as session:
        roles = [m.role for m in session.scalars(select(Message).order_by(Message.seq))]
    assert roles == ["customer", "bot", "agent"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("bot_authors: [a, b]\n", "expected a 'bot_authors' section"),
        ("bot_authors:\n  names: Fin\n", "bot_authors.names must be a list of strings"),
        ("bot_authors:\n  patterns: ['(']\n", "bad pattern '('"),
    ],
)
def test_a_broken_bot_author_file_says_what_and_where(tmp_path, monkeypatch, text, said):
    own = tmp_path / "bots.yaml"
    own.write_text(text, "utf-8")
    monkeypatch.setenv(BOT_AUTHORS_ENV, str(own))
    with pytest.raises(BotAuthorsError) as caught:
        bot_authors()
    assert said in str(caught.value) and str(own) in str(caught.value)


def test_column_mapping_sends_listed_bots_to_the_bot_role():
    mapping = ColumnMapping(columns={"conversation_id": "Id", "text": "T", "author": "A"},
                            agent_pattern=r"^op\.")  # fmt: skip
    assert mapping.role_of("Helpdesk Bot") == "bot"
    assert mapping.role_of("op.anna") == "agent"
    assert mapping.role_of("Иван Петров") == "customer"


def test_a_helpdesk_agent_on_the_bot_list_becomes_a_bot(tmp_path, monkeypatch):
    """Freshdesk's API marks no bot: the list is how its bot replies are told apart."""
    own = tmp_path / "bots.yaml"
    own.write_text("bot_authors:\n  names: ['freshdesk agent 91']\n", "utf-8")
    monkeypatch.setenv(BOT_AUTHORS_ENV, str(own))
    ticket = {
        "id": 1, "subject": "Help", "status": 2, "priority": 1, "source": 7,
        "requester_id": 70, "description_text": "Where is my parcel?", "tags": [],
        "created_at": "2026-03-06T08:00:00Z",
        "conversations": [
            {"id": 2, "body_text": "It is on its way.", "user_id": 91, "incoming": False,
             "private": False, "source": 0, "ticket_id": 1, "created_at": "2026-03-06T08:01:00Z"},
            {"id": 3, "body_text": "A person here: it arrives today.", "user_id": 90,
             "incoming": False, "private": False, "source": 0, "ticket_id": 1,
             "created_at": "2026-03-06T08:05:00Z"},
        ],
    }  # fmt: skip
    path = tmp_path / "export.json"
    path.write_text(json.dumps([ticket]), "utf-8")
    [parsed] = [
        c for c in read_helpdesk_export(path, "freshdesk") if isinstance(c, ParsedConversation)
    ]
    assert [m.role for m in parsed.messages] == ["customer", "bot", "agent"]
    assert parsed.agent_login == "freshdesk agent 90"


def test_the_rest_api_accepts_a_bot_message(db_url):
    from tests.api_fixtures import build_world, conversation

    world = build_world(db_url)
    pushed = conversation("api-bot-1")
    pushed["messages"].insert(
        1, {"role": "bot", "author": "Helpdesk Bot", "text": "Connecting you to a person.",
            "sent_at": "2026-03-04T10:00:05+00:00"},
    )  # fmt: skip
    answer = world.client.post("/api/v1/conversations", json=pushed, headers=world.auth("lead"))
    assert answer.status_code in (200, 201), answer.text
    with unit_of_work(db_url) as session:
        stored = _conversation(session, "api-bot-1")
        assert [m.role for m in stored.messages] == ["customer", "bot", "agent"]
        assert session.scalars(select(Agent).filter_by(login="Helpdesk Bot")).one().is_bot


def test_the_scorecard_reads_handover_flags_off_their_labels():
    from qa_app.services.scorecards.figures import signal_summary
    from qa_app.services.scorecards.scorecard import _signal_values

    handed = {"handover_seconds": {"value": 239.0, "label": "handed_over"},
              "customer_repeated": {"value": 0.73, "label": "repeated"}}  # fmt: skip
    alone = {"handover_seconds": {"value": None, "label": "bot_only"}}
    unmeasured = {"handover_seconds": {"value": 60.0, "label": "handed_over"},
                  "customer_repeated": {"value": None, "label": None}}  # fmt: skip
    rows = [_signal_values(d) for d in (handed, alone, unmeasured, {"politeness": {"value": 1}})]
    assert [r.get("handed_over") for r in rows] == [1.0, 0.0, 1.0, None]
    assert [r.get("customer_repeated") for r in rows] == [1.0, None, None, None]
    summary = signal_summary(pd.DataFrame(rows)).set_index("signal")
    assert summary.loc["handed_over", "n"] == 3
    assert summary.loc["customer_repeated", "n"] == 1
