"""Measurements behind ``qa-studio bench scoring``: AutoQA pipeline vs VADER, same messages.

Each measurement runs in a fresh Python process (``python -m qa_app.bench.scoring
PHASE ...``, answering one JSON line), so the peak memory of one does not leak into the
figures of the next, and the main process of the ``--jobs N`` run is exactly what the app's
main process does: generate conversations, hand them to the workers, unpickle the results.

Rates are given per wall-clock second and per CPU second (user + system time of the
process and of its workers). The machine is shared, so wall-clock rates follow its load;
CPU-second rates are the comparable ones, and VADER is measured in the same run.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from scoring.pipeline.conversation import Conversation, Message

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
        from qa_app.demo.corpus.generator import generate_corpus
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


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _peak_mb(who: int) -> float:
    """Peak resident memory (MB) of this process, or of its largest finished child.

    On Linux the figure of the process itself is its own ``VmHWM``: ``ru_maxrss`` survives
    ``exec`` and would report the parent's size at the moment it started this process."""
    if who == resource.RUSAGE_SELF:
        peak = _status_mb(os.getpid(), "VmHWM")
        if peak:
            return peak
    return resource.getrusage(who).ru_maxrss / 1024


def _status_mb(pid: int, field: str) -> float:
    """One ``kB`` field of ``/proc/PID/status`` in MB; 0 where there is no /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return float(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class _MemorySampler(threading.Thread):
    """Samples the resident and proportional (shared pages split) memory of this process
    plus its children every ``interval`` seconds and keeps the peak of the sums; also the
    largest child's own peak (``VmHWM``). Linux only (needs /proc)."""

    def __init__(self, interval: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_rss = self.peak_pss = self.cpu = self.child_peak = 0.0
        self.stop = threading.Event()

    @staticmethod
    def _children() -> list[int]:
        me, out = os.getpid(), []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                    out.append(int(entry))
        return out

    @staticmethod
    def _memory(pid: int) -> tuple[float, float]:
        rss = pss = 0.0
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss = float(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    pss = float(line.split()[1]) / 1024
        except OSError:
            pass
        return rss, pss

    def run(self) -> None:
        if not Path("/proc/self/smaps_rollup").exists():
            return
        while not self.stop.wait(self.interval):
            children = self._children()
            sums = [self._memory(pid) for pid in [os.getpid(), *children]]
            for pid in children:  # the kernel's own peak of each child (not sampled)
                self.child_peak = max(self.child_peak, _status_mb(pid, "VmHWM"))
            self.peak_rss = max(self.peak_rss, sum(r for r, _ in sums))
            self.peak_pss = max(self.peak_pss, sum(p for _, p in sums))
            self.cpu = time.thread_time()  # this thread's own CPU, not the main process's work


def phase_vader(n_messages: int) -> dict:
    """VADER's ``polarity_scores`` alone over the bench messages, one process."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    pool, _ = conversation_pool()
    texts = [m.text for c in cycle_conversations(pool, n_messages) for m in c.messages]
    analyzer = SentimentIntensityAnalyzer()
    wall, cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
    for text in texts:
        analyzer.polarity_scores(text)
    return {
        "messages": len(texts),
        "wall": time.perf_counter() - wall,
        "cpu": _cpu(resource.RUSAGE_SELF) - cpu,
        "peak_mb": _peak_mb(resource.RUSAGE_SELF),
    }


def phase_single(n_messages: int, batch_size: int) -> dict:
    """The pipeline in this process; loading the scorers is timed separately (start-up)."""
    from scoring.pipeline.autoqa import AutoQAPipeline

    pool, _ = conversation_pool()
    started = _cpu(resource.RUSAGE_SELF)
    pipeline = AutoQAPipeline(n_jobs=1, batch_size=batch_size)
    pipeline.score_batch(pool[:5])  # imports, models, lexicons, dictionaries
    startup = _cpu(resource.RUSAGE_SELF) - started
    wall, cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
    scored, half, half_cpu = 0, 0, cpu
    for result in pipeline.iter_scores(cycle_conversations(pool, n_messages)):
        scored += len(result.messages)
        if not half and scored >= n_messages // 2:  # from here on the word caches are warm
            half, half_cpu = scored, _cpu(resource.RUSAGE_SELF)
    end = _cpu(resource.RUSAGE_SELF)
    return {
        "messages": scored,
        "wall": time.perf_counter() - wall,
        "cpu": end - cpu,
        "startup_cpu": startup,
        "second_half_messages": scored - half,
        "second_half_cpu": end - half_cpu,
        "peak_mb": _peak_mb(resource.RUSAGE_SELF),
    }


def phase_parallel(n_messages: int, jobs: int, batch_size: int) -> dict:
    """The pipeline over ``jobs`` worker processes, start-up included, as the app runs it."""
    from scoring.pipeline.autoqa import AutoQAPipeline

    pool, _ = conversation_pool()
    sampler = _MemorySampler()
    sampler.start()
    pipeline = AutoQAPipeline(n_jobs=jobs, batch_size=batch_size)
    wall, cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
    scored = sum(
        len(r.messages) for r in pipeline.iter_scores(cycle_conversations(pool, n_messages))
    )
    elapsed = time.perf_counter() - wall
    sampler.stop.set()
    sampler.join()
    return {
        "messages": scored,
        "wall": elapsed,
        "main_cpu": _cpu(resource.RUSAGE_SELF) - cpu - sampler.cpu,
        "sampler_cpu": sampler.cpu,
        "workers_cpu": _cpu(resource.RUSAGE_CHILDREN),
        "main_peak_mb": _peak_mb(resource.RUSAGE_SELF),
        # a spawned worker's ru_maxrss starts at this process's size when it was started
        "worker_peak_mb": sampler.child_peak or _peak_mb(resource.RUSAGE_CHILDREN),
        "sampled_rss_mb": sampler.peak_rss,
        "sampled_pss_mb": sampler.peak_pss,
    }


PHASES = {"vader": phase_vader, "single": phase_single, "parallel": phase_parallel}


def run_phase(name: str, **kwargs) -> dict:
    """One measurement in a fresh interpreter; returns its JSON answer."""
    command = [sys.executable, "-m", "qa_app.bench.scoring", name, json.dumps(kwargs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench phase {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass(frozen=True)
class BenchReport:
    """All figures of one ``bench scoring`` run (rates in messages per second)."""

    jobs: int
    vader: dict
    single: dict
    parallel: dict

    @property
    def vader_wall(self) -> float:
        return self.vader["messages"] / self.vader["wall"]

    @property
    def vader_cpu(self) -> float:
        return self.vader["messages"] / self.vader["cpu"]

    @property
    def single_wall(self) -> float:
        return self.single["messages"] / self.single["wall"]

    @property
    def single_cpu(self) -> float:
        return self.single["messages"] / self.single["cpu"]

    @property
    def parallel_wall(self) -> float:
        return self.parallel["messages"] / self.parallel["wall"]

    @property
    def parallel_cpu_seconds(self) -> float:
        return self.parallel["main_cpu"] + self.parallel["workers_cpu"]

    @property
    def parallel_cpu(self) -> float:
        return self.parallel["messages"] / self.parallel_cpu_seconds

    @property
    def steady_cpu(self) -> float:
        """Per CPU second without the workers' start-up (imports, models, lexicons), which
        VADER's figure does not carry either: what each further message costs."""
        startup = self.jobs * self.single["startup_cpu"]
        return self.parallel["messages"] / max(1e-9, self.parallel_cpu_seconds - startup)

    @property
    def main_ms_per_message(self) -> float:
        return 1000 * self.parallel["main_cpu"] / self.parallel["messages"]

    def million_minutes_free_cores(self, cores: int) -> float:
        """1,000,000 messages on ``cores`` otherwise idle cores: each worker's start-up (as
        measured in one process) plus this run's CPU per message of the workers and of the
        main process; main and workers share the cores."""
        startup, n = self.single["startup_cpu"], self.parallel["messages"]
        worker = max(0.0, self.parallel["workers_cpu"] - self.jobs * startup) / n
        return self._million_minutes(cores, worker)

    def million_minutes_warm(self, cores: int) -> float:
        """As ``million_minutes_free_cores`` but with the workers' CPU per message taken from
        the second half of the one-process run, when the word caches are warm (a million
        messages are nearly all scored that way)."""
        if not self.single.get("second_half_messages"):
            return self.million_minutes_free_cores(cores)
        warm = self.single["second_half_cpu"] / self.single["second_half_messages"]
        return self._million_minutes(cores, warm)

    def _million_minutes(self, cores: int, worker: float) -> float:
        startup, main = (
            self.single["startup_cpu"],
            self.parallel["main_cpu"] / self.parallel["messages"],
        )
        seconds = max(
            startup + MILLION * worker / self.jobs,
            MILLION * main,
            (self.jobs * startup + MILLION * (worker + main)) / min(cores, self.jobs + 1),
        )
        return seconds / 60

    def million_minutes_wall(self) -> float:
        return MILLION / self.parallel_wall / 60

    @property
    def total_peak_mb(self) -> float:
        """Main plus ``jobs`` times the largest worker: an upper bound of the sum."""
        return self.parallel["main_peak_mb"] + self.jobs * self.parallel["worker_peak_mb"]


def run_bench(n_messages: int, jobs: int, batch_size: int, full: bool = False) -> BenchReport:
    measured = min(n_messages, 20_000)
    vader = run_phase("vader", n_messages=measured)
    single = run_phase("single", n_messages=measured, batch_size=batch_size)
    total = MILLION if full else n_messages
    parallel = run_phase("parallel", n_messages=total, jobs=jobs, batch_size=batch_size)
    return BenchReport(jobs, vader, single, parallel)


if __name__ == "__main__":
    result = PHASES[sys.argv[1]](**json.loads(sys.argv[2]))
    print(json.dumps(result))
