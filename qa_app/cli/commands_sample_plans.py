"""``qa-studio sample <subcommand>``: recurring plans, the scheduler, goals, notable list.

``qa-studio sample run-plans`` is what cron or a systemd timer calls (see
docs/sampling.md): it runs every plan whose scheduled time has come and whose period has
not run yet. Running it twice, or beside the app's own check, assigns nothing twice.
"""

from __future__ import annotations

import click

from qa_app.cli.commands_sample import print_capacity
from qa_app.cli.context import unit_of_work
from qa_app.cli.errors import CliError
from qa_app.cli.sample_options import filter_options, filters_from, parse_now, split
from qa_app.services import reviews, sampling
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError
from qa_app.services.sampling import STRATEGIES

NOW_HELP = "The clock (ISO date-time with offset; default: now)."


def _guarded(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except ServiceError as exc:
        raise CliError(exc.message) from exc


def _plan_id(ctx: click.Context, name: str, now) -> int:
    plans = _guarded(sampling.plans_screen, unit_of_work(ctx), SYSTEM, now).plans
    for plan in plans:
        if plan.name == name:
            return plan.id
    known = ", ".join(p.name for p in plans) or "none"
    raise CliError(f"no plan named {name!r} (plans: {known})")


@click.command("plans")
@click.option("--now", "now_text", default=None, help=NOW_HELP)
@click.pass_context
def plans_command(ctx: click.Context, now_text: str | None) -> None:
    """List recurring plans with their next and last runs."""
    now = parse_now(now_text)
    screen = _guarded(sampling.plans_screen, unit_of_work(ctx), SYSTEM, now)
    for p in screen.plans:
        days = ",".join(sampling.WEEKDAY_NAMES[d] for d in p.weekdays)
        last = (
            f"last {p.last_run.period_key}: {p.last_run.created} assigned"
            if p.last_run
            else "never run"
        )
        state = "active" if p.is_active else "paused"
        click.echo(
            f"{p.name}: {state}, {days} {p.run_at} {p.timezone}, {p.strategy} "
            f"{p.quota_per_agent}/agent, reviewers {', '.join(p.reviewers)}; "
            f"next {p.next_run.isoformat()}; {last}{'; DUE' if p.due else ''}"
        )
    if not screen.plans:
        click.echo("no plans yet (qa-studio sample plan-add)")


@click.command("plan-add")
@click.argument("name")
@click.option(
    "--every",
    "weekdays",
    default="mon",
    show_default=True,
    help="mon | weekdays | a list such as mon,thu",
)
@click.option("--at", "run_at", default="07:00", show_default=True, help="Local time HH:MM.")
@click.option("--tz", "timezone", default=None, help="IANA zone (default QA_STUDIO_TIMEZONE).")
@click.option("--strategy", type=click.Choice(STRATEGIES), default="stratified", show_default=True)
@click.option(
    "--quota",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Conversations per agent per run (per week for a weekly plan).",
)
@click.option("--reviewers", required=True, help="Comma-separated usernames.")
@click.option("--rubric", default=None, help="Rubric id (default: the first active rubric).")
@click.option("--blind", is_flag=True, help="Hide agent names from reviewers.")
@click.option("--replace", is_flag=True, help="Change the plan of this name if it exists.")
@filter_options(with_dates=False)
@click.option("--now", "now_text", default=None, help=NOW_HELP)
@click.pass_context
def plan_add(ctx: click.Context, name: str, **options) -> None:
    """Define a recurring plan, e.g. every Monday 07:00, 5 per agent, stratified."""
    now = parse_now(options.pop("now_text"))
    plan_id = _plan_id(ctx, name, now) if options.pop("replace") else None
    data = sampling.PlanInput(
        name=name,
        weekdays=options.pop("weekdays"),
        run_at=options.pop("run_at"),
        timezone=options.pop("timezone") or reviews.team_timezone(),
        strategy=options.pop("strategy"),
        quota_per_agent=options.pop("quota"),
        reviewers=split(options.pop("reviewers")),
        rubric_slug=options.pop("rubric"),
        blind=options.pop("blind"),
        filters=filters_from(options),
    )
    saved = _guarded(
        sampling.do_save_plan, unit_of_work(ctx), SYSTEM, data, now=now, plan_id=plan_id
    )
    click.echo(f"plan {name!r} saved (id {saved})")


def _set_active(ctx: click.Context, name: str, active: bool) -> None:
    now = parse_now(None)
    plan_id = _plan_id(ctx, name, now)
    _guarded(sampling.do_set_plan_active, unit_of_work(ctx), SYSTEM, plan_id, active)
    click.echo(f"plan {name!r} {'resumed' if active else 'paused'}")


@click.command("plan-pause")
@click.argument("name")
@click.pass_context
def plan_pause(ctx: click.Context, name: str) -> None:
    """Pause a plan (it stops running until resumed)."""
    _set_active(ctx, name, False)


@click.command("plan-resume")
@click.argument("name")
@click.pass_context
def plan_resume(ctx: click.Context, name: str) -> None:
    """Resume a paused plan from its next scheduled time."""
    _set_active(ctx, name, True)


def _print_run(result: sampling.PlanRunResult) -> None:
    head = f"{result.plan_name} [{result.period_key or '-'}]"
    if result.status == "failed":
        click.echo(f"{head}: could not run ({result.error_key} {result.error_params})")
    elif result.status == "already_ran":
        click.echo(f"{head}: already ran for this period, nothing new")
    else:
        verb = "would assign" if result.status == "preview" else "assigned"
        per = ", ".join(f"{k}: {v}" for k, v in sorted(result.sample.per_reviewer().items()))
        click.echo(f"{head}: {verb} {result.created} ({per or 'none'})")
        print_capacity(result.sample)


@click.command("run-plans")
@click.option("--now", "now_text", default=None, help=NOW_HELP)
@click.option("--plan", "plan_name", default=None, help="Run this plan now even if not due.")
@click.option("--dry-run", is_flag=True, help="With --plan: show what it would assign.")
@click.option("--override-capacity", is_flag=True, help="With --plan: assign beyond capacity.")
@click.pass_context
def run_plans(ctx: click.Context, now_text, plan_name, dry_run, override_capacity) -> None:
    """Run the plans that are due (for cron or a systemd timer); idempotent per period."""
    now = parse_now(now_text)
    if plan_name is None:
        if dry_run or override_capacity:
            raise click.UsageError("--dry-run and --override-capacity need --plan")
        results = sampling.do_run_due_plans(unit_of_work(ctx), SYSTEM, now)
        for result in results:
            _print_run(result)
        click.echo(f"{len(results)} plan(s) due at {now.isoformat()}")
        if any(r.status == "failed" for r in results):
            raise CliError("some plans could not run", exit_code=1)
        return
    plan_id = _plan_id(ctx, plan_name, now)
    if dry_run:
        result = _guarded(
            sampling.plan_run_preview,
            unit_of_work(ctx),
            SYSTEM,
            plan_id,
            now,
            override=override_capacity,
        )
    else:
        result = _guarded(
            sampling.do_run_plan,
            unit_of_work(ctx),
            SYSTEM,
            plan_id,
            now,
            override=override_capacity,
        )
    _print_run(result)


@click.command("goal")
@click.argument("reviewer")
@click.argument("weekly", required=False, type=click.IntRange(min=0))
@click.option("--clear", is_flag=True, help="Remove the goal (the reviewer is not capped).")
@click.pass_context
def goal_command(ctx: click.Context, reviewer: str, weekly: int | None, clear: bool) -> None:
    """Set a reviewer's goal in reviews per week (or --clear it)."""
    if (weekly is None) != clear:
        raise click.UsageError("give the weekly number of reviews, or --clear")
    _guarded(reviews.do_set_goal, unit_of_work(ctx), SYSTEM, reviewer, weekly)
    click.echo(f"{reviewer}: {'no goal' if clear else f'{weekly} reviews a week'}")


@click.command("goals")
@click.option("--now", "now_text", default=None, help=NOW_HELP)
@click.pass_context
def goals_command(ctx: click.Context, now_text: str | None) -> None:
    """Every reviewer's weekly goal, reviews done this week, open work and capacity."""
    rows = _guarded(reviews.goals_screen, unit_of_work(ctx), SYSTEM, parse_now(now_text))
    for row in rows:
        goal = "-" if row.goal is None else row.goal
        room = "not capped" if row.capacity is None else row.capacity
        click.echo(
            f"{row.reviewer:<20} goal {goal}, done {row.done}, open {row.open}, capacity {room}"
        )


@click.command("notable")
@filter_options()
@click.option("--reason", type=click.Choice(sampling.REASONS), default=None)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.pass_context
def notable_command(ctx: click.Context, reason: str | None, page: int, **options) -> None:
    """Conversations that stand out (outliers and risks), most notable first."""
    filters = filters_from(options)
    screen = _guarded(
        sampling.notable_screen, unit_of_work(ctx), SYSTEM, filters, reason=reason, page=page
    )
    found = screen.page
    for item in found.items:
        why = "; ".join(r.code + (f" {r.params}" if r.params else "") for r in item.reasons)
        click.echo(f"{item.external_id:<24} {item.agent:<16} {item.score:>5.1f}  {why}")
    click.echo(f"page {found.page} of {found.pages} ({found.total} notable conversations)")


@click.command("simulate")
@click.option("--plan", "plan_name", required=True)
@click.option(
    "--start",
    "start_text",
    required=True,
    help="ISO date-time; the first run is the plan's next scheduled time from here.",
)
@click.option("--weeks", type=click.IntRange(1, 52), default=2, show_default=True)
@click.option("--review-share", type=click.FloatRange(0, 1), default=0.8, show_default=True)
@click.pass_context
def simulate_command(ctx, plan_name, start_text, weeks, review_share) -> None:
    """Run a plan for simulated weeks with reviewers working in between (WRITES reviews:
    use a scratch copy or the demo database)."""
    start = parse_now(start_text)
    plan_id = _plan_id(ctx, plan_name, start)
    report = _guarded(
        sampling.simulate_plan,
        unit_of_work(ctx),
        SYSTEM,
        plan_id,
        start,
        weeks,
        review_share=review_share,
    )
    for week in report:
        _print_run(week.run)
        for name, after in sorted(week.after.items()):
            before = week.before[name]
            click.echo(
                f"  {name:<18} before: goal {before.goal}, open {before.open}, capacity "
                f"{before.capacity}; week: reviewed {week.reviewed.get(name, 0)}, "
                f"done {after.done}, open {after.open}"
            )


SUBCOMMANDS = (
    plans_command,
    plan_add,
    plan_pause,
    plan_resume,
    run_plans,
    goal_command,
    goals_command,
    notable_command,
    simulate_command,
)
