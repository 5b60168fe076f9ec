"""``qa-studio api``: migrate the database, then serve the REST API (FastAPI on uvicorn)."""

from __future__ import annotations

import click

from qa_app.cli.errors import cli_error
from qa_app.services import database as services_db
from qa_app.services.errors import ServiceError


@click.command("api")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; 0.0.0.0 exposes the API to the network (put TLS in front).",
)
@click.option("--port", default=8502, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--database",
    "database",
    default=None,
    help="Database URL (default: --db, QA_STUDIO_DATABASE_URL, else the SQLite default).",
)
@click.option(
    "--rate-limit",
    "rate_limit",
    default=None,
    type=click.IntRange(1, None),
    help="Calls per minute each token may make (default: QA_STUDIO_API_RATE_LIMIT, else 600).",
)
@click.pass_context
def api(
    ctx: click.Context, host: str, port: int, database: str | None, rate_limit: int | None
) -> None:
    """Serve the REST API under /api/v1 (OpenAPI document at /api/v1/openapi.json).

    Callers authenticate with personal tokens: qa-studio users token create LOGIN.
    """
    import uvicorn

    from qa_app.api import create_app
    from qa_app.api.rate_limit import FixedWindowLimiter, configured_limit

    url = services_db.database_url(database or ctx.obj.get("database_url"))
    try:
        limiter = FixedWindowLimiter(configured_limit(rate_limit))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        services_db.prepare_database(url)
    except ServiceError as exc:
        raise cli_error(exc) from exc
    click.echo(f"QA Studio API on http://{host}:{port}/api/v1 ({services_db.display_url(url)})")
    uvicorn.run(
        create_app(url, limiter=limiter),
        host=host,
        port=port,
        log_level="info",
        server_header=False,
    )


def register(group: click.Group) -> None:
    group.add_command(api)
