"""``qa-studio sample``: pick conversations for review and fill reviewers' queues."""

from __future__ import annotations

from datetime import date

import click

from qa_app.cli.errors import CliError
from qa_app.services import database, sampling
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError
from qa_app.services.sampling import STRATEGIES


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _print_plan(plan: sampling.SamplePlan, dry_run: bool) -> None:
    for item in plan.items:
        click.echo(
            f"{item.external_id:<24} {item.agent:<16} {item.week} {item.channel:<9} "
            f"{item.language} -> {item.reviewer:<12} {', '.join(item.reasons)}"
        )
    per_reviewer = ", ".join(f"{k}: {v}" for k, v in sorted(plan.per_reviewer().items()))
    verb = "would assign" if dry_run else "assigned"
    click.echo(
        f"{'dry run: ' if dry_run else ''}{verb} {len(plan.items)} of {plan.candidates} "
        f"candidate conversations ({per_reviewer or 'none'})"
    )
    if plan.skipped_no_reviewer:
        click.echo(f"skipped {plan.skipped_no_reviewer}: every reviewer had already seen them")


@click.command("sample")
@click.option("--strategy", type=click.Choice(STRATEGIES), default="stratified", show_default=True)
@click.option("--per-agent-week", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--size", type=click.IntRange(min=1), default=None, help="Cap on the sample size.")
@click.option("--reviewers", required=True, help="Comma-separated usernames.")
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--channel", default=None, help="Comma-separated channels.")
@click.option("--language", default=None, help="Comma-separated languages (ru,en).")
@click.option("--team", default=None, help="Comma-separated team names.")
@click.option("--agent", default=None, help="Comma-separated agent logins.")
@click.option("--rubric", default=None, help="Rubric id (default: the first active rubric).")
@click.option("--blind", is_flag=True, help="Hide agent names from reviewers.")
@click.option("--dry-run", is_flag=True, help="Show what would be assigned; change nothing.")
@click.pass_context
def sample_command(ctx: click.Context, **options) -> None:
    """Sample conversations (random, stratified or risk-weighted) into review queues."""
    request = sampling.SampleRequest(
        strategy=options["strategy"],
        per_agent_week=options["per_agent_week"],
        size=options["size"],
        reviewers=_split(options["reviewers"]),
        seed=options["seed"],
        date_from=_day(options["date_from"]),
        date_to=_day(options["date_to"]),
        channels=_split(options["channel"]),
        languages=_split(options["language"]),
        teams=_split(options["team"]),
        agents=_split(options["agent"]),
        rubric_slug=options["rubric"],
        blind=options["blind"],
    )
    uow = database.unit_of_work(ctx.obj["database_url"])
    try:
        if options["dry_run"]:
            plan = sampling.sample_preview(uow, SYSTEM, request)
        else:
            plan = sampling.do_create_sample(uow, SYSTEM, request)
    except ServiceError as exc:
        raise CliError(exc.message) from exc
    _print_plan(plan, options["dry_run"])


def _day(value) -> date | None:
    return value.date() if value is not None else None


def register(group: click.Group) -> None:
    group.add_command(sample_command)
    _bench_group(group).add_command(bench_review)


@click.command("review")
@click.option("-n", "count", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--corpus", type=click.IntRange(min=1), default=100_000, show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.pass_context
def bench_review(ctx: click.Context, count: int, corpus: int, seed: int) -> None:
    """Median time to open the next conversation for review with a large corpus.

    Fills the database (use a scratch one) up to --corpus synthetic conversations once.
    """
    from qa_app.bench.review import measure_open_next

    url = database.database_url(ctx.obj["database_url"])
    click.echo(f"preparing {corpus} conversations in {url} (first run takes a while)...")
    figures = measure_open_next(url, count, corpus, seed)
    click.echo(
        f"open next: median {figures.median_open_ms:.1f} ms, p95 {figures.p95_open_ms:.1f} ms "
        f"over {figures.opened} opens with {figures.conversations} conversations; "
        f"submit: median {figures.median_submit_ms:.1f} ms"
    )


def _bench_group(group: click.Group) -> click.Group:
    """The shared ``bench`` group (owned by commands_bench), added to the CLI if missing."""
    if "bench" in group.commands:
        return group.commands["bench"]
    try:
        from qa_app.cli.commands_bench import bench_group
    except ImportError:  # the bench module is optional here
        bench_group = click.Group("bench", help="Benchmarks that print figures.")
    group.add_command(bench_group)
    return bench_group
