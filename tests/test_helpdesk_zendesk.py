"""Zendesk adapter: the shipped example mapped field by field, the other documented export
shapes (audits, incremental ticket events, side-loaded ratings, JSON lines), and broken
input that must become rejections or warnings, never a crash."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from qa_app.ingest import ParsedConversation, Rejection, UnreadableFile
from qa_app.ingest.helpdesk import read_helpdesk_export

EXAMPLE = Path(__file__).resolve().parent.parent / "data/examples/helpdesk/zendesk-tickets.json"


def read(path, **kwargs):
    export = read_helpdesk_export(path, "zendesk", **kwargs)
    items = list(export)
    conversations = {i.external_id: i for i in items if isinstance(i, ParsedConversation)}
    rejections = [i for i in items if isinstance(i, Rejection)]
    return conversations, rejections, [w.describe() for w in export.warnings]


def write(tmp_path, data, name="export.json"):
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def ticket(ident=1, comments=None, **extra):
    base = {
        "id": ident,
        "subject": "Help",
        "status": "open",
        "requester_id": 10,
        "via": {"channel": "email"},
        "created_at": "2026-03-02T09:00:00Z",
        "comments": comments
        if comments is not None
        else [{"id": ident * 100, "author_id": 10, "body": "Hello", "public": True,
               "created_at": "2026-03-02T09:00:00Z"}],
    }  # fmt: skip
    return base | extra


USERS = [
    {"id": 10, "name": "Customer", "role": "end-user"},
    {"id": 20, "name": "Agent A", "email": "a@support.example", "role": "agent"},
]


def test_example_ticket_fields():
    conversations, rejections, _ = read(EXAMPLE)
    assert rejections == [] and set(conversations) == {"1001", "1002"}
    ru, en = conversations["1001"], conversations["1002"]
    assert (ru.channel, ru.language, ru.status, ru.csat, ru.escalated) == (
        "chat",
        "ru",
        "resolved",
        5,
        False,
    )  # native_messaging; solved; satisfaction "good"
    assert (ru.tags, ru.team, ru.subject) == (
        ["billing", "refund"],
        "Billing",
        "Двойное списание за заказ",
    )
    assert (ru.customer_id, ru.customer_name) == ("501", "Ирина Смирнова")
    assert ru.started_at == datetime(2026, 3, 2, 6, 15, tzinfo=UTC)
    assert ru.ended_at == datetime(2026, 3, 2, 7, 35, tzinfo=UTC)
    assert ru.agent_login == "anna.petrova@support.example"
    assert ru.first_response_seconds == 220.0  # the bot's answer at 20 s does not count
    assert (en.channel, en.language, en.status, en.csat, en.team) == (
        "email",
        "en",
        "pending",
        1,
        "Tier 1",
    )


def test_example_comments_become_messages_with_roles():
    conversations, _, _ = read(EXAMPLE)
    ru = conversations["1001"]
    assert [(m.role, m.author, m.internal) for m in ru.messages] == [
        ("customer", None, False),
        ("bot", "Answer Bot", False),  # via answer_bot_for_web_widget
        ("agent", "anna.petrova@support.example", False),
        ("system", "anna.petrova@support.example", True),  # public: false
        ("customer", None, False),
    ]  # the sixth comment has only an attachment: skipped
    assert ru.messages[2].text == (
        "Ирина, здравствуйте!\n\nВижу двойное списание — оформляю возврат второго платежа.\n"
        "Деньги вернутся в течение 3 дней."
    )  # html_body only: tags gone, <p> and <br> kept as lines, &mdash; decoded
    assert ru.messages[3].text.startswith("Проверил в биллинге")
    en = conversations["1002"]
    assert [m.role for m in en.messages] == ["customer", "bot", "agent", "customer"]
    # a trigger comment flagged automatic (flag 4) written through Mark Lee's account: the
    # automation is the bot, so the person is not also listed as a bot agent
    assert en.messages[1].author == "Zendesk automation"


def test_example_warnings():
    _, _, warnings = read(EXAMPLE)
    assert warnings == [
        "zendesk: messages without text (attachments only or empty) skipped in comments: 1",
        "zendesk: unknown field ticket.sentiment_guess ignored (seen 1×)",
    ]


def test_single_ticket_with_audits_and_ticket_events(tmp_path):
    page = {
        "ticket": ticket(7, comments=[]),
        "users": USERS,
        "audits": [
            {"id": 1, "ticket_id": 7, "author_id": 10, "created_at": "2026-03-02T09:00:00Z",
             "via": {"channel": "web"},
             "events": [{"id": 71, "type": "Comment", "body": "Where is my order?", "public": True},
                        {"id": 72, "type": "Notification", "body": "Ticket #7 updated"}]},
            {"id": 2, "ticket_id": 7, "author_id": 20, "created_at": "2026-03-02T09:05:00Z",
             "events": [{"id": 73, "type": "Comment", "html_body": "<p>On its way.</p>",
                         "public": True, "author_id": 20}]},
        ],
        "ticket_events": [
            {"id": 9, "ticket_id": 7, "created_at": "2026-03-02T09:06:00Z",
             "child_events": [
                 {"id": 73, "event_type": "Comment", "author_id": 20, "body": "On its way.",
                  "public": True, "created_at": "2026-03-02T09:05:00Z"},
                 {"id": 74, "event_type": "Comment", "author_id": 20, "body": "Checked courier",
                  "public": False, "created_at": "2026-03-02T09:06:00Z"}]},
        ],
    }  # fmt: skip
    conversations, rejections, warnings = read(write(tmp_path, page))
    assert rejections == [] and warnings == []
    messages = conversations["7"].messages
    assert [(m.role, m.text, m.internal) for m in messages] == [
        ("customer", "Where is my order?", False),
        ("agent", "On its way.", False),  # comment 73 from the audit; the event copy counts once
        ("system", "Checked courier", True),
    ]


def test_old_api_time_format_is_read(tmp_path):
    t = ticket(created_at="2011/09/25 22:35:44 -0700")
    t["comments"][0]["created_at"] = "2011/09/25 22:35:44 -0700"
    conversations, rejections, _ = read(write(tmp_path, [t]))
    assert conversations["1"].started_at == datetime(2011, 9, 26, 5, 35, 44, tzinfo=UTC)
    assert rejections == []


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        ("web", "email"), ("mail", "email"), (4, "email"), ("api", "email"),
        ("voice", "phone"), (34, "phone"), ("chat", "chat"), (29, "chat"),
        ("native_messaging", "chat"), ("whatsapp", "messenger"), (57, "messenger"),
        ("twitter", "social"), ("facebook_message", "social"), ("instagram_dm", "social"),
    ],
)  # fmt: skip
def test_via_channel_names_and_ids(tmp_path, channel, expected):
    conversations, _, warnings = read(write(tmp_path, [ticket(via={"channel": channel})]))
    assert conversations["1"].channel == expected
    assert warnings == []


def test_unknown_channel_status_and_role_are_warnings(tmp_path):
    users = [{"id": 10, "role": "end-user"}, {"id": 30, "name": "Light", "role": "light-agent"}]
    comments = [
        {"id": 1, "author_id": 10, "body": "Hi", "created_at": "2026-03-02T09:00:00Z"},
        {"id": 2, "author_id": 30, "body": "Hello", "created_at": "2026-03-02T09:01:00Z"},
    ]
    t = ticket(comments=comments, via={"channel": "carrier_pigeon"}, status="archived")
    conversations, _, warnings = read(write(tmp_path, {"tickets": [t], "users": users}))
    c = conversations["1"]
    assert (c.channel, c.status, c.messages[1].role) == ("email", "open", "agent")
    assert warnings == [
        'zendesk: unknown ticket.status "archived"; stored as open (seen 1×)',
        'zendesk: unknown user.role "light-agent"; stored as agent (seen 1×)',
        'zendesk: unknown via.channel "carrier_pigeon"; stored as email (seen 1×)',
    ]


def test_ratings_from_the_satisfaction_ratings_list(tmp_path):
    page = {
        "tickets": [ticket(1), ticket(2), ticket(3)],
        "satisfaction_ratings": [
            {"id": 1, "ticket_id": 1, "score": "good"},
            {"id": 2, "ticket_id": 2, "score": "offered"},
            {"id": 3, "ticket_id": 3, "score": "bad_with_comment"},
        ],
    }
    conversations, _, _ = read(write(tmp_path, page))
    assert [conversations[i].csat for i in ("1", "2", "3")] == [5, None, 1]


def test_authors_missing_from_users_are_reported(tmp_path):
    comments = [
        {"id": 1, "author_id": 10, "body": "Hi", "created_at": "2026-03-02T09:00:00Z"},
        {"id": 2, "author_id": 99, "body": "Hello", "created_at": "2026-03-02T09:01:00Z"},
    ]
    conversations, _, warnings = read(write(tmp_path, [ticket(comments=comments)]))
    assert [(m.role, m.author) for m in conversations["1"].messages] == [
        ("customer", None),
        ("agent", "zendesk user 99"),
    ]
    assert warnings[0].startswith("zendesk: 1 comment authors are not among the side-loaded")


def test_incremental_pages_in_json_lines_keep_the_last_version(tmp_path):
    older = ticket(5, status="open")
    newer = ticket(5, status="solved")
    lines = [
        json.dumps({"tickets": [older], "users": USERS, "end_of_stream": False}),
        "{not json",
        json.dumps({"tickets": [newer], "end_time": 1772442000, "end_of_stream": True}),
    ]
    conversations, rejections, warnings = read(write(tmp_path, "\n".join(lines), "pages.jsonl"))
    assert conversations["5"].status == "resolved"
    assert conversations["5"].line == 3
    assert [r.describe()[0].split(": ")[:2] for r in rejections] == [["pages.jsonl:2", "line"]]
    assert warnings == [
        "zendesk: 1 tickets repeat an earlier record with the same id; the last one of each is imported"
    ]


def test_description_is_the_message_when_there_are_no_comments(tmp_path):
    t = ticket(comments=[], description="My parcel is late")
    t.pop("comments")
    conversations, _, warnings = read(write(tmp_path, [t]))
    (message,) = conversations["1"].messages
    assert (message.role, message.text) == ("customer", "My parcel is late")
    assert warnings == [
        "zendesk: 1 tickets have no comments in the file; their description is imported as "
        "the only message"
    ]


def test_broken_tickets_are_rejected_with_file_position_and_field(tmp_path):
    data = [
        ticket(1),
        {"subject": "no id", "status": "open", "id": None},
        ticket(3, comments=[]),
        ticket(4, comments=[{"id": 1, "author_id": 10, "body": "Hi", "created_at": "yesterday"},
                            {"id": 2, "author_id": 10, "body": "Hello",
                             "created_at": "2026-03-02T09:00:00Z"}]),
        ticket(5, created_at="not a date"),
        "just a string",
    ]  # fmt: skip
    conversations, rejections, _ = read(write(tmp_path, data))
    assert set(conversations) == {"1", "4"}
    assert [line for r in rejections for line in r.describe()] == [
        "export.json:6: record: neither a record nor an API response page of zendesk; skipped",
        "export.json:2: id: is required",
        "export.json:3: comments: no message with text (only attachments or events); "
        "the conversation is not imported",
        'export.json:4: comments[0].created_at: not a date and time: "yesterday" '
        "(use ISO-8601, 02.03.2026 09:15 or 2026-03-02 09:15:00)",
        'export.json:5: created_at: not a date and time: "not a date" '
        "(use ISO-8601, 02.03.2026 09:15 or 2026-03-02 09:15:00)",
    ]
    assert [r.whole for r in rejections] == [True, True, True, False, True]


def test_odd_types_are_warnings_not_crashes(tmp_path):
    t = ticket(tags="billing", via="email", satisfaction_rating="good")
    t["comments"].append({"id": 2, "author_id": 10, "body": "More", "public": "yes",
                          "created_at": "2026-03-02T09:01:00Z"})  # fmt: skip
    conversations, rejections, warnings = read(write(tmp_path, [t]))
    c = conversations["1"]
    assert (c.tags, c.channel, c.csat, len(c.messages)) == ([], "email", None, 2)
    assert warnings == [
        "zendesk: field ticket.tags is not a JSON array; ignored (seen 1×)",
        "zendesk: field comment.public is not a JSON boolean; ignored (seen 1×)",
    ]
    assert rejections == []


def test_files_that_are_not_zendesk_exports_are_unreadable(tmp_path):
    with pytest.raises(UnreadableFile) as caught:
        list(read_helpdesk_export(write(tmp_path, {"conversations": []}), "zendesk"))
    assert caught.value.describe() == (
        "export.json: no zendesk tickets found in the file (is it a zendesk export?)"
    )
    with pytest.raises(UnreadableFile, match="no line is valid JSON|not valid JSON|JSON"):
        list(read_helpdesk_export(write(tmp_path, "tickets: none\n", "x.json"), "zendesk"))
