"""How fast the mystery-shopper report is with thousands of visits.

``run_mystery_bench(visits)`` builds a fresh SQLite database in a temporary folder with the
demo's agents and ``visits`` demo visits (through the real service), then measures:

* the reference: reading every visit row of the period into pandas (the least any report
  must do), so the other figures can be read against this machine's speed today;
* the report service (every figure of the page) cold and warm;
* the reports page itself in Streamlit's AppTest, signed in as a lead: the first run (the
  cache is empty) and the runs after it (the page as a user re-draws it). Before it, the
  account page is run once to import the app, which a server does once at start; that
  warm-up is printed apart.
"""

from __future__ import annotations

import contextlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from qa_app.demo.corpus.personas import AGENTS, TEAMS
from qa_app.demo.mystery import DAYS, visit_inputs
from qa_app.services import accounts, mystery
from qa_app.services.actor import SYSTEM
from qa_app.services.database import unit_of_work, upgrade
from qa_app.storage.db import dispose_engine

REFERENCE = datetime(2026, 3, 27, 18, 0, tzinfo=UTC)
PASSWORD = "bench-mystery-password-1"


@dataclass(frozen=True, slots=True)
class MysteryBench:
    visits: int
    build_s: float
    reference_ms: float
    service_cold_ms: float
    service_warm_ms: float
    warm_up_ms: float
    page_first_ms: float
    page_again_ms: float


@contextlib.contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session in one unit of work on ``url``, committed when the block ends."""
    uow = unit_of_work(url)
    with uow:
        yield uow.session
        uow.commit()


def _ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000.0


def _build(url: str, visits: int) -> None:
    from qa_app.storage.models import Agent, Team

    with session_scope(url) as session:
        teams = {name: Team(name=name) for name in TEAMS}
        session.add_all(teams.values())
        session.flush()
        session.add_all(
            Agent(login=a.login, display_name=a.name, team_id=teams[a.team].id) for a in AGENTS
        )
        mystery.install_catalogue(session, SYSTEM, now=REFERENCE)
        accounts.add_user(session, SYSTEM, "bench-lead", "lead", password=PASSWORD)
        accounts.add_user(session, SYSTEM, "bench-shopper", "shopper", password=PASSWORD)
        shopper = accounts.actor_for(accounts.find_user(session, "bench-shopper"))
        catalogue = mystery.load_mystery_scenarios()
        rng = random.Random(5000)
        for index, data in enumerate(visit_inputs(rng, visits, REFERENCE, catalogue)):
            mystery.build_visit(session, shopper, data, now=REFERENCE)
            if index % 500 == 499:
                session.flush()
                session.expunge_all()


def _reference(url: str, filters: mystery.ReportFilter) -> None:
    import pandas as pd

    from qa_app.storage.models import MysteryAnswer, MysteryVisit

    start, end = filters.bounds()
    with session_scope(url) as session:
        visits = session.query(MysteryVisit.id, MysteryVisit.contacted_at).filter(
            MysteryVisit.contacted_at >= start, MysteryVisit.contacted_at < end
        )
        pd.DataFrame(visits.all())
        pd.DataFrame(session.query(MysteryAnswer.visit_id, MysteryAnswer.failed).all())


def _page_runs(
    url: str, filters: mystery.ReportFilter, repeat: int
) -> tuple[float, float, list[float]]:
    from streamlit.testing.v1 import AppTest

    from qa_app.ui import context

    with session_scope(url) as session:
        lead = accounts.actor_for(accounts.find_user(session, "bench-lead"))
        token = accounts.open_session(session, lead)

    def script() -> None:
        from qa_app.ui.app import render_page_by_key

        render_page_by_key("mystery_reports")

    def account() -> None:
        from qa_app.ui.app import render_page_by_key

        render_page_by_key("account")

    def signed_in(fn) -> AppTest:
        app = AppTest.from_function(fn, default_timeout=120)
        app.session_state[context.SESSION_DB] = url
        app.session_state[context.SESSION_CLOCK] = REFERENCE
        for key, value in context.session_entries(lead, token).items():
            app.session_state[key] = value
        return app

    # The first page of a fresh process pays for importing the app (a server does it once,
    # at start): timed apart, on the account page, so the report's own first load shows.
    warm_up = _ms(signed_in(account).run)
    app = signed_in(script)
    app.session_state["mystery.report.period"] = (filters.start, filters.end)
    first = _ms(app.run)
    if app.exception:
        raise RuntimeError(f"the reports page failed: {app.exception[0].value}")
    return warm_up, first, [_ms(app.run) for _ in range(repeat)]


def run_mystery_bench(visits: int = 5000, repeat: int = 3) -> MysteryBench:
    """Build the database, then time the reference, the service and the page."""
    with tempfile.TemporaryDirectory(prefix="qa-studio-bench-mystery-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        started = time.perf_counter()
        _build(url, visits)
        build_s = time.perf_counter() - started
        first_day = (REFERENCE - timedelta(days=DAYS + 1)).date()
        filters = mystery.ReportFilter(first_day, REFERENCE.date())
        reference = statistics.median(_ms(lambda: _reference(url, filters)) for _ in range(repeat))

        def report() -> None:
            mystery.report_screen(unit_of_work(url), SYSTEM, filters, "ru")

        cold = _ms(report)
        warm = statistics.median(_ms(report) for _ in range(repeat))
        warm_up, page_first, page_again = _page_runs(url, filters, repeat)
        dispose_engine(url)
    return MysteryBench(
        visits, build_s, reference, cold, warm, warm_up, page_first, statistics.median(page_again)
    )
