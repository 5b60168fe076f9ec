"""``qa-studio stats ranking``: are the scorecard statistics honest on known truth?

Prints the simulation of docs/statistics.md (coverage of the 95% intervals, Spearman of
the shrunk and the raw ranking with the simulated agents' true quality) and, when the demo
is loaded, the same Spearman figures against the demo personas' true quality, with all
reviews and over drawn months of QA sampling with unequal review counts.
"""

from __future__ import annotations

import click

from qa_app.cli.context import unit_of_work
from qa_app.demo.corpus.personas import AGENTS
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
              help="Drawn months of QA sampling from the demo reviews.")  # fmt: skip
@click.option("--seed", type=int, default=0, show_default=True)
@click.pass_context
def ranking_command(ctx: click.Context, teams: int, draws: int, seed: int) -> None:
    """Interval coverage and Spearman (shrunk vs raw) on simulated teams and demo personas."""
    report = simulation_report(teams=teams, seed=seed, bootstrap=False)
    click.echo(f"simulated teams ({teams} x 20 agents, 2-60 reviews each):")
    click.echo(f"  {'figure':<46}{'measured':>10}{'reference':>11}")
    for name, measured, reference in report.rows():
        click.echo(f"  {name:<46}{measured:>10.3f}{reference:>11.3f}")
    new_hires = [a.login for a in AGENTS if a.persona == "new_hire"]
    try:
        check = scorecards.ranking_check_screen(unit_of_work(ctx), persona_true_quality(),
                                                draws=draws, seed=seed,
                                                new_hire_logins=new_hires)  # fmt: skip
    except ValueError as exc:
        click.echo(f"demo personas: skipped ({exc})")
        return
    _print_personas(check)


def _interval(figure: scorecards.MeanWithInterval) -> str:
    return f"{figure.mean:.3f} [{figure.low:.3f}, {figure.high:.3f}]"


def _print_personas(check: scorecards.RankingCheck) -> None:
    click.echo(f"demo personas ({check.agents} agents, {check.reviews} reviews):")
    click.echo(f"  Spearman with persona quality, all reviews (about equal counts): "
               f"raw {check.raw_all:.3f}   shrunk {check.shrunk_all:.3f}")  # fmt: skip
    click.echo(f"  {check.draws} drawn months of QA sampling (full-time 12 reviews, part-time "
               f"and the new hire fewer; {check.counts_low}-{check.counts_high} reviews per "
               f"agent, 10th-90th percentile), mean Spearman [95% interval]:")  # fmt: skip
    click.echo(f"    raw mean                          {_interval(check.raw_drawn)}")
    click.echo(f"    shrunk (agent variances, default) {_interval(check.shrunk_drawn)}")
    click.echo(f"    shrunk (one pooled variance)      {_interval(check.pooled_drawn)}")
    click.echo(f"    shrunk minus raw, draw by draw    {_interval(check.difference)}   "
               f"(shrunk better in {check.shrunk_better_share:.0%} of draws)")  # fmt: skip


def register(group: click.Group) -> None:
    group.add_command(stats_group)
