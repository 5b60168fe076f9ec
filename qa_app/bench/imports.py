"""``qa-studio bench import``: how fast a big export lands, and how much memory it takes.

Writes a synthetic bilingual JSONL export of N messages (realistic message lengths,
Russian and English), imports it into a fresh SQLite file and, when a server answers, a
fresh PostgreSQL schema (dropped afterwards). Each import runs in a new interpreter so the
peak memory reported (``ru_maxrss``) is that import's own.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from qa_app.bench.scratch import scratch_schema

PG_URL_ENV = "QA_STUDIO_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

_PHRASES = {
    "ru": {
        "customer": (
            "Здравствуйте, не приходит код подтверждения на телефон.",
            "Списали деньги дважды за один заказ, верните, пожалуйста.",
            "Уже третий день не могу войти в личный кабинет.",
            "Курьер не приехал, хотя заказ был оплачен заранее.",
            "Спасибо, всё заработало.",
            "Подскажите, когда придёт возврат?",
            "Приложение вылетает при оплате картой.",
        ),
        "agent": (
            "Здравствуйте! Меня зовут Анна, сейчас помогу разобраться.",
            "Мне очень жаль, что так получилось. Уточните, пожалуйста, номер заказа.",
            "Проверила: платёж действительно прошёл дважды, оформила возврат.",
            "Деньги вернутся на карту в течение трёх рабочих дней.",
            "Перезагрузите приложение и очистите кэш, затем попробуйте снова.",
            "Передала ваш вопрос коллегам из второй линии, они свяжутся с вами сегодня.",
            "Могу ли я ещё чем-то помочь? Хорошего дня!",
        ),
    },
    "en": {
        "customer": (
            "Hi, the verification code never arrives on my phone.",
            "I was charged twice for the same order, please refund it.",
            "I have not been able to log in for three days now.",
            "The courier never showed up although the order was prepaid.",
            "Thanks, that fixed it.",
            "When will I get my refund?",
            "The app crashes when I pay by card.",
        ),
        "agent": (
            "Hello! My name is Anna and I will help you sort this out.",
            "I'm really sorry about that. Could you share your order number, please?",
            "I checked: the payment did go through twice, so I have issued a refund.",
            "The money will be back on your card within three business days.",
            "Please restart the app and clear its cache, then try again.",
            "I've passed your question to our second line; they will contact you today.",
            "Is there anything else I can help with? Have a nice day!",
        ),
    },
}
_CHANNELS = ("chat", "email", "telegram", "phone", "vk")
_TEAMS = ("Tier 1", "Tier 2", "Billing", "Logistics")


def _conversation(rng: random.Random, index: int, size: int, start: datetime) -> dict:
    lang = "ru" if rng.random() < 0.6 else "en"
    team = rng.choice(_TEAMS)
    agent = f"agent.{rng.randrange(60):02d}"
    moment = start + timedelta(minutes=3 * index)
    messages = []
    for turn in range(size):
        role = "customer" if turn % 2 == 0 else "agent"
        moment += timedelta(seconds=rng.randint(15, 900))
        text = " ".join(rng.choices(_PHRASES[lang][role], k=rng.randint(1, 3)))
        message = {"role": role, "text": text, "sent_at": moment.isoformat()}
        if role == "agent":
            message["author"] = agent
        messages.append(message)
    return {
        "conversation_id": f"bench-{index}",
        "channel": rng.choice(_CHANNELS),
        "started_at": messages[0]["sent_at"],
        "customer_id": f"cust-{rng.randrange(50_000)}",
        "csat": rng.randint(1, 5),
        "nps": rng.randint(0, 10),
        "tags": rng.sample(["billing", "login", "delivery", "refund", "app"], k=2),
        "team": team,
        "escalated": rng.random() < 0.1,
        "status": "resolved",
        "messages": messages,
    }


def write_synthetic_jsonl(
    path: Path, n_messages: int, seed: int = 7, sizes: tuple[int, int] = (2, 14)
) -> int:
    """Write conversations of ``sizes`` messages (2-14) until ``n_messages``; returns
    conversations."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    written = conversations = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < n_messages:
            size = min(rng.randint(*sizes), n_messages - written)
            record = _conversation(rng, conversations, size, start)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += size
            conversations += 1
    return conversations


@dataclass(slots=True)
class BenchResult:
    database: str
    messages: int
    conversations: int
    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0  # CPU time of the import process (the server's not included)

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


def _import_here(url: str, path: str) -> dict:
    """Run one import in this process and return its figures (the child's entry point)."""
    from qa_app.services.imports import ImportOptions, import_file
    from qa_app.storage import db as storage_db

    storage_db.upgrade(url)
    started, cpu = time.perf_counter(), time.process_time()
    with storage_db.unit_of_work(url) as session:
        summary = import_file(session, path, options=ImportOptions(source="bench"))
    return {
        "messages": summary.messages,
        "conversations": summary.imported,
        "seconds": time.perf_counter() - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cpu_seconds": time.process_time() - cpu,
    }


def import_in_fresh_process(database: str, url: str, path: Path) -> BenchResult:
    """Import ``path`` into ``url`` in a new interpreter (``python -m`` this module), so the
    peak memory measured is that import's alone."""
    command = [sys.executable, "-m", "qa_app.bench.imports", url, str(path)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"the {database} import process failed: {last}")
    return BenchResult(database, **json.loads(lines[-1]))


def postgres_url() -> str:
    return os.environ.get(PG_URL_ENV, DEFAULT_PG_URL)


def postgres_answers(url: str) -> str | None:
    """None when the server answers, else why not."""
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.select(1))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect means "skip with this reason"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


def bench_postgres(url: str, path: Path) -> BenchResult:
    """Import into a fresh schema of ``url`` (dropped afterwards, whatever happens)."""
    with scratch_schema(url) as scoped:
        return import_in_fresh_process("PostgreSQL", scoped, path)


if __name__ == "__main__":
    print(json.dumps(_import_here(sys.argv[1], sys.argv[2])))
