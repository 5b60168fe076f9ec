"""Benchmark of the Overview queries: prints seconds per load for N conversations.

Run: ``.venv/bin/python tests/bench_overview.py [N] [DB_URL]`` (default 100000 rows in a
fresh SQLite file under /tmp). Prints figures; it never fails on a threshold.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import insert  # noqa: E402
from ui_harness import conversation_rows  # noqa: E402

from qa_app.services.actor import Actor  # noqa: E402
from qa_app.services.overview import dashboard as overview  # noqa: E402
from qa_app.storage import db as storage_db  # noqa: E402
from qa_app.storage.models import Agent, Conversation, Team  # noqa: E402


def build(url: str, count: int) -> int:
    storage_db.upgrade(url)
    with storage_db.unit_of_work(url) as session:
        teams = [Team(name=f"Team {i}") for i in range(4)]
        session.add_all(teams)
        session.flush()
        agents = [Agent(login=f"agent{i}", team_id=teams[i % 4].id) for i in range(40)]
        session.add_all(agents)
        session.flush()
        rows = conversation_rows(
            count, seed_value=3, agent_ids=tuple(a.id for a in agents),
            team_ids=tuple(t.id for t in teams),
        )  # fmt: skip
        for start in range(0, count, 5000):
            session.execute(insert(Conversation), rows[start : start + 5000])
        return agents[0].id


def timed(url: str, actor: Actor, filters: overview.OverviewFilters) -> tuple[float, int]:
    started = time.perf_counter()
    with storage_db.unit_of_work(url) as session:
        figures = overview.load_overview(session, actor, filters)
    return time.perf_counter() - started, figures.total


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    started = time.perf_counter()
    agent_id = build(url, count)
    print(f"inserted {count} conversations in {time.perf_counter() - started:.1f} s ({url})")
    cases = {
        "lead, all": (Actor(None, "lead", "lead"), overview.OverviewFilters()),
        "lead, chat+email": (
            Actor(None, "lead", "lead"), overview.OverviewFilters(channels=("chat", "email")),
        ),
        "agent, own": (Actor(None, "a", "agent", agent_id=agent_id), overview.OverviewFilters()),
    }  # fmt: skip
    for name, (actor, filters) in cases.items():
        runs = [timed(url, actor, filters) for _ in range(3)]
        best = min(seconds for seconds, _ in runs)
        print(f"{name:<18} n={runs[0][1]:>7}  best of 3: {best:.2f} s")


if __name__ == "__main__":
    main()
