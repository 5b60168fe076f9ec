"""``qa-studio bench load``: 20 reviewers grading at once through the service layer on one
PostgreSQL database, with two-tab and two-lead races; prints reviews per second held, the
p95 of each service call, and what the database holds afterwards (lost 0, duplicated 0)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import click

from qa_app.bench import load, scale
from qa_app.bench.imports import postgres_answers, postgres_url
from qa_app.bench.percentiles import median, p95
from qa_app.bench.scratch import scratch_schema
from qa_app.cli.errors import CliError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def format_report(report: load.LoadReport) -> list[str]:
    """The printed lines (kept apart from measuring, for tests)."""
    ms = 1000.0
    return [
        f"{report.reviewers} reviewers for {report.seconds:.1f} s: {report.submitted:,} reviews "
        f"submitted, {report.reviews_per_second:.1f} reviews/s held",
        f"  open a conversation   p95 {p95(report.open_times) * ms:,.0f} ms "
        f"(median {median(report.open_times) * ms:,.0f} ms)",
        f"  submit a review       p95 {p95(report.submit_times) * ms:,.0f} ms "
        f"(median {median(report.submit_times) * ms:,.0f} ms)",
        f"  two tabs: {report.tab_refused} of {report.tab_probes} stale saves refused with a "
        "conflict",
        f"  two leads racing over {report.race_conversations} conversations: "
        f"{report.race_double_assigned} assigned twice",
        f"  database: {report.stored_reviews:,} submitted reviews stored; lost {report.lost}, "
        f"duplicated {report.duplicated}; submit conflicts {report.submit_conflicts}; raw "
        f"errors {len(report.errors)}",
        *(f"    {error}" for error in report.errors[:5]),
    ]


@click.command("load")
@click.option("--reviewers", type=click.IntRange(1, 100), default=20, show_default=True)
@click.option("--seconds", type=click.FloatRange(1, 3600), default=60, show_default=True,
              help="Stop after this long.")  # fmt: skip
@click.option("--limit", type=click.IntRange(1, 1_000_000), default=5000, show_default=True,
              help="Stop after this many submitted reviews.")  # fmt: skip
@click.option("--conversations", type=click.IntRange(20, 200_000), default=3000,
              show_default=True, help="Size of the synthetic export loaded first.")  # fmt: skip
@click.option("--url", default=None,
              help="PostgreSQL server (default $QA_STUDIO_TEST_PG_URL); loopback only.")  # fmt: skip
def bench_load(reviewers: int, seconds: float, limit: int, conversations: int,
               url: str | None) -> None:  # fmt: skip
    """Many reviewers at once on PostgreSQL: throughput, latency, nothing lost."""
    url = url or postgres_url()
    host = urlsplit(url.replace("postgresql+psycopg", "postgresql")).hostname or "localhost"
    if host not in LOOPBACK:
        raise CliError(f"bench load only runs against a server on this machine, not {host}")
    problem = postgres_answers(url)
    if problem:
        raise CliError(f"PostgreSQL does not answer: {problem}")
    folder = Path(tempfile.mkdtemp(prefix="qa-bench-load-"))
    export = folder / "export.jsonl"
    scale.write_export(export, conversations)
    with scratch_schema(url, "load") as scoped:
        click.echo(f"loading {conversations:,} conversations and filling {reviewers} queues ...",
                   err=True)  # fmt: skip
        actors, spare = load.prepare(scoped, export, reviewers)
        report = load.run_load(scoped, actors, spare, seconds=seconds, limit=limit)
    for line in format_report(report):
        click.echo(line)
    if report.lost or report.duplicated or report.race_double_assigned or report.errors:
        raise SystemExit(1)


@click.command("browsers")
@click.option("--browsers", type=click.IntRange(1, 20), default=5, show_default=True)
@click.option("--servers", type=click.IntRange(1, 4), default=2, show_default=True,
              help="qa-studio serve processes on one PostgreSQL database.")  # fmt: skip
@click.option("--reviews", type=click.IntRange(1, 100), default=4, show_default=True,
              help="Conversations each browser grades.")  # fmt: skip
@click.option("--seconds", type=click.FloatRange(10, 3600), default=300, show_default=True)
def bench_browsers(browsers: int, servers: int, reviews: int, seconds: float) -> None:
    """Reviewers in real browsers against two servers on one PostgreSQL database."""
    from qa_app.bench.browsers import measure_browsers

    url = postgres_url()
    problem = postgres_answers(url)
    if problem:
        raise CliError(f"PostgreSQL does not answer: {problem}")
    export = Path(tempfile.mkdtemp(prefix="qa-bench-browsers-")) / "export.jsonl"
    scale.write_export(export, browsers * (reviews + 1) + 20)
    with scratch_schema(url, "browsers") as scoped:
        f = measure_browsers(scoped, export, browsers=browsers, servers=servers,
                             reviews=reviews, seconds=seconds)  # fmt: skip
    for line in format_browsers(f):
        click.echo(line)
    if f.duplicated or f.stored_reviews != f.submitted or f.console_errors:
        raise SystemExit(1)


def format_browsers(f) -> list[str]:
    """The printed lines of ``bench browsers``."""
    return [
        f"{f.browsers} browsers on {f.servers} servers for {f.seconds:.1f} s: {f.submitted} "
        f"reviews submitted ({f.submitted / f.seconds if f.seconds else 0:.2f}/s)",
        f"  grade click shown      median {median(f.clicks_ms):,.0f} ms, p95 "
        f"{p95(f.clicks_ms):,.0f} ms ({len(f.clicks_ms)} clicks)",
        f"  submit, next ready     median {median(f.submits_ms):,.0f} ms, p95 "
        f"{p95(f.submits_ms):,.0f} ms",
        f"  server memory          {f.memory_before_mb:,.0f} MB before, {f.memory_open_mb:,.0f} MB "
        f"with every session open: {f.memory_per_session_mb:,.1f} MB per session",
        f"  database               {f.stored_reviews} submitted reviews stored, "
        f"{f.duplicated} duplicated; page errors {len(f.console_errors)}; sign-ins typed "
        f"again {f.sign_in_retries}; grade clicks made again {f.click_retries}",
        *(f"    {error}"[:300] for error in f.console_errors[:5]),
    ]


def register(group: click.Group) -> None:
    from qa_app.cli.commands_bench import bench_group
    from qa_app.cli.commands_bench import register as add_bench

    add_bench(group)
    bench_group.add_command(bench_load)
    bench_group.add_command(bench_browsers)
