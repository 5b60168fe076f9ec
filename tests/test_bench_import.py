"""``bench import`` on a small file: it runs end to end and prints its figures (no timing asserts)."""

from __future__ import annotations

import re

from click.testing import CliRunner

from qa_app.cli import cli


def test_bench_import_prints_rate_and_peak_memory_per_database(pg_available):
    result = CliRunner().invoke(
        cli, ["bench", "import", "--messages", "300", "--postgres"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"file: 300 messages in \d+ conversations", result.output)
    sqlite = re.search(
        r"SQLite\s+300 messages in .* = +[\d,]+ messages/s; peak memory [\d,]+ MB", result.output
    )
    assert sqlite, result.output
    if pg_available is None:
        assert re.search(r"PostgreSQL\s+300 messages in .* messages/s", result.output)
    else:
        assert "PostgreSQL: skipped" in result.output
