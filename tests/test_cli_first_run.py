"""A new install driven from the terminal alone: upgrade, import, add a reviewer, sample.
Sampling used to stop with "no active rubric" until someone had opened the app once (the
app installs the bundled rubric on its first page load); the CLI now does the same."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from qa_app.cli import cli
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Assignment

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def test_import_then_sample_on_a_fresh_database(sqlite_url):
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None):
        result = runner.invoke(cli, ["--db", sqlite_url, *args], input=stdin)
        assert result.exit_code == 0, result.output
        return result.output

    run("import", str(EXAMPLES / "good_chats.csv"))
    run("users", "add", "rita", "--role", "reviewer", "--password-stdin", stdin="Rita-pass-2026!\n")
    output = run(
        "sample", "--strategy", "random", "--per-agent-week", "50", "--reviewers", "rita",
        "--now", "2026-03-30T12:00:00",
    )  # fmt: skip
    assert "no active rubric" not in output
    with unit_of_work(sqlite_url) as session:
        assigned = session.scalar(select(func.count()).select_from(Assignment))
    assert assigned and f"assigned {assigned} of" in output
