"""When a recurring plan runs, which period a run belongs to, and which conversations it covers.

Pure functions of a schedule and an injected ``now`` (never the machine's clock), so a
test can walk a plan through simulated weeks. Times are local to the plan's time zone
(daylight saving included) and returned as aware UTC datetimes.

* A plan with ONE weekday runs weekly; its period is the ISO week of the local run date
  (``2026-W11``), so running it twice in a week is the same period.
* A plan with several weekdays (``every weekday``) runs daily on those days; its period
  is the local date (``2026-03-10``).
* A run covers the conversations started since the previous scheduled run: Monday 07:00
  to Monday 07:00 for a weekly plan, Friday 09:00 to Monday 09:00 for a weekday plan on
  a Monday, so no conversation falls between two runs.
* A scheduler that was down for weeks runs only the latest period (no back-filling).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WORKING_DAYS = (0, 1, 2, 3, 4)
#: Two scheduled runs are never further apart than this (one weekday a week, DST included).
_LOOK_BACK_DAYS = 15


class ScheduleError(ValueError):
    """A schedule that cannot run: unknown zone, bad time, no or unknown weekdays."""

    def __init__(self, message: str, field: str, value: object) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


@dataclass(frozen=True, slots=True)
class Schedule:
    weekdays: tuple[int, ...]
    run_at: time
    timezone: str

    @property
    def period(self) -> str:
        """``"week"`` for a once-a-week plan, ``"day"`` for a plan on several days."""
        return "week" if len(self.weekdays) == 1 else "day"

    @property
    def zone(self) -> ZoneInfo:
        return zone_of(self.timezone)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One scheduled run: when (UTC), its period key, and the conversations it covers."""

    at: datetime
    local_date: date
    period_key: str
    window_start: datetime
    window_end: datetime


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(f"unknown time zone {name!r}", "timezone", name) from exc


def parse_run_at(text: str) -> time:
    """``"07:00"`` as a time; anything else is refused with the value in the message."""
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return time(hours, minutes)
    except (ValueError, TypeError) as exc:
        raise ScheduleError(f"run time {text!r} is not HH:MM", "run_at", text) from exc


def parse_weekdays(values: object) -> tuple[int, ...]:
    """Weekdays as sorted unique numbers (0 = Monday); ``"weekdays"`` means Monday-Friday;
    names (``"mon"``) and numbers are both accepted."""
    if values == "weekdays":
        return WORKING_DAYS
    items = values.split(",") if isinstance(values, str) else list(values or ())
    days = set()
    for item in items:
        text = str(item).strip().lower()[:3]
        if text.isdigit() and 0 <= int(text) <= 6:
            days.add(int(text))
        elif text in WEEKDAY_NAMES:
            days.add(WEEKDAY_NAMES.index(text))
        else:
            raise ScheduleError(f"unknown weekday {item!r}", "weekdays", item)
    if not days:
        raise ScheduleError("a schedule needs at least one weekday", "weekdays", values)
    return tuple(sorted(days))


def make_schedule(weekdays: object, run_at: str, timezone: str) -> Schedule:
    """A checked schedule (raises ``ScheduleError`` naming the field at fault)."""
    schedule = Schedule(parse_weekdays(weekdays), parse_run_at(run_at), timezone)
    zone_of(timezone)
    return schedule


def _run_time(schedule: Schedule, day: date) -> datetime:
    return datetime.combine(day, schedule.run_at, tzinfo=schedule.zone).astimezone(UTC)


def _runs_back(schedule: Schedule, now: datetime) -> Iterator[tuple[date, datetime]]:
    today = now.astimezone(schedule.zone).date()
    for back in range(_LOOK_BACK_DAYS):
        day = today - timedelta(days=back)
        if day.weekday() in schedule.weekdays:
            at = _run_time(schedule, day)
            if at <= now:
                yield day, at


def period_key(schedule: Schedule, local_date: date) -> str:
    if schedule.period == "week":
        year, week, _ = local_date.isocalendar()
        return f"{year}-W{week:02d}"
    return local_date.isoformat()


def latest_occurrence(schedule: Schedule, now: datetime) -> Occurrence:
    """The most recent scheduled run at or before ``now`` and the window it covers."""
    runs = _runs_back(schedule, now)
    day, at = next(runs)
    _previous_day, previous = next(runs)
    return Occurrence(at, day, period_key(schedule, day), previous, at)


def next_run(schedule: Schedule, now: datetime) -> datetime:
    """The first scheduled run after ``now``."""
    today = now.astimezone(schedule.zone).date()
    for ahead in range(_LOOK_BACK_DAYS):
        day = today + timedelta(days=ahead)
        if day.weekday() in schedule.weekdays:
            at = _run_time(schedule, day)
            if at > now:
                return at
    raise ScheduleError("no run within two weeks", "weekdays", schedule.weekdays)
