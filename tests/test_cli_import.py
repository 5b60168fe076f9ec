"""``qa-studio import`` through click's CliRunner: output, errors file, exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qa_app.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def invoke(url, *args):
    return CliRunner().invoke(cli, ["--db", url, "import", *args], catch_exceptions=False)


def test_good_file_exits_0_and_second_run_is_unchanged(sqlite_url, tmp_path):
    path = tmp_path / "one.jsonl"
    record = {
        "conversation_id": "c1",
        "channel": "email",
        "messages": [{"role": "customer", "text": "Hi", "sent_at": "2026-03-02 09:15:00"}],
    }
    path.write_text(json.dumps(record) + "\n")
    first = invoke(sqlite_url, str(path), "--default-tz", "Europe/Moscow")
    assert first.exit_code == 0, first.output
    assert "one.jsonl: 1 imported, 0 updated, 0 unchanged, 0 rejected rows" in first.output
    second = invoke(sqlite_url, str(path), "--default-tz", "Europe/Moscow")
    assert "0 imported, 0 updated, 1 unchanged" in second.output
    third = invoke(sqlite_url, str(path), "--default-tz", "UTC")
    assert "0 imported, 1 updated, 0 unchanged" in third.output


def test_rejected_rows_exit_1_listed_with_line_and_written_to_errors_dir(sqlite_url, tmp_path):
    result = invoke(sqlite_url, str(EXAMPLES / "broken.csv"), "--errors-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "broken.csv: 5 imported" in result.output
    assert 'broken.csv:15: csat: must be an integer 1-5, got "7"' in result.output
    assert 'broken.csv:7: role: unknown role "robot"' in result.output
    (errors,) = tmp_path.glob("import-errors-broken-*.csv")
    assert f"rejected rows written to {errors}" in result.output
    assert errors.read_text(encoding="utf-8-sig").count("broken.csv,") == 8


def test_unreadable_file_exits_2_with_one_line_and_others_still_import(sqlite_url, tmp_path):
    binary = tmp_path / "workbook.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00\x00")
    result = invoke(
        sqlite_url, str(binary), str(tmp_path / "missing.csv"), str(EXAMPLES / "good_chats.csv")
    )
    assert result.exit_code == 2
    assert "error: workbook.csv: not a text file" in result.output
    assert "error: missing.csv: file not found" in result.output
    assert "good_chats.csv: 20 imported" in result.output
    assert "Traceback" not in result.output


def test_unknown_time_zone_is_a_usage_error(sqlite_url, tmp_path):
    result = invoke(sqlite_url, str(EXAMPLES / "good_chats.csv"), "--default-tz", "Mars/Base")
    assert result.exit_code == 2
    assert "unknown time zone 'Mars/Base'" in result.output


def test_default_zone_comes_from_the_environment(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv("QA_STUDIO_DEFAULT_TZ", "Asia/Vladivostok")
    path = tmp_path / "tz.csv"
    path.write_text("conversation_id,role,text,sent_at\nz,customer,Hi,2026-03-02 10:00\n")
    assert invoke(sqlite_url, str(path)).exit_code == 0
    monkeypatch.setenv("QA_STUDIO_DEFAULT_TZ", "Asia/Vladivostok")
    assert "1 unchanged" in invoke(sqlite_url, str(path)).output
    monkeypatch.delenv("QA_STUDIO_DEFAULT_TZ")
    assert "1 updated" in invoke(sqlite_url, str(path)).output


def test_more_in_the_errors_file_is_said_only_when_more_is_there(sqlite_url, tmp_path):
    conflict = tmp_path / "conflict.csv"
    conflict.write_text(
        "conversation_id,channel,role,text\nz,chat,customer,Hi\nz,email,agent,Hello\n"
    )
    result = invoke(sqlite_url, str(conflict), "--errors-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "conflict.csv:2: channel: rows disagree" in result.output
    assert "more in the errors file" not in result.output
    many = tmp_path / "many.csv"
    many.write_text("conversation_id,role,text\n" + "".join(f"m{i},robot,x\n" for i in range(60)))
    result = invoke(sqlite_url, str(many), "--errors-dir", str(tmp_path))
    # 60 bad rows and 60 conversations left without messages: 120 reasons, 50 shown
    assert "... 70 more in the errors file" in result.output


def test_an_errors_file_that_cannot_be_written_is_said_and_every_row_listed(sqlite_url, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the errors folder should be")
    many = tmp_path / "many.csv"
    many.write_text("conversation_id,role,text\n" + "".join(f"m{i},robot,x\n" for i in range(60)))
    result = invoke(sqlite_url, str(many), "--errors-dir", str(blocker / "errors"))
    assert result.exit_code == 1
    assert "many.csv: 0 imported" in result.output
    assert "note: the errors file could not be written" in result.output
    assert "many.csv:61: role" in result.output  # all rows listed, not only 50
    assert "errors file\n" not in result.output.replace("could not be written", "")
    assert "Traceback" not in result.output
