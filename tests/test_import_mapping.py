"""Column-mapping import of any CSV or XLSX: guesses from Russian and English headers,
presets, the CLI, and the standard row-level report with the source file's line numbers;
stored on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import select

from qa_app.cli import cli
from qa_app.ingest.mapping import ColumnMapping, MappingError, guess_mapping
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import AuditEvent, Conversation

HEADERS = ["Номер обращения", "Дата", "Автор", "Сообщение", "Канал", "Оценка", "Примечание"]
ROWS = [
    ["T-1", datetime(2026, 3, 2, 9, 0), "Иван Петров", "Здравствуйте, заказ не пришёл", "чат", 4, ""],
    ["T-1", datetime(2026, 3, 2, 9, 2), "op.anna", "Добрый день! Проверяю заказ.", "чат", 4, "x"],
    ["T-2", datetime(2026, 3, 2, 10, 0), "Mary", "Hello, refund please", "email", 7, ""],
    ["T-2", datetime(2026, 3, 2, 10, 5), "op.bob", "", "email", 7, ""],
    ["", datetime(2026, 3, 2, 11, 0), "Mary", "lost row", "email", "", ""],
    ["T-3", "02.03.2026 12:00", "Олег", "Не работает приложение", "чат", 5, ""],
    ["T-3", "02.03.2026 12:03", "op.anna", "Переустановите, пожалуйста", "чат", 5, ""],
]  # fmt: skip


def _xlsx(path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    book.save(path)


def invoke(url, *args):
    return CliRunner().invoke(cli, ["--db", url, *args], catch_exceptions=False)


def test_guesses_from_russian_and_english_headers():
    assert guess_mapping(HEADERS) == {
        "conversation_id": "Номер обращения",
        "sent_at": "Дата",
        "author": "Автор",
        "text": "Сообщение",
        "channel": "Канал",
        "csat": "Оценка",
    }
    english = ["Ticket ID", "Created at", "Sender type", "Agent name", "Message Body", "Rating"]
    assert guess_mapping(english) == {
        "conversation_id": "Ticket ID",
        "sent_at": "Created at",
        "role": "Sender type",
        "author": "Agent name",
        "text": "Message Body",
        "csat": "Rating",
    }


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ({"columns": {"text": "Сообщение"}}, "required"),
        ({"columns": {"conversation_id": "A", "text": "B"}}, "no_role"),
        ({"columns": {"conversation_id": "A", "text": "B", "author": "C"},
          "agent_pattern": "op.("}, "bad_pattern"),
        ({"columns": {"conversation_id": "A", "text": "B", "mood": "C"}}, "unknown_field"),
        ({"colums": {}}, "unknown_key"),
    ],
)  # fmt: skip
def test_unusable_mappings_say_why(document, code):
    with pytest.raises(MappingError) as caught:
        ColumnMapping.from_document(document)
    assert caught.value.code == code


def test_guess_save_and_import_an_excel_file_with_the_standard_report(db_url, tmp_path):
    workbook = tmp_path / "выгрузка.xlsx"
    _xlsx(workbook)
    guessed = invoke(db_url, "mapping", "guess", str(workbook))
    assert guessed.exit_code == 0, guessed.output
    document = yaml.safe_load(guessed.output)
    assert document["columns"]["conversation_id"] == "Номер обращения"
    assert "# not mapped: Примечание" in guessed.output
    document["agent_pattern"] = r"^op\."
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    saved = invoke(db_url, "mapping", "save", "helpdesk-excel", str(tmp_path / "m.yaml"))
    assert saved.exit_code == 0, saved.output
    assert (
        "helpdesk-excel: conversation_id <- Номер обращения"
        in invoke(db_url, "mapping", "list").output
    )
    result = invoke(
        db_url, "import", "--mapping", "helpdesk-excel", "--default-tz", "Europe/Moscow",
        "--errors-dir", str(tmp_path), str(workbook),
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "выгрузка.xlsx: 2 imported" in result.output
    # sheet rows: header 1; T-2's bad CSAT on rows 4-5, its empty reply on row 5, no id on 6
    assert 'выгрузка.xlsx:4: csat: must be an integer 1-5, got "7"' in result.output
    assert "выгрузка.xlsx:5: text: is required" in result.output
    assert "выгрузка.xlsx:6: conversation_id: is required" in result.output
    with unit_of_work(db_url) as session:
        rows = session.scalars(select(Conversation).order_by(Conversation.external_id)).all()
        assert [c.external_id for c in rows] == ["T-1", "T-3"]
        first = rows[0]
        assert [(m.role, m.author) for m in first.messages] == [
            ("customer", "Иван Петров"),
            ("agent", "op.anna"),
        ]
        assert first.channel == "chat" and first.csat == 4
        assert first.started_at.isoformat() == "2026-03-02T06:00:00+00:00"  # Moscow 09:00
        saved_event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "import.mapping_saved")
        ).one()
        assert saved_event.details["name"] == "helpdesk-excel"


def test_csv_with_a_mapping_file_and_role_column(sqlite_url, tmp_path):
    data = tmp_path / "export.csv"
    data.write_text(
        "Chat;When;Who;Text body;Queue\n"
        "c9;2026-03-02 09:00;client;Hi, my card is blocked;Cards\n"
        "c9;2026-03-02 09:01;operator;Unblocking it now;Cards\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "columns: {conversation_id: Chat, sent_at: When, role: Who, text: Text body, "
        "team: Queue}\ndefaults: {channel: chat, language: en}\n",
        encoding="utf-8",
    )
    result = invoke(sqlite_url, "import", "--mapping-file", str(mapping), str(data))
    assert result.exit_code == 0, result.output
    with unit_of_work(sqlite_url) as session:
        conversation = session.scalars(select(Conversation)).one()
        assert [m.role for m in conversation.messages] == ["customer", "agent"]
        assert (conversation.channel, conversation.language) == ("chat", "en")


def test_mapping_problems_are_one_clear_line(sqlite_url, tmp_path):
    workbook = tmp_path / "book.xlsx"
    _xlsx(workbook)
    assert invoke(sqlite_url, "import", "--mapping", "nope", str(workbook)).exit_code == 3
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "columns: {conversation_id: Ticket, text: Сообщение, role: Роль}\n", encoding="utf-8"
    )
    result = invoke(sqlite_url, "import", "--mapping-file", str(mapping), str(workbook))
    assert result.exit_code == 2
    assert "the mapping names column(s) Ticket, Роль that the file does not have" in result.output
    assert "Traceback" not in result.output
