"""``qa-studio coaching topics``: the coaching topics a team (or everyone) needs most.

Prints, most needed first, each topic with how many agents need it and the evidence
behind it (reviews and conversations with automatic signals), the same figures the
Coaching page shows trainers.
"""

from __future__ import annotations

import click

from qa_app.cli.commands_bench import bench_group
from qa_app.cli.context import unit_of_work
from qa_app.cli.errors import CliError
from qa_app.cli.sample_options import parse_now
from qa_app.services import coaching
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError


@click.group("coaching")
def coaching_group() -> None:
    """Coaching recommendations from the reviews and automatic signals."""


@coaching_group.command("topics")
@click.option("--team", "team_name", default=None, help="Team name (default: every agent).")
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 100))
@click.option("--now", "now_text", default=None, help="The clock (ISO date-time; default: now).")
@click.option("--demo-season", is_flag=True, help="Use the demo season's own date as the clock.")
@click.pass_context
def topics_command(
    ctx: click.Context, team_name: str | None, top: int, now_text: str | None, demo_season: bool
) -> None:
    """The TOP topics by agents in need, with their evidence counts."""
    if demo_season:
        from qa_app.demo.season import demo_reference

        now = demo_reference(None)
    else:
        now = parse_now(now_text)
    try:
        teams = dict(
            (name, tid)
            for tid, name in coaching.coaching_screen(unit_of_work(ctx), SYSTEM, now).teams
        )
        if team_name is not None and team_name not in teams:
            known = ", ".join(sorted(teams)) or "none"
            raise CliError(f"no team named {team_name!r} (teams: {known})")
        team_id = teams.get(team_name) if team_name else None
        result = coaching.team_recommendations_screen(unit_of_work(ctx), SYSTEM, team_id, now)
    except ServiceError as exc:
        raise CliError(exc.message) from exc
    where = team_name or "all agents"
    click.echo(
        f"Coaching topics for {where}, reviews of {result.since:%Y-%m-%d} to {result.until:%Y-%m-%d} "
        f"({result.agents} agents; at least {result.minimum_reviews} reviews each):"
    )
    if not result.topics:
        click.echo("  no topic is clearly needed")
    for rank, topic in enumerate(result.topics[:top], start=1):
        name = coaching.catalogue().topic(topic.topic_id).name.en
        agents = ", ".join(a.login for a, _ in topic.agents)
        click.echo(
            f"  {rank}. {name} ({topic.topic_id}): {len(topic.agents)} of {result.agents} agents; "
            f"evidence {topic.reviews} reviews, {topic.conversations} conversations with signals"
        )
        click.echo(f"     agents: {agents}")
    if result.without_evidence:
        click.echo(
            "  not enough evidence yet: " + ", ".join(a.login for a in result.without_evidence)
        )


@bench_group.command("coaching")
@click.option(
    "--conversations", "corpus", default=100_000, show_default=True, type=click.IntRange(1000)
)
@click.option("--repeats", default=2, show_default=True, type=click.IntRange(1, 10))
@click.option(
    "--db-url", "url", default=None, help="Scratch database (default: a temporary SQLite file)."
)
def bench_coaching(corpus: int, repeats: int, url: str | None) -> None:
    """Time the coaching screens on a synthetic corpus beside a reference query."""
    import tempfile
    from pathlib import Path

    from qa_app.bench.coaching import REVIEWED_SHARE, measure_coaching

    with tempfile.TemporaryDirectory(prefix="qa-bench-coaching-") as tmp:
        target = url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        total, timings = measure_coaching(target, corpus, repeats)
    click.echo(
        f"{total:,} conversations, 60 agents in 4 teams, {REVIEWED_SHARE:.0%} reviewed "
        f"(every criterion graded), signals on all; best of {repeats}"
    )
    for timing in timings:
        click.echo(
            f"  {timing.case:<44} {timing.seconds:7.2f} s wall  {timing.cpu_seconds:7.2f} s CPU"
            f"  ({timing.rows:,} rows)"
        )


def register(group: click.Group) -> None:
    group.add_command(coaching_group)
