"""The FastAPI application: routes under ``/api/v1``, the OpenAPI document at
``/api/v1/openapi.json``, JSON errors (``errors``)."""

from __future__ import annotations

from fastapi import FastAPI

from qa_app.api import errors
from qa_app.api.rate_limit import FixedWindowLimiter, configured_limit
from qa_app.services import database as services_db

API_PREFIX = "/api/v1"
#: The OpenAPI extension naming the permission actions an endpoint needs (any one of them);
#: the role test reads it from every route.
ACTIONS_KEY = "x-qa-actions"


def create_app(url: str | None = None, *, limiter: FixedWindowLimiter | None = None) -> FastAPI:
    """The API on the database at ``url`` (the configured one when None); not migrated
    here (``qa-studio api`` migrates before it starts). ``limiter`` counts each token's
    calls (default: ``QA_STUDIO_API_RATE_LIMIT`` calls a minute, else 600)."""
    from qa_app.api import routes_conversations, routes_people

    app = FastAPI(
        title="QA Studio API",
        version="1",
        description="Push conversations, read reviews, automatic scores and scorecards, "
        "export. Every call needs a personal API token (Authorization: Bearer); tokens "
        "expire (401) and each token may make a limited number of calls a minute (429 "
        "with Retry-After).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.unit_of_work = services_db.unit_of_work_factory(url)
    app.state.rate_limiter = limiter or FixedWindowLimiter(configured_limit())
    errors.install(app)
    app.include_router(routes_conversations.router, prefix=API_PREFIX)
    app.include_router(routes_people.router, prefix=API_PREFIX)
    return app


def needs(*actions: str) -> dict:
    """``openapi_extra`` for a route: the actions (any one) that allow calling it."""
    return {ACTIONS_KEY: list(actions)}
