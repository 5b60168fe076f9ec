"""Which conversations a sample, a plan or the notable list looks at: one filter object.

Every filter except "repeat contact" is a SQL condition, so the database narrows 100,000
conversations before anything is loaded; the automatic signals are read out of the
stored ``auto_score_runs.signals`` JSON by the database itself. Conversations without
the value a filter asks about (no CSAT answer, not scored yet, not ended) do not match
it, either way: "rudeness: no" means scored and not rude, not "unknown".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select

from qa_app.services.errors import InvalidInput
from qa_app.services.sampling.strategies import (
    MISSED_EMPATHY_FROM,
    NEGATIVE_SENTIMENT_BELOW,
    RUDENESS_FROM,
)
from qa_app.storage.expressions import minutes_between
from qa_app.storage.models import Agent, Assignment, AutoScoreRun, Conversation, Team

# The same thresholds as the risk reasons (strategies.py): customer sentiment of the last
# customer message below -0.25; an agent message with P(rude) at or above the politeness
# scorer's own 0.5; at least one upset customer turn left without an empathetic reply.
NEGATIVE_ENDING_BELOW = NEGATIVE_SENTIMENT_BELOW
FLAGS = ("escalated", "repeat_contact", "negative_ending", "rudeness", "missed_empathy")


@dataclass(frozen=True, slots=True)
class ConversationFilters:
    """A lead's filters. Ranges are inclusive; a flag is None (either), True or False."""

    date_from: date | None = None
    date_to: date | None = None
    channels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()
    csat_min: int | None = None
    csat_max: int | None = None
    nps_min: int | None = None
    nps_max: int | None = None
    handle_min_minutes: float | None = None
    handle_max_minutes: float | None = None
    escalated: bool | None = None
    repeat_contact: bool | None = None
    negative_ending: bool | None = None
    rudeness: bool | None = None
    missed_empathy: bool | None = None

    def to_document(self) -> dict[str, Any]:
        """The JSON stored with a plan (dates left out: a plan's run sets its own window)."""
        document = {}
        for name, value in asdict(self).items():
            if name in ("date_from", "date_to") or value in (None, ()):
                continue
            document[name] = list(value) if isinstance(value, tuple) else value
        return document

    @classmethod
    def from_document(cls, document: dict[str, Any] | None) -> ConversationFilters:
        known = {f.name for f in fields(cls)} - {"date_from", "date_to"}
        values = {
            key: tuple(value) if isinstance(value, list) else value
            for key, value in (document or {}).items()
            if key in known
        }
        return cls(**values)

    @property
    def is_empty(self) -> bool:
        return self == ConversationFilters()


def _range(name: str, low: float | None, high: float | None, least: float, most: float) -> None:
    for value in (low, high):
        if value is not None and not least <= value <= most:
            raise InvalidInput(
                f"{name} {value} is outside {least}-{most}",
                key="sampling.error.range",
                field=name,
                value=value,
                least=least,
                most=most,
            )
    if low is not None and high is not None and low > high:
        raise InvalidInput(
            f"{name} range is reversed ({low} > {high})",
            key="sampling.error.range_reversed",
            field=name,
            low=low,
            high=high,
        )


def validate_filters(filters: ConversationFilters) -> None:
    """Refuse impossible ranges with the field and values named."""
    _range("CSAT", filters.csat_min, filters.csat_max, 1, 5)
    _range("NPS", filters.nps_min, filters.nps_max, 0, 10)
    _range("handle time", filters.handle_min_minutes, filters.handle_max_minutes, 0, 60 * 24 * 60)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput("date range is reversed", key="sampling.error.dates")


def signal_value(name: str) -> ColumnElement:
    """One number out of ``AutoScoreRun.signals`` ({name: {value, unit, normalised, label}}),
    extracted by the database: decoding every document in Python took most of a preview's
    time on a large corpus."""
    return AutoScoreRun.signals[name]["value"].as_float()


def handle_minutes() -> ColumnElement:
    return minutes_between(Conversation.started_at, Conversation.ended_at)


def _flag(condition: ColumnElement, wanted: bool | None, opposite: ColumnElement) -> list:
    if wanted is None:
        return []
    return [condition if wanted else opposite]


def signal_clauses(filters: ConversationFilters) -> list:
    """Conditions on the automatic signals (the query must outer-join ``AutoScoreRun``)."""
    ending, rude, missed = (
        signal_value("sentiment_end"),
        signal_value("rudeness"),
        signal_value("missed_empathy"),
    )
    return (
        _flag(
            ending < NEGATIVE_ENDING_BELOW, filters.negative_ending, ending >= NEGATIVE_ENDING_BELOW
        )
        + _flag(rude >= RUDENESS_FROM, filters.rudeness, rude < RUDENESS_FROM)
        + _flag(missed >= MISSED_EMPATHY_FROM, filters.missed_empathy, missed < MISSED_EMPATHY_FROM)
    )


def _day_window(filters: ConversationFilters) -> list:
    clauses = []
    if filters.date_from:
        clauses.append(
            Conversation.started_at >= datetime.combine(filters.date_from, time.min, UTC)
        )
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, UTC)
        clauses.append(Conversation.started_at < end)
    return clauses


def _between(column: ColumnElement, low: float | None, high: float | None) -> list:
    return ([column >= low] if low is not None else []) + (
        [column <= high] if high is not None else []
    )


def scope_clauses(filters: ConversationFilters) -> list:
    """Conditions on the conversation's own columns (dates in UTC, inclusive days)."""
    clauses = _day_window(filters)
    if filters.channels:
        clauses.append(Conversation.channel.in_(filters.channels))
    if filters.languages:
        clauses.append(Conversation.language.in_(filters.languages))
    if filters.teams:
        clauses.append(
            Conversation.team_id.in_(select(Team.id).where(Team.name.in_(filters.teams)))
        )
    if filters.agents:
        clauses.append(
            Conversation.agent_id.in_(select(Agent.id).where(Agent.login.in_(filters.agents)))
        )
    clauses += _between(Conversation.csat, filters.csat_min, filters.csat_max)
    clauses += _between(Conversation.nps, filters.nps_min, filters.nps_max)
    clauses += _between(handle_minutes(), filters.handle_min_minutes, filters.handle_max_minutes)
    if filters.escalated is not None:
        clauses.append(Conversation.escalated.is_(filters.escalated))
    return clauses


def unassigned_clause() -> ColumnElement:
    """Not in any live review queue outside calibration (the rule the database enforces)."""
    return ~(
        select(Assignment.id)
        .where(
            Assignment.conversation_id == Conversation.id,
            Assignment.calibration_session_id.is_(None),
            Assignment.status != "cancelled",
        )
        .exists()
    )


def where_clauses(filters: ConversationFilters) -> list:
    """Every SQL condition of ``filters``; repeat contact is applied after loading."""
    return scope_clauses(filters) + signal_clauses(filters)
