"""The example files in data/examples import exactly as data/README.md documents."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from qa_app.services.imports.runs import ImportOptions, import_file
from qa_app.storage import db as storage_db
from qa_app.storage.models import Conversation

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def _import(db_url, name, tmp_path, tz="Europe/Moscow"):
    with storage_db.unit_of_work(db_url) as session:
        options = ImportOptions(default_tz=tz, errors_dir=tmp_path)
        return import_file(session, EXAMPLES / name, options=options)


def test_good_files_import_completely(db_url, tmp_path):
    expected = {
        "good_conversations.jsonl": (20, 130),
        "good_chats.csv": (20, 121),
        "excel_export_cp1251.csv": (12, 73),
    }
    for name, (conversations, messages) in expected.items():
        summary = _import(db_url, name, tmp_path)
        assert (summary.imported, summary.messages, summary.rejected_rows) == (
            conversations,
            messages,
            0,
        ), name
        assert summary.exit_code == 0
    with storage_db.unit_of_work(db_url) as session:
        excel = session.scalars(
            select(Conversation).where(Conversation.external_id.like("excel-%"))
        ).all()
        assert {c.language for c in excel} == {"ru"}
        assert {c.channel for c in excel} <= {"chat", "phone", "email", "social", "messenger"}
        first = next(c for c in excel if c.external_id == "excel-001")
        assert first.started_at.isoformat() == "2026-02-19T17:16:00+00:00"
        assert "руб." in first.messages[0].text


def test_broken_csv_gives_the_documented_result(db_url, tmp_path):
    summary = _import(db_url, "broken.csv", tmp_path)
    assert summary.imported == 5
    assert summary.rejected_rows == 7
    row_rejections = [r for r in summary.rejections if r.rows]
    assert sorted(r.line for r in row_rejections) == [4, 7, 11, 15, 18, 21, 24]
    fields = {r.line: r.problems[0].field for r in row_rejections}
    assert fields == {
        4: "conversation_id",
        7: "role",
        11: "text",
        15: "csat",
        18: "sent_at",
        21: "channel",
        24: "row",
    }
    whole = [r.external_id for r in summary.rejections if r.whole]
    assert whole == ["broken-fax-001"]
    with storage_db.unit_of_work(db_url) as session:
        stored = {c.external_id: c for c in session.scalars(select(Conversation))}
        assert sorted(stored) == [f"broken-00{i}" for i in range(1, 6)]
        assert (stored["broken-003"].csat, stored["broken-003"].nps) == (5, 8)
    again = _import(db_url, "broken.csv", tmp_path)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 5)
