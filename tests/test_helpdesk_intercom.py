"""Intercom adapter: the shipped example mapped field by field, list pages and JSON lines,
authors (users, leads, admins, bots, the AI agent), and broken input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from qa_app.ingest import ParsedConversation, Rejection, UnreadableFile
from qa_app.ingest.helpdesk import read_helpdesk_export

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "data/examples/helpdesk/intercom-conversations.json"
)
T0 = int(datetime(2026, 3, 4, 7, 0, tzinfo=UTC).timestamp())


def read(path):
    export = read_helpdesk_export(path, "intercom")
    items = list(export)
    conversations = {i.external_id: i for i in items if isinstance(i, ParsedConversation)}
    rejections = [i for i in items if isinstance(i, Rejection)]
    return conversations, rejections, [w.describe() for w in export.warnings]


def write(tmp_path, data, name="export.json"):
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def part(pid, body, author, part_type="comment", at=60):
    return {"type": "conversation_part", "id": pid, "part_type": part_type, "body": body,
            "created_at": T0 + at, "author": author}  # fmt: skip


def conversation(cid="1", parts=(), **extra):
    return {
        "type": "conversation",
        "id": cid,
        "created_at": T0,
        "state": "open",
        "source": {"type": "conversation", "delivered_as": "customer_initiated",
                   "body": "<p>Hello</p>", "author": {"type": "user", "id": "u1", "name": "Ann"}},
        "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": "u1"}]},
        "conversation_parts": {"type": "conversation_part.list",
                               "conversation_parts": list(parts)},
    } | extra  # fmt: skip


ADMIN = {"type": "admin", "id": "7", "name": "Tom", "email": "tom@support.example"}


def test_example_conversation_fields():
    conversations, rejections, warnings = read(EXAMPLE)
    assert rejections == [] and set(conversations) == {"215467", "215468"}
    ru, en = conversations["215467"], conversations["215468"]
    assert (ru.channel, ru.language, ru.status, ru.csat) == ("chat", "ru", "resolved", 4)
    assert (ru.tags, ru.customer_id, ru.customer_name) == (
        ["sms", "вход"],
        "cust-3301",
        "Ольга Кузнецова",
    )
    assert ru.started_at == datetime(2026, 3, 4, 7, 0, tzinfo=UTC)  # 10:00 Moscow, Unix seconds
    assert (ru.team, ru.subject, ru.escalated) == (None, None, False)
    assert ru.first_response_seconds == 190.0  # Fin's answer is the bot's, not the agent's
    assert (en.channel, en.language, en.status, en.csat) == ("email", "en", "open", None)
    assert (en.subject, en.customer_id, en.customer_name) == (
        "Refund for order",
        "65f0bb02",
        "Emily Stone",
    )
    assert warnings == ["intercom: unknown field conversation.sentiment ignored (seen 1×)"]


def test_example_parts_become_messages_with_roles():
    conversations, _, _ = read(EXAMPLE)
    ru = conversations["215467"]
    assert [(m.role, m.author, m.internal) for m in ru.messages] == [
        ("customer", None, False),  # the source: customer_initiated by a user
        ("bot", "Fin", False),  # author type bot, from_ai_agent
        ("agent", "maria.sokolova@support.example", False),  # assignment part had no body
        ("system", "maria.sokolova@support.example", True),  # part_type note
        ("customer", None, False),
        ("agent", "maria.sokolova@support.example", False),  # a close part with a reply
    ]  # the rating-changed part has no body: an event, not a message
    assert (
        ru.messages[0].text
        == "Добрый день! Не приходит код подтверждения на номер 8 (916) 765-43-21."
    )
    assert ru.messages[2].text == (
        "Ольга, добрый день! Вижу, что SMS уходили, но оператор их не доставил.\n\n"
        "Отправила код повторно — проверьте, пожалуйста."
    )
    en = conversations["215468"]
    assert [m.role for m in en.messages] == ["customer", "agent", "system", "customer"]
    assert "haven't got my refund" in en.messages[0].text  # &#39; decoded


@pytest.mark.parametrize(
    ("author", "role", "name"),
    [
        ({"type": "user", "id": "1"}, "customer", None),
        ({"type": "lead", "id": "1"}, "customer", None),
        ({"type": "contact", "id": "1"}, "customer", None),
        ({"type": "admin", "id": "7", "name": "Tom"}, "agent", "Tom"),
        ({"type": "team", "id": "9", "name": "Billing"}, "agent", "Billing"),
        ({"type": "admin", "id": "8"}, "agent", "intercom admin 8"),
        ({"type": "bot", "id": "2", "name": "Custom bot"}, "bot", "Custom bot"),
        ({"type": "admin", "id": "3", "name": "Fin", "is_ai_answer": True}, "bot", "Fin"),
        ({"type": "admin", "id": "4", "name": "Operator", "email": "operator+x1@intercom.io"},
         "bot", "Operator"),
    ],
)  # fmt: skip
def test_author_types(tmp_path, author, role, name):
    conversations, _, _ = read(
        write(tmp_path, conversation(parts=[part("p", "<p>Hi</p>", author)]))
    )
    message = conversations["1"].messages[1]
    assert (message.role, message.author) == (role, name)


def test_first_message_delivered_by_automation_is_a_bot(tmp_path):
    c = conversation()
    c["source"] = {"type": "conversation", "delivered_as": "operator_initiated",
                   "body": "<p>How can we help?</p>", "author": ADMIN}  # fmt: skip
    c["conversation_parts"]["conversation_parts"] = [
        part("p", "<p>Refund please</p>", {"type": "user"})
    ]
    conversations, _, _ = read(write(tmp_path, c))
    assert [m.role for m in conversations["1"].messages] == ["bot", "customer"]


@pytest.mark.parametrize(
    ("source_type", "channel"),
    [("conversation", "chat"), ("push", "chat"), ("email", "email"), ("facebook", "social"),
     ("instagram", "social"), ("twitter", "social"), ("whatsapp", "messenger"),
     ("sms", "messenger"), ("phone_switch", "messenger"), ("phone_call", "phone")],
)  # fmt: skip
def test_source_types_to_channels(tmp_path, source_type, channel):
    c = conversation()
    c["source"]["type"] = source_type
    conversations, _, warnings = read(write(tmp_path, c))
    assert conversations["1"].channel == channel and warnings == []


def test_list_pages_in_json_lines_and_states(tmp_path):
    lines = [
        json.dumps({"type": "conversation.list", "conversations": [conversation("1", state="snoozed")],
                    "pages": {"type": "pages", "page": 1}, "total_count": 2}),
        json.dumps({"type": "conversation.list", "conversations": [conversation("2", state="closed")],
                    "total_count": 2}),
        json.dumps(conversation("3", state="waiting")),
        json.dumps(conversation("1", state="open")),
    ]  # fmt: skip
    conversations, rejections, warnings = read(write(tmp_path, "\n".join(lines), "x.jsonl"))
    assert rejections == []
    assert {k: c.status for k, c in conversations.items()} == {
        "1": "open",
        "2": "resolved",
        "3": "open",
    }  # the later line of conversation 1 wins
    assert warnings == [
        "intercom: 1 conversations repeat an earlier record with the same id; "
        "the last one of each is imported",
        'intercom: unknown conversation.state "waiting"; stored as open (seen 1×)',
    ]


def test_list_responses_without_parts_import_the_first_message(tmp_path):
    c = conversation()
    c.pop("conversation_parts")
    conversations, _, warnings = read(write(tmp_path, {"type": "conversation.list",
                                                       "conversations": [c]}))  # fmt: skip
    assert [m.text for m in conversations["1"].messages] == ["Hello"]
    assert warnings == [
        "intercom: 1 conversations come without conversation_parts (a List or Search "
        "response); only their first message is imported"
    ]


def test_unknown_part_type_with_text_is_kept_and_reported(tmp_path):
    parts = [part("p1", "<p>Hi</p>", ADMIN, part_type="mystery"),
             part("p2", None, ADMIN, part_type="another_event")]  # fmt: skip
    conversations, _, warnings = read(write(tmp_path, conversation(parts=parts)))
    assert [m.text for m in conversations["1"].messages] == ["Hello", "Hi"]
    assert warnings == [
        'intercom: unknown conversation_part.part_type "mystery"; stored as message (seen 1×)'
    ]


def test_broken_conversations_are_rejections(tmp_path):
    data = [
        conversation("1", parts=[part("p", "<p>ok</p>", ADMIN)]),
        conversation("2", created_at="yesterday"),
        conversation("3", conversation_rating={"rating": 9}),
        conversation("4", parts=[part("p", "<p>late</p>", ADMIN) | {"created_at": "soon"}]),
        conversation("5", source={"type": "conversation", "body": "<p><img src=x></p>",
                                  "author": {"type": "user"}}),
        {"id": "6", "note": "not a conversation"},
    ]  # fmt: skip
    conversations, rejections, warnings = read(write(tmp_path, data))
    assert set(conversations) == {"1", "4"}
    assert [line for r in rejections for line in r.describe()] == [
        "export.json:6: record: neither a record nor an API response page of intercom; skipped",
        'export.json:2: created_at: not a date and time: "yesterday" '
        "(use ISO-8601, 02.03.2026 09:15 or 2026-03-02 09:15:00)",
        'export.json:3: conversation_rating.rating: must be an integer 1-5, got "9"',
        'export.json:4: conversation_parts[0].created_at: not a date and time: "soon" '
        "(use ISO-8601, 02.03.2026 09:15 or 2026-03-02 09:15:00)",
        "export.json:5: conversation_parts: no message with text (only attachments or events); "
        "the conversation is not imported",
    ]
    assert "intercom: messages without text (attachments only or empty) skipped in " \
           "conversation_parts: 1" in warnings  # fmt: skip


def test_a_zendesk_file_is_not_an_intercom_export(tmp_path):
    path = write(tmp_path, {"tickets": [{"id": 1, "via": {"channel": "web"}}]})
    with pytest.raises(UnreadableFile, match="no intercom conversations found"):
        list(read_helpdesk_export(path, "intercom"))
