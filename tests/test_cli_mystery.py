"""``qa-studio mystery import`` with a broken row (exit 1, every problem on stderr, the
good rows imported) and an unreadable header (exit 2, nothing imported)."""

from __future__ import annotations

from click.testing import CliRunner
from mystery_fixtures import programme
from sqlalchemy import func, select
from test_mystery_service import CSV, _full_csv

from qa_app.cli import cli
from qa_app.storage import db as storage_db
from qa_app.storage.models import MysteryVisit


def _count(url: str) -> int:
    with storage_db.unit_of_work(url) as session:
        return session.scalar(select(func.count(MysteryVisit.id)))


def test_import_reports_broken_rows_and_exit_codes(sqlite_url, tmp_path):
    programme(sqlite_url)
    path = tmp_path / "visits.csv"
    path.write_bytes(_full_csv(CSV))
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", sqlite_url, "mystery", "import", str(path), "--tz", "UTC"])
    assert result.exit_code == 1, result.output
    assert "visits.csv:3: contacted_at:" in result.stderr
    assert "visits.csv:4: agent: There is no agent with the login “nobody”." in result.stderr
    assert "1 of 4 rows imported" in result.stdout
    assert _count(sqlite_url) == 1
    again = runner.invoke(cli, ["--db", sqlite_url, "mystery", "import", str(path)])
    assert again.exit_code == 1 and "1 already imported" in again.stdout
    assert _count(sqlite_url) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("when,who\n1,2\n", encoding="utf-8")
    refused = runner.invoke(
        cli, ["--db", sqlite_url, "mystery", "import", str(bad), "--lang", "ru"]
    )
    assert refused.exit_code == 2 and "нет обязательных столбцов" in refused.stderr
