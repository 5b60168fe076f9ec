"""When customers write and how long replies take.

Monday is the busiest day and Wednesday the quietest; hours peak late morning and
mid-afternoon with a tail of evening traffic. Offsets are computed from fixed rules (no
system time-zone database), so the output never depends on the machine.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from itertools import accumulate

WEEKDAY_WEIGHTS = (1.45, 1.1, 0.7, 0.85, 1.0, 0.88, 0.82)  # Monday .. Sunday
HOUR_WEIGHTS = (
    0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.45,  # 00-07
    0.9, 1.3, 1.6, 1.7, 1.4, 1.3, 1.6, 1.55,  # 08-15
    1.4, 1.2, 0.95, 0.8, 0.7, 0.55, 0.35, 0.15,  # 16-23
)  # fmt: skip

# Median first-response delay in minutes for an agent of speed 1.0, per channel.
FIRST_RESPONSE_MEDIAN = {"chat": 2.5, "messenger": 11.0, "email": 48.0, "social": 35.0}
FOLLOW_UP_MEDIAN = {"chat": 1.4, "messenger": 4.0, "email": 150.0, "social": 20.0}
CUSTOMER_REPLY_MEDIAN = {"chat": 1.6, "messenger": 6.0, "email": 240.0, "social": 25.0}


def _nth_sunday(year: int, month: int, n: int) -> date:
    """The n-th Sunday of a month; n = -1 is the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def utc_offset(zone: str, day: date) -> timezone:
    """The offset a zone uses on a given day (daylight-saving rules of 2007 onwards)."""
    if zone == "Europe/Moscow":
        return timezone(timedelta(hours=3))
    if zone == "Asia/Yekaterinburg":
        return timezone(timedelta(hours=5))
    if zone == "Asia/Novosibirsk":
        return timezone(timedelta(hours=7))
    if zone == "Europe/London":
        summer = _nth_sunday(day.year, 3, -1) <= day < _nth_sunday(day.year, 10, -1)
        return timezone(timedelta(hours=1 if summer else 0))
    summer = _nth_sunday(day.year, 3, 2) <= day < _nth_sunday(day.year, 11, 1)
    return timezone(timedelta(hours=-4 if summer else -5))


@lru_cache(maxsize=8)
def _day_weights(first_day: date, days: int) -> tuple[float, ...]:
    """Cumulative weekday weights over the window (computed once per window)."""
    weights = [WEEKDAY_WEIGHTS[(first_day + timedelta(days=d)).weekday()] for d in range(days)]
    return tuple(accumulate(weights))


def pick_start(rng: random.Random, first_day: date, days: int, zone: str) -> datetime:
    """A local start time following the weekday and hour patterns."""
    offset = rng.choices(range(days), cum_weights=_day_weights(first_day, days))[0]
    day = first_day + timedelta(days=offset)
    hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
    naive = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
    return naive.replace(tzinfo=utc_offset(zone, day))


def is_off_hours(moment: datetime) -> bool:
    return moment.weekday() >= 5 or not 9 <= moment.hour < 19


def lognormal_minutes(rng: random.Random, median: float, spread: float = 0.85) -> float:
    return median * math.exp(rng.gauss(0.0, spread))


def first_response(rng: random.Random, channel: str, speed: float, start: datetime) -> timedelta:
    """How long the customer waits for the first agent reply (slow personas breach SLAs)."""
    median = FIRST_RESPONSE_MEDIAN[channel] * speed
    if is_off_hours(start):
        median *= 1.8
    return timedelta(minutes=max(0.25, lognormal_minutes(rng, median)))


def agent_follow_up(rng: random.Random, channel: str, speed: float) -> timedelta:
    median = FOLLOW_UP_MEDIAN[channel] * speed**0.7
    return timedelta(minutes=max(0.2, lognormal_minutes(rng, median, 0.7)))


def customer_reply(rng: random.Random, channel: str) -> timedelta:
    return timedelta(minutes=max(0.2, lognormal_minutes(rng, CUSTOMER_REPLY_MEDIAN[channel], 0.8)))


def spoken_duration(rng: random.Random, text: str) -> timedelta:
    """Phone turns: roughly the time it takes to say the text, plus a short pause."""
    return timedelta(seconds=round(2 + len(text) / 14 + rng.uniform(0.5, 4.0), 1))


def iso(moment: datetime) -> str:
    """ISO-8601 with offset and whole seconds, e.g. 2026-03-02T09:15:00+03:00."""
    return moment.replace(microsecond=0).isoformat()
