"""SECURITY.md quotes figures from the code (argon2 parameters, lockout, session limits,
upload limit, cookie attributes): they must stay true when the code changes, and the page
must keep every section the project promised (issue #12, item 11)."""

from __future__ import annotations

import re
from pathlib import Path

from qa_app.services.accounts import auth, sign_in_sessions
from qa_app.services.imports import upload_limit_mb
from qa_app.ui import context, cookie_handover

DOC = (Path(__file__).resolve().parent.parent / "SECURITY.md").read_text(encoding="utf-8")


def test_every_promised_section_is_there():
    for heading in (
        "## Reporting a problem", "### Passwords", "### Sessions", "### Roles",
        "### Transcript rendering", "### Exports", "### Uploads and imports",
        "### Errors and logs", "### Backups", "## Known limits",
    ):  # fmt: skip
        assert heading in DOC, heading


def test_password_figures_match_the_code():
    standard = auth._COSTS["standard"]
    assert f"time cost {standard['time_cost']}" in DOC
    assert f"memory 64 MiB ({standard['memory_cost']:,} KiB)" in DOC
    assert f"parallelism {standard['parallelism']}" in DOC
    assert f"at least {auth.MIN_PASSWORD_LENGTH} and at most {auth.MAX_PASSWORD_LENGTH}" in DOC
    assert f"After {auth.FAILURES_BEFORE_LOCK} wrong passwords" in DOC
    assert auth.FIRST_LOCK.total_seconds() == 60 and "locked for 1 minute" in DOC
    assert auth.LONGEST_LOCK.total_seconds() == 24 * 3600 and "up to 24 hours" in DOC


def test_session_figures_match_the_code():
    assert context.DEFAULT_IDLE_MINUTES == 8 * 60 and "idle 8 hours" in DOC
    assert sign_in_sessions.ABSOLUTE_LIFETIME.days == 7 and "absolute 7 days" in DOC
    assert f"random {sign_in_sessions.TOKEN_BYTES}-byte token" in DOC
    assert f"valid {cookie_handover.TICKET_SECONDS:.0f} seconds" in DOC
    assert cookie_handover.CLAIM_PATH in DOC and cookie_handover.CLEAR_PATH in DOC
    assert f"{cookie_handover.COOKIE_NAME}=…; HttpOnly; SameSite=Strict" in DOC


def test_upload_limit_matches_the_code(monkeypatch):
    monkeypatch.delenv("QA_STUDIO_UPLOAD_LIMIT_MB", raising=False)
    assert re.search(rf"upload limit is {upload_limit_mb()} MB by default", DOC)
