"""``qa-studio erase --customer ID`` and ``qa-studio retention ...``: personal data on request
and on schedule.

``erase`` removes one customer's conversations and everything derived from them (messages,
automatic scores, assignments, reviews, grades, disputes, ...), writes an audit entry and
prints what went, table by table. ``retention purge`` is what cron or a systemd timer runs
nightly (see docs/privacy.md); ``--dry-run`` prints what would go and changes nothing.

Exit codes: 0 done; 2 bad input; 3 no conversations of that customer.
"""

from __future__ import annotations

import click

from qa_app.cli.context import unit_of_work
from qa_app.cli.errors import cli_error
from qa_app.cli.sample_options import parse_now
from qa_app.services import privacy
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError

NOW_HELP = "The clock (ISO date-time with offset; default: now)."


def _rows(rows: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(rows.items())) or "nothing"


@click.command("erase")
@click.option("--customer", "customer_id", required=True, help="The customer id as imported.")
@click.option("--source", default=None, help="Only this source (default: every source).")
@click.option("--dry-run", is_flag=True, help="Say what would be erased; change nothing.")
@click.option("--now", "now_text", default=None, help=NOW_HELP)
@click.pass_context
def erase_command(
    ctx: click.Context, customer_id: str, source: str | None, dry_run: bool, now_text: str | None
) -> None:
    """Erase a customer's conversations and everything derived from them (right to erasure)."""
    try:
        report = privacy.do_erase_customer(
            unit_of_work(ctx), SYSTEM, customer_id, source=source, dry_run=dry_run,
            now=parse_now(now_text),
        )  # fmt: skip
    except ServiceError as exc:
        raise cli_error(exc) from exc
    verb = "would erase" if report.dry_run else "erased"
    click.echo(
        f"customer {report.customer_ref}: {verb} {report.conversations} conversation(s) "
        f"from {', '.join(report.sources)} at {report.at:%Y-%m-%d %H:%M} UTC"
    )
    for name, count in sorted(report.rows.items()):
        click.echo(f"  {name:<24} {count:>8}")
    if not report.dry_run:
        click.echo(f"audit entry: privacy.erased, customer {report.customer_ref}")


@click.group("retention")
def retention_group() -> None:
    """Retention periods per source, and the purge that applies them."""


@retention_group.command("list")
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """List sources with their retention period and stored conversations."""
    try:
        policies = privacy.privacy_screen(unit_of_work(ctx), SYSTEM).policies
    except ServiceError as exc:
        raise cli_error(exc) from exc
    for p in policies:
        period = f"{p.days} days" if p.days else "kept for ever"
        click.echo(f"{p.source}: {period}; {p.conversations} conversation(s) stored")
    if not policies:
        click.echo("no sources yet")


@retention_group.command("set")
@click.argument("source")
@click.argument("days", type=click.IntRange(1, privacy.MAX_DAYS), required=False)
@click.option("--forever", is_flag=True, help="Remove the period: keep this source for ever.")
@click.pass_context
def set_command(ctx: click.Context, source: str, days: int | None, forever: bool) -> None:
    """Keep SOURCE's conversations DAYS days after they started (or --forever)."""
    if (days is None) == (not forever):
        raise click.UsageError("give DAYS or --forever (one of them)")
    try:
        privacy.do_set_policy(unit_of_work(ctx), SYSTEM, source, None if forever else days)
    except ServiceError as exc:
        raise cli_error(exc) from exc
    click.echo(f"{source}: " + ("kept for ever" if forever else f"{days} days"))


@retention_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; change nothing.")
@click.option("--now", "now_text", default=None, help=NOW_HELP)
@click.pass_context
def purge_command(ctx: click.Context, dry_run: bool, now_text: str | None) -> None:
    """Delete conversations past their source's period (aggregates for scorecards stay)."""
    try:
        report = privacy.do_purge(
            unit_of_work(ctx), SYSTEM, now=parse_now(now_text), dry_run=dry_run
        )
    except ServiceError as exc:
        raise cli_error(exc) from exc
    verb = "would delete" if dry_run else "deleted"
    for s in report.sources:
        click.echo(
            f"{s.source} ({s.days} days, before {s.cutoff:%Y-%m-%d %H:%M} UTC): "
            f"{verb} {_rows(s.deleted)}"
            + (f"; held back (under review): {s.held}" if s.held else "")
        )
    if not report.sources:
        click.echo("no retention periods set (qa-studio retention set SOURCE DAYS)")
    if not dry_run:
        click.echo(f"agent-week aggregates written: {report.aggregates_written}")


def register(group: click.Group) -> None:
    group.add_command(erase_command)
    group.add_command(retention_group)
