"""``qa-studio rubric check`` and ``rubric show`` through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from qa_app.cli import commands_rubric

DEFAULT = Path(__file__).resolve().parent.parent / "rubrics" / "support-default.yaml"


@pytest.fixture()
def cli() -> click.Group:
    """A bare group with only the rubric commands: these tests need no database."""

    @click.group()
    def group() -> None:
        pass

    commands_rubric.register(group)
    return group


def _broken(tmp_path: Path) -> Path:
    text = DEFAULT.read_text(encoding="utf-8")
    text = text.replace("    weight: 25\n", "    weight: 0\n", 1)  # accuracy category
    text = text.replace("auto_signal: jargon", "auto_signal: jargonn", 1)
    text = text.replace("        na_allowed: true\n", "        na_alowed: true\n", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_valid_rubric(cli: click.Group) -> None:
    result = CliRunner().invoke(cli, ["rubric", "check", str(DEFAULT)])
    assert result.exit_code == 0, result.output
    assert (
        result.output.strip() == "ok: support-default v2: 6 categories, 25 criteria (3 conditional)"
    )


def test_check_lists_every_problem_with_file_and_path(cli: click.Group, tmp_path: Path) -> None:
    broken = _broken(tmp_path)
    result = CliRunner().invoke(cli, ["rubric", "check", str(DEFAULT), str(broken)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("ok: support-default v2")
    assert f"{broken}: categories[1].weight: must be > 0" in lines
    assert any(
        line.startswith(f"{broken}: categories[2].criteria[0].auto_signal: unknown auto_signal")
        for line in lines
    )
    assert (
        f"{broken}: categories[2].criteria[2].na_alowed: unknown key (did you mean 'na_allowed'?)"
        in lines
    )
    assert "Traceback" not in result.output


def test_check_reports_yaml_errors_and_unreadable_files(cli: click.Group, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: {en: a\n", encoding="utf-8")
    missing = tmp_path / "nope.yaml"
    result = CliRunner().invoke(cli, ["rubric", "check", str(bad), str(missing)])
    assert result.exit_code == 1
    assert f"{bad}: (file): YAML syntax error at line" in result.output
    assert f"{missing}: (file): cannot read file" in result.output


def test_check_needs_a_file(cli: click.Group) -> None:
    assert CliRunner().invoke(cli, ["rubric", "check"]).exit_code == 2


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "ru",
            ["Эмпатия [empathy] — 20%", "критическая ошибка обнуляет весь разговор", "можно N/A"],
        ),
        ("en", ["Empathy [empathy] — 20%", "critical fail zeroes the conversation", "N/A allowed"]),
    ],
)
def test_show_in_each_language(cli: click.Group, lang: str, expected: list[str]) -> None:
    result = CliRunner().invoke(cli, ["rubric", "show", str(DEFAULT), "--lang", lang])
    assert result.exit_code == 0, result.output
    for text in expected:
        assert text in result.output
    assert "3 Solved" in result.output or "3 Решено" in result.output


def test_show_invalid_rubric_is_one_clear_error(cli: click.Group, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["rubric", "show", str(_broken(tmp_path))])
    assert result.exit_code == 1
    assert "is not a valid rubric (3 problem(s)" in result.output
    assert "Traceback" not in result.output
