"""``qa-studio serve``: migrate the database, then start the Streamlit app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from qa_app.cli import sso_settings
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


def streamlit_command(host: str, port: int, secrets_file: Path | None = None) -> list[str]:
    """The command line that starts the app (shown by ``--dry-run``)."""
    extra = [f"--secrets.files={secrets_file}"] if secrets_file is not None else []
    return [
        sys.executable, "-m", "streamlit", "run", str(APP_PATH),
        f"--server.port={port}", f"--server.address={host}", *SERVER_FLAGS,
        f"--server.maxUploadSize={upload_limit_mb()}", *extra,
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
@click.option(
    "--sso-issuer",
    envvar="QA_STUDIO_SSO_ISSUER",
    help="Single sign-on: the OpenID provider's issuer URL (docs/sso.md).",
)
@click.option(
    "--sso-client-id",
    envvar="QA_STUDIO_SSO_CLIENT_ID",
    help="Single sign-on: this app's client id at the provider "
    "(the secret goes in QA_STUDIO_SSO_CLIENT_SECRET).",
)
@click.option(
    "--sso-mapping",
    envvar="QA_STUDIO_SSO_MAPPING",
    type=click.Path(dir_okay=False),
    help="Single sign-on: the YAML file mapping groups or e-mail domains to roles.",
)
@click.option(
    "--sso-scope",
    envvar="QA_STUDIO_SSO_SCOPE",
    default=sso_settings.DEFAULT_SCOPE,
    show_default=True,
    help="Single sign-on: the scopes asked of the provider.",
)
@click.option(
    "--public-url",
    envvar="QA_STUDIO_PUBLIC_URL",
    help="The address users open (default http://HOST:PORT); the provider sends "
    "them back to PUBLIC_URL/oauth2callback.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    port: int,
    host: str,
    dry_run: bool,
    sso_issuer: str | None,
    sso_client_id: str | None,
    sso_mapping: str | None,
    sso_scope: str,
    public_url: str | None,
) -> None:
    """Apply database migrations, then run the web app (with single sign-on when the
    --sso-* options are given)."""
    sso = sso_settings.settings_from(
        sso_issuer, sso_client_id, sso_mapping, public_url, sso_scope, host, port
    )
    url = services_db.database_url(ctx.obj.get("database_url"))
    try:
        services_db.prepare_database(url)
    except ServiceError as exc:  # unreachable, read-only, ...: one clear sentence
        raise cli_error(exc) from exc
    secrets_file = sso_settings.write_secrets(sso) if sso and not dry_run else None
    command = streamlit_command(host, port, secrets_file)
    if dry_run:
        click.echo(" ".join(command))
        return
    env = {**os.environ, services_db.DATABASE_URL_ENV: url}
    env.pop(sso_settings.MAPPING_ENV, None)
    if sso is not None:
        env[sso_settings.MAPPING_ENV] = str(sso.mapping)
        click.echo(f"single sign-on through {sso.issuer} (callback "
                   f"{sso.public_url}/oauth2callback)", err=True)  # fmt: skip
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
