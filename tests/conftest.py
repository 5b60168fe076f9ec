"""Shared fixtures: a real SQLite file and the real PostgreSQL server, each test isolated.

``db_url`` is parametrised over both databases; PostgreSQL tests get a schema of their own
(dropped afterwards) and are skipped, with the reason, only where no server answers.

``QA_STUDIO_CLOCK_SHIFT_DAYS=N`` moves the clock N days ahead for the whole run (time-machine,
ticking): ``make test`` runs the date-sensitive modules a second time a year ahead, so a test
that compares a pinned moment with the real clock fails today, not in a year.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from qa_app.storage import db as storage_db

REPO_ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "QA_STUDIO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


CLOCK_SHIFT_ENV = "QA_STUDIO_CLOCK_SHIFT_DAYS"


def clock_shift() -> timedelta:
    """How far ahead this run's clock is moved (``QA_STUDIO_CLOCK_SHIFT_DAYS``, default 0)."""
    raw = os.environ.get(CLOCK_SHIFT_ENV, "").strip()
    try:
        return timedelta(days=float(raw)) if raw else timedelta(0)
    except ValueError as exc:
        raise pytest.UsageError(f"{CLOCK_SHIFT_ENV} must be a number of days, got {raw!r}") from exc


def pytest_configure(config) -> None:
    """Start the moved clock before any test module is imported (each xdist worker too)."""
    shift = clock_shift()
    if not shift:
        return
    import time_machine

    traveller = time_machine.travel(datetime.now(UTC) + shift, tick=True)
    traveller.start()
    config._qa_clock_traveller = traveller


def pytest_unconfigure(config) -> None:
    traveller = getattr(config, "_qa_clock_traveller", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config) -> str | None:
    shift = clock_shift()
    if shift:
        return f"clock moved {shift.days} days ahead: it reads {datetime.now(UTC):%Y-%m-%d}"
    return None


def datasets_dir() -> Path:
    return Path(os.environ.get("QA_STUDIO_DATASETS", REPO_ROOT.parent / "shared" / "datasets"))


@pytest.fixture(scope="session")
def pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect means "skip with this reason"
        return f"PostgreSQL at {PG_URL} does not answer: {type(exc).__name__}: {exc}"


def _pg_schema_url(schema: str) -> str:
    joiner = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, pg_available) -> Iterator[str]:
    """A migrated, empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'qa.db'}"
        storage_db.upgrade(url)
        yield url
        storage_db.dispose_engine(url)
        return
    if pg_available:
        pytest.skip(pg_available)
    yield from migrated_pg_schema()


def migrated_pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema migrated to head, dropped afterwards (for fixtures)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = _pg_schema_url(schema)
    try:
        storage_db.upgrade(url)
        yield url
    finally:
        storage_db.dispose_engine(url)
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    """A migrated SQLite file only, for tests where the database kind does not matter."""
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    storage_db.upgrade(url)
    yield url
    storage_db.dispose_engine(url)


@pytest.fixture
def session(db_url):
    """A session on the parametrised database; committed changes are visible to services."""
    factory = storage_db.session_factory(db_url)
    with factory() as s:
        yield s


@pytest.fixture(autouse=True)
def _restore_main_module():
    """Streamlit's AppTest runs page scripts as ``__main__`` and leaves them there; a later
    test in the same worker that starts spawned processes (the parallel scoring pipeline)
    would then make every child re-run that temporary script and die. Put it back."""
    import sys

    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


# Browser journeys (tests/journeys.py): one server per language for the whole run of a worker,
# one chromium per test module, a fresh browser context (no cookies) per journey.
@pytest.fixture(scope="session")
def journey_server(tmp_path_factory):
    """``journey_server(lang)`` -> ``(base_url, db_url)``: a server on a fresh copy of the demo
    whose accounts all read ``lang``, started at first use and kept for the session."""
    import contextlib

    from browser import demo_app
    from journeys import CONVERSATIONS, speak

    servers: dict[str, tuple[str, str]] = {}
    with contextlib.ExitStack() as stack:

        def server(lang: str) -> tuple[str, str]:
            if lang not in servers:
                files = tmp_path_factory.mktemp(f"attachments-{lang}")
                servers[lang] = stack.enter_context(
                    demo_app(
                        tmp_path_factory,
                        CONVERSATIONS,
                        env={"QA_STUDIO_ATTACHMENTS_DIR": str(files)},
                        prepare=lambda db_url: speak(db_url, lang),
                    )
                )
            return servers[lang]

        yield server


@pytest.fixture(scope="module")
def chromium():
    from browser import browser, require_chromium

    require_chromium()
    with browser() as launched:
        yield launched


@pytest.fixture
def journey(chromium, journey_server):
    """``journey(role, lang)`` -> a ``Journey`` on that language's server, in a fresh
    browser context; its console errors are checked when the test ends."""
    from journeys import RUN_COUNTER, Journey

    opened = []

    def start(role: str, lang: str):
        base_url, db_url = journey_server(lang)
        context = chromium.new_context(
            viewport={"width": 1440, "height": 1000}, accept_downloads=True
        )
        context.add_init_script(RUN_COUNTER)
        context.set_default_timeout(300_000)  # a first page on a loaded 2-core machine
        walk = Journey(context.new_page(), base_url, db_url, lang, role)
        opened.append((context, walk))
        return walk

    yield start
    for context, walk in opened:
        context.close()
        walk.finish()
