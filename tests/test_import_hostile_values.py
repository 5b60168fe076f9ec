"""Issue 12 item 4: one value the database cannot store rejects its row, never the import.

Each case puts one bad value into an otherwise good file and imports it on SQLite and
PostgreSQL: the bad row is reported with its line, field and reason, both good
conversations are stored with every message, and nothing else is rejected.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from qa_app.cli import cli
from qa_app.services.imports import ImportOptions, import_file
from qa_app.storage import db as storage_db
from qa_app.storage.models import Conversation, Message

HEADER = ["conversation_id", "channel", "sent_at", "role", "author", "text", "csat", "tags", "team"]
DEEP = "[" * 5000 + "]" * 5000


def good_record(cid: str) -> dict:
    return {
        "conversation_id": cid,
        "channel": "chat",
        "team": "Tier 1",
        "messages": [
            {"role": "customer", "text": "My parcel is late", "sent_at": "2026-03-02T09:00:00Z"},
            {"role": "agent", "author": "a.petrova", "text": "Checking it now"},
        ],
    }


def jsonl_file(path, bad_line: str) -> None:
    lines = [json.dumps(good_record("g1")), bad_line, json.dumps(good_record("g2"))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def with_message(**fields) -> str:
    record = good_record("bad")
    record["messages"][0].update(fields)
    return json.dumps(record)


def with_field(**fields) -> str:
    return json.dumps({**good_record("bad"), **fields})


JSONL_CASES = {
    "year 9999 with an offset": (
        with_message(sent_at="9999-12-31T23:30:00-05:00"),
        "messages[0].sent_at",
        "timestamp_out_of_range",
    ),
    "year 0001 with an offset": (
        with_message(sent_at="0001-01-01T00:10:00+03:00"),
        "messages[0].sent_at",
        "timestamp_out_of_range",
    ),
    "started_at at the calendar's end": (
        with_field(started_at="9999-12-31T23:59:59-12:00"),
        "started_at",
        "timestamp_out_of_range",
    ),
    "deeply nested JSON in a field": (
        '{"conversation_id": "bad", "customer_id": ' + DEEP + ', "messages": []}',
        "line",
        "too_deep",
    ),
    "a JSON object where text belongs": (
        with_field(customer_id={"id": [1, [2, [3]]]}),
        "customer_id",
        "not_text",
    ),
    "CSAT with 400 digits": (with_field(csat=int("7" * 400)), "csat", "bad_range_1_5"),
    "NPS of 1e400": (
        '{"conversation_id": "bad", "nps": 1e400, "messages": [{"role": '
        '"customer", "text": "hi"}]}',
        "nps",
        "bad_range_0_10",
    ),  # fmt: skip
    "NUL in a message": (with_message(text="hi\u0000there"), "messages[0].text", "bad_character"),
    "NUL in an author": (with_message(author="a\u0000b"), "messages[0].author", "bad_character"),
    "NUL in a team": (with_field(team="Tier\u00001"), "team", "bad_character"),
    "NUL in a tag": (with_field(tags=["ok", "bil\u0000ling"]), "tags", "bad_character"),
    "a lone surrogate": (with_message(text="emoji \ud83d"), "messages[0].text", "bad_character"),
    "a message over the text limit": (
        with_message(text="x" * 100_001),
        "messages[0].text",
        "too_long",
    ),
    "a team name over its column": (with_field(team="T" * 121), "team", "too_long"),
    "too many tags": (with_field(tags=[f"t{i}" for i in range(51)]), "tags", "too_many_tags"),
}


def _import(db_url, path, tmp_path):
    with storage_db.unit_of_work(db_url) as session:
        options = ImportOptions(errors_dir=tmp_path / "errors")
        return import_file(session, path, options=options)


def _stored(db_url) -> dict[str, int]:
    with storage_db.unit_of_work(db_url) as session:
        query = (
            select(Conversation.external_id, func.count(Message.id))
            .join(Message)
            .group_by(Conversation.external_id)
        )
        return dict(session.execute(query).all())


def _only_problem(summary):
    (rejection,) = [r for r in summary.rejections if r.rows]
    (problem,) = rejection.problems
    return rejection, problem


@pytest.mark.parametrize("case", list(JSONL_CASES))
def test_one_bad_jsonl_value_rejects_its_row_and_the_rest_is_stored(db_url, tmp_path, case):
    line, field, code = JSONL_CASES[case]
    path = tmp_path / "hostile.jsonl"
    jsonl_file(path, line)
    summary = _import(db_url, path, tmp_path)
    rejection, problem = _only_problem(summary)
    assert (rejection.file, rejection.line, problem.field, problem.code) == (
        "hostile.jsonl",
        2,
        field,
        code,
    )
    assert problem.reason("en") and problem.reason("ru") != problem.reason("en")
    kept = {"bad": 1} if field.startswith("messages[") else {}  # its other message stays
    assert _stored(db_url) == {"g1": 2, "g2": 2, **kept}
    assert summary.exit_code == 1 and summary.errors_path.is_file()


def csv_text(bad_row: list[str]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerow(["g1", "chat", "2026-03-02 09:00", "customer", "", "Hello", "", "", ""])
    writer.writerow(["g1", "chat", "2026-03-02 09:01", "agent", "a.petrova", "Hi", "5", "", ""])
    writer.writerow(bad_row)
    writer.writerow(["g2", "email", "2026-03-02 10:00", "customer", "", "Refund?", "", "", ""])
    writer.writerow(["g1", "chat", "2026-03-02 09:02", "customer", "", "Thanks", "", "", ""])
    return buffer.getvalue()


def bad_row(**values: str) -> list[str]:
    row = dict(zip(HEADER, ["bad", "chat", "", "customer", "", "Hello", "", "", ""], strict=True))
    row.update(values)
    return [row[name] for name in HEADER]


CSV_CASES = {
    "year 9999 with an offset": (
        bad_row(sent_at="9999-12-31T23:30:00-05:00"),
        "sent_at",
        "timestamp_out_of_range",
    ),
    "year 0001 with an offset": (
        bad_row(sent_at="0001-01-01T00:10:00+03:00"),
        "sent_at",
        "timestamp_out_of_range",
    ),
    "deeply nested JSON in the tags": (bad_row(tags=DEEP), "tags", "too_deep"),
    "CSAT with 400 digits": (bad_row(csat="7" * 400), "csat", "bad_range_1_5"),
    "CSAT of 1e400": (bad_row(csat="1e400"), "csat", "bad_range_1_5"),
    "NUL in a message": (bad_row(text="hi\x00there"), "text", "bad_character"),
    "NUL in the conversation id": (
        bad_row(conversation_id="b\x00d"),
        "conversation_id",
        "bad_character",
    ),
    "a message over the text limit": (bad_row(text="y" * 100_001), "text", "too_long"),
    "a team name over its column": (bad_row(team="T" * 121), "team", "too_long"),
}


@pytest.mark.parametrize("case", list(CSV_CASES))
def test_one_bad_csv_value_rejects_its_row_and_the_rest_is_stored(db_url, tmp_path, case):
    row, field, code = CSV_CASES[case]
    path = tmp_path / "hostile.csv"
    path.write_text(csv_text(row), encoding="utf-8")
    summary = _import(db_url, path, tmp_path)
    rejection, problem = _only_problem(summary)
    assert (rejection.line, problem.field, problem.code) == (4, field, code)
    assert _stored(db_url) == {"g1": 3, "g2": 1}
    assert summary.exit_code == 1


@pytest.mark.parametrize("quoted_lines", [1, 3])
def test_a_50_mb_csv_field_rejects_its_row_only(db_url, tmp_path, quoted_lines):
    """The field is cut after 2 MB (memory stays flat); rows after it parse as before."""
    piece = "z" * (50 * 1024 * 1024 // quoted_lines)
    huge = "\n".join([piece] * quoted_lines)
    path = tmp_path / "huge.csv"
    path.write_text(csv_text(bad_row(text=huge)), encoding="utf-8")
    summary = _import(db_url, path, tmp_path)
    rejection, problem = _only_problem(summary)
    assert (rejection.line, problem.field, problem.code) == (4, "text", "row_too_long")
    assert _stored(db_url) == {"g1": 3, "g2": 1}


def test_a_50_mb_jsonl_line_rejects_that_line_only(db_url, tmp_path):
    path = tmp_path / "huge.jsonl"
    jsonl_file(path, with_message(text="z" * (50 * 1024 * 1024)))
    summary = _import(db_url, path, tmp_path)
    rejection, problem = _only_problem(summary)
    assert (rejection.line, problem.field, problem.code) == (2, "line", "line_too_long")
    assert _stored(db_url) == {"g1": 2, "g2": 2}


def test_a_nul_byte_in_a_csv_is_a_row_error_not_a_binary_file(db_url, tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(csv_text(bad_row(text="a\x00b")).encode("utf-8"))
    summary = _import(db_url, path, tmp_path)
    assert _only_problem(summary)[1].code == "bad_character"
    assert _stored(db_url) == {"g1": 3, "g2": 1}


def test_bytes_neither_utf8_nor_cp1251_reject_their_row(db_url, tmp_path):
    data = csv_text(bad_row(text="PLACEHOLDER")).encode("utf-8")
    path = tmp_path / "bytes.csv"
    path.write_bytes(data.replace(b"PLACEHOLDER", b"\xd0\x98\xff\x98"))  # 0x98: not cp1251
    summary = _import(db_url, path, tmp_path)
    rejection, problem = _only_problem(summary)
    assert (rejection.line, problem.field, problem.code) == (4, "row", "bad_encoding")
    assert _stored(db_url) == {"g1": 3, "g2": 1}


def test_cli_reports_a_nul_on_postgresql_without_sql_or_parameters(db_url, tmp_path):
    path = tmp_path / "nul.jsonl"
    jsonl_file(path, with_message(text="secret\u0000value"))
    result = CliRunner().invoke(
        cli, ["--db", db_url, "import", str(path), "--errors-dir", str(tmp_path)]
    )
    assert result.exit_code == 1, result.output
    assert "nul.jsonl: 3 imported" in result.output  # the bad message alone is left out
    assert "nul.jsonl:2: messages[0].text: contains the character U+0000 (NUL)" in result.output
    for leak in ("INSERT", "COPY", "SELECT", "secret", "Traceback", "DataError"):
        assert leak not in result.output


def test_a_json_list_with_one_item_too_deep_keeps_the_others(db_url, tmp_path):
    items = [json.dumps(good_record("g1"), indent=2), '{"customer_id": ' + DEEP + "}",
             json.dumps(good_record("g2"), indent=2)]  # fmt: skip
    path = tmp_path / "export.json"
    path.write_text("[\n" + ",\n".join(items) + "\n]\n", encoding="utf-8")
    summary = _import(db_url, path, tmp_path)
    rejection, problem = _only_problem(summary)
    deep_line = 2 + len(items[0].splitlines())  # "[", then the first item
    assert (rejection.line, problem.field, problem.code) == (deep_line, "line", "too_deep")
    assert _stored(db_url) == {"g1": 2, "g2": 2}


@pytest.mark.parametrize("line", ['{"a": ' + DEEP + "}", '{"text": "' + "z" * (17 << 20) + '"}'])
def test_a_jsonl_file_of_one_unreadable_line_is_a_row_error_not_a_fatal_one(
    sqlite_url, tmp_path, line
):
    path = tmp_path / "one.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    summary = _import(sqlite_url, path, tmp_path)
    assert summary.exit_code == 1 and summary.rejected_rows == 1 and summary.imported == 0
