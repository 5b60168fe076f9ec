"""The deployment files for N scoring workers name commands and options that exist (no
Docker engine or systemd runs here, so their shape is what can be checked)."""

from __future__ import annotations

import configparser
from pathlib import Path

import yaml
from click.testing import CliRunner

from qa_app.cli import cli

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def test_compose_runs_the_app_and_scalable_workers_on_one_postgresql():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"db", "app", "worker"}
    assert services["worker"]["command"] == ["qa-studio", "worker"]
    assert "queue install" in " ".join(services["app"]["command"])
    url = services["worker"]["environment"]["QA_STUDIO_DATABASE_URL"]
    assert url == services["app"]["environment"]["QA_STUDIO_DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://") and "@db:5432/" in url
    assert (DEPLOY / services["worker"]["build"]["dockerfile"].split("/")[-1]).exists()


def test_the_systemd_unit_starts_a_worker_with_options_the_command_takes():
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.read(DEPLOY / "qa-studio-worker@.service", encoding="utf-8")
    command = unit["Service"]["ExecStart"].split()
    assert command[0].endswith("/qa-studio") and command[1] == "worker"
    help_text = CliRunner().invoke(cli, ["worker", "--help"]).output
    for option in (part for part in command[2:] if part.startswith("--")):
        assert option in help_text
    assert unit["Service"]["KillSignal"] == "SIGTERM"
