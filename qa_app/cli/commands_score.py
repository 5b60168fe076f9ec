"""``qa-studio score`` (run AutoQA over the database) and ``qa-studio autoqa report``."""

from __future__ import annotations

import click

from qa_app.cli.context import unit_of_work
from qa_app.cli.errors import CliError
from qa_app.services import autoqa
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _progress_bar():
    """A one-line bar on stderr: conversations done, messages per second, ETA."""

    def show(done: int, total: int, rate: float, eta: float | None) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        line = (
            f"\r[{bar}] {done}/{total} conversations · {rate:,.0f} messages/s · "
            f"ETA {_duration(eta)}"
        )
        click.echo(line, nl=done >= total, err=True)

    return show


@click.command("score")
@click.option("--all", "rescore_all", is_flag=True, help="Rescore every conversation.")
@click.option("--jobs", "n_jobs", default=1, show_default=True, type=int, help="Worker processes.")
@click.option("--batch", "batch_size", default=autoqa.DEFAULT_BATCH, show_default=True, type=int)
@click.option("--limit", default=None, type=int, help="Score at most this many conversations.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def score_command(
    ctx: click.Context,
    rescore_all: bool,
    n_jobs: int,
    batch_size: int,
    limit: int | None,
    quiet: bool,
) -> None:
    """Score new and changed conversations with every automatic scorer."""
    try:
        summary = autoqa.do_score_conversations(
            unit_of_work(ctx),
            SYSTEM,
            rescore_all=rescore_all,
            n_jobs=n_jobs,
            batch_size=batch_size,
            limit=limit,
            progress=None if quiet else _progress_bar(),
        )
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    click.echo(
        f"Scored {summary.scored} of {summary.candidates} conversations "
        f"({summary.messages:,} messages, {summary.score_rows:,} score rows) "
        f"in {summary.seconds:.1f} s: {summary.messages_per_second:,.0f} messages/s, "
        f"{summary.conversations_per_second:,.1f} conversations/s "
        f"(jobs {summary.n_jobs}, batch {summary.batch_size}); "
        f"pipeline {summary.pipeline_version}"
    )


@click.group("autoqa")
def autoqa_group() -> None:
    """AutoQA for rubric criteria: agreement with reviewers."""


def _cell(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


@autoqa_group.command("report")
@click.option("--rubric", "slug", default=None, help="Rubric slug (default: every active rubric).")
@click.pass_context
def report_command(ctx: click.Context, slug: str | None) -> None:
    """Per criterion: AutoQA vs reviewers (held-out) next to reviewer vs reviewer."""
    try:
        reports = autoqa.agreement_screen(unit_of_work(ctx), SYSTEM, slug=slug).reports
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    if not reports:
        click.echo("No rubric criterion names an automatic signal.")
        return
    header = (
        f"{'criterion':<28} {'signal':<22} {'mode':<11} {'n':>5} {'kappa':>6} {'exact':>6}"
        f" {'rev n':>6} {'rev kappa':>9} {'rev exact':>9}"
    )
    for report in reports:
        click.echo(f"\n{report.rubric_slug} v{report.rubric_version} (automatic pre-scores)")
        click.echo(header)
        for row in report.rows:
            click.echo(
                f"{row.criterion_id[:28]:<28} {row.signal[:22]:<22} {row.mode:<11} "
                f"{row.n:>5} {_cell(row.kappa):>6} {_cell(row.exact):>6} "
                f"{row.reviewer_pairs:>6} {_cell(row.reviewer_kappa):>9} "
                f"{_cell(row.reviewer_exact):>9}"
            )
    click.echo(
        "\nkappa: Cohen's kappa, linear weights; exact: share of identical grades. AutoQA "
        "figures are held-out (k-fold) when calibrated, else the default mapping."
    )


def register(group: click.Group) -> None:
    group.add_command(score_command)
    group.add_command(autoqa_group)
