"""Every failure as a short JSON body with a status: 401 no or bad token (unknown, revoked,
expired), 403 not allowed, 404 not found, 409 conflict, 422 bad input (with ``problems``: field and reason), 503 the
database could not answer. Never SQL, values from the database, or a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa_app.i18n import t
from qa_app.services.errors import (
    Conflict,
    DatabaseProblem,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceError,
)

LOG = logging.getLogger("qa_app.api")

#: Service errors by status, most specific first.
STATUS = (
    (PermissionDenied, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (InvalidInput, 422, "invalid_input"),
    (DatabaseProblem, 503, "database_unavailable"),
)


class Unauthorized(Exception):
    """No token, or a token that is unknown, revoked, or a deactivated user's."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RateLimited(Exception):
    """A token made more calls in the current window than the limit allows."""

    def __init__(self, retry_after: int, limit: int, window: float) -> None:
        super().__init__(f"rate limit: {limit} calls per {window:g} s")
        self.retry_after, self.limit, self.window = retry_after, limit, window


REASONS = {
    "missing": "send a personal API token as 'Authorization: Bearer <token>'",
    "unknown": "the API token is not known",
    "revoked": "the API token was revoked",
    "expired": "the API token has expired; create a new one (account page or "
    "qa-studio users token create)",
    "inactive": "the user of this API token is deactivated",
}


def body(error: str, message: str, **extra) -> dict:
    return {"error": error, "message": message, **extra}


def service_error_response(exc: ServiceError) -> JSONResponse:
    status, error = (503, "failed") if exc.key.startswith("import.fatal") else (422, "failed")
    for kind, kind_status, kind_error in STATUS:
        if isinstance(exc, kind):
            status, error = kind_status, kind_error
            break
    message = _sentence(exc)
    return JSONResponse(body(error, message), status_code=status)


def _sentence(exc: ServiceError) -> str:
    """The catalogue's English sentence for the error, else its own message (also for the
    generic ``error.*`` sentences, which say less than the message does)."""
    if exc.key.startswith("error."):
        return exc.message
    try:
        text = t(exc.key, "en", **exc.params)
    except Exception:  # a key whose placeholders the error did not fill
        text = ""
    return text if text and text != exc.key else exc.message


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the JSON above."""

    @app.exception_handler(Unauthorized)
    async def _unauthorized(_request: Request, exc: Unauthorized) -> JSONResponse:
        return JSONResponse(
            body("unauthorized", REASONS.get(exc.reason, REASONS["unknown"])),
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.exception_handler(RateLimited)
    async def _rate_limited(_request: Request, exc: RateLimited) -> JSONResponse:
        message = (f"this token made more than {exc.limit} calls in {exc.window:g} seconds; "
                   f"try again in {exc.retry_after} s")  # fmt: skip
        return JSONResponse(
            body("rate_limited", message, retry_after=exc.retry_after),
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )

    @app.exception_handler(ServiceError)
    async def _service(_request: Request, exc: ServiceError) -> JSONResponse:
        return service_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"field": ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body",
             "reason": str(err.get("msg", "invalid"))}
            for err in exc.errors()
        ]  # fmt: skip
        return JSONResponse(
            body("invalid_request", "the request does not match the API", problems=problems),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(body(error, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))  # fmt: skip

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        LOG.error("unexpected API failure: %s", type(exc).__name__)
        return JSONResponse(body("internal", "the server failed; the log has its kind"),
                            status_code=500)  # fmt: skip
