"""Encodings decided line by line: a file mixing UTF-8 and cp1251 is stored right, and said so.

A file whose first megabyte mixed UTF-8 and cp1251 used to be decoded as cp1251 as a
whole, storing the UTF-8 lines garbled without a word; a cp1251 line after the first
megabyte of UTF-8 refused the whole file.
"""

from __future__ import annotations

import json
import os
import random
from datetime import UTC

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from qa_app.cli import cli
from qa_app.ingest import ParsedConversation, UnreadableFile, inspect_file, read_conversations
from qa_app.services.imports import ImportOptions, import_file
from qa_app.storage import db as storage_db
from qa_app.storage.models import Message

RU = "Здравствуйте, не проходит оплата картой"
EN_RU = "Добрый день! Сейчас проверю платёж"


def mixed_csv(padding_lines: int = 0) -> bytes:
    head = b"conversation_id,role,text\n"
    filler = "".join(f"f{i},customer,Привет {i}\n" for i in range(padding_lines)).encode()
    utf8_row = f'c1,customer,"{RU}"\n'.encode()
    cp1251_row = f"c1,agent,{EN_RU}\n".encode("cp1251")
    return head + filler + utf8_row + cp1251_row + f'c2,customer,"{RU}"\n'.encode()


def texts(path) -> dict[str, list[str]]:
    items = read_conversations(inspect_file(path), UTC)
    found = {}
    for item in items:
        if isinstance(item, ParsedConversation):
            found[item.external_id] = [m.text for m in item.messages]
    return found


def test_mixed_first_megabyte_is_decoded_line_by_line(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(mixed_csv())
    source = inspect_file(path)
    assert source.encoding == "mixed"
    assert texts(path) == {"c1": [RU, EN_RU], "c2": [RU]}


def test_a_cp1251_line_after_the_first_megabyte_is_read_not_fatal(tmp_path):
    path = tmp_path / "late.csv"
    path.write_bytes(mixed_csv(padding_lines=40_000))
    assert os.path.getsize(path) > 1 << 20 and inspect_file(path).encoding == "utf-8"
    found = texts(path)
    assert found["c1"] == [RU, EN_RU] and found["c2"] == [RU]


def test_jsonl_lines_are_decoded_one_by_one(tmp_path):
    good = json.dumps({"conversation_id": "u", "messages": [{"role": "customer", "text": RU}]})
    legacy = json.dumps(
        {"conversation_id": "w", "messages": [{"role": "customer", "text": EN_RU}]},
        ensure_ascii=False,
    )
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(good.encode() + b"\n" + legacy.encode("cp1251") + b"\n")
    assert texts(path) == {"u": [RU], "w": [EN_RU]}


def test_import_says_which_lines_were_cp1251_and_stores_both_right(db_url, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(mixed_csv())
    with storage_db.unit_of_work(db_url) as session:
        summary = import_file(session, path, options=ImportOptions(errors_dir=tmp_path))
        stored = set(session.scalars(select(Message.text)))
    assert stored == {RU, EN_RU}
    (note,) = summary.notes
    assert note.code == "mixed_encoding" and note.params == {"lines": "3", "count": 1}
    assert "lines: 3 (1 in all) are not UTF-8 and were read as cp1251" in note.describe("en")
    assert "прочитаны как cp1251" in note.describe("ru")
    assert summary.exit_code == 0


def test_a_file_entirely_in_cp1251_gets_no_note(sqlite_url, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(f'conversation_id,role,text\nc1,customer,"{RU}"\n'.encode("cp1251"))
    with storage_db.unit_of_work(sqlite_url) as session:
        summary = import_file(session, path)
    assert summary.notes == [] and inspect_file(path).encoding == "cp1251"


def test_cli_prints_the_mixed_encoding_note(sqlite_url, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(mixed_csv())
    result = CliRunner().invoke(cli, ["--db", sqlite_url, "import", str(path), "--lang", "ru"])
    assert result.exit_code == 0
    assert "note: mixed.csv: строки: 3 (всего 1) не в UTF-8 и прочитаны как cp1251" in result.output


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"PK\x03\x04" + bytes(range(256)) * 4, "binary"),  # xlsx, docx: a zip
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "binary"),  # old .xls
        ("conversation_id,role,text\nc,customer,hi\n".encode("utf-16-le"), "utf16"),  # no BOM
        (random.Random(7).randbytes(4096), "binary"),  # random bytes
    ],
)
def test_binary_and_utf16_files_are_refused_as_a_whole(tmp_path, content, code):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as caught:
        inspect_file(path)
    assert caught.value.code == code


def test_a_few_control_bytes_in_a_text_file_are_not_binary(tmp_path):
    path = tmp_path / "ctl.csv"
    path.write_bytes(b"conversation_id,role,text\nc1,customer,a\x00b\x01c\x1bd\n")
    assert inspect_file(path).encoding == "utf-8"
