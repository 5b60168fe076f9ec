"""Who is calling: the personal API token in ``Authorization: Bearer``, checked on every
call against the user as stored now (a revoked or expired token or a deactivated user is
refused), after the token's call count (``rate_limit``) says it may call now."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from qa_app.api.errors import RateLimited, Unauthorized
from qa_app.api.rate_limit import FixedWindowLimiter
from qa_app.services import accounts
from qa_app.services.actor import Actor
from qa_app.services.database import UnitOfWork, UnitOfWorkFactory

bearer = HTTPBearer(
    auto_error=False, description="A personal API token (qa-studio users token create)"
)


@dataclass(frozen=True, slots=True)
class Caller:
    """The acting user and where their use cases run."""

    actor: Actor
    factory: UnitOfWorkFactory

    def uow(self) -> UnitOfWork:
        return self.factory()


def caller(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)
) -> Caller:
    factory: UnitOfWorkFactory = request.app.state.unit_of_work
    token = credentials.credentials if credentials is not None else None
    limiter: FixedWindowLimiter = request.app.state.rate_limiter
    if token:
        verdict = limiter.hit(hashlib.sha256(token.encode("utf-8")).hexdigest())
        if not verdict.allowed:
            raise RateLimited(verdict.retry_after, limiter.limit, limiter.window)
    check = accounts.do_check_api_token(factory(), token)
    if check.actor is None:
        raise Unauthorized(check.reason)
    return Caller(check.actor, factory)
