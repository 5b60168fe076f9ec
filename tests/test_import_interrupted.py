"""An import that is killed shows as interrupted, not "in progress" for ever.

A real child process imports a file and is killed with SIGKILL after its first batch is
committed; the history, the next import, the CLI and the Import page then call that run
interrupted. A run whose heartbeat stopped (another host, a hung thread) is interrupted
after ``STALE_AFTER``; the clock is injected, never read from the wall.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from ui_harness import make_user, signed_in_entries

from qa_app.cli import cli
from qa_app.services.actor import SYSTEM
from qa_app.services.imports import ImportOptions, import_file, recent_imports
from qa_app.services.imports.liveness import STALE_AFTER, this_process
from qa_app.storage import db as storage_db
from qa_app.storage.models import ImportRun
from qa_app.ui import context

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHILD = """
import sys, time
from qa_app.services.imports import ImportOptions, import_file
from qa_app.storage import db

def stall(progress):  # after the first committed batch, wait to be killed
    if progress.conversations:
        time.sleep(120)

with db.unit_of_work(sys.argv[1]) as session:
    options = ImportOptions(batch_size=5, progress_interval=0)
    import_file(session, sys.argv[2], options=options, progress=stall)
"""


def write_file(path, count=50):
    records = [
        {"conversation_id": f"k{i}", "messages": [{"role": "customer", "text": "Hello"}]}
        for i in range(count)
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def _running_run(db_url, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with storage_db.unit_of_work(db_url) as session:
            run = session.scalar(select(ImportRun))
            if run is not None:
                return run.id, run.status
        time.sleep(0.05)
    raise AssertionError("the child import never committed a batch")


def kill_an_import(db_url, path) -> int:
    child = subprocess.Popen([sys.executable, "-c", CHILD, db_url, str(path)])
    try:
        run_id, status = _running_run(db_url)
        assert status == "running"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)  # reaped: its pid is gone
    return run_id


def test_a_killed_import_is_interrupted_in_history_next_import_and_cli(db_url, tmp_path):
    path = write_file(tmp_path / "big.jsonl")
    run_id = kill_an_import(db_url, path)
    with storage_db.unit_of_work(db_url) as session:
        (history,) = recent_imports(session, SYSTEM)
    assert (history["id"], history["status"], history["imported"]) == (run_id, "interrupted", 5)
    listed = CliRunner().invoke(cli, ["--db", db_url, "import", "--history", "--lang", "ru"])
    assert listed.exit_code == 0 and "прерван" in listed.output and "big.jsonl" in listed.output
    result = CliRunner().invoke(cli, ["--db", db_url, "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "note: the import of big.jsonl started" in result.output
    assert "was interrupted" in result.output
    assert "big.jsonl: 45 imported, 0 updated, 5 unchanged" in result.output
    with storage_db.unit_of_work(db_url) as session:
        statuses = dict(session.execute(select(ImportRun.id, ImportRun.status)).all())
    assert statuses[run_id] == "interrupted" and list(statuses.values()).count("finished") == 1


def _add_run(db_url, **fields) -> None:
    pid, host = this_process()
    values = {"file_name": "a.csv", "started_at": T0, "status": "running", "pid": pid}
    with storage_db.unit_of_work(db_url) as session:
        session.add(ImportRun(**{**values, "host": host, "heartbeat_at": T0, **fields}))


@pytest.mark.parametrize(
    ("host", "minutes", "expected"),
    [
        (None, 5, "running"),  # alive on this host, heartbeat fresh
        (None, STALE_AFTER.total_seconds() / 60 + 1, "interrupted"),  # alive but silent
        ("elsewhere", 5, "running"),  # another host: only the heartbeat can tell
        ("elsewhere", 30, "interrupted"),
    ],
)
def test_a_silent_heartbeat_means_interrupted(sqlite_url, host, minutes, expected):
    _add_run(sqlite_url, **({"host": host} if host else {}))
    now = T0 + timedelta(minutes=minutes)
    with storage_db.unit_of_work(sqlite_url) as session:
        (history,) = recent_imports(session, SYSTEM, now=now)
    assert history["status"] == expected


def test_a_dead_process_on_this_host_is_interrupted_at_once(sqlite_url):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    _add_run(sqlite_url, pid=int(finished.stdout))
    with storage_db.unit_of_work(sqlite_url) as session:
        (history,) = recent_imports(session, SYSTEM, now=T0 + timedelta(seconds=1))
    assert history["status"] == "interrupted"


class Stop(BaseException):
    """Like Ctrl-C or Streamlit stopping a script: not an ``Exception``."""


def test_an_import_stopped_by_an_error_marks_its_run_interrupted(db_url, tmp_path):
    path = write_file(tmp_path / "stop.jsonl", count=30)

    def stop(progress):
        if progress.conversations >= 10:
            raise Stop

    options = ImportOptions(batch_size=10, progress_interval=0, clock=lambda: T0)
    with pytest.raises(Stop), storage_db.unit_of_work(db_url) as session:
        import_file(session, path, options=options, progress=stop)
    with storage_db.unit_of_work(db_url) as session:
        run = session.scalar(select(ImportRun))
        assert (run.status, run.imported, run.finished_at) == ("interrupted", 10, None)
        assert run.started_at == T0 and run.heartbeat_at == T0


def _history_script() -> None:
    from qa_app.ui import context
    from qa_app.ui.screens import import_page

    context.resolve_actor()
    import_page.render_history()


def test_import_page_shows_interrupted_runs(sqlite_url):
    _add_run(sqlite_url, host="elsewhere", heartbeat_at=T0 - timedelta(days=1))
    actor = make_user(sqlite_url, "lead", lang="ru")
    at = AppTest.from_function(_history_script, default_timeout=60)
    at.session_state[context.SESSION_DB] = sqlite_url
    for key, value in signed_in_entries(sqlite_url, actor).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert list(at.dataframe[0].value["Состояние"]) == ["прерван"]
    assert "Импортов, прерванных до завершения: 1" in at.warning[0].value
