"""``qa-studio users token ...`` and ``qa-studio api --help`` through click's CliRunner on a
real SQLite file; the printed token then works against the API."""

from __future__ import annotations

from click.testing import CliRunner
from fastapi.testclient import TestClient

from qa_app.api import create_app
from qa_app.cli import cli


def run(url: str, *args: str):
    return CliRunner().invoke(cli, ["--db", url, *args])


def test_a_token_is_printed_once_works_and_stops_working_when_revoked(sqlite_url):
    assert run(sqlite_url, "users", "add", "olga", "--role", "lead").exit_code == 0
    created = run(sqlite_url, "users", "token", "create", "olga", "--name", "crm sync")
    assert created.exit_code == 0, created.output
    token = created.output.split(": ", 1)[1].split()[0]
    assert token.startswith("qas_")
    listed = run(sqlite_url, "users", "token", "list", "olga")
    assert "crm sync" in listed.output and "active" in listed.output
    assert token not in listed.output  # only its first characters
    client = TestClient(create_app(sqlite_url))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).json()["username"] == "olga"
    token_id = created.output.split()[1]
    assert run(sqlite_url, "users", "token", "revoke", token_id).exit_code == 0
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert "revoked" in run(sqlite_url, "users", "token", "list", "olga").output


def test_a_token_for_an_unknown_user_is_a_clear_error(sqlite_url):
    answer = run(sqlite_url, "users", "token", "create", "nobody")
    assert answer.exit_code != 0
    assert "nobody" in answer.output and "Traceback" not in answer.output


def test_the_api_command_documents_its_options():
    answer = CliRunner().invoke(cli, ["api", "--help"])
    assert answer.exit_code == 0
    for option in ("--host", "--port", "--database"):
        assert option in answer.output
