"""What a frame reads: a period of calendar days and a scope of agents, teams, channels and
languages, and the conditions on conversations they make."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from qa_app.services.errors import InvalidInput
from qa_app.storage.models import Conversation

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|/)\s*(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    """Inclusive calendar days (UTC). ``today`` is the injected clock's date: a period
    that runs past it is still under way, and its last week is partial."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise InvalidInput(
                f"the period starts ({self.start}) after it ends ({self.end})",
                key="scorecards.error.period_order", start=str(self.start), end=str(self.end),
            )  # fmt: skip

    @property
    def utc_start(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def utc_end(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one (for "vs last period")."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def label(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-03`` (a month) or ``2026-03-01..2026-03-31`` (inclusive days)."""
        raw = (text or "").strip()
        month = _MONTH.match(raw)
        try:
            if month:
                year, number = int(month.group(1)), int(month.group(2))
                first = date(year, number, 1)
                following = date(year + number // 12, number % 12 + 1, 1)
                return cls(first, following - timedelta(days=1))
            span = _RANGE.match(raw)
            if span:
                return cls(date.fromisoformat(span.group(1)), date.fromisoformat(span.group(2)))
        except ValueError:
            pass
        raise InvalidInput(
            f"period {raw!r} is not YYYY-MM or YYYY-MM-DD..YYYY-MM-DD",
            key="scorecards.error.period_format", text=raw,
        )  # fmt: skip


@dataclass(frozen=True)
class Scope:
    """Which conversations a frame reads; empty tuples mean "all"."""

    agent_ids: tuple[int, ...] = ()
    team_ids: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


def conditions(period: Period, scope: Scope) -> list:
    return [
        Conversation.started_at >= period.utc_start,
        Conversation.started_at < period.utc_end,
        *scope_conditions(Conversation, scope),
    ]


def scope_conditions(model, scope: Scope) -> list:
    """The scope on any table with ``agent_id``, ``team_id`` and ``channel`` columns (and
    ``language``, where it has one: a retention aggregate keeps none)."""
    out = []
    if scope.agent_ids:
        out.append(model.agent_id.in_(scope.agent_ids))
    if scope.team_ids:
        out.append(model.team_id.in_(scope.team_ids))
    if scope.channels:
        out.append(model.channel.in_(scope.channels))
    if scope.languages and hasattr(model, "language"):
        out.append(model.language.in_(scope.languages))
    return out
