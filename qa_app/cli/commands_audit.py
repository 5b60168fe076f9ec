"""``qa-studio audit export``: the audit log as CSV or XLSX, filtered like the page (users,
kinds of action, UTC days); the export is itself audited. Exit codes: 0 written, 2 bad
input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from qa_app.cli.context import unit_of_work
from qa_app.cli.errors import cli_error
from qa_app.cli.sample_options import parse_now
from qa_app.services import auditlog
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError


def _day(_ctx, param, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param=param) from None


@click.group("audit")
def audit_group() -> None:
    """The audit log: who did what and when."""


@audit_group.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(auditlog.FORMATS)), default="csv",
              show_default=True)  # fmt: skip
@click.option("--user", "users", multiple=True, help="Only this user (repeatable).")
@click.option("--kind", "kinds", multiple=True, help="Only this kind: auth, import, privacy, ...")
@click.option("--since", callback=_day, help="First UTC day, YYYY-MM-DD.")
@click.option("--until", callback=_day, help="Last UTC day, YYYY-MM-DD.")
@click.option("--lang", type=click.Choice(("en", "ru")), default="en", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--now", "now_text", default=None, help="The clock (ISO date-time).")
@click.pass_context
def export_command(ctx, fmt, users, kinds, since, until, lang, output, now_text) -> None:
    """Write the matching audit events (newest first) to OUTPUT."""
    filters = auditlog.AuditFilters(tuple(users), tuple(kinds), since, until)
    try:
        export = auditlog.do_export_audit_log(
            unit_of_work(ctx), SYSTEM, filters, fmt, lang, now=parse_now(now_text)
        )
    except ServiceError as exc:
        raise cli_error(exc) from exc
    output.write_bytes(export.data)
    click.echo(f"{export.rows} audit events written to {output}")


def register(group: click.Group) -> None:
    group.add_command(audit_group)
