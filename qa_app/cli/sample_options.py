"""Options shared by the sampling commands: conversation filters, the clock, list values."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click

from qa_app.services.sampling import ConversationFilters


def split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _range(text: str | None, name: str, kind=int) -> tuple:
    """``"1-2"``, ``"3-"`` or ``"-2"`` as (low, high); None as (None, None)."""
    if not text:
        return None, None
    low, sep, high = text.partition("-")
    try:
        if not sep:
            value = kind(low)
            return value, value
        return (kind(low) if low.strip() else None), (kind(high) if high.strip() else None)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a range like 1-2, 3- or -2", param_hint=name
        ) from None


def parse_now(value: str | None) -> datetime:
    """``--now``: an ISO date-time with its offset (naive means UTC); default the clock."""
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date-time", param_hint="--now") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


FLAG_OPTIONS = {
    "escalated": "--escalated/--not-escalated",
    "repeat_contact": "--repeat-contact/--no-repeat-contact",
    "negative_ending": "--negative-ending/--no-negative-ending",
    "rudeness": "--rudeness/--no-rudeness",
    "missed_empathy": "--missed-empathy/--no-missed-empathy",
}


def filter_options(with_dates: bool = True):
    """Decorator adding every conversation filter to a command."""

    def add(command):
        for name, spelling in reversed(FLAG_OPTIONS.items()):
            command = click.option(spelling, name, default=None, help="Only with (or without).")(
                command
            )
        for flag, help_text in (
            ("--handle", "Handle time in minutes, e.g. 30- or 10-60."),
            ("--nps", "NPS range, e.g. 0-6."),
            ("--csat", "CSAT range, e.g. 1-2."),
            ("--agent", "Comma-separated agent logins."),
            ("--team", "Comma-separated team names."),
            ("--language", "Comma-separated languages (ru,en)."),
            ("--channel", "Comma-separated channels."),
        ):
            command = click.option(flag, default=None, help=help_text)(command)
        if with_dates:
            command = click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]))(command)
            command = click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]))(
                command
            )
        return command

    return add


def _day(value) -> date | None:
    return value.date() if value is not None else None


def filters_from(options: dict) -> ConversationFilters:
    """The filters of a command's options (removed from ``options``)."""
    csat = _range(options.pop("csat", None), "--csat")
    nps = _range(options.pop("nps", None), "--nps")
    handle = _range(options.pop("handle", None), "--handle", float)
    return ConversationFilters(
        date_from=_day(options.pop("date_from", None)),
        date_to=_day(options.pop("date_to", None)),
        channels=split(options.pop("channel", None)),
        languages=split(options.pop("language", None)),
        teams=split(options.pop("team", None)),
        agents=split(options.pop("agent", None)),
        csat_min=csat[0],
        csat_max=csat[1],
        nps_min=nps[0],
        nps_max=nps[1],
        handle_min_minutes=handle[0],
        handle_max_minutes=handle[1],
        **{name: options.pop(name, None) for name in FLAG_OPTIONS},
    )
