"""``qa-studio serve --sso-...`` through click's CliRunner (``--dry-run``: migrate and print,
no server): every missing or wrong piece is named before anything starts, and the secrets
Streamlit reads are written privately and parse back as given."""

from __future__ import annotations

import stat
import tomllib

import pytest
from click.testing import CliRunner

from qa_app.cli import cli
from qa_app.cli.sso_settings import settings_from, write_secrets

GOOD = "rules:\n  - groups: [qa-admins]\n    role: admin\n"


@pytest.fixture
def mapping(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(GOOD, encoding="utf-8")
    return path


def serve(sqlite_url, *args, env=None):
    return CliRunner().invoke(cli, ["--db", sqlite_url, "serve", "--dry-run", *args],
                              env={"QA_STUDIO_SSO_CLIENT_SECRET": "s3cret", **(env or {})})  # fmt: skip


def test_without_sso_options_serve_starts_as_before(sqlite_url):
    answer = serve(sqlite_url)
    assert answer.exit_code == 0 and "--secrets.files" not in answer.output


def test_each_missing_or_wrong_piece_is_named(sqlite_url, mapping, tmp_path):
    issuer = ("--sso-issuer", "https://id.example.com/realms/qa")
    client = ("--sso-client-id", "qa-studio")
    cases = [
        ((*issuer,), "--sso-client-id, --sso-mapping"),
        ((*issuer, *client, "--sso-mapping", str(tmp_path / "none.yaml")), "cannot be read"),
        (("--sso-issuer", "id.example.com", *client, "--sso-mapping", str(mapping)),
         "--sso-issuer must be an absolute http(s) URL"),
        ((*issuer, *client, "--sso-mapping", str(mapping), "--host", "0.0.0.0"), "--public-url"),
    ]  # fmt: skip
    for args, message in cases:
        answer = serve(sqlite_url, *args)
        assert answer.exit_code == 2, args
        assert message in answer.output, answer.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - groups: [x]\n    role: boss\n", encoding="utf-8")
    answer = serve(sqlite_url, *issuer, *client, "--sso-mapping", str(bad))
    assert (
        answer.exit_code == 2 and "invalid at rules[1].role: 'boss' is not a role" in answer.output
    )
    answer = serve(sqlite_url, *issuer, *client, "--sso-mapping", str(mapping),
                   env={"QA_STUDIO_SSO_CLIENT_SECRET": ""})  # fmt: skip
    assert answer.exit_code == 2 and "QA_STUDIO_SSO_CLIENT_SECRET" in answer.output


def test_the_secrets_file_is_private_and_holds_the_settings(mapping, monkeypatch):
    monkeypatch.setenv("QA_STUDIO_SSO_CLIENT_SECRET", 'se"cr\\et')
    monkeypatch.setenv("QA_STUDIO_SSO_COOKIE_SECRET", "cookie-secret-of-32-characters-xx")
    settings = settings_from("https://id.example.com/realms/qa/", "qa-studio", str(mapping),
                             "https://qa.example.com", "openid email groups", "0.0.0.0", 8501)  # fmt: skip
    path = write_secrets(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    auth = tomllib.loads(path.read_text(encoding="utf-8"))["auth"]
    assert auth["redirect_uri"] == "https://qa.example.com/oauth2callback"
    assert auth["cookie_secret"] == "cookie-secret-of-32-characters-xx"
    assert auth["sso"] == {
        "client_id": "qa-studio",
        "client_secret": 'se"cr\\et',
        "server_metadata_url": "https://id.example.com/realms/qa/.well-known/openid-configuration",
        "client_kwargs": {"scope": "openid email groups"},
    }


def test_the_public_url_defaults_to_the_served_address(mapping, monkeypatch):
    monkeypatch.setenv("QA_STUDIO_SSO_CLIENT_SECRET", "x")
    monkeypatch.delenv("QA_STUDIO_SSO_COOKIE_SECRET", raising=False)
    settings = settings_from("http://localhost:9400", "qa", str(mapping), None,
                             "openid", "127.0.0.1", 8600)  # fmt: skip
    assert settings.public_url == "http://127.0.0.1:8600"
    assert len(settings.cookie_secret) >= 32  # a random one when none is configured


def test_sso_check_lists_the_rules_and_names_missing_teams(sqlite_url, tmp_path):
    path = tmp_path / "teams.yaml"
    path.write_text(
        "rules:\n  - groups: [leads]\n    email_domains: [example.com]\n    role: lead\n"
        "    team: Nowhere\n  - groups: [qa]\n    role: reviewer\n",
        encoding="utf-8",
    )
    answer = CliRunner().invoke(cli, ["--db", sqlite_url, "users", "sso-check", str(path)])
    assert answer.exit_code == 1
    assert "rules[1]: groups leads and e-mail at example.com -> lead, team Nowhere" in answer.output
    assert 'rules[1].team: "Nowhere" does not exist yet' in answer.output
    path.write_text("rules:\n  - groups: [qa]\n    role: reviewer\n", encoding="utf-8")
    answer = CliRunner().invoke(cli, ["--db", sqlite_url, "users", "sso-check", str(path)])
    assert answer.exit_code == 0 and "1 rules, valid" in answer.output
    path.write_text("rules:\n  - groups: [qa]\n", encoding="utf-8")
    answer = CliRunner().invoke(cli, ["--db", sqlite_url, "users", "sso-check", str(path)])
    assert answer.exit_code == 2 and "invalid at rules[1].role" in answer.output
