"""``qa-studio users ...``: who may sign in (the first admin is created here)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click

from qa_app.cli.errors import CliError, cli_error
from qa_app.services import accounts
from qa_app.services import database as services_db
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import ServiceError
from qa_app.services.permissions import ROLES


def _run(ctx: click.Context, action):
    """Run ``action(uow)`` (one use case) on the migrated database; a service or
    database failure becomes one line (the database's never shows SQL or values)."""
    url = services_db.database_url(ctx.obj.get("database_url"))
    try:
        services_db.prepare_database(url)
        return action(services_db.unit_of_work(url))
    except ServiceError as exc:
        raise cli_error(exc) from exc


def _read_password_stdin() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CliError("no password on standard input")
    return password


@click.group("users")
def users_group() -> None:
    """Add users, change roles, reset passwords, deactivate accounts."""


@users_group.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES, case_sensitive=False))
@click.option("--name", "display_name", default="", help="Full name shown in the app.")
@click.option("--agent", "agent_login", default=None, help="Agent login (required for agents).")
@click.option("--team", "team_name", default=None, help="Team of a lead (optional).")
@click.option(
    "--lang", "language", default="en", show_default=True, type=click.Choice(("ru", "en"))
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of generating one.",
)
@click.pass_context
def add(ctx, username, role, display_name, agent_login, team_name, language, password_stdin):
    """Create a user; prints a generated password once unless --password-stdin is given."""
    password = _read_password_stdin() if password_stdin else None
    row, generated = _run(
        ctx,
        lambda uow: accounts.do_add_user(
            uow,
            SYSTEM,
            username,
            role,
            password=password,
            display_name=display_name,
            agent_login=agent_login,
            team_name=team_name,
            language=language,
        ),
    )
    click.echo(f"added {row.username} ({row.role})")
    if generated:
        click.echo(f"password: {generated}")
        click.echo("(shown once; the user can change it in My account)", err=True)


@users_group.command("list")
@click.option("--active-only", is_flag=True, help="Hide deactivated users.")
@click.pass_context
def list_users(ctx, active_only):
    """List users with role, agent link, team and state."""
    rows = _run(
        ctx, lambda uow: accounts.users_screen(uow, SYSTEM, include_inactive=not active_only)
    )
    if not rows:
        click.echo("no users yet: qa-studio users add NAME --role admin")
        return
    click.echo(f"{'username':<24} {'role':<9} {'lang':<4} {'agent':<18} {'team':<16} state")
    for r in rows:
        state = "active" if r.is_active else "inactive"
        click.echo(
            f"{r.username:<24} {r.role:<9} {r.language:<4} {r.agent_login or '-':<18} "
            f"{r.team_name or '-':<16} {state}"
        )


@users_group.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES, case_sensitive=False))
@click.option("--agent", "agent_login", default=None, help="Agent login when ROLE is agent.")
@click.option("--team", "team_name", default=None, help="Team of a lead.")
@click.pass_context
def set_role(ctx, username, role, agent_login, team_name):
    """Change a user's role (takes effect on their next click)."""
    row = _run(
        ctx,
        lambda uow: accounts.do_set_role(
            uow, SYSTEM, username, role, agent_login=agent_login, team_name=team_name
        ),
    )
    click.echo(f"{row.username} is now {row.role}")


@users_group.command("reset-password")
@click.argument("username")
@click.pass_context
def reset_password(ctx, username):
    """Generate a new password (printed once) and lift any lockout."""
    password = _run(ctx, lambda uow: accounts.do_reset_password(uow, SYSTEM, username))
    click.echo(f"password: {password}")
    click.echo("(shown once)", err=True)


@users_group.command("deactivate")
@click.argument("username")
@click.pass_context
def deactivate(ctx, username):
    """Stop a user signing in (their history stays); effective on their next click."""
    row = _run(ctx, lambda uow: accounts.do_deactivate(uow, SYSTEM, username))
    click.echo(f"{row.username} deactivated")


@click.command("signin")
@click.option("--rounds", default=30, show_default=True, type=click.IntRange(5, 10_000))
def bench_signin(rounds: int) -> None:
    """Answer time of a refused sign-in: unknown user, locked account, wrong password.

    Runs on a throwaway SQLite file with the argon2 cost in force (standard unless
    QA_STUDIO_PASSWORD_HASH_COST says otherwise), beside one bare argon2 verification.
    """
    from qa_app.bench.signin import format_timings, measure_sign_in

    for line in format_timings(measure_sign_in(rounds)):
        click.echo(line)


@users_group.group("token")
def token_group() -> None:
    """Personal API tokens for the REST API (qa-studio api)."""


@token_group.command("create")
@click.argument("username")
@click.option("--name", default="", help="What the token is for (shown in token lists).")
@click.option(
    "--days",
    default=accounts.DEFAULT_TOKEN_LIFETIME_DAYS,
    show_default=True,
    type=click.IntRange(1, accounts.MAX_TOKEN_LIFETIME_DAYS),
    help="How many days the token stays valid.",
)
@click.pass_context
def token_create(ctx, username, name, days):
    """Create an API token for USERNAME; prints the token once (only its hash is stored)."""
    row, token = _run(
        ctx, lambda uow: accounts.do_create_api_token(uow, SYSTEM, username, name, days=days)
    )
    click.echo(f"token {row.id} for {row.username}: {token}")
    click.echo(f"(valid until {row.expires_at:%Y-%m-%d %H:%M} UTC)", err=True)
    click.echo("(shown once; store it now; revoke with: qa-studio users token revoke ID)", err=True)


@token_group.command("list")
@click.argument("username")
@click.pass_context
def token_list(ctx, username):
    """USERNAME's API tokens (never the tokens themselves)."""
    rows = _run(ctx, lambda uow: accounts.do_list_api_tokens(uow, SYSTEM, username))
    for row in rows:
        state = row.state(datetime.now(UTC))
        if row.revoked_at:
            state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}"
        elif row.expires_at:
            state = f"{state} until {row.expires_at:%Y-%m-%d %H:%M}"
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never used"
        click.echo(f"{row.id}\t{row.prefix}...\t{row.name or '-'}\t{state}\t{used}")
    if not rows:
        click.echo(f"{username} has no API tokens")


@token_group.command("revoke")
@click.argument("token_id", type=int)
@click.pass_context
def token_revoke(ctx, token_id):
    """Revoke the API token TOKEN_ID at once."""
    row = _run(ctx, lambda uow: accounts.do_revoke_api_token(uow, SYSTEM, token_id))
    click.echo(f"token {row.id} of {row.username} revoked")


@users_group.command("sso-check")
@click.argument("mapping", type=click.Path(dir_okay=False))
@click.pass_context
def sso_check(ctx, mapping):
    """Check a single sign-on MAPPING file (docs/sso.md) and the teams it names."""
    try:
        parsed = accounts.load_sso_mapping(mapping)
    except ServiceError as exc:
        raise CliError(f"{mapping} is invalid at {exc.params['where']}: {exc.params['detail']}",
                       exit_code=2) from exc  # fmt: skip
    for number, rule in enumerate(parsed.rules, start=1):
        who = " and ".join(
            part for part in (
                f"groups {', '.join(sorted(rule.groups))}" if rule.groups else "",
                f"e-mail at {', '.join(sorted(rule.email_domains))}" if rule.email_domains else "",
            ) if part
        )  # fmt: skip
        team = f", team {rule.team}" if rule.team else ""
        click.echo(f"rules[{number}]: {who} -> {rule.role}{team}")
    missing = _run(ctx, lambda uow: accounts.do_missing_teams(uow, parsed))
    for problem in missing:
        click.echo(f"{problem} does not exist yet: people this rule matches are refused", err=True)
    if missing:
        raise CliError(f"{len(missing)} mapped team(s) missing in QA Studio", exit_code=1)
    click.echo(f"{mapping}: {len(parsed.rules)} rules, valid")


def register(group: click.Group) -> None:
    """``users``, and ``bench signin`` added to the ``bench`` group of ``commands_bench``."""
    from qa_app.cli.commands_bench import bench_group

    group.add_command(users_group)
    bench_group.add_command(bench_signin)
