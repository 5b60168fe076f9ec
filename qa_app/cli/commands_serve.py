"""``qa-studio serve``: migrate the database, then start the Streamlit app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from qa_app.cli.errors import CliError, cli_error
from qa_app.services import database as services_db
from qa_app.services.errors import ServiceError
from qa_app.services.imports import upload_limit_mb

#: The launcher: Streamlit's app for ``ui/app.py`` plus the routes that set the HttpOnly
#: session cookie (``ui/cookie_handover.py``).
APP_PATH = Path(__file__).resolve().parent.parent / "ui" / "server.py"
REPO_DIR = APP_PATH.parent.parent.parent
#: Safety settings applied wherever the server starts (not only from the repository root).
SERVER_FLAGS = (
    "--server.headless=true",
    "--browser.gatherUsageStats=false",
    "--client.showErrorDetails=none",
    "--client.toolbarMode=viewer",
    "--server.fileWatcherType=none",
    "--server.runOnSave=false",
    "--runner.magicEnabled=false",
    # No full garbage collection after every run: on this app's heap (models, catalogues)
    # it cost about 0.25 s of each click, 1 s on a loaded machine; Python's own
    # generational collector still frees memory as it goes.
    "--runner.postScriptGC=false",
)


def streamlit_command(host: str, port: int) -> list[str]:
    """The command line that starts the app (shown by ``--dry-run``)."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP_PATH),
        f"--server.port={port}", f"--server.address={host}", *SERVER_FLAGS,
        f"--server.maxUploadSize={upload_limit_mb()}",
    ]  # fmt: skip


@click.command("serve")
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; 0.0.0.0 exposes the app to the network.",
)
@click.option("--dry-run", is_flag=True, help="Migrate and print the command without starting.")
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, dry_run: bool) -> None:
    """Apply database migrations, then run the web app."""
    url = services_db.database_url(ctx.obj.get("database_url"))
    try:
        services_db.prepare_database(url)
    except ServiceError as exc:  # unreachable, read-only, ...: one clear sentence
        raise cli_error(exc) from exc
    command = streamlit_command(host, port)
    if dry_run:
        click.echo(" ".join(command))
        return
    env = {**os.environ, services_db.DATABASE_URL_ENV: url}
    click.echo(f"QA Studio on http://{host}:{port} (Ctrl+C stops it)", err=True)
    os.chdir(REPO_DIR)  # where .streamlit/config.toml (theme) lives in a source checkout
    if os.name == "posix":
        # Become the server: signals reach it directly and no orphan is left behind.
        os.execvpe(command[0], command, env)
    completed = subprocess.run(command, env=env, check=False)
    if completed.returncode not in (0, -2, 130):
        raise CliError(
            f"the web server stopped with exit code {completed.returncode}",
            exit_code=completed.returncode,
        )


def register(group: click.Group) -> None:
    group.add_command(serve)
