"""JSONL (and .json list) import files: good lines, broken lines, message-level rejections."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from qa_app.ingest import (
    ParsedConversation,
    Rejection,
    UnreadableFile,
    inspect_file,
    read_conversations,
)


def conversation(cid="c-1", **overrides):
    record = {
        "conversation_id": cid,
        "channel": "WhatsApp",
        "started_at": "2026-03-02T09:15:00+03:00",
        "customer_id": "u-7",
        "csat": 4,
        "nps": 9,
        "tags": ["billing"],
        "team": "Tier 1",
        "escalated": False,
        "status": "resolved",
        "messages": [
            {"role": "customer", "text": "Hi, I was charged twice", "sent_at": "2026-03-02T09:15:00"},
            {"role": "agent", "author": "a.petrova", "text": "Sorry! Refunding now.",
             "sent_at": "2026-03-02T09:17:10"},
            {"role": "agent", "author": "b.ivanov", "text": "Anything else?",
             "sent_at": "2026-03-02T09:18:00"},
            {"role": "agent", "author": "a.petrova", "text": "Have a nice day.",
             "sent_at": "2026-03-02T09:19:00"},
        ],
    }  # fmt: skip
    record.update(overrides)
    return record


def write_jsonl(path, lines):
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
        + "\n",
        encoding="utf-8",
    )
    return path


def read(path, tz="Europe/Moscow"):
    items = list(read_conversations(inspect_file(path), ZoneInfo(tz)))
    good = {i.external_id: i for i in items if isinstance(i, ParsedConversation)}
    return good, [i for i in items if isinstance(i, Rejection)]


def test_good_line_is_normalised_with_derived_fields(tmp_path):
    good, rejected = read(write_jsonl(tmp_path / "c.jsonl", [conversation()]))
    assert rejected == []
    c = good["c-1"]
    assert (c.channel, c.language, c.csat, c.nps, c.team) == ("messenger", "en", 4, 9, "Tier 1")
    assert c.started_at == datetime(2026, 3, 2, 6, 15, tzinfo=UTC)
    assert c.ended_at == datetime(2026, 3, 2, 6, 19, tzinfo=UTC)
    assert c.first_response_seconds == 130
    assert c.agent_login == "a.petrova"
    assert len(c.content_hash) == 64


def test_hash_changes_with_content_and_default_zone(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [conversation()])
    same, _ = read(path)
    utc, _ = read(path, "UTC")
    assert read(path)[0]["c-1"].content_hash == same["c-1"].content_hash
    assert utc["c-1"].content_hash != same["c-1"].content_hash


def test_broken_lines_are_rejected_and_the_rest_imported(tmp_path):
    lines = [
        conversation("ok-1"),
        "{not json",
        conversation("bad-csat", csat=7),
        conversation("ok-1"),
        conversation("no-msgs", messages=[]),
        "[1, 2]",
    ]
    good, rejected = read(write_jsonl(tmp_path / "mixed.jsonl", lines))
    assert list(good) == ["ok-1"]
    described = [line for r in rejected for line in r.describe()]
    assert described[0].startswith("mixed.jsonl:2: line: not valid JSON")
    assert 'mixed.jsonl:3: csat: must be an integer 1-5, got "7"' in described
    assert (
        "mixed.jsonl:4: conversation_id: the same conversation_id already appears on line 1 of this file"
        in described
    )
    assert "mixed.jsonl:5: messages: the conversation has no messages" in described
    assert "mixed.jsonl:6: line: must be a JSON object" in described
    assert all(r.whole for r in rejected)


def test_bad_message_is_rejected_and_conversation_keeps_the_others(tmp_path):
    record = conversation("m")
    record["messages"][1]["role"] = "robot"
    record["messages"][2]["sent_at"] = "soon"
    good, rejected = read(write_jsonl(tmp_path / "m.jsonl", [record]))
    assert len(good["m"].messages) == 2
    fields = [p.field for r in rejected for p in r.problems]
    assert fields == ["messages[1].role", "messages[2].sent_at"]
    assert not any(r.whole for r in rejected)


def test_conversation_whose_every_message_is_rejected_is_rejected(tmp_path):
    record = conversation("all-bad", messages=[{"role": "customer", "text": ""}])
    good, rejected = read(write_jsonl(tmp_path / "x.jsonl", [record]))
    assert good == {}
    assert [r.whole for r in rejected] == [False, True]
    assert rejected[1].problems[0].code == "no_valid_messages"


def test_json_file_with_a_list_and_russian_language_detection(tmp_path):
    record = conversation("ru-1", messages=[{"role": "customer", "text": "Где мой заказ?"}])
    del record["started_at"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps([record], ensure_ascii=False, indent=2), encoding="utf-8")
    good, rejected = read(path)
    assert rejected == []
    assert good["ru-1"].language == "ru"
    assert good["ru-1"].started_at is None


def test_file_with_no_json_at_all_is_unreadable(tmp_path):
    path = write_jsonl(tmp_path / "junk.jsonl", ["hello", "world"])
    with pytest.raises(UnreadableFile) as caught:
        read(path)
    assert caught.value.code == "no_json"
