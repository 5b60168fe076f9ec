"""``qa-studio bench scorecards`` runs end to end at a tiny scale (it prints figures and
asserts no time: speed is judged from its output, never by a timed test)."""

from __future__ import annotations

from click.testing import CliRunner

from qa_app.bench import scorecards as bench
from qa_app.cli import cli


def test_fill_is_idempotent_and_loads_what_it_says(sqlite_url):
    first = bench.fill(sqlite_url, scale=0.005)
    assert first == (500, 5000, first[2]) and 100 <= first[2] <= 120  # 1 in 5, 5% twice
    assert bench.fill(sqlite_url, scale=0.005) == first  # a second call reuses the data


def test_command_prints_every_figure(tmp_path):
    done = CliRunner().invoke(cli, ["bench", "scorecards", "--scale", "0.002", "--no-postgres",
                                    "--keep", str(tmp_path)])  # fmt: skip
    assert done.exit_code == 0, done.output
    text = done.output
    assert "SQLite: 200 conversations, 2,000 messages" in text
    for label in ("scorecard page  first", "team dashboard  first", "PDF export (ru) first",
                  "reference: Overview page"):  # fmt: skip
        assert label in text
