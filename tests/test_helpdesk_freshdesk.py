"""Freshdesk adapter: the shipped example mapped field by field, tickets with embedded
conversations, source/status/rating codes, and broken input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from qa_app.ingest import ParsedConversation, Rejection
from qa_app.ingest.helpdesk import read_helpdesk_export

EXAMPLE = Path(__file__).resolve().parent.parent / "data/examples/helpdesk/freshdesk-tickets.json"


def read(path):
    export = read_helpdesk_export(path, "freshdesk")
    items = list(export)
    conversations = {i.external_id: i for i in items if isinstance(i, ParsedConversation)}
    rejections = [i for i in items if isinstance(i, Rejection)]
    return conversations, rejections, [w.describe() for w in export.warnings]


def write(tmp_path, data, name="export.json"):
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def ticket(ident=1, conversations=(), **extra):
    return {
        "id": ident, "subject": "Help", "status": 2, "priority": 1, "source": 1,
        "requester_id": 70, "responder_id": 90, "description_text": "Where is my parcel?",
        "description": "<div>Where is my parcel?</div>", "tags": [],
        "created_at": "2026-03-06T08:00:00Z", "conversations": list(conversations),
    } | extra  # fmt: skip


def reply(ident, text, user=90, incoming=False, private=False, at="2026-03-06T08:10:00Z"):
    return {"id": ident, "body_text": text, "body": f"<div>{text}</div>", "user_id": user,
            "incoming": incoming, "private": private, "source": 2 if private else 0,
            "ticket_id": 1, "created_at": at}  # fmt: skip


def test_example_ticket_fields():
    conversations, rejections, warnings = read(EXAMPLE)
    assert rejections == [] and set(conversations) == {"31", "32"}
    ru, en = conversations["31"], conversations["32"]
    assert (ru.channel, ru.language, ru.status, ru.csat, ru.escalated) == (
        "chat",
        "ru",
        "resolved",
        5,
        True,
    )  # source 7, status 4, rating 103, is_escalated
    assert (ru.tags, ru.customer_id, ru.customer_name) == (
        ["доставка", "курьер"],
        "7001",
        "Дмитрий Орлов",
    )
    assert (ru.subject, ru.team) == ("Курьер не привёз заказ", None)
    assert ru.started_at == datetime(2026, 3, 6, 8, 0, tzinfo=UTC)
    assert ru.agent_login == "elena.vlasova@support.example"
    assert ru.first_response_seconds == 300.0
    assert (en.channel, en.language, en.status, en.csat, en.escalated) == (
        "email",
        "en",
        "open",
        2,
        False,
    )
    assert warnings == ["freshdesk: unknown field ticket.urgency_score ignored (seen 1×)"]


def test_example_conversations_become_messages_with_roles():
    conversations, _, _ = read(EXAMPLE)
    ru = conversations["31"]
    assert [(m.role, m.author, m.internal) for m in ru.messages] == [
        ("customer", None, False),  # the description, by the requester
        ("agent", "elena.vlasova@support.example", False),
        ("system", "elena.vlasova@support.example", True),  # private note
        ("agent", "elena.vlasova@support.example", False),
        ("customer", None, False),  # incoming
    ]
    en = conversations["32"]
    assert [(m.role, m.text) for m in en.messages] == [
        ("customer", "Hi, could you send me a copy of invoice 5521? Thanks, Sam"),
        ("agent", "Hi Sam,\nAttached is the copy of invoice 5521."),
        ("customer", "Got it, thank you!"),  # no body_text: the HTML body converted
    ]


@pytest.mark.parametrize(
    ("source", "channel"), [(1, "email"), (2, "email"), (3, "phone"), (7, "chat"), (9, "email"),
                            (10, "email")],
)  # fmt: skip
def test_ticket_sources(tmp_path, source, channel):
    conversations, _, warnings = read(write(tmp_path, [ticket(source=source)]))
    assert conversations["1"].channel == channel and warnings == []


@pytest.mark.parametrize(
    ("value", "csat"),
    [(103, 5), (102, 4), (101, 4), (100, 3), (-101, 2), (-102, 2), (-103, 1), ("103", 5)],
)
def test_rating_scale_to_csat(tmp_path, value, csat):
    data = {
        "tickets": [ticket()],
        "satisfaction_ratings": [
            {"id": 5, "ticket_id": 1, "ratings": {"default_question": value, "question_2": -103}}
        ],
    }
    conversations, _, _ = read(write(tmp_path, data))
    assert conversations["1"].csat == csat


def test_outbound_email_starts_with_the_agent(tmp_path):
    data = {
        "tickets": [ticket(source=10, description_text="We noticed a failed payment")],
        "agents": [{"id": 90, "contact": {"name": "Rachel", "email": "rachel@support.example"}}],
    }
    conversations, _, _ = read(write(tmp_path, data))
    (message,) = conversations["1"].messages
    assert (message.role, message.author) == ("agent", "rachel@support.example")


def test_codes_outside_the_documented_tables_are_warnings(tmp_path):
    data = [ticket(1, status=6, source=11), ticket(2, status=5, fr_escalated=True)]
    data[1]["satisfaction_ratings"] = [{"ticket_id": 2, "ratings": {"default_question": 7}}]
    conversations, _, warnings = read(write(tmp_path, data))
    assert (conversations["1"].status, conversations["1"].channel) == ("pending", "email")
    assert (conversations["2"].status, conversations["2"].escalated) == ("resolved", True)
    assert conversations["2"].csat is None
    assert warnings == [
        'freshdesk: unknown ratings.default_question "7"; stored as - (seen 1×)',
        'freshdesk: unknown ticket.source "11"; stored as email (seen 1×)',
        'freshdesk: unknown ticket.status "6"; stored as pending (seen 1×)',
    ]


def test_conversations_listed_apart_and_embedded_count_once(tmp_path):
    own = [reply(5, "Checking", at="2026-03-06T08:10:00Z")]
    data = {
        "tickets": [ticket(conversations=own)],
        "conversations": [
            reply(5, "Checking", at="2026-03-06T08:10:00Z"),
            reply(6, "It arrived", user=70, incoming=True, at="2026-03-06T08:05:00Z"),
            reply(7, "For ticket 99", at="2026-03-06T08:20:00Z") | {"ticket_id": 99},
        ],
    }
    conversations, _, warnings = read(write(tmp_path, data))
    assert [m.text for m in conversations["1"].messages] == [
        "Where is my parcel?",
        "It arrived",
        "Checking",
    ]  # in time order
    assert warnings == [
        "freshdesk: 1 conversations belong to tickets that are not in the file; ignored"
    ]


def test_broken_tickets_are_rejections(tmp_path):
    lines = [
        json.dumps(ticket(1)),
        json.dumps(ticket(2, created_at="06/03/2026 8am")),
        json.dumps(ticket(3, description_text="", description="<div><img src=x></div>")),
        "[1, 2",
        json.dumps(ticket(4, conversations=[reply(9, "Hi") | {"created_at": 5}])),
        json.dumps({"name": "not a ticket"}),
    ]
    conversations, rejections, _ = read(write(tmp_path, "\n".join(lines), "t.jsonl"))
    assert set(conversations) == {"1", "4"}
    assert [line.split(": ")[0] + ": " + line.split(": ")[1] for r in rejections
            for line in r.describe()] == [
        "t.jsonl:4: line",
        "t.jsonl:6: record",
        "t.jsonl:2: created_at",
        "t.jsonl:3: conversations",
        "t.jsonl:5: conversations[0].created_at",
    ]  # fmt: skip
