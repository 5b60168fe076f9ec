"""``qa-studio stats ranking``: are the scorecard statistics honest on known truth?

Prints the simulation of docs/statistics.md (coverage of the 95% intervals, Spearman of
the shrunk and the raw ranking with the simulated agents' true quality) and, when the demo
is loaded, the same Spearman figures against the demo personas' true quality, with all
reviews and with small random draws per agent.
"""

from __future__ import annotations

import click

from qa_app.cli.context import unit_of_work
from qa_app.demo.grades import persona_true_quality
from qa_app.services import scorecards
from scoring.stats.simulation import simulation_report


@click.group("stats")
def stats_group() -> None:
    """Checks of the statistics behind scorecards and the team dashboard."""


@stats_group.command("ranking")
@click.option("--teams", type=click.IntRange(10, 1000), default=200, show_default=True,
              help="Simulated teams of 20 agents.")  # fmt: skip
@click.option("--draws", type=click.IntRange(10, 5000), default=300, show_default=True,
              help="Random small samples per agent drawn from the demo reviews.")  # fmt: skip
@click.option("--seed", type=int, default=0, show_default=True)
@click.pass_context
def ranking_command(ctx: click.Context, teams: int, draws: int, seed: int) -> None:
    """Interval coverage and Spearman (shrunk vs raw) on simulated teams and demo personas."""
    report = simulation_report(teams=teams, seed=seed, bootstrap=False)
    click.echo(f"simulated teams ({teams} x 20 agents, 2-60 reviews each):")
    click.echo(f"  {'figure':<46}{'measured':>10}{'reference':>11}")
    for name, measured, reference in report.rows():
        click.echo(f"  {name:<46}{measured:>10.3f}{reference:>11.3f}")
    try:
        check = scorecards.ranking_check_screen(unit_of_work(ctx), persona_true_quality(),
                                                draws=draws, seed=seed)  # fmt: skip
    except ValueError as exc:
        click.echo(f"demo personas: skipped ({exc})")
        return
    click.echo(f"demo personas ({check.agents} agents, {check.reviews} reviews):")
    click.echo(f"  Spearman with persona quality, all reviews:   raw {check.raw_all:.3f}   "
               f"shrunk {check.shrunk_all:.3f}")  # fmt: skip
    click.echo(f"  Spearman, {check.draws} draws of {check.smallest}-{check.largest} reviews "
               f"per agent: raw {check.raw_drawn:.3f}   shrunk {check.shrunk_drawn:.3f}   "
               f"(shrunk better in {check.shrunk_better_share:.0%} of draws)")  # fmt: skip


def register(group: click.Group) -> None:
    group.add_command(stats_group)
