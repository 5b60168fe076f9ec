"""``qa-studio bench scale`` runs every stage of the pipeline end to end (tiny size here;
the figures themselves are for the benchmark command, never asserted as times)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qa_app.bench import scale
from qa_app.cli import cli
from qa_app.cli.commands_bench_scale import format_stages

pytestmark = pytest.mark.slow


def test_every_stage_handles_the_same_data_and_grades_every_sampled_conversation(tmp_path):
    export = tmp_path / "export.jsonl"
    conversations = scale.write_export(export, 60)
    figures = {f.stage: f for f in scale.run_pipeline(f"sqlite:///{tmp_path / 's.db'}", export, 1)}

    assert list(figures) == list(scale.STAGES)
    messages = figures["reference_insert"].count
    assert 6 * conversations <= messages <= 14 * conversations
    # the references saw exactly what the import and the scorer saw
    assert figures["import"].count == messages
    assert figures["reference_vader"].count == messages
    assert figures["score"].count == messages
    # the plan sampled something, and every sampled conversation was graded once, no conflict
    assert figures["sample"].count > 0
    assert figures["grade"].count == figures["sample"].count
    assert figures["grade"].detail == "0 conflicts"
    assert figures["render"].count == figures["grade"].count
    assert "team first" in figures["render"].detail
    assert all(f.peak_mb > 0 for f in figures.values())

    lines = format_stages("SQLite", list(figures.values()))
    assert "raw insert speed" in lines[-1] and "VADER" in lines[-1]


def test_the_command_explains_itself():
    result = CliRunner().invoke(cli, ["bench", "scale", "--help"])
    assert result.exit_code == 0
    assert "--conversations" in result.output and "--postgres" in result.output
