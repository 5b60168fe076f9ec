"""The ``qa-studio`` command line: the same services as the app.

Each command group lives in its own module with a ``register(group)`` function and is
listed in ``COMMAND_MODULES``; the CLI is tested with click's ``CliRunner``.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from qa_app.cli.errors import CliError, run_guarded

COMMAND_MODULES = (
    "qa_app.cli.commands_rubric",
    "qa_app.cli.commands_db",
    "qa_app.cli.commands_users",
    "qa_app.cli.commands_serve",
    "qa_app.cli.commands_import",
    "qa_app.cli.commands_sample",
    "qa_app.cli.commands_models",
    "qa_app.cli.commands_eval",
    "qa_app.cli.commands_calibration",
    "qa_app.cli.commands_demo",
    "qa_app.cli.commands_score",
    "qa_app.cli.commands_classify",
    "qa_app.cli.commands_bench",
    "qa_app.cli.commands_export",
    "qa_app.cli.commands_bench_scorecards",
    "qa_app.cli.commands_bench_autoqa",
    "qa_app.cli.commands_bench_scale",
    "qa_app.cli.commands_bench_load",
    "qa_app.cli.commands_stats",
    "qa_app.cli.commands_coaching",
    "qa_app.cli.commands_privacy",
    "qa_app.cli.commands_mapping",
    "qa_app.cli.commands_audit",
    "qa_app.cli.commands_mystery",
    "qa_app.cli.commands_api",
    "qa_app.cli.commands_worker",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "database_url",
    envvar="QA_STUDIO_DATABASE_URL",
    default=None,
    help="Database URL (default: SQLite file in the user data folder).",
)
@click.version_option(package_name="qa-studio")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """QA Studio: quality assurance for customer support (Russian and English)."""
    ctx.ensure_object(dict)
    ctx.obj["database_url"] = database_url


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main() -> None:
    """Console-script entry point: clear one-line errors, never a traceback (log lines meant
    for a server's log stay out of the terminal unless logging is configured)."""
    logging.getLogger("qa_app").addHandler(logging.NullHandler())
    sys.exit(run_guarded(cli))


__all__ = ["CliError", "cli", "main"]
