"""How fast the Automatic scoring page draws with 100,000 scored conversations.

``fill(url)`` loads the scorecard benchmark's corpus (100,000 conversations of 10 messages,
40 agents in 4 teams, 20,000 reviews; ``qa_app.bench.scorecards.fill``) and gives every
conversation what a scoring run stores: 40 message scores (sentiment, emotions and defect
report on the 5 customer messages; toxicity, politeness, rudeness, empathy and clarity on the
5 agent replies) and 13 conversation signals, 5.3 million score rows in all, plus a run row
each. Filling takes minutes, so the SQLite file can be kept and reused (``--keep``).

``measure_here(url)`` then runs the page in Streamlit's AppTest, signed in as a lead: the
first run (empty caches: scorers loaded for the pipeline version, every figure computed) and
the runs after it (what a lead sees on every later visit). The reference, measured in the
same run, is the raw read every load of the page did before its figures were cached: the
(conversation, signal) rows of the key signals into pandas.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import func, insert, select

from qa_app.bench import scorecards
from qa_app.services import accounts, autoqa, database
from qa_app.services.actor import SYSTEM
from qa_app.storage import db as storage_db
from qa_app.storage.models import AutoScore, AutoScoreRun, Conversation, Message

LEAD = "bench-autoqa-lead"
PASSWORD = "bench-autoqa-password-1"
VERSION = "autoqa-bench"
CUSTOMER_TASKS = ("sentiment", "emotions", "defect_report")
AGENT_TASKS = ("toxicity", "politeness", "rudeness", "empathy", "clarity")
SIGNALS = (*autoqa.KEY_SIGNALS, "first_response_sla", "missed_empathy", "greeting", "closing",
           "apology", "thanks", "next_steps")  # fmt: skip
CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Figures:
    """Seconds as (wall, CPU) pairs: CPU of this whole process, the script thread included.
    The machine is shared, so wall time follows its load; CPU time much less."""

    conversations: int
    score_rows: int
    reference_s: tuple[float, float]
    page_first_s: tuple[float, float]
    page_again_s: list[tuple[float, float]]

    def page_again_median(self, which: int) -> float:
        """Median of the later runs, wall (``which`` 0) or CPU (1)."""
        return statistics.median(run[which] for run in self.page_again_s)


def _signal_value(signal: str, quality: float, rng: random.Random) -> float:
    if signal in ("first_response_sla", "greeting", "closing", "apology", "thanks", "next_steps"):
        return float(rng.random() < quality)
    if signal == "response_time_sla":
        return round(rng.expovariate(1 / 300), 1)
    if signal == "sentiment_trajectory":
        return round(rng.gauss(quality - 0.6, 0.4), 3)
    return round(min(1.0, max(0.0, rng.gauss(quality, 0.15))), 3)


def _score_rows(conversation_id: int, agent_id: int, messages, rng) -> list[dict]:
    quality = 0.45 + (agent_id % 10) * 0.05
    rows = []
    for message_id, seq in messages:
        tasks = AGENT_TASKS if seq % 2 else CUSTOMER_TASKS
        for task in tasks:
            value = round(min(1.0, max(-1.0, rng.gauss(quality, 0.3))), 3)
            rows.append({"conversation_id": conversation_id, "message_id": message_id,
                         "task": task, "scorer_version": VERSION, "label": None,
                         "score": value, "evidence": []})  # fmt: skip
    for signal in SIGNALS:
        rows.append({"conversation_id": conversation_id, "message_id": None, "task": signal,
                     "scorer_version": VERSION, "label": None,
                     "score": _signal_value(signal, quality, rng), "evidence": []})  # fmt: skip
    return rows


def fill(url: str) -> tuple[int, int]:
    """Load the corpus and its scores once; a second call on the same file returns at once."""
    scorecards.fill(url, 1.0)
    with storage_db.unit_of_work(url) as session:
        if accounts.find_user(session, LEAD) is None:
            accounts.add_user(session, SYSTEM, LEAD, "lead", password=PASSWORD)
        done = session.scalar(select(func.count()).select_from(AutoScoreRun)) or 0
        ids = session.execute(
            select(Conversation.id, Conversation.agent_id, Conversation.content_hash)
            .order_by(Conversation.id)
        ).all()  # fmt: skip
    rng = random.Random(53)
    for base in range(done, len(ids), CHUNK):
        chunk = ids[base : base + CHUNK]
        with storage_db.unit_of_work(url) as session:
            messages: dict[int, list] = {}
            for conv_id, message_id, seq in session.execute(
                select(Message.conversation_id, Message.id, Message.seq).where(
                    Message.conversation_id.between(chunk[0][0], chunk[-1][0])
                )
            ):
                messages.setdefault(conv_id, []).append((message_id, seq))
            rows = [r for conv_id, agent_id, _ in chunk
                    for r in _score_rows(conv_id, agent_id, messages.get(conv_id, []), rng)]  # fmt: skip
            session.execute(insert(AutoScore), rows)
            session.execute(insert(AutoScoreRun), [
                {"conversation_id": conv_id, "pipeline_version": VERSION, "content_hash": digest,
                 "signals": {}} for conv_id, _, digest in chunk])  # fmt: skip
    with storage_db.unit_of_work(url) as session:
        return (session.scalar(select(func.count()).select_from(AutoScoreRun)) or 0,
                session.scalar(select(func.count()).select_from(AutoScore)) or 0)  # fmt: skip


def _timed(action) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - cpu


def _reference(url: str) -> None:
    """The raw read every page load did before: the key signals' rows into pandas."""
    uow = database.unit_of_work(url)
    with uow:
        autoqa.agent_signal_frame(uow.session, SYSTEM, (*autoqa.KEY_SIGNALS, "first_response_sla"))


def measure_here(url: str, repeat: int = 3) -> dict:
    """The page's first run and ``repeat`` runs after it, in this (fresh) process."""
    from streamlit.testing.v1 import AppTest

    from qa_app.ui import context

    with storage_db.unit_of_work(url) as session:
        lead = accounts.actor_for(accounts.find_user(session, LEAD))
        token = accounts.open_session(session, lead)
        counts = (session.scalar(select(func.count()).select_from(AutoScoreRun)) or 0,
                  session.scalar(select(func.count()).select_from(AutoScore)) or 0)  # fmt: skip

    def script() -> None:
        from qa_app.ui.app import render_page_by_key

        render_page_by_key("autoqa")

    app = AppTest.from_function(script, default_timeout=600)
    app.session_state[context.SESSION_DB] = url
    for key, value in context.session_entries(lead, token).items():
        app.session_state[key] = value

    def run() -> None:
        app.run()
        if app.exception:
            raise RuntimeError(f"the Automatic scoring page failed: {app.exception[0].value}")

    first = _timed(run)
    again = [_timed(run) for _ in range(repeat)]
    reference = min((_timed(lambda: _reference(url)) for _ in range(2)), key=lambda t: t[1])
    return asdict(Figures(*counts, reference, first, again))


def measure(url: str, repeat: int) -> Figures:
    """``measure_here`` in a fresh Python process (cold engine, empty Streamlit caches)."""
    done = subprocess.run(
        [sys.executable, "-m", "qa_app.bench.autoqa_page", url, str(repeat)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"bench autoqa-page failed:\n{done.stderr[-3000:]}")
    return Figures(**json.loads(done.stdout.strip().splitlines()[-1]))


def run_sqlite(keep: Path | None, repeat: int = 3) -> tuple[float, Figures]:
    """Fill (or reuse, in ``keep``) a SQLite file, then measure; returns fill seconds too."""
    folder = keep or Path(tempfile.mkdtemp(prefix="qa-bench-autoqa-page-"))
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'bench-autoqa-page.db'}"
    database.upgrade(url)
    filled = _timed(lambda: fill(url))[0]
    storage_db.dispose_engine(url)
    return filled, measure(url, repeat)


if __name__ == "__main__":
    print(json.dumps(measure_here(sys.argv[1], int(sys.argv[2]))))
