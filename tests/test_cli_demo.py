"""``qa-studio demo`` through the real CLI on a real SQLite file."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from qa_app.cli import cli
from qa_app.services.accounts.auth import authenticate
from qa_app.storage import db as storage_db
from qa_app.storage.models import AutoScoreRun, Conversation, Review, RubricVersion


def test_demo_loads_everything_and_if_empty_keeps_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    runner = CliRunner()
    args = ["--db", url, "demo", "--conversations", "80", "--password", "demo-password-123"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "80 new" in result.output
    assert "reviewer.strict" in result.output and "demo-password-123" in result.output
    with storage_db.unit_of_work(url) as session:
        assert session.scalar(select(func.count()).select_from(Conversation)) == 80
        assert session.scalar(select(func.count()).select_from(AutoScoreRun)) == 80
        assert session.scalar(select(func.count()).select_from(RubricVersion)) >= 1
        assert session.scalar(select(func.count()).select_from(Review)) > 0
        assert authenticate(session, "reviewer", "demo-password-123").role == "reviewer"
        # the mystery shoppers get the one password too, and are listed with it
        assert authenticate(session, "shopper", "demo-password-123").role == "shopper"
    assert "shopper.2" in result.output
    again = runner.invoke(cli, [*args, "--if-empty"])
    assert again.exit_code == 0
    assert "already has conversations" in again.output
    storage_db.dispose_engine(url)
