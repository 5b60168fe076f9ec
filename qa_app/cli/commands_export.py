"""``qa-studio export``: the scorecard, team and review exports of the pages, as files.

The command acts as a named user (``--as``), and is refused exactly as that user's page
would be: an agent exports only their own scorecard, a lead only their teams. Every export
is written to the audit log under that user.
"""

from __future__ import annotations

from pathlib import Path

import click

from qa_app.cli.context import unit_of_work
from qa_app.cli.errors import CliError, cli_error
from qa_app.services import scorecards
from qa_app.services.clock import utc_now
from qa_app.services.errors import ServiceError


@click.command("export")
@click.argument("kind", type=click.Choice(scorecards.KINDS))
@click.option("--format", "fmt", type=click.Choice(scorecards.FORMATS), required=True,
              help="pdf (scorecard, team), xlsx or csv.")  # fmt: skip
@click.option("--period", required=True, help="YYYY-MM or YYYY-MM-DD..YYYY-MM-DD (UTC days).")
@click.option("--agent", "agent_login", default=None, help="Agent login (scorecard, reviews).")
@click.option("--as", "username", required=True, help="Act as this user (their role applies).")
@click.option("--lang", type=click.Choice(["en", "ru"]), default=None,
              help="Language of the file (default: the user's).")  # fmt: skip
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")  # fmt: skip
@click.pass_context
def export_command(ctx: click.Context, kind: str, fmt: str, period: str, agent_login: str | None,
                   username: str, lang: str | None, output: Path) -> None:  # fmt: skip
    """Export a scorecard, the team dashboard or the reviews of a period."""
    try:
        exported = scorecards.do_export_as_user(
            unit_of_work(ctx), username, kind, fmt, scorecards.Period.parse(period),
            agent_login=agent_login, lang=lang, now=utc_now(),
        )  # fmt: skip
    except ServiceError as exc:
        raise cli_error(exc) from None
    try:
        output.write_bytes(exported.data)
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror}", exit_code=1) from None
    click.echo(f"{output}: {kind} as {fmt}, {len(exported.data):,} bytes (audited as {username})")


def register(group: click.Group) -> None:
    group.add_command(export_command)
