"""The clock-shifted pass of ``make test`` catches what it is for. A planted test with the
very defect issue #12 found (a sign-in session opened at a pinned moment, then checked
against the real clock) passes today and fails once ``QA_STUDIO_CLOCK_SHIFT_DAYS`` moves
the clock a year ahead: so a date dependency fails now, not on the day it starts to."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from conftest import CLOCK_SHIFT_ENV

TESTS = Path(__file__).resolve().parent
PLANTED = """
from datetime import datetime, timedelta

from qa_app.services.accounts import auth, sign_in_sessions, users
from qa_app.services.actor import SYSTEM
from qa_app.storage.db import unit_of_work

T0 = datetime.fromisoformat("{t0}")  # pinned to the moment the test was written


def test_session_opened_at_a_pinned_moment_still_resumes(sqlite_url):
    with unit_of_work(sqlite_url) as session:
        users.add_user(session, SYSTEM, "maria", "reviewer", password="long-enough-secret")
    with unit_of_work(sqlite_url) as session:
        actor = auth.authenticate(session, "maria", "long-enough-secret", now=T0)
        token = sign_in_sessions.open_session(session, actor, now=T0)
    with unit_of_work(sqlite_url) as session:  # the defect: no now=, so the real clock
        assert sign_in_sessions.resume_session(session, token, timedelta(hours=8))
"""


def _run_planted(tmp_path: Path, shift_days: str | None) -> subprocess.CompletedProcess:
    planted = tmp_path / "test_planted_date_dependency.py"
    planted.write_text(PLANTED.format(t0=datetime.now(UTC).isoformat()))
    env = {**os.environ, "PYTHONPATH": str(TESTS), "QA_STUDIO_PASSWORD_HASH_COST": "test"}
    env.pop(CLOCK_SHIFT_ENV, None)
    if shift_days is not None:
        env[CLOCK_SHIFT_ENV] = shift_days
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(planted)],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_planted_date_dependency_passes_today_and_fails_a_year_ahead(tmp_path):
    today = _run_planted(tmp_path, None)
    assert today.returncode == 0, today.stdout + today.stderr
    ahead = _run_planted(tmp_path, "365")
    assert ahead.returncode == 1, ahead.stdout + ahead.stderr
    assert "1 failed" in ahead.stdout and "resume_session" in ahead.stdout
