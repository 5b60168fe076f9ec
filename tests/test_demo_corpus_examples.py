"""Example import files: reproducible, and broken exactly where qa_app/demo/README.md says."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from qa_app.demo.corpus.examples import BROKEN_LINES, CSV_COLUMNS, EXAMPLES_DIR, write_examples

ROLES = {"customer", "agent", "system"}
CHANNELS = {"chat", "email", "phone", "messenger", "social"}
EXCEL_CHANNELS = {"Чат", "Телефон", "e-mail", "Почта", "VK", "Telegram", "WhatsApp"}


def read_csv(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("examples")
    write_examples(folder)
    return folder


@pytest.mark.parametrize(
    "name",
    [
        "good_chats.csv",
        "good_conversations.jsonl",
        "excel_export_cp1251.csv",
        "broken.csv",
        "surveys.csv",
    ],
)
def test_committed_examples_are_reproducible(regenerated: Path, name: str) -> None:
    assert (regenerated / name).read_bytes() == (EXAMPLES_DIR / name).read_bytes()


def test_jsonl_example_has_twenty_bilingual_conversations() -> None:
    lines = (EXAMPLES_DIR / "good_conversations.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 20
    assert {r["language"] for r in records} == {"ru", "en"}
    assert {r["channel"] for r in records} == CHANNELS
    for r in records:
        assert r["messages"] and all(m["role"] in ROLES for m in r["messages"])
        datetime.fromisoformat(r["started_at"])


def test_csv_example_one_row_per_message() -> None:
    rows = read_csv(EXAMPLES_DIR / "good_chats.csv")
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert len({r["conversation_id"] for r in body}) == 20
    assert {r["language"] for r in body} == {"ru", "en"}
    assert any("|" in r["tags"] for r in body)
    for r in body:
        assert r["role"] in ROLES and r["text"] and r["channel"] in CHANNELS
        assert datetime.fromisoformat(r["sent_at"]).tzinfo is not None


def test_excel_export_is_cp1251_semicolon_with_russian_dates() -> None:
    raw = (EXAMPLES_DIR / "excel_export_cp1251.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"\r\n" in raw
    rows = read_csv(EXAMPLES_DIR / "excel_export_cp1251.csv", "cp1251", ";")
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert {r["channel"] for r in body} == EXCEL_CHANNELS
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", r["sent_at"]) for r in body)
    assert all(r["language"] == "ru" for r in body)


def row_problem(row: list[str]) -> str | None:
    """A reference check of one CSV row against the import rules of DESIGN.md."""
    if len(row) != len(CSV_COLUMNS):
        return "(row)"
    r = dict(zip(CSV_COLUMNS, row, strict=True))
    if not r["conversation_id"]:
        return "conversation_id"
    if r["role"] not in ROLES:
        return "role"
    if not r["text"].strip():
        return "text"
    if r["csat"] and not 1 <= int(r["csat"]) <= 5:
        return "csat"
    try:
        datetime.fromisoformat(r["sent_at"])
    except ValueError:
        return "sent_at"
    return None if r["channel"] in CHANNELS else "channel"


def test_broken_csv_is_broken_exactly_where_documented() -> None:
    rows = read_csv(EXAMPLES_DIR / "broken.csv")
    problems = {line: row_problem(row) for line, row in enumerate(rows[1:], start=2)}
    rejected = {line: field for line, field in problems.items() if field}
    assert rejected == {line: field for line, (field, _) in BROKEN_LINES.items()}
    good = {rows[line - 1][0] for line, field in problems.items() if field is None}
    assert len(good) == 5
    readme = (EXAMPLES_DIR.parents[1] / "qa_app" / "demo" / "README.md").read_text("utf-8")
    for line, (_, reason) in BROKEN_LINES.items():
        assert f"| {line} |" in readme and reason in readme
