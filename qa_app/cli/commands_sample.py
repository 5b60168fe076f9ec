"""``qa-studio sample``: pick conversations for review and fill reviewers' queues.

``qa-studio sample [filters]`` makes a one-off sample; its subcommands manage recurring
plans, reviewer goals and the notable list (``commands_sample_plans``).
"""

from __future__ import annotations

import click

from qa_app.cli.context import unit_of_work
from qa_app.cli.errors import CliError
from qa_app.cli.sample_options import filter_options, filters_from, parse_now, split
from qa_app.services import database, rubrics, sampling
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError
from qa_app.services.sampling import STRATEGIES


def print_capacity(plan: sampling.SamplePlan) -> None:
    """Each reviewer over capacity, with the numbers, and what the cap left out."""
    for row in plan.over_capacity:
        click.echo(
            f"capacity: {row.reviewer} goal {row.goal}, done {row.done}, open {row.open} "
            f"-> room for {row.capacity}; this sample wanted {row.wanted}"
        )
    if plan.left_out_capacity:
        click.echo(
            f"left out {plan.left_out_capacity}: over the reviewers' capacity "
            "(--override-capacity assigns them anyway)"
        )


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
    print_capacity(plan)


@click.group("sample", invoke_without_command=True)
@click.option("--strategy", type=click.Choice(STRATEGIES), default="stratified", show_default=True)
@click.option("--per-agent-week", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--size", type=click.IntRange(min=1), default=None, help="Cap on the sample size.")
@click.option("--reviewers", default=None, help="Comma-separated usernames.")
@click.option("--seed", type=int, default=42, show_default=True)
@filter_options()
@click.option("--rubric", default=None, help="Rubric id (default: the first active rubric).")
@click.option("--blind", is_flag=True, help="Hide agent names from reviewers.")
@click.option("--override-capacity", is_flag=True, help="Assign beyond reviewers' capacity.")
@click.option("--now", "now_text", default=None, help="The clock (ISO date-time; default now).")
@click.option("--dry-run", is_flag=True, help="Show what would be assigned; change nothing.")
@click.pass_context
def sample_command(ctx: click.Context, **options) -> None:
    """Sample conversations (random, stratified or risk-weighted) into review queues.

    Reviewers with a weekly goal get no more than their capacity (goal minus reviews done
    this week minus open assignments) unless --override-capacity is given (audited).
    """
    if ctx.invoked_subcommand is not None:
        return
    if not options["reviewers"]:
        raise click.UsageError("--reviewers is required for a one-off sample")
    request = sampling.SampleRequest(
        strategy=options["strategy"],
        per_agent_week=options["per_agent_week"],
        size=options["size"],
        reviewers=split(options["reviewers"]),
        seed=options["seed"],
        filters=filters_from(options),
        rubric_slug=options["rubric"],
        blind=options["blind"],
        override_capacity=options["override_capacity"],
    )
    now = parse_now(options["now_text"])
    uow = unit_of_work(ctx)
    try:
        # As on the first page load: a fresh database gets the bundled default rubric, so
        # "import, score, sample" works on a new install without a visit to the app first.
        rubrics.do_ensure_default_rubric(uow)
        if options["dry_run"]:
            plan = sampling.sample_preview(uow, SYSTEM, request, now=now)
        else:
            plan = sampling.do_create_sample(uow, SYSTEM, request, now=now)
    except ServiceError as exc:
        raise CliError(exc.message) from exc
    _print_plan(plan, options["dry_run"])


def register(group: click.Group) -> None:
    from qa_app.cli.commands_sample_plans import SUBCOMMANDS

    for command in SUBCOMMANDS:
        sample_command.add_command(command)
    group.add_command(sample_command)
    _bench_group(group).add_command(bench_review)
    _bench_group(group).add_command(bench_sampling)


@click.command("sampling")
@click.option("--corpus", type=click.IntRange(min=1000), default=100_000, show_default=True)
@click.option("--repeats", type=click.IntRange(1, 10), default=3, show_default=True)
@click.pass_context
def bench_sampling(ctx: click.Context, corpus: int, repeats: int) -> None:
    """Seconds for sampling previews with the new filters, the notable list and a plan
    run's preview, beside the plain preview measured in the same run (best of --repeats).

    Fills the database (use a scratch one) up to --corpus synthetic conversations once.
    """
    from qa_app.bench.sampling import measure_sampling

    url = database.database_url(ctx.obj["database_url"])
    click.echo(f"preparing {corpus:,} conversations in {database.display_url(url)} ...")
    total, timings = measure_sampling(url, corpus, repeats)
    reference = timings[0].seconds
    click.echo(f"{total:,} conversations; best of {repeats}")
    click.echo(f"{'case':<44}{'wall s':>8}{'x ref':>8}{'CPU s':>8}{'x ref':>8}{'rows':>9}")
    cpu_reference = timings[0].cpu_seconds or 1e-9
    for timing in timings:
        click.echo(
            f"{timing.case:<44}{timing.seconds:>8.2f}{timing.seconds / reference:>7.2f}x"
            f"{timing.cpu_seconds:>8.2f}{timing.cpu_seconds / cpu_reference:>7.2f}x"
            f"{timing.rows:>9,}"
        )


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
