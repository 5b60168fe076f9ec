"""``qa-studio bench load`` on the real PostgreSQL server, small: reviewers in threads grade
through the review service while two tabs and two leads race; nothing is lost, duplicated
or assigned twice, and every stale save is refused as a conflict."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import migrated_pg_schema

from qa_app.bench import load, scale
from qa_app.cli import cli
from qa_app.cli.commands_bench_load import format_report

pytestmark = pytest.mark.slow


@pytest.fixture
def pg_url(pg_available):
    if pg_available:
        pytest.skip(pg_available)
    yield from migrated_pg_schema()


def test_reviewers_at_once_lose_nothing_and_stale_tabs_get_a_conflict(pg_url, tmp_path):
    export = tmp_path / "export.jsonl"
    conversations = scale.write_export(export, 60)
    actors, spare = load.prepare(pg_url, export, n_reviewers=6)
    report = load.run_load(pg_url, actors, spare, seconds=300, limit=10_000, tab_every=3)

    assert report.errors == []
    assert report.submitted > 0
    assert report.stored_reviews == report.submitted  # every acknowledged submit is stored
    assert report.lost == 0 and report.duplicated == 0
    assert report.tab_probes > 0 and report.tab_refused == report.tab_probes
    assert report.race_conversations == len(spare) > 0
    assert report.race_double_assigned == 0
    # the queues were emptied: every conversation was graded exactly once
    assert report.submitted == conversations
    text = "\n".join(format_report(report))
    assert "lost 0, duplicated 0" in text and "reviews/s held" in text


def test_the_load_command_refuses_a_server_elsewhere():
    result = CliRunner().invoke(
        cli, ["bench", "load", "--url", "postgresql+psycopg://u@db.example.com/test"]
    )
    assert result.exit_code != 0
    assert "db.example.com" in result.output
