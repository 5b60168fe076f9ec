"""User-facing failures. Each carries a catalogue key so the UI can say it in ru or en."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A failure the user can act on; ``key`` names the message in the i18n catalogue."""

    key = "error.generic"

    def __init__(self, message: str, *, key: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        if key:
            self.key = key
        self.params = params


class PermissionDenied(ServiceError):
    key = "error.permission_denied"


class NotFound(ServiceError):
    key = "error.not_found"


class Conflict(ServiceError):
    """Someone else changed the record first (optimistic locking) or a rule forbids it."""

    key = "error.conflict"


class InvalidInput(ServiceError):
    key = "error.invalid_input"


class DatabaseProblem(ServiceError):
    """The database could not do what was asked: read-only, disk full, locked, unreachable.

    Made by ``database_errors.translate`` from a driver error; carries only a catalogue key
    and the kind, never the statement, its parameters or the driver's text."""

    key = "db.failed"
