"""``qa-studio users`` and ``serve --dry-run`` through click's CliRunner on a real SQLite file."""

from __future__ import annotations

import os
import re

from click.testing import CliRunner

from qa_app.cli import cli
from qa_app.services.accounts import auth
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Agent

os.environ.setdefault(auth.HASH_COST_ENV, "test")


def _run(url: str, *args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["--db", url, *args], input=stdin)


def _printed_password(output: str) -> str:
    match = re.search(r"^password: (\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_add_prints_a_password_that_signs_in(sqlite_url):
    result = _run(sqlite_url, "users", "add", "root", "--role", "admin", "--name", "Root")
    assert result.exit_code == 0, result.output
    password = _printed_password(result.output)
    with unit_of_work(sqlite_url) as session:
        assert auth.authenticate(session, "root", password).role == "admin"


def test_add_with_password_from_stdin(sqlite_url):
    result = _run(
        sqlite_url,
        "users",
        "add",
        "olga",
        "--role",
        "reviewer",
        "--lang",
        "ru",
        "--password-stdin",
        stdin="olga-secret-123\n",
    )
    assert result.exit_code == 0 and "password:" not in result.output
    with unit_of_work(sqlite_url) as session:
        assert auth.authenticate(session, "olga", "olga-secret-123").language == "ru"


def test_agent_needs_known_agent_login(sqlite_url):
    missing = _run(sqlite_url, "users", "add", "anna", "--role", "agent")
    assert missing.exit_code == 2
    assert "must be linked to an agent" in missing.output
    unknown = _run(sqlite_url, "users", "add", "anna", "--role", "agent", "--agent", "a.petrova")
    assert unknown.exit_code == 3 and "a.petrova" in unknown.output
    with unit_of_work(sqlite_url) as session:
        session.add(Agent(login="a.petrova"))
    ok = _run(sqlite_url, "users", "add", "anna", "--role", "agent", "--agent", "a.petrova")
    assert ok.exit_code == 0, ok.output


def test_list_set_role_reset_deactivate(sqlite_url):
    _run(sqlite_url, "users", "add", "root", "--role", "admin")
    _run(sqlite_url, "users", "add", "olga", "--role", "reviewer")
    assert _run(sqlite_url, "users", "set-role", "olga", "lead").exit_code == 0
    listing = _run(sqlite_url, "users", "list")
    assert re.search(r"^olga\s+lead\s", listing.output, re.MULTILINE), listing.output
    reset = _run(sqlite_url, "users", "reset-password", "olga")
    password = _printed_password(reset.output)
    with unit_of_work(sqlite_url) as session:
        assert auth.authenticate(session, "olga", password).role == "lead"
    assert _run(sqlite_url, "users", "deactivate", "olga").exit_code == 0
    assert "inactive" in _run(sqlite_url, "users", "list").output
    assert "olga" not in _run(sqlite_url, "users", "list", "--active-only").output


def test_errors_are_one_clear_line(sqlite_url):
    unknown = _run(sqlite_url, "users", "deactivate", "ghost")
    assert unknown.exit_code == 3
    assert "There is no user named ghost." in unknown.output
    assert "Traceback" not in unknown.output
    bad_role = _run(sqlite_url, "users", "add", "x1", "--role", "boss")
    assert bad_role.exit_code == 2 and "boss" in bad_role.output
    short = _run(
        sqlite_url, "users", "add", "x1", "--role", "reviewer", "--password-stdin", stdin="short\n"
    )
    assert short.exit_code == 2 and "at least 10 characters" in short.output


def test_serve_dry_run_migrates_and_prints_safe_flags(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = _run(url, "serve", "--port", "8765", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "-m streamlit run " in result.output and "qa_app/ui/server.py" in result.output
    assert "--server.port=8765" in result.output
    assert "--client.showErrorDetails=none" in result.output
    assert "--browser.gatherUsageStats=false" in result.output
    assert (tmp_path / "fresh.db").exists()
    assert _run(url, "users", "list").output.startswith("no users yet")
