"""CSV import files: encodings, delimiters, header aliases, scattered rows, rejections."""

from __future__ import annotations

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
from qa_app.ingest.csv_reader import read_csv
from qa_app.ingest.row_buffer import RowBuffer

RU_CSV = (
    "conversation_id,channel,sent_at,role,author,text,csat,tags\n"
    'c1,Telegram,2026-03-02 09:15:00,customer,,"Здравствуйте, не проходит оплата картой",,billing\n'
    "c1,telegram,2026-03-02 09:17:10,agent,a.petrova,Добрый день! Сейчас проверю платёж,4,card\n"
)


def _read(path, tz="UTC"):
    source = inspect_file(path)
    items = list(read_conversations(source, ZoneInfo(tz)))
    conversations = {i.external_id: i for i in items if isinstance(i, ParsedConversation)}
    rejections = [i for i in items if isinstance(i, Rejection)]
    return source, conversations, rejections


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1251", "cp1251")],
)
def test_encodings_are_detected_and_text_survives(tmp_path, encoding, expected):
    path = tmp_path / "chats.csv"
    path.write_bytes(RU_CSV.encode(encoding))
    source, conversations, rejections = _read(path)
    assert source.encoding == expected
    assert rejections == []
    conversation = conversations["c1"]
    assert conversation.messages[0].text == "Здравствуйте, не проходит оплата картой"
    assert conversation.channel == "messenger"
    assert conversation.language == "ru"
    assert conversation.tags == ["billing", "card"]
    assert conversation.csat == 4


def test_semicolon_delimiter_and_header_aliases(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text(
        "Conversation ID;Channel;Timestamp;Role;Author;Message;Team\n"
        "t-9;E-mail;02.03.2026 09:15;client;;Hello, my parcel is late, can you check?;Tier 1\n"
        "t-9;E-mail;02.03.2026 09:45;operator;j.smith;Sure, it arrives tomorrow.;Tier 1\n",
        encoding="utf-8",
    )
    _, conversations, rejections = _read(path, "Europe/Moscow")
    assert rejections == []
    conversation = conversations["t-9"]
    assert conversation.channel == "email"
    assert conversation.language == "en"
    assert conversation.team == "Tier 1"
    assert conversation.started_at == datetime(2026, 3, 2, 6, 15, tzinfo=UTC)
    assert conversation.first_response_seconds == 1800
    assert conversation.agent_login == "j.smith"
    assert [m.role for m in conversation.messages] == ["customer", "agent"]


def test_minimal_columns_default_channel_and_detect_language(tmp_path):
    path = tmp_path / "min.csv"
    path.write_text(
        "conversation_id,role,text\nm1,customer,Не могу войти в приложение\n", encoding="utf-8"
    )
    _, conversations, _ = _read(path)
    conversation = conversations["m1"]
    assert (conversation.channel, conversation.language) == ("chat", "ru")
    assert conversation.started_at is None and conversation.first_response_seconds is None


def test_scattered_rows_are_grouped_in_file_order(tmp_path):
    lines = ["conversation_id,role,author,text"]
    for turn in range(3):
        for conv in ("a", "b", "c"):
            role = "customer" if turn % 2 == 0 else "agent"
            lines.append(f"{conv},{role},ag.{conv},{conv} message {turn}")
    path = tmp_path / "scattered.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, conversations, rejections = _read(path)
    assert rejections == []
    assert sorted(conversations) == ["a", "b", "c"]
    assert [m.text for m in conversations["b"].messages] == [
        "b message 0",
        "b message 1",
        "b message 2",
    ]
    assert conversations["b"].messages[0].line == 3


def test_grouping_spills_to_disk_and_keeps_every_row(tmp_path):
    lines = ["conversation_id,role,text"]
    for turn in range(4):
        lines.extend(f"conv-{i},customer,turn {turn} of {i}" for i in range(50))
    path = tmp_path / "spread.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = inspect_file(path)
    items = list(read_csv(source, UTC, buffer_limit=20))
    assert len(items) == 50
    assert all(len(c.messages) == 4 for c in items)
    assert [m.text for m in items[7].messages][-1] == "turn 3 of 7"


def test_row_buffer_spill_returns_rows_in_order():
    buffer = RowBuffer(limit=2)
    buffer.add("x", 2, ["x", "one"])
    buffer.add("y", 3, ["y", "two"])
    buffer.add("x", 4, ["x", "три"])
    assert buffer.spilled
    assert buffer.pop("x") == [(2, ["x", "one"]), (4, ["x", "три"])]
    assert buffer.pop("y") == [(3, ["y", "two"])]
    buffer.close()


def test_bad_row_is_rejected_with_line_field_reason_and_others_kept(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(
        "conversation_id,channel,role,text,csat\n"
        "k1,chat,customer,Hi,\n"
        "k1,chat,agent,Hello,7\n"
        "k1,chat,agent,How can I help?,5\n"
        "k2,carrier pigeon,customer,Hi,\n"
        ",chat,customer,orphan,\n",
        encoding="utf-8",
    )
    _, conversations, rejections = _read(path)
    assert [m.text for m in conversations["k1"].messages] == ["Hi", "How can I help?"]
    assert conversations["k1"].csat == 5
    described = [line for r in rejections for line in r.describe()]
    assert 'broken.csv:3: csat: must be an integer 1-5, got "7"' in described
    assert any(line.startswith("broken.csv:5: channel: unknown channel") for line in described)
    assert "broken.csv:6: conversation_id: is required" in described
    whole = [r for r in rejections if r.whole]
    assert [r.external_id for r in whole] == ["k2"]


def test_conflicting_conversation_fields_reject_the_whole_conversation(tmp_path):
    path = tmp_path / "conflict.csv"
    path.write_text(
        "conversation_id,channel,role,text\nz,chat,customer,Hi\nz,email,agent,Hello\n",
        encoding="utf-8",
    )
    _, conversations, rejections = _read(path)
    assert conversations == {}
    (rejection,) = rejections
    assert rejection.whole and rejection.rows == 2
    assert rejection.problems[0].field == "channel"
    assert "line 2" in rejection.describe()[0] and "line 3" in rejection.describe()[0]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"a,b\n1,2\n", "missing_columns"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        (b"   \n", "empty"),
        (b"\xff\xfec\x00o\x00", "utf16"),
    ],
)
def test_unreadable_files_raise_before_anything_is_read(tmp_path, content, code):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as caught:
        _read(path)
    assert caught.value.code == code


def test_missing_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile) as caught:
        inspect_file(tmp_path / "nope.csv")
    assert caught.value.code == "missing"


def test_excel_sep_hint_line_sets_delimiter_and_keeps_line_numbers(tmp_path):
    path = tmp_path / "hint.csv"
    path.write_bytes(
        "sep=;\r\nconversation_id;role;text;csat\r\nh1;customer;Привет, это я;9\r\n"
        "h1;customer;Ещё раз;\r\n".encode("cp1251")
    )
    _, conversations, rejections = _read(path)
    assert [m.text for m in conversations["h1"].messages] == ["Ещё раз"]
    assert rejections[0].line == 3 and rejections[0].problems[0].field == "csat"
