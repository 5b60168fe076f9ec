"""``qa-studio worker`` (score from the queue, on any machine) and ``qa-studio queue``
(install the queue, queue unscored conversations, print its state)."""

from __future__ import annotations

import click

from qa_app.cli.context import migrated_url, unit_of_work
from qa_app.cli.errors import CliError
from qa_app.services import scoring_queue
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError

JOB_SIZE_DEFAULT = scoring_queue.JOB_SIZE


def _postgres_url(ctx: click.Context) -> str:
    url = migrated_url(ctx)
    if not scoring_queue.is_postgres(url):
        raise CliError(
            "the scoring queue needs PostgreSQL (--db postgresql+psycopg://...); on SQLite "
            "use qa-studio score --jobs N"
        )
    return url


@click.command("worker")
@click.option("--concurrency", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Jobs at once in this process (scoring is CPU-bound: run one worker "
                   "process per core instead).")  # fmt: skip
@click.option("--once", is_flag=True, help="Stop when the queue is empty (else run until stopped).")
@click.option("--stalled-after", type=click.FloatRange(2, 3600), default=30.0, show_default=True,
              help="Seconds of silence after which a worker counts as dead and its job is "
                   "handed back to the queue.")  # fmt: skip
@click.option("--heartbeat", type=click.FloatRange(0.5, 600), default=5.0, show_default=True,
              help="Seconds between this worker's heartbeats.")  # fmt: skip
@click.option("--name", default=None, help="Worker name in the logs.")
@click.pass_context
def worker_command(ctx: click.Context, concurrency: int, once: bool, stalled_after: float,
                   heartbeat: float, name: str | None) -> None:  # fmt: skip
    """Score conversations from the queue (PostgreSQL); run as many as you have cores."""
    url = _postgres_url(ctx)
    try:
        scoring_queue.run_worker(url, concurrency=concurrency, once=once,
                                 stalled_after=stalled_after, heartbeat=heartbeat, name=name)  # fmt: skip
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    except KeyboardInterrupt:
        click.echo("worker stopped", err=True)


@click.group("queue")
def queue_group() -> None:
    """The scoring queue on PostgreSQL: install it, fill it, see its state."""


@queue_group.command("install")
@click.pass_context
def install_command(ctx: click.Context) -> None:
    """Create the queue's tables (procrastinate's schema) in the database."""
    created = scoring_queue.install(_postgres_url(ctx))
    click.echo("scoring queue installed" if created else "scoring queue already installed")


@queue_group.command("enqueue")
@click.option("--all", "rescore_all", is_flag=True, help="Every conversation, scored or not.")
@click.pass_context
def enqueue_command(ctx: click.Context, rescore_all: bool) -> None:
    """Queue the conversations that are not scored yet (and not already waiting)."""
    url = _postgres_url(ctx)
    scoring_queue.install(url)
    try:
        jobs = scoring_queue.do_enqueue_unscored(unit_of_work(ctx), SYSTEM, rescore_all=rescore_all)
    except ServiceError as exc:
        raise CliError(str(exc)) from exc
    click.echo(f"queued {jobs} job(s) of up to {scoring_queue.JOB_SIZE} conversations")


@queue_group.command("status")
@click.pass_context
def status_command(ctx: click.Context) -> None:
    """Jobs by state, conversations waiting, workers online, recent failures."""
    _postgres_url(ctx)
    screen = scoring_queue.queue_screen(unit_of_work(ctx), SYSTEM)
    if not screen.installed:
        raise CliError("the scoring queue is not installed: run qa-studio queue install")
    click.echo("jobs: " + ", ".join(f"{state} {n}" for state, n in screen.jobs.items()))
    click.echo(f"conversations waiting {screen.waiting_conversations}, "
               f"unscored {screen.unscored_conversations}; workers online {screen.workers_online}")  # fmt: skip
    for failure in screen.failures:
        click.echo(f"failed job {failure.job_id} (attempt {failure.attempt}, "
                   f"{failure.conversations} conversations) at {failure.failed_at:%Y-%m-%d %H:%M}: "
                   f"{failure.reason}")  # fmt: skip


@click.command("queue")
@click.option("--conversations", type=click.IntRange(20, 200_000), default=2000, show_default=True)
@click.option("--workers", default="1,2", show_default=True,
              help="Worker counts to measure, comma-separated.")  # fmt: skip
@click.option("--job-size", type=click.IntRange(1, 10_000), default=JOB_SIZE_DEFAULT,
              show_default=True)  # fmt: skip
def bench_queue(conversations: int, workers: str, job_size: int) -> None:
    """Drain the scoring queue with 1 and 2 workers, beside score --jobs N on the same data."""
    import tempfile
    from pathlib import Path

    from qa_app.bench import queue as bench
    from qa_app.bench import scale
    from qa_app.bench.imports import postgres_answers, postgres_url

    url = postgres_url()
    problem = postgres_answers(url)
    if problem:
        raise CliError(f"PostgreSQL does not answer: {problem}")
    try:
        counts = tuple(int(part) for part in workers.split(",") if part.strip())
    except ValueError:
        raise CliError(f"--workers takes numbers separated by commas, not {workers!r}") from None
    export = Path(tempfile.mkdtemp(prefix="qa-bench-queue-")) / "export.jsonl"
    scale.write_export(export, conversations)
    click.echo(f"{'case':<34}{'seconds':>9}{'messages/s':>12}")
    for f in bench.run(url, export, counts, job_size):
        name = (f"queue, {f.processes} worker process(es)" if f.case == "queue"
                else f"reference: score --jobs {f.processes}")  # fmt: skip
        click.echo(f"{name:<34}{f.seconds:>9.1f}{f.messages_per_second:>12,.0f}"
                   f"   ({f.conversations:,} conversations, {f.messages:,} messages)")  # fmt: skip


def register(group: click.Group) -> None:
    from qa_app.cli.commands_bench import bench_group
    from qa_app.cli.commands_bench import register as add_bench

    group.add_command(worker_command)
    group.add_command(queue_group)
    add_bench(group)
    bench_group.add_command(bench_queue)
