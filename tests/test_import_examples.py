"""The example files in data/examples import exactly as data/README.md documents."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from qa_app.services.imports import ImportOptions, import_file
from qa_app.storage import db as storage_db
from qa_app.storage.models import Conversation, SurveyRating

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
        "surveys.csv": (8, 53),
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
        surveyed = session.execute(
            select(Conversation.external_id, func.count())
            .join(SurveyRating, SurveyRating.conversation_id == Conversation.id)
            .group_by(Conversation.external_id)
        ).all()
    # 6 JSONL conversations carry a survey object, all 8 of surveys.csv the survey columns
    assert sum(1 for e, _ in surveyed if e.startswith("example-jsonl")) == 6
    assert {n for e, n in surveyed if e.startswith("example-survey")} == {4}
    assert sum(1 for e, _ in surveyed if e.startswith("example-survey")) == 8


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


def test_hostile_values_example_reports_each_bad_row_and_stores_the_rest(db_url, tmp_path):
    """Issue 12 item 4 as a new user meets it: each bad value among good conversations."""
    from click.testing import CliRunner

    from qa_app.cli import cli

    args = ["--db", db_url, "import", "--errors-dir", str(tmp_path), "--default-tz", "UTC"]
    result = CliRunner().invoke(cli, [*args, str(EXAMPLES / "hostile_values.csv")])
    assert result.exit_code == 1, result.output
    out = result.output
    assert "hostile_values.csv: 7 imported, 0 updated, 0 unchanged, 7 rejected rows" in out
    expected = {
        4: 'sent_at: date and time "9999-12-31T23:30:00-05:00" is outside 1970-01-01',
        6: 'sent_at: date and time "0001-01-01T00:10:00+03:00" is outside 1970-01-01',
        8: "tags: JSON nested too deeply to be read",
        10: 'csat: must be an integer 1-5, got "777777',
        12: "text: contains the character U+0000 (NUL) (character 3)",
        15: "text: too long: 122399 characters, at most 100000",
        19: "row: a quote opened in this row is never closed",
    }
    for line, reason in expected.items():
        assert f"hostile_values.csv:{line}: {reason}" in out
    assert "lines: 17 (1 in all) are not UTF-8 and were read as cp1251" in out
    with storage_db.unit_of_work(db_url) as session:
        stored = {c.external_id: [m.text for m in c.messages] for c in
                  session.scalars(select(Conversation))}  # fmt: skip
    assert sorted(stored) == [f"hv-00{i}" for i in range(1, 8)]
    assert sum(len(texts) for texts in stored.values()) == 11
    assert stored["hv-007"][0] == "Здравствуйте, где мой возврат? Прошло две недели."


def test_hostile_values_jsonl_example(db_url, tmp_path):
    from click.testing import CliRunner

    from qa_app.cli import cli

    args = ["--db", db_url, "import", "--errors-dir", str(tmp_path), "--lang", "ru"]
    result = CliRunner().invoke(cli, [*args, str(EXAMPLES / "hostile_values.jsonl")])
    assert result.exit_code == 1, result.output
    fields = re.findall(r"^hostile_values\.jsonl:(\d+: [^:]+):", result.output, re.MULTILINE)
    assert fields == [
        "2: messages[2].sent_at",
        "3: started_at",
        "4: csat",
        "5: line",
        "6: messages[0].text",
        "7: messages[0].text",
        "8: messages[1].text",
        "9: nps",
        "10: conversation_id",
        "11: tags",
    ]
    assert "содержит символ U+0000 (NUL)" in result.output
    with storage_db.unit_of_work(db_url) as session:
        stored = set(session.scalars(select(Conversation.external_id)))
    assert stored == {"hj-001", "hj-002", "hj-006", "hj-007", "hj-008"}
