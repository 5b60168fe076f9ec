"""Sampling in the reader's words: reason codes, weeks, schedules, notable reasons."""

from __future__ import annotations

from datetime import datetime

from qa_app.i18n.numbers import decimal
from qa_app.services import sampling
from qa_app.ui import context
from qa_app.ui.context import tr, tr_or
from qa_app.ui.transcript_view import duration_text


def week_start(week: str) -> str:
    """An ISO week such as ``2026-W13`` as the date of its Monday (``2026-03-23``)."""
    try:
        return datetime.strptime(f"{week}-1", "%G-W%V-%u").date().isoformat()
    except ValueError:
        return week


def period_text(period_key: str) -> str:
    """A plan run's period: "week of 2026-03-09" or the day itself."""
    if "-W" in period_key:
        return tr("sampling.period.week", date=week_start(period_key))
    return period_key


def _stratum_text(stratum: str) -> str:
    channel, _, language = stratum.partition("/")
    channel_name = tr(f"review.channel.{channel}")
    language_name = tr(f"overview.language.{language}")
    if channel_name.startswith("review.") or language_name.startswith("overview."):
        return tr("sampling.reason.stratum", channel=channel, language=language)
    if context.current_lang() == "ru":  # «чат, русский»; English keeps "in Russian"
        language_name = language_name.lower()
    return tr("sampling.reason.stratum", channel=channel_name.lower(), language=language_name)


def reason_text(code: str) -> str:
    """A sampling reason code in words (``quota:agent:week`` keeps its details); an unknown
    code is shown as it is rather than as a catalogue key."""
    head, _, rest = code.partition(":")
    if head == "quota":
        agent, _, week = rest.partition(":")
        if week == "run":
            return tr("sampling.reason.quota_run", agent=agent)
        return tr("sampling.reason.quota", agent=agent, week=week_start(week))
    if head == "stratum":
        return _stratum_text(rest)
    return tr_or(f"sampling.reason.{code}", code)


def language_name(code: str) -> str:
    return tr_or(f"overview.language.{code}", code)


def strategy_name(code: str) -> str:
    return tr_or(f"sampling.strategy.{code}", code)


def schedule_text(weekdays: tuple[int, ...], run_at: str, timezone: str) -> str:
    """``Mon 07:00, Europe/Moscow``; ``Mon–Fri 09:00, UTC``; ``Mon, Thu 08:00, UTC``."""
    if tuple(weekdays) == sampling.WORKING_DAYS:
        days = tr("sampling.schedule.weekdays")
    else:
        days = ", ".join(tr(f"sampling.weekday.{sampling.WEEKDAY_NAMES[d]}") for d in weekdays)
    return tr("sampling.schedule.text", days=days, time=run_at, zone=timezone)


def moment_text(moment: datetime | None, timezone: str = "UTC") -> str:
    """A date and time in the plan's zone (``2026-03-16 07:00``)."""
    if moment is None:
        return "—"
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def _duration(seconds) -> str:
    return duration_text(seconds, context.current_lang())


def _ordinal(n: int) -> str:
    if context.current_lang() == "ru":
        return f"{n}-е"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def notable_reason_text(reason: sampling.Reason) -> str:
    """One notable reason with its numbers: "CSAT 1 after a 3 h 05 min first response"."""
    p = reason.params
    lang = context.current_lang()
    values = {
        "low_csat_slow": lambda: {"csat": p["csat"], "wait": _duration(p["wait"])},
        "low_csat": lambda: {"csat": p["csat"]},
        "detractor": lambda: {"nps": p["nps"]},
        "repeat_contact": lambda: {"nth": _ordinal(p["nth"])},
        "rudeness": lambda: {"p": decimal(p["p"], lang)},
        "missed_empathy": lambda: {"count": p["count"]},
        "negative_ending": lambda: {"sentiment": decimal(p["sentiment"], lang)},
        "slow_first_response": lambda: {
            "wait": _duration(p["wait"]),
            "target": _duration(p["target"]),
        },
        "long_handle": lambda: {"handle": _duration(p["handle"]), "target": _duration(p["target"])},
        "escalated_unresolved": lambda: {"status": tr(f"sampling.status.{p['status']}")},
    }
    make = values.get(reason.code)
    if make is None:
        return reason.code
    return tr(f"sampling.notable.reason.{reason.code}", **make())
