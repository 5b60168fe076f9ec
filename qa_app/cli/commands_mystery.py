"""``qa-studio mystery import FILE``: load mystery-shopper visits from CSV, with the same
row-level report as a conversation import; ``qa-studio bench mystery``: report speed.

Exit codes of ``import``: 0 every row imported (or already there); 1 some rows were
rejected (each listed on stderr as ``FILE:LINE: FIELD: reason``; the others imported);
2 the file could not be read at all (nothing imported).
"""

from __future__ import annotations

from pathlib import Path

import click

from qa_app.cli.commands_bench import bench_group
from qa_app.cli.commands_bench import register as register_bench
from qa_app.cli.context import unit_of_work
from qa_app.cli.errors import CliError, service_error_line
from qa_app.i18n import t
from qa_app.ingest import parse_timezone
from qa_app.services import mystery
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError
from qa_app.services.imports import default_timezone_name

#: Issue 17: the report pages render in under a second after the first load.
TARGET_PAGE_MS = 1000.0


@click.group("mystery")
def mystery_group() -> None:
    """Mystery-shopper programmes: import visits."""


@mystery_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tz", "tz_name", default=None, help="Time zone of times without one.")
@click.option("--lang", default="en", show_default=True, type=click.Choice(["en", "ru"]))
@click.pass_context
def import_visits(ctx: click.Context, file: Path, tz_name: str | None, lang: str) -> None:
    """Import visits from a CSV FILE (see the visits page for the columns)."""
    try:
        tz = parse_timezone(tz_name or default_timezone_name())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--tz") from None
    try:
        result = mystery.do_import_visits_csv(
            unit_of_work(ctx), SYSTEM, file.read_bytes(), file_name=file.name, default_tz=tz
        )
    except ServiceError as exc:
        raise CliError(f"{file}: {service_error_line(exc, lang)}", 2) from None
    except OSError as exc:
        raise CliError(f"{file}: {exc.strerror or type(exc).__name__}", 2) from None
    for problem in result.problems:
        click.echo(f"{file.name}:{problem.describe(lang)}", err=True)
    click.echo(
        t("mystery.import.done", lang, imported=result.imported, rows=result.rows,
          duplicates=result.duplicates, rejected=result.rejected_rows)
    )  # fmt: skip
    if result.problems:
        ctx.exit(1)


@bench_group.command("mystery")
@click.option("--visits", default=5000, show_default=True, type=click.IntRange(10, 200_000))
@click.option("--repeat", default=3, show_default=True, type=click.IntRange(1, 20))
def bench_mystery(visits: int, repeat: int) -> None:
    """Build a throw-away database with VISITS demo visits and time the report: reading
    the rows (the reference), the report service, and the reports page in AppTest."""
    from qa_app.bench.mystery import run_mystery_bench

    r = run_mystery_bench(visits, repeat)
    click.echo(f"{r.visits:,} visits built in {r.build_s:.1f} s (SQLite, temporary folder)")
    click.echo(f"reference: read visit and answer rows into pandas  {r.reference_ms:8.0f} ms")
    click.echo(f"report service, first call                        {r.service_cold_ms:8.0f} ms")
    click.echo(
        f"report service, median of {repeat} more                 {r.service_warm_ms:8.0f} ms"
    )
    click.echo(f"app warm-up: first page of a fresh process (imports) {r.warm_up_ms:6.0f} ms")
    click.echo(f"reports page, first load (empty cache)            {r.page_first_ms:8.0f} ms")
    verdict = "met" if r.page_again_ms < TARGET_PAGE_MS else "MISSED"
    click.echo(
        f"reports page, median of {repeat} re-runs                {r.page_again_ms:8.0f} ms"
        f"   target < {TARGET_PAGE_MS:.0f} ms after the first load: {verdict}"
    )


def register(group: click.Group) -> None:
    group.add_command(mystery_group)
    register_bench(group)
