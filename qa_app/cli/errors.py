"""One clear line on failure instead of a traceback."""

from __future__ import annotations

import click


class CliError(click.ClickException):
    """A user-facing failure: printed as one line, exit code chosen by the caller."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:  # noqa: D102 - click hook
        click.secho(f"error: {self.format_message()}", err=True, fg="red")


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
    except Exception as exc:  # last resort: never show a traceback to a user
        click.secho(f"error: {type(exc).__name__}: {exc}", err=True, fg="red")
        return 1
    return result if isinstance(result, int) else 0
