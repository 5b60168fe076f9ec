"""``qa-studio bench scorecards``: the scorecard and team pages and the PDF export at
100,000 conversations / 1,000,000 messages / 20,000 reviews, on SQLite and PostgreSQL,
beside the Overview page measured in the same run as the reference."""

from __future__ import annotations

import re
from pathlib import Path

import click

from qa_app.bench import scorecards as bench

TARGETS = {"first": 3.0, "again": 1.0, "pdf": 5.0}


def _line(f: bench.Figures) -> list[str]:
    cpu = dict(enumerate(f.cpu))

    def mark(value: float, target: float, index: int) -> str:
        spent = f" ({cpu[index]:5.2f} s CPU)" if index in cpu else ""
        return f"{value:6.2f} s{spent} {'ok' if value < target else 'SLOW'}"

    reference_cpu = f" ({cpu[6]:5.2f} s CPU)" if 6 in cpu else ""
    return [
        f"{f.database}: {f.conversations:,} conversations, {f.messages:,} messages, "
        f"{f.reviews:,} reviews",
        f"  scorecard page  first {mark(f.scorecard_first, TARGETS['first'], 0)}   "
        f"again {mark(f.scorecard_again, TARGETS['again'], 1)}",
        f"  team dashboard  first {mark(f.team_first, TARGETS['first'], 2)}   "
        f"again {mark(f.team_again, TARGETS['again'], 3)}",
        f"  PDF export (ru) first {mark(f.pdf_first, TARGETS['pdf'], 4)}   "
        f"again {mark(f.pdf_again, TARGETS['pdf'], 5)}  (first imports matplotlib and fpdf2)",
        f"  reference: Overview page {f.overview_reference:6.2f} s{reference_cpu}",
        "  (CPU: this process only; PostgreSQL's own work is not in it)",
    ]


def _schema_name(_ctx, _param, value: str | None) -> str | None:
    """A plain lower-case identifier, so it is the schema the search path names."""
    if value is not None and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", value):
        raise click.BadParameter(
            f"{value!r} is not a schema name of lower-case letters, digits and underscores"
        )
    return value


@click.command("scorecards")
@click.option("--scale", type=click.FloatRange(0.001, 2.0), default=1.0, show_default=True,
              help="Fraction of 100,000 conversations / 20,000 reviews to load.")  # fmt: skip
@click.option("--postgres/--no-postgres", default=True, show_default=True,
              help="Also measure on PostgreSQL (QA_STUDIO_BENCH_PG_URL).")  # fmt: skip
@click.option("--sqlite/--no-sqlite", default=True, show_default=True,
              help="Measure on a SQLite file.")  # fmt: skip
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the SQLite file, reused by the next run.")  # fmt: skip
@click.option("--keep-schema", default=None, metavar="NAME", callback=_schema_name,
              help="PostgreSQL schema to fill once and keep for the next run "
                   "(default: a fresh schema, dropped afterwards).")  # fmt: skip
def bench_scorecards(
    scale: float, postgres: bool, sqlite: bool, keep: Path | None, keep_schema: str | None
) -> None:
    """Time the scorecard and team pages (first and again) and the PDF export."""
    click.echo(f"period {bench.period_label()}; targets: first < 3 s, again < 1 s, PDF < 5 s")
    if sqlite:
        for line in _line(bench.run_sqlite(scale, keep)):
            click.echo(line)
    if postgres:
        result = bench.run_postgres(scale, keep_schema)
        if isinstance(result, str):
            click.echo(f"PostgreSQL: skipped ({result})")
        else:
            for line in _line(result):
                click.echo(line)


def register(group: click.Group) -> None:
    from qa_app.cli.commands_bench import bench_group
    from qa_app.cli.commands_bench import register as add_bench

    add_bench(group)
    bench_group.add_command(bench_scorecards)
