"""``qa-studio calibration``: create calibration sessions and print their agreement table."""

from __future__ import annotations

import math

import click

from qa_app.cli.context import unit_of_work
from qa_app.cli.errors import CliError
from qa_app.services import calibration
from qa_app.services.actor import SYSTEM
from qa_app.services.calibration import CalibrationResults
from qa_app.services.errors import ServiceError


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def _figure(value: float, undefined: str | None = None) -> str:
    if math.isnan(value):
        return "n/a" if undefined is None else f"n/a ({undefined.replace('_', ' ')})"
    return f"{value:.2f}"


@click.group("calibration")
def calibration_group() -> None:
    """Calibration sessions: several reviewers grade the same conversations blind."""


@calibration_group.command("create")
@click.option("--name", required=True, help="Session name.")
@click.option("--reviewers", required=True, help="Comma-separated usernames (two or more).")
@click.option(
    "--conversations",
    required=True,
    help="A number to sample that many (spread over agents and channels), or a "
    "comma-separated list of conversation ids (external ids such as c-17, or database ids).",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Sampling seed.")
@click.option(
    "--rubric-version",
    "rubric_version_id",
    type=int,
    default=None,
    help="Rubric version id (default: active).",
)
@click.option("--notes", default="", help="Notes for the participants.")
@click.pass_context
def create_command(ctx: click.Context, **options) -> None:
    """Create a session: one blind assignment per reviewer and conversation."""
    spec = options["conversations"].strip()
    refs, size = (None, int(spec)) if spec.isdigit() else (_split(spec), None)
    try:
        summary = calibration.do_start_session(
            unit_of_work(ctx),
            SYSTEM,
            options["name"],
            _split(options["reviewers"]),
            refs,
            sample_size=size,
            seed=options["seed"],
            rubric_version_id=options["rubric_version_id"],
            notes=options["notes"],
        )
    except ServiceError as exc:
        raise CliError(exc.message) from exc
    click.echo(
        f"created calibration session {summary.session_id} '{summary.name}': {summary.conversations} "
        f"conversations x {len(summary.reviewers)} reviewers = {summary.total} blind assignments"
    )


@calibration_group.command("list")
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """Every session with its status and grading progress."""
    items = calibration.session_list(unit_of_work(ctx), SYSTEM)
    if not items:
        click.echo("no calibration sessions")
    for s in items:
        click.echo(
            f"{s.session_id:>4}  {s.status:<6}  {s.graded:>3}/{s.total:<3} graded  "
            f"{s.name}  ({', '.join(s.reviewers)})"
        )


def print_results(results: CalibrationResults) -> None:
    """The agreement table, severity and the top of the discussion list, as plain text."""
    s = results.summary
    click.echo(
        f"session {s.session_id} '{s.name}' ({s.status}): {s.conversations} conversations, "
        f"{len(s.reviewers)} reviewers, {results.reviews}/{s.total} reviews submitted, "
        f"alpha of the overall score {_figure(results.overall_alpha)}"
    )
    header = f"{'criterion':<28} {'n':>3} {'raters':>6} {'agree':>6} {'kappa':>6} {'fleiss':>7} {'alpha':>6}"
    click.echo(header)
    click.echo("-" * len(header))
    for c in results.criteria:
        agree = "n/a" if math.isnan(c.percent_agreement) else f"{c.percent_agreement:.0%}"
        line = (
            f"{c.criterion_id[:28]:<28} {c.n_items:>3} {c.n_raters:>6} {agree:>6} "
            f"{_figure(c.mean_kappa):>6} {_figure(c.fleiss):>7} {_figure(c.alpha):>6}"
        )
        if c.undefined:
            line += f"  ({c.undefined.replace('_', ' ')})"
        click.echo(line)
    click.echo("kappa: mean Cohen's kappa over reviewer pairs (linear-weighted on 1-3/1-5 scales)")
    click.echo("alpha: Krippendorff's alpha, ordinal, N/A treated as missing")
    click.echo(
        "\nseverity (mean offset from the other reviewers, points of 100; - strict, + lenient)"
    )
    for r in results.severity:
        worst = (
            f", differs most on {r.worst_criterion} ({r.worst_offset:+.0f})"
            if r.worst_criterion
            else ""
        )
        click.echo(f"  {r.reviewer:<20} {r.offset:+6.1f}  n={r.n}{worst}")
    click.echo("\nconversations to discuss")
    for item in results.discussion[:10]:
        grades = ", ".join(
            f"{g.reviewer}={'N/A' if g.not_applicable or g.value is None else f'{g.value:g}'}"
            for g in item.grades
        )
        flag = " [critical: fail vs pass]" if item.critical_split else ""
        click.echo(
            f"  {item.external_id:<16} {item.criterion_id:<26} gap {item.disagreement:5.1f}  "
            f"{grades}{flag}"
        )


@calibration_group.command("results")
@click.argument("session_id", type=int)
@click.pass_context
def results_command(ctx: click.Context, session_id: int) -> None:
    """Print a session's agreement per criterion, reviewer severity and items to discuss."""
    try:
        results = calibration.results_report(unit_of_work(ctx), SYSTEM, session_id)
    except ServiceError as exc:
        raise CliError(exc.message) from exc
    print_results(results)


def register(group: click.Group) -> None:
    group.add_command(calibration_group)
