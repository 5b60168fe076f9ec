"""``qa-studio rubric``: check rubric files before they reach reviewers, and read them.

``check`` also knows the other files in ``rubrics/`` (mystery checklists, the coaching
catalogue, mystery scenarios) by their ``kind`` key, and the references between them."""

from __future__ import annotations

import click

from qa_app.cli.errors import CliError
from qa_app.services.rubrics import check_rubric_files, read_rubric_file
from scoring.rubric.files import Criterion, Rubric, RubricProblem

WORDS = {
    "en": {
        "weight": "weight",
        "scale": "scale",
        "critical": "critical fail zeroes the",
        "category": "category",
        "conversation": "conversation",
        "na": "N/A allowed",
        "signal": "auto signal",
        "coaching": "coaching topic",
        "fail_below": "fail below",
        "passing": "passing score",
        "summary": "{cats} categories, {crits} criteria",
    },
    "ru": {
        "weight": "вес",
        "scale": "шкала",
        "critical": "критическая ошибка обнуляет",
        "category": "категорию",
        "conversation": "весь разговор",
        "na": "можно N/A",
        "signal": "автосигнал",
        "coaching": "тема коучинга",
        "fail_below": "провал ниже",
        "passing": "проходной балл",
        "summary": "категорий: {cats}, критериев: {crits}",
    },
}


def _read(path: str) -> tuple[Rubric | None, list[RubricProblem]]:
    """Read and check one rubric or checklist; an unreadable file is a problem like any other."""
    return read_rubric_file(path)


@click.group("rubric")
def rubric_group() -> None:
    """Rubric files: validate them and show them in Russian or English."""


@rubric_group.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def check_command(files: tuple[str, ...]) -> None:
    """Validate FILES (rubrics, mystery checklists and scenarios, the coaching catalogue);
    print every problem with its YAML path, exit 1 if any."""
    failed = 0
    for result in check_rubric_files(files):
        if result.ok:
            click.echo(f"ok: {result.summary}")
            continue
        failed += 1
        for problem in result.problems:
            click.echo(f"{result.path}: {problem.path or '(file)'}: {problem.message}")
    if failed:
        raise CliError(f"{failed} of {len(files)} rubric file(s) have problems", exit_code=1)


def _criterion_lines(criterion: Criterion, lang: str) -> list[str]:
    words = WORDS[lang]
    facts = [f"{words['weight']} {criterion.weight:g}", f"{words['scale']} {criterion.scale.kind}"]
    if criterion.critical:
        facts.append(f"{words['critical']} {words[criterion.critical]}")
    if criterion.fail_below is not None:
        facts.append(f"{words['fail_below']} {criterion.fail_below:g}")
    if criterion.na_allowed:
        facts.append(words["na"])
    if criterion.auto_signal:
        facts.append(f"{words['signal']}: {criterion.auto_signal}")
    facts.append(f"{words['coaching']}: {criterion.coaching_topic}")
    lines = [
        f"  - {criterion.name.get(lang)} [{criterion.id}]",
        f"    {criterion.description.get(lang)}",
        f"    ({'; '.join(facts)})",
    ]
    for level in criterion.scale.levels:
        lines.append(f"      {level.value:g} {level.label.get(lang)}: {level.descriptor.get(lang)}")
    return lines


def render_rubric(rubric: Rubric, lang: str) -> str:
    """A reviewer-readable text view of a rubric in one language."""
    words = WORDS[lang]
    total = sum(c.weight for c in rubric.categories)
    summary = words["summary"].format(
        cats=len(rubric.categories), crits=len(rubric.criterion_ids())
    )
    lines = [
        f"{rubric.name.get(lang)} ({rubric.id} v{rubric.version}; {summary})",
        rubric.description.get(lang),
    ]
    if rubric.settings.passing_score is not None:
        lines.append(f"{words['passing']}: {rubric.settings.passing_score:g}")
    for category in rubric.categories:
        share = category.weight / total * 100
        lines += ["", f"{category.name.get(lang)} [{category.id}] — {share:.0f}%"]
        if category.description is not None:
            lines.append(f"  {category.description.get(lang)}")
        for criterion in category.criteria:
            lines += _criterion_lines(criterion, lang)
    return "\n".join(lines)


@rubric_group.command("show")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(["ru", "en"]), default="en", show_default=True)
def show_command(file: str, lang: str) -> None:
    """Print a rubric with every criterion and level descriptor in one language."""
    rubric, problems = _read(file)
    if rubric is None:
        first = problems[0]
        raise CliError(
            f"{file} is not a valid rubric ({len(problems)} problem(s), first: "
            f"{first.path or '(file)'}: {first.message}); run 'qa-studio rubric check {file}'",
            exit_code=1,
        )
    click.echo(render_rubric(rubric, lang))


def register(group: click.Group) -> None:
    group.add_command(rubric_group)
