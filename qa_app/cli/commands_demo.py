"""``qa-studio demo``: a realistic bilingual support operation to explore the app with."""

from __future__ import annotations

import time

import click

from qa_app.cli.context import unit_of_work
from qa_app.demo import seed as demo


def _progress_printer():
    last = [0.0]

    def show(progress) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5:
            return
        last[0] = now
        click.echo(
            f"\r  importing: {progress.conversations:,} conversations, {progress.rate:,.0f} rows/s",
            nl=False,
            err=True,
        )

    return show


def _print_accounts(accounts: list[demo.DemoAccount]) -> None:
    fresh = [a for a in accounts if a.password]
    if not fresh:
        click.echo("Demo accounts already existed; their passwords were shown when created.")
        return
    click.echo("\nDemo accounts (passwords are shown once; keep them):")
    width = max(len(a.username) for a in fresh)
    for account in fresh:
        click.echo(f"  {account.username:<{width}}  {account.role:<9}  {account.password}")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when conversations already exist.")
@click.option("--conversations", "n_conversations", default=2400, show_default=True, type=int)
@click.option("--seed", default=demo.DEMO_SEED, show_default=True, type=int)
@click.option(
    "--password",
    envvar="QA_STUDIO_DEMO_PASSWORD",
    default=None,
    help="One password for every demo account (default: a generated one each).",
)
@click.pass_context
def demo_command(
    ctx: click.Context, if_empty: bool, n_conversations: int, seed: int, password: str | None
) -> None:
    """Load the demo corpus, accounts for every role, the rubric, reviews and scores."""
    if if_empty and demo.has_conversations(unit_of_work(ctx)):
        click.echo("The database already has conversations; demo not loaded (--if-empty).")
        return
    started = time.monotonic()
    result = demo.do_load_demo(
        unit_of_work(ctx),
        seed=seed,
        n_conversations=n_conversations,
        password=password,
        progress=_progress_printer(),
    )
    summary = result.import_summary
    click.echo(
        f"\rDemo loaded in {time.monotonic() - started:.0f} s: {summary.imported:,} new, "
        f"{summary.updated:,} updated, {summary.unchanged:,} unchanged conversations "
        f"({summary.messages:,} messages).",
    )
    for note in result.notes:
        click.echo(f"  {note}")
    _print_accounts(result.accounts)


def register(group: click.Group) -> None:
    group.add_command(demo_command)
