"""One clear line on failure instead of a traceback.

Service errors are said through the i18n catalogue (in English: the terminal speaks
English, the keys stay stable); database failures go through the one translator
(``services.database.translate_error``), so a read-only file, a full disk, a locked
database or an unreachable server each give one sentence that says what to do, and never
the statement, its values (a new user's password hash) or the driver's text.
"""

from __future__ import annotations

import logging

import click

from qa_app.services import database as services_db
from qa_app.services.errors import NotFound, PermissionDenied, ServiceError

LOG = logging.getLogger("qa_app.cli")
#: Exit codes: 2 bad input or refused, 3 not found, 4 not allowed, 1 the environment failed.
EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_DENIED, EXIT_FAILED = 2, 3, 4, 1


class CliError(click.ClickException):
    """A user-facing failure: printed as one line, exit code chosen by the caller."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:  # noqa: D102 - click hook
        click.secho(f"error: {self.format_message()}", err=True, fg="red")


def service_error_line(exc: ServiceError, lang: str = "en") -> str:
    """A service error as its catalogue sentence (the key's placeholders filled)."""
    from qa_app.i18n import t

    try:
        return t(exc.key, lang, **{"detail": exc.message, **exc.params})
    except KeyError:  # a placeholder the error did not fill: the sentence without it
        return t("error.generic", lang, detail=exc.message)


def cli_error(exc: ServiceError) -> CliError:
    """The ``CliError`` for a service error, with the exit code of its kind."""
    if isinstance(exc, NotFound):
        code = EXIT_NOT_FOUND
    elif isinstance(exc, PermissionDenied):
        code = EXIT_DENIED
    elif services_db.translate_error(exc) is not None:  # a DatabaseProblem
        code = EXIT_FAILED
    else:
        code = EXIT_BAD_INPUT
    return CliError(service_error_line(exc), exit_code=code)


def _unexpected(exc: Exception) -> CliError:
    """Last resort: a database failure in one sentence, anything else as its type and the
    first line of its message; never a traceback."""
    problem = services_db.translate_error(exc)
    if problem is not None:
        LOG.error(services_db.error_log_line(exc))
        return cli_error(problem)
    first = (str(exc).splitlines() or [""])[0][:200]
    return CliError(f"{type(exc).__name__}: {first}", exit_code=EXIT_FAILED)


def run_guarded(group: click.Group) -> int:
    """Run the CLI; unexpected exceptions become one line and exit code 1."""
    try:
        result = group.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except ServiceError as exc:
        error = cli_error(exc)
        error.show()
        return error.exit_code
    except Exception as exc:  # last resort: never show a traceback to a user
        error = _unexpected(exc)
        error.show()
        return error.exit_code
    return result if isinstance(result, int) else 0
