"""``qa-studio coaching topics`` prints the team's topics with their evidence counts."""

from __future__ import annotations

from click.testing import CliRunner
from coaching_fixtures import NOW, seed_coaching

from qa_app.cli import cli


def _invoke(url: str, *args: str):
    return CliRunner().invoke(cli, ["--db", url, "coaching", "topics", *args])


def test_topics_with_evidence_counts(sqlite_url):
    seed_coaching(sqlite_url)
    result = _invoke(sqlite_url, "--team", "Tier 1", "--now", NOW.isoformat())
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == (
        "  1. Acknowledging emotions (empathy-acknowledgement): 1 of 3 agents; "
        "evidence 8 reviews, 8 conversations with signals"
    )
    assert lines[2] == "     agents: a.low"
    assert lines[-1] == "  not enough evidence yet: a.new"


def test_an_unknown_team_is_a_clear_error(sqlite_url):
    seed_coaching(sqlite_url)
    result = _invoke(sqlite_url, "--team", "Nobody", "--now", NOW.isoformat())
    assert result.exit_code == 2
    assert "no team named 'Nobody' (teams: Tier 1)" in result.output


def test_bench_coaching_prints_every_case(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    result = CliRunner().invoke(
        cli, ["bench", "coaching", "--conversations", "1000", "--repeats", "1", "--db-url", url]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("1,000 conversations, 60 agents in 4 teams")
    assert lines[1].lstrip().startswith("reference: every criterion score")
    assert len(lines) == 8 and all(" s wall " in line for line in lines[1:])
