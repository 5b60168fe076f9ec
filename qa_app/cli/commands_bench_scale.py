"""``qa-studio bench scale``: generate, import, score, sample, grade and render at 100,000
conversations on SQLite and PostgreSQL, each stage beside its reference (raw inserts for
the import, VADER for scoring) measured in the same run."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from qa_app.bench import scale
from qa_app.bench.imports import postgres_answers, postgres_url
from qa_app.bench.scratch import scratch_schema

_NAMES = {
    "reference_insert": "reference: raw inserts",
    "import": "import",
    "reference_vader": "reference: VADER",
    "score": "score (AutoQA)",
    "sample": "sample (weekly plan)",
    "grade": "grade (review service)",
    "render": "render team + scorecard",
}


def format_stages(database: str, figures: list[scale.StageFigures]) -> list[str]:
    """The printed table of one database's run (kept apart from measuring, for tests)."""
    lines = [
        f"{database}",
        f"  {'stage':<26}{'time':>9}{'peak MB':>9}{'rate':>16}  what",
    ]
    for f in figures:
        peak = f"{f.peak_mb:,.0f}" + (
            f"+{f.children_peak_mb:,.0f}" if f.stage == "score" and f.children_peak_mb else ""
        )
        rate = f"{f.rate:,.0f}/s" if f.count and f.stage != "render" else ""
        what = f"{f.count:,} {f.unit}" + (f"; {f.detail}" if f.detail else "")
        lines.append(f"  {_NAMES[f.stage]:<26}{f.seconds:>8.1f}s{peak:>9}{rate:>16}  {what}")
    by_stage = {f.stage: f for f in figures}
    ratios = []
    if by_stage["reference_insert"].rate:
        ratios.append(
            f"import at {by_stage['import'].rate / by_stage['reference_insert'].rate:.2f}x "
            "raw insert speed"
        )
    if by_stage["reference_vader"].rate:
        ratios.append(
            f"scoring at {by_stage['score'].rate / by_stage['reference_vader'].rate:.2f}x "
            "VADER (wall clock; score uses its workers)"
        )
    lines.append("  " + "; ".join(ratios))
    return lines


@click.command("scale")
@click.option("--conversations", type=click.IntRange(50, 1_000_000), default=100_000,
              show_default=True, help="Conversations in the synthetic export (10 messages each on average).")  # fmt: skip
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Scoring worker processes.")  # fmt: skip
@click.option("--sqlite/--no-sqlite", default=True, show_default=True)
@click.option("--postgres/--no-postgres", default=True, show_default=True,
              help="Also run on a scratch schema of $QA_STUDIO_TEST_PG_URL (dropped after).")  # fmt: skip
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the export and the SQLite file go (default: a new temporary folder).")  # fmt: skip
def bench_scale(conversations: int, jobs: int, sqlite: bool, postgres: bool,
                folder: Path | None) -> None:  # fmt: skip
    """Time every stage of the daily pipeline at scale, with peak memory."""
    folder = folder or Path(tempfile.mkdtemp(prefix="qa-bench-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    export = folder / "export.jsonl"
    written = scale.write_export(export, conversations)
    click.echo(
        f"export: {written:,} conversations in {export} ({export.stat().st_size / 2**20:,.0f} MB)"
    )

    def progress(stage: str) -> None:
        click.echo(f"  ... {_NAMES[stage]}", err=True)

    if sqlite:
        db_file = folder / "scale.db"
        db_file.unlink(missing_ok=True)
        figures = scale.run_pipeline(f"sqlite:///{db_file}", export, jobs, progress)
        for line in format_stages("SQLite", figures):
            click.echo(line)
    if postgres:
        url = postgres_url()
        problem = postgres_answers(url)
        if problem:
            click.echo(f"PostgreSQL: skipped ({problem})")
        else:
            with scratch_schema(url, "scale") as scoped:
                figures = scale.run_pipeline(scoped, export, jobs, progress)
            for line in format_stages("PostgreSQL", figures):
                click.echo(line)


def register(group: click.Group) -> None:
    from qa_app.cli.commands_bench import bench_group
    from qa_app.cli.commands_bench import register as add_bench

    add_bench(group)
    bench_group.add_command(bench_scale)
