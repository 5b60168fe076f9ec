"""``qa-studio import FILE...``: load conversation files (CSV, JSONL, or with ``--from`` a
Zendesk, Intercom or Freshdesk export) into the database; ``--mask`` masks personal data
(settings: ``QA_STUDIO_MASK``, ``QA_STUDIO_MASKING_CONFIG``) before anything is stored.

Exit codes: 0 every row imported; 1 imported, but some rows were rejected (listed on
stderr and in the errors CSV); 2 a file could not be read at all (nothing from it was
imported; other files are still imported). With several files the worst code wins.
``qa-studio import --history`` lists recent imports with their status (finished, in
progress, interrupted).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from qa_app.cli.errors import CliError, cli_error, service_error_line
from qa_app.i18n import t
from qa_app.ingest import MaskingConfigError, parse_timezone
from qa_app.ingest.helpdesk import HELPDESK_SOURCES, helpdesk_reader
from qa_app.ingest.masking import load_masking_config, masking_enabled_by_default
from qa_app.services import database as services_db
from qa_app.services import imports
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError
from qa_app.services.imports import (
    DEFAULT_SOURCE,
    ImportFailed,
    ImportOptions,
    ImportProgress,
    ImportSummary,
    default_timezone_name,
)

SHOWN_IN_TERMINAL = 50


def _check_tz(_ctx, _param, value: str | None) -> str:
    name = value or default_timezone_name()
    try:
        parse_timezone(name)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return name


class _ProgressLine:
    """One self-overwriting stderr line (only on a terminal, so logs stay clean)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def __call__(self, p: ImportProgress) -> None:
        if not self.enabled:
            return
        eta = f", ETA {p.eta_seconds:.0f} s" if p.eta_seconds is not None else ""
        line = f"{self.name}: {p.rows:,} rows, {p.rate:,.0f} rows/s, {p.fraction:.0%}{eta}"
        click.echo(f"\r{line:<78}", err=True, nl=False)
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r" + " " * 78 + "\r", err=True, nl=False)


def _when(value) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC"


def _report(summary: ImportSummary, lang: str) -> None:
    for run in summary.interrupted:
        started, seen = _when(run["started_at"]), _when(run["last_seen_at"])
        note = t("import.note.interrupted", lang, file=run["file_name"], started=started, seen=seen)
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"{summary.file_name}: {summary.imported} imported, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {summary.rejected_rows} rejected rows "
        f"(whole conversations rejected: {summary.rejected_conversations}); "
        f"{summary.messages} messages stored in {summary.elapsed:.1f} s"
    )
    for notice in summary.notes:
        click.echo(f"note: {notice.describe(lang)}", err=True)
    _rejected_lines(summary, lang)


def _rejected_lines(summary: ImportSummary, lang: str) -> None:
    """The first reasons; how many more, and where they are, only when there are more."""
    ordered = sorted(summary.rejections, key=lambda r: r.line)
    lines = [line for r in ordered for line in r.describe(lang)]
    limit = SHOWN_IN_TERMINAL if summary.errors_path else len(lines)
    for line in lines[:limit]:
        click.echo(line, err=True)
    hidden = summary.problems - min(limit, len(lines))
    if summary.errors_path:
        if hidden > 0:
            click.echo(t("import.note.more_in_errors_file", lang, count=hidden), err=True)
        click.echo(f"rejected rows written to {summary.errors_path}", err=True)
        return
    if summary.errors_failed:
        detail = summary.errors_failed
        click.echo(f"note: {t('import.note.errors_file_failed', lang, detail=detail)}", err=True)
    if hidden > 0:
        click.echo(t("import.note.more_not_shown", lang, count=hidden), err=True)


def _import_one(
    url: str, path: str, options: ImportOptions, lang: str, helpdesk: str | None = None,
    reader=None,
) -> int:  # fmt: skip
    progress = _ProgressLine(Path(path).name)
    reader = helpdesk_reader(helpdesk) if helpdesk else reader
    try:
        summary = imports.do_import_file(
            services_db.unit_of_work(url), path, SYSTEM, options, progress, reader
        )
    except ImportFailed as exc:
        progress.clear()
        click.secho(f"error: {exc.message}", err=True, fg="red")
        return 2
    except ServiceError as exc:
        progress.clear()
        raise CliError(t(exc.key, lang, **{"detail": exc.message, **exc.params})) from exc
    progress.clear()
    _report(summary, lang)
    for notice in getattr(reader, "warnings", ()):
        click.echo(f"warning: {notice.describe(lang)}", err=True)
    if summary.masked_items:
        items = ", ".join(
            f"{t(f'helpdesk.mask_kind.{kind}', lang) if kind in MASK_KINDS else kind}: {count}"
            for kind, count in sorted(summary.masked_items.items())
        )
        click.echo(t("helpdesk.masked_summary", lang, items=items))
    return summary.exit_code


def _history(url: str, lang: str) -> None:
    runs = imports.import_screen(services_db.unit_of_work(url), SYSTEM).history
    if not runs:
        click.echo(t("import.history_empty", lang))
    for run in runs:
        status = t(f"import.status.{run['status']}", lang)
        click.echo(
            f"{_when(run['started_at'])}  {status:<12} {run['file_name']}: "
            f"{run['imported']} imported, {run['updated']} updated, {run['unchanged']} "
            f"unchanged, {run['rejected_rows']} rejected rows, {run['messages']} messages"
        )


MASK_KINDS = ("email", "phone", "card", "passport", "customer_name")


def _masking(mask: bool | None, config_path: Path | None = None):
    """The masking settings in force: ``--mask/--no-mask``, else ``QA_STUDIO_MASK``; the
    kinds and custom patterns come from ``--masking-config`` or ``QA_STUDIO_MASKING_CONFIG``
    (a YAML file). Naming a configuration file asks for masking."""
    try:
        if mask is None and config_path is not None:
            mask = True
        if not (masking_enabled_by_default() if mask is None else mask):
            return None
        return load_masking_config(config_path)
    except MaskingConfigError as exc:
        raise click.UsageError(exc.describe("en")) from None


def _mapped_reader(url: str, helpdesk, name: str | None, path: Path | None):
    """The column-mapping reader asked for (a saved preset or a YAML file), or None."""
    if name is None and path is None:
        return None
    if helpdesk or (name and path):
        raise click.UsageError("use one of --from, --mapping and --mapping-file")
    try:
        if name:
            mapping = imports.do_get_preset(services_db.unit_of_work(url), SYSTEM, name)
        else:
            mapping = imports.mapping_from_document(_yaml_document(path))
        return imports.mapped_reader(mapping)
    except ServiceError as exc:
        raise CliError(service_error_line(exc), exit_code=cli_error(exc).exit_code) from exc


def _yaml_document(path: Path) -> object:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise click.BadParameter(
            f"cannot read {path}: {exc}", param_hint="--mapping-file"
        ) from None


@click.command("import")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--default-tz",
    callback=_check_tz,
    help="Zone for timestamps without one, e.g. Europe/Moscow "
    "(default: $QA_STUDIO_DEFAULT_TZ, else UTC).",
)
@click.option(
    "--from",
    "helpdesk",
    type=click.Choice(HELPDESK_SOURCES),
    help="The files are this help desk's API export (JSON or JSON lines) instead of CSV/JSONL.",
)
@click.option(
    "--source",
    default=None,
    help="Name of the system the files come from; conversation ids are unique per source "
    f"(default: the --from help desk, else {DEFAULT_SOURCE!r}).",
)
@click.option(
    "--mask/--no-mask",
    default=None,
    help="Mask e-mails, phones, cards and passports in the text before storing "
    "(default: $QA_STUDIO_MASK; kinds and custom patterns: $QA_STUDIO_MASKING_CONFIG).",
)
@click.option(
    "--mapping",
    "mapping_name",
    default=None,
    help="Read any CSV/XLSX through this saved column-mapping preset (qa-studio mapping).",
)
@click.option(
    "--mapping-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read any CSV/XLSX through the column mapping in this YAML file.",
)
@click.option(
    "--masking-config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML file: which kinds to mask and custom patterns (implies --mask; "
    "default: $QA_STUDIO_MASKING_CONFIG).",
)
@click.option(
    "--errors-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the errors CSV (default: next to each input file).",
)
@click.option(
    "--lang",
    default="en",
    show_default=True,
    type=click.Choice(("en", "ru")),
    help="Language of the reasons in the terminal and the errors CSV.",
)
@click.option(
    "--history",
    is_flag=True,
    help="List recent imports with their status (finished, in progress, interrupted).",
)
@click.pass_context
def import_command(
    ctx, files, default_tz, helpdesk, source, mapping_name, mapping_file, mask, masking_config,
    errors_dir, lang, history,
) -> None:  # fmt: skip
    """Import conversations from CSV (one row per message), JSONL (one per line) or, with
    --from, Zendesk, Intercom or Freshdesk export files."""
    if not files and not history:
        raise click.UsageError("name at least one FILE to import (or use --history)")
    masking = _masking(mask, masking_config)
    url = services_db.prepare_database(services_db.database_url(ctx.obj.get("database_url")))
    if history:
        _history(url, lang)
    source = source or helpdesk or DEFAULT_SOURCE
    options = ImportOptions(
        source=source, default_tz=default_tz, errors_dir=errors_dir, lang=lang, masking=masking
    )
    reader = _mapped_reader(url, helpdesk, mapping_name, mapping_file)
    worst = 0
    for path in files:
        worst = max(worst, _import_one(url, path, options, lang, helpdesk, reader))
    ctx.exit(worst)


@click.command("import")
@click.option(
    "--messages", "n_messages", default=200_000, show_default=True, type=click.IntRange(10)
)
@click.option(
    "--db",
    "sqlite_url",
    default=None,
    help="Import into this database instead of a fresh SQLite file (source 'bench').",
)
@click.option(
    "--postgres/--no-postgres",
    default=True,
    show_default=True,
    help="Also import into a fresh schema on PostgreSQL ($QA_STUDIO_TEST_PG_URL) when it answers.",
)
def bench_import_command(n_messages: int, sqlite_url: str | None, postgres: bool) -> None:
    """Import a synthetic JSONL export of N messages; print messages/s and peak memory.

    Wall-clock rate is the figure that counts; the import process's CPU time is printed
    too, because on a shared machine the wall clock also measures the neighbours.
    """
    from qa_app.bench import imports as bench

    with tempfile.TemporaryDirectory(prefix="qa-bench-import-") as folder:
        path = Path(folder) / "bench.jsonl"
        conversations = bench.write_synthetic_jsonl(path, n_messages)
        size_mb = path.stat().st_size / 1e6
        click.echo(
            f"file: {n_messages:,} messages in {conversations:,} conversations, {size_mb:,.1f} MB"
        )
        target = sqlite_url or f"sqlite:///{folder}/bench.db"
        label = "SQLite" if target.startswith("sqlite") else target.split(":", 1)[0]
        results = [bench.import_in_fresh_process(label, target, path)]
        if postgres:
            url = bench.postgres_url()
            reason = bench.postgres_answers(url)
            if reason:
                click.echo(f"PostgreSQL: skipped ({reason})")
            else:
                results.append(bench.bench_postgres(url, path))
    for r in results:
        click.echo(
            f"{r.database:<11} {r.messages:>10,} messages in {r.seconds:7.1f} s = "
            f"{r.rate:>9,.0f} messages/s; peak memory {r.peak_mb:,.0f} MB; "
            f"import process CPU {r.cpu_seconds:,.1f} s"
        )


def register(group: click.Group) -> None:
    """``import``, and ``bench import`` added to the ``bench`` group of ``commands_bench``."""
    from qa_app.cli.commands_bench import bench_group

    group.add_command(import_command)
    bench_group.add_command(bench_import_command)
