"""``qa-studio bench``: benchmarks that print figures (never timed unit tests).

``bench scoring`` scores the same synthetic bilingual messages with the full AutoQA
pipeline and with VADER alone, and prints messages per second, their ratio, peak memory
and the extrapolated time for a million messages. Other benchmarks are added to the
``bench`` group as further subcommands (``register`` adds the group once).
"""

from __future__ import annotations

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
    """Repeat the pool (fresh ids) until ``n_messages`` messages have been yielded."""
    produced = copy = 0
    while produced < n_messages:
        for conversation in pool:
            if produced >= n_messages:
                return
            messages = conversation.messages[: n_messages - produced]
            produced += len(messages)
            yield replace(
                conversation,
                conversation_id=f"{conversation.conversation_id}~{copy}",
                messages=messages,
            )
        copy += 1


def vader_rate(texts: Sequence[str]) -> float:
    """Messages per second of VADER's ``polarity_scores`` alone, one process."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    started = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    return len(texts) / (time.perf_counter() - started)


def pipeline_rate(pool: Sequence[Conversation], n_messages: int, jobs: int, batch: int) -> float:
    """Messages per second of the full pipeline, worker start-up included."""
    pipeline = AutoQAPipeline(n_jobs=jobs, batch_size=batch)
    started = time.perf_counter()
    scored = sum(
        len(r.messages) for r in pipeline.iter_scores(cycle_conversations(pool, n_messages))
    )
    return scored / (time.perf_counter() - started)


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
    """AutoQA pipeline vs VADER on the same synthetic bilingual messages."""
    pool, source = conversation_pool()
    sample = [
        m.text for c in cycle_conversations(pool, min(n_messages, 20_000)) for m in c.messages
    ]
    pool_messages = sum(len(c.messages) for c in pool)
    click.echo(
        f"messages: {n_messages:,} from {len(pool)} conversations ({pool_messages:,} messages, {source})"
    )
    vader = vader_rate(sample)
    click.echo(f"VADER polarity_scores, 1 process:      {vader:10,.0f} msg/s")
    single = pipeline_rate(pool, min(n_messages, 20_000), 1, batch_size)
    click.echo(
        f"AutoQA pipeline, 1 process:            {single:10,.0f} msg/s  ({single / vader:.2f}x VADER)"
    )
    total = MILLION if full else n_messages
    started = time.perf_counter()
    rate = pipeline_rate(pool, total, jobs, batch_size)
    elapsed = time.perf_counter() - started
    click.echo(
        f"AutoQA pipeline, --jobs {jobs}:             {rate:10,.0f} msg/s  ({rate / vader:.2f}x VADER)"
    )
    click.echo(f"scored {total:,} messages in {elapsed:,.1f} s")
    if not full:
        click.echo(
            f"extrapolated 1,000,000 messages at --jobs {jobs}: {MILLION / rate / 60:.1f} min"
        )
    own, child = peak_memory_mb()
    click.echo(f"peak memory: main {own:,.0f} MB, largest worker {child:,.0f} MB, "
               f"total at most {own + jobs * child:,.0f} MB")  # fmt: skip


def register(group: click.Group) -> None:
    """Add the ``bench`` group once; other modules add subcommands to ``bench_group``."""
    if "bench" not in group.commands:
        group.add_command(bench_group)
