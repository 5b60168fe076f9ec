"""``qa-studio bench``: benchmarks that print figures (never timed unit tests).

``bench scoring`` scores the same synthetic bilingual messages with the full AutoQA
pipeline and with VADER alone (each in its own process, see
``qa_app.bench.scoring``) and prints messages per second by wall clock and per CPU
second, their ratios, peak memory and the extrapolated time for a million messages. Other
benchmarks are added to the ``bench`` group as further subcommands (``register`` adds the
group once).
"""

from __future__ import annotations

import os

import click

from qa_app.bench.scoring import (
    MILLION,
    BenchReport,
    conversation_pool,
    run_bench,
)

TARGET_RATIO = 0.4  # issue #6: the full pipeline at no less than 0.4x VADER's speed
TARGET_MINUTES = 5.0  # 1,000,000 messages on this 2-core machine
TARGET_MEMORY_MB = 1000.0  # main process plus workers (MB of 2**20 bytes, rounded down)


def format_report(report: BenchReport, n_messages: int, cores: int) -> list[str]:
    """The printed lines of ``bench scoring`` (kept apart from measuring, for tests)."""
    r, jobs = report, report.jobs
    p = r.parallel

    def row(name: str, wall: float, cpu: float) -> str:
        return (
            f"{name:<30}{wall:>10,.0f}{cpu:>14,.0f}"
            f"{cpu / r.vader_cpu:>12.2f}x{wall / r.vader_wall:>9.2f}x"
        )

    per_cpu_ratio = r.parallel_cpu / r.vader_cpu
    wall_ratio = r.parallel_wall / r.vader_wall
    free = r.million_minutes_free_cores(cores)
    sampled = p["sampled_rss_mb"]
    lines = [
        f"{'':<30}{'msg/s wall':>10}{'msg/s per CPU s':>16}{'vs VADER: CPU':>14}{'wall':>7}",
        row("VADER polarity_scores, 1 proc", r.vader_wall, r.vader_cpu),
        row("AutoQA pipeline, 1 process", r.single_wall, r.single_cpu),
        row(f"AutoQA pipeline, --jobs {jobs}", r.parallel_wall, r.parallel_cpu),
        f"  (--jobs {jobs}: {p['messages']:,} messages in {p['wall']:.1f} s wall; CPU: workers "
        f"{p['workers_cpu']:.1f} s incl. start-up {r.single['startup_cpu']:.1f} s each, main "
        f"{p['main_cpu']:.1f} s = {r.main_ms_per_message:.3f} ms/msg generating, sending, "
        f"unpickling)",
        f"  (1 process: {1000 / r.single_cpu:.3f} ms CPU per message; "
        f"VADER {1000 / r.vader_cpu:.3f} ms)",
        f"  (--jobs {jobs} without the workers' start-up, which VADER's figure does not carry "
        f"either: {r.steady_cpu / r.vader_cpu:.2f}x VADER per CPU second)",
        f"peak memory (RSS): main {p['main_peak_mb']:,.0f} MB, largest worker "
        f"{p['worker_peak_mb']:,.0f} MB, main + {jobs} x worker {r.total_peak_mb:,.0f} MB"
        + (
            f"; sampled sum {sampled:,.0f} MB (PSS {p['sampled_pss_mb']:,.0f} MB)"
            if sampled
            else ""
        ),
        f"  (1 process run: {r.single['peak_mb']:,.0f} MB; VADER process "
        f"{r.vader['peak_mb']:,.0f} MB)",
    ]
    if n_messages < MILLION:
        lines.append(
            f"1,000,000 messages at --jobs {jobs}: {r.million_minutes_wall():.1f} min at this "
            f"run's wall rate; {free:.2f} min on {cores} free cores (start-up + this run's CPU "
            f"per message of workers and main); {r.million_minutes_warm(cores):.2f} min with "
            f"the workers at the one-process rate once its caches were warm (second half)"
        )
    else:
        lines.append(f"1,000,000 messages at --jobs {jobs}: {p['wall'] / 60:.1f} min wall")
    minutes = free if n_messages < MILLION else p["wall"] / 60
    memory = sampled or r.total_peak_mb  # sampled sum of RSS when /proc is there
    lines.append(
        f"targets: >= {TARGET_RATIO}x VADER: {per_cpu_ratio:.2f}x per CPU second, "
        f"{wall_ratio:.2f}x by wall with --jobs {jobs} vs VADER in 1 process "
        f"({'met' if min(per_cpu_ratio, wall_ratio) >= TARGET_RATIO else 'MISSED'}); "
        f"1M < {TARGET_MINUTES:.0f} min: {minutes:.2f} min "
        f"({'met' if minutes < TARGET_MINUTES else 'MISSED'}); memory < 1 GB: {memory:,.0f} MB "
        f"({'met' if memory < TARGET_MEMORY_MB else 'MISSED'})"
    )
    lines.append(f"load average at the end: {os.getloadavg()[0]:.1f} on {cores} cores")
    return lines


@click.group("bench")
def bench_group() -> None:
    """Benchmarks that print figures."""


@bench_group.command("scoring")
@click.option(
    "--messages", "n_messages", default=20_000, show_default=True, type=click.IntRange(100)
)
@click.option("--jobs", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--batch-size", default=256, show_default=True, type=click.IntRange(1))
@click.option("--full", is_flag=True, help="Really score 1,000,000 messages.")
def bench_scoring(n_messages: int, jobs: int, batch_size: int, full: bool) -> None:
    """AutoQA pipeline vs VADER on the same synthetic bilingual messages.

    VADER, the pipeline in one process and the pipeline with --jobs workers each run in a
    fresh process. Wall-clock rates depend on what else the machine runs; per-CPU-second
    rates (this process and its workers) much less, so both are printed.
    """
    pool, source = conversation_pool()
    click.echo(
        f"{len(pool)} conversations ({sum(len(c.messages) for c in pool):,} messages) "
        f"from the {source}, cycled with fresh reference numbers; "
        f"{min(n_messages, 20_000):,} messages for VADER and 1 process, "
        f"{MILLION if full else n_messages:,} with --jobs {jobs}"
    )
    report = run_bench(n_messages, jobs, batch_size, full)
    for line in format_report(report, MILLION if full else n_messages, os.cpu_count() or 1):
        click.echo(line)


#: Issue 16: grading at the speed of thought, on the demo in a real browser.
TARGET_CLICK_MS = 200.0
TARGET_SUBMIT_MS = 700.0


@bench_group.command("grading")
@click.option("--reviews", default=3, show_default=True, type=click.IntRange(1, 50))
@click.option("--lang", default="en", show_default=True, type=click.Choice(["en", "ru"]))
@click.pass_context
def bench_grading(ctx: click.Context, reviews: int, lang: str) -> None:
    """Grade demo conversations in chromium and print the waits a reviewer sees.

    Runs on the database in force (load the demo there first: ``qa-studio demo``); adds a
    reviewer ``bench-grader`` with a few conversations queued, signs in through the real
    form, clicks a level of every criterion (timed until the page counts it), then submits
    (timed until the next conversation is ready). Prints medians and 90th percentiles
    beside the targets.
    """
    from qa_app.bench.grading import measure_grading
    from qa_app.cli.context import migrated_url

    figures = measure_grading(migrated_url(ctx), reviews=reviews, lang=lang)
    click.echo(
        f"{reviews} review(s) of {figures.criteria} criteria, {len(figures.clicks)} grade "
        f"clicks, {len(figures.submits)} submits, 1440x900 chromium, {os.cpu_count()} cores"
    )
    click.echo(
        f"reference (sign-in language switch, a trivial full rerun): median "
        f"{figures.median(figures.reference):7.0f} ms"
    )
    click.echo(
        f"grade click reflected:  median {figures.median_click_ms:7.0f} ms   "
        f"p90 {figures.p90_click_ms:7.0f} ms   target median < {TARGET_CLICK_MS:.0f} ms"
    )
    click.echo(
        f"grade click run done:   median {figures.median(figures.settled):7.0f} ms   "
        f"(the page takes the next click without queueing)"
    )
    click.echo(
        f"submit and open next:   median {figures.median_submit_ms:7.0f} ms   "
        f"p90 {figures.p90_submit_ms:7.0f} ms   target median < {TARGET_SUBMIT_MS:.0f} ms"
    )


def register(group: click.Group) -> None:
    """Add the ``bench`` group once; other modules add subcommands to ``bench_group``."""
    if "bench" not in group.commands:
        group.add_command(bench_group)
