"""``qa-studio bench``: benchmarks that print figures (never timed unit tests).

``bench scoring`` scores the same synthetic bilingual messages with the full AutoQA
pipeline and with VADER alone, and prints messages per second, their ratio, peak memory
and the extrapolated time for a million messages. Other benchmarks are added to the
``bench`` group as further subcommands (``register`` adds the group once).
"""

from __future__ import annotations

import os
import random
import resource
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

import click

from scoring.conversation import Conversation, Message
from scoring.pipeline import AutoQAPipeline

MILLION = 1_000_000
_FALLBACK = {
    "ru": {
        "customer": ["Здравствуйте, не приходит код подтверждения, войти не получается.",
                     "Это безобразие, деньги списали дважды!", "Спасибо, всё заработало.",
                     "Всё ещё не работает, пишу уже третий раз."],
        "agent": ["Здравствуйте! Мне очень жаль, что так вышло. Уточните, пожалуйста, номер заказа.",
                  "Перезагрузите роутер и очистите кэш браузера.",
                  "Деньги вернутся в течение трёх рабочих дней. Хорошего дня!",
                  "Передам ваш вопрос коллегам из второй линии."],
    },
    "en": {
        "customer": ["Hi, I was charged twice for my order and nobody answers!",
                     "That fixed it, thanks a lot.", "It is still broken, this is useless.",
                     "I can't log in, the code never arrives."],
        "agent": ["Hello! I'm sorry about the trouble. Could you confirm your order number?",
                  "Please restart the app and clear the cache.",
                  "You will receive a refund within 5 business days. Have a nice day!",
                  "I'll escalate this to our billing team."],
    },
}  # fmt: skip


def _from_record(record: dict) -> Conversation:
    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    messages = [
        Message(m["role"], m["text"], when(m.get("sent_at")), m.get("author"))
        for m in record["messages"]
    ]
    return Conversation(
        record["conversation_id"],
        record["channel"],
        record.get("language"),
        messages,
        when(record.get("started_at")),
        record.get("customer_id"),
    )


def _fallback_pool(size: int, seed: int) -> list[Conversation]:
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, 9, 0)
    pool = []
    for i in range(size):
        lang = rng.choice(("ru", "en"))
        messages, moment = [], start + timedelta(minutes=7 * i)
        for turn in range(rng.randint(3, 8)):
            role = "customer" if turn % 2 == 0 else "agent"
            moment += timedelta(seconds=rng.randint(20, 1200))
            messages.append(Message(role, rng.choice(_FALLBACK[lang][role]), moment))
        pool.append(Conversation(f"bench-{i}", rng.choice(("chat", "email")), lang, messages))
    return pool


def conversation_pool(size: int = 1500, seed: int = 7) -> tuple[list[Conversation], str]:
    """Realistic conversations from the demo corpus generator when it is installed."""
    try:
        from demo_corpus.generator import generate_corpus
    except ImportError:
        return _fallback_pool(size, seed), "built-in templates"
    records = generate_corpus(seed=seed, n_conversations=size)
    return [_from_record(r) for r in records], "demo corpus generator"


def cycle_conversations(pool: Sequence[Conversation], n_messages: int) -> Iterator[Conversation]:
    """Repeat the pool until ``n_messages`` messages have been yielded.

    Each repeat gets fresh ids and a reference number appended to every message ("#k-i"),
    so no scorer's whole-text cache can turn later copies into free look-ups.
    """
    produced = copy = 0
    while produced < n_messages:
        for conversation in pool:
            if produced >= n_messages:
                return
            messages = list(conversation.messages[: n_messages - produced])
            if copy:
                messages = [
                    replace(m, text=f"{m.text} #{copy}-{i}") for i, m in enumerate(messages)
                ]
            produced += len(messages)
            yield replace(
                conversation,
                conversation_id=f"{conversation.conversation_id}~{copy}",
                messages=messages,
            )
        copy += 1


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def vader_rate(texts: Sequence[str]) -> tuple[float, float]:
    """(wall, CPU) messages per second of VADER's ``polarity_scores`` alone, one process."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    wall, cpu = time.perf_counter(), _cpu_seconds()
    for text in texts:
        analyzer.polarity_scores(text)
    return len(texts) / (time.perf_counter() - wall), len(texts) / (_cpu_seconds() - cpu)


def pipeline_rate(
    pool: Sequence[Conversation], n_messages: int, jobs: int, batch: int
) -> tuple[float, float]:
    """(wall, CPU) messages per second of the full pipeline. With one process the scorers
    are loaded before the clock starts; with workers their start-up is included."""
    pipeline = AutoQAPipeline(n_jobs=jobs, batch_size=batch)
    if jobs == 1:
        pipeline.score_batch(pool[:5])
    wall, cpu = time.perf_counter(), _cpu_seconds()
    conversations = cycle_conversations(pool, n_messages)
    scored = sum(len(r.messages) for r in pipeline.iter_scores(conversations))
    return scored / (time.perf_counter() - wall), scored / (_cpu_seconds() - cpu)


def peak_memory_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest finished child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


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

    Wall-clock rates depend on what else the machine runs; CPU-time rates (CPU seconds of
    this process and its workers) do much less, so both are printed.
    """
    pool, source = conversation_pool()
    measured = min(n_messages, 20_000)
    sample = [m.text for c in cycle_conversations(pool, measured) for m in c.messages]
    click.echo(
        f"{len(pool)} conversations ({sum(len(c.messages) for c in pool):,} messages) "
        f"from the {source}, cycled with fresh reference numbers"
    )
    vader_wall, vader_cpu = vader_rate(sample)
    click.echo(
        f"VADER polarity_scores, 1 process: {vader_wall:8,.0f} msg/s wall  "
        f"{vader_cpu:8,.0f} msg/s CPU  ({measured:,} messages)"
    )
    one_wall, one_cpu = pipeline_rate(pool, measured, 1, batch_size)
    click.echo(
        f"AutoQA pipeline, 1 process:       {one_wall:8,.0f} msg/s wall  "
        f"{one_cpu:8,.0f} msg/s CPU  ({one_cpu / vader_cpu:.2f}x VADER by CPU, "
        f"{one_wall / vader_wall:.2f}x by wall)"
    )
    total = MILLION if full else n_messages
    started = time.perf_counter()
    rate, cpu_rate = pipeline_rate(pool, total, jobs, batch_size)
    elapsed = time.perf_counter() - started
    click.echo(
        f"AutoQA pipeline, --jobs {jobs}:        {rate:8,.0f} msg/s wall  "
        f"{cpu_rate:8,.0f} msg/s per CPU  ({rate / vader_wall:.2f}x VADER by wall)"
    )
    click.echo(f"scored {total:,} messages in {elapsed:,.1f} s wall")
    if not full:
        free = min(jobs, os.cpu_count() or 1) * cpu_rate
        click.echo(
            f"extrapolated 1,000,000 messages at --jobs {jobs}: {MILLION / rate / 60:.1f} min "
            f"at the measured wall rate; {MILLION / free / 60:.1f} min with {jobs} free cores"
        )
    own, child = peak_memory_mb()
    click.echo(
        f"peak memory: main {own:,.0f} MB, largest worker {child:,.0f} MB, "
        f"total at most {own + jobs * child:,.0f} MB"
    )
    click.echo(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def register(group: click.Group) -> None:
    """Add the ``bench`` group once; other modules add subcommands to ``bench_group``."""
    if "bench" not in group.commands:
        group.add_command(bench_group)
