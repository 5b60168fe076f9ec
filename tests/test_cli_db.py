from click.testing import CliRunner

from qa_app.cli import cli
from qa_app.storage import db as storage_db


def test_db_upgrade_then_current(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", url, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"revision {storage_db.head_revision()}" in result.output
    result = runner.invoke(cli, ["--db", url, "db", "current"])
    assert "up to date" in result.output
    storage_db.dispose_engine(url)


def test_db_current_on_empty_database_says_none(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = CliRunner().invoke(cli, ["--db", url, "db", "current"])
    assert result.exit_code == 0
    assert "revision: none" in result.output
    storage_db.dispose_engine(url)
