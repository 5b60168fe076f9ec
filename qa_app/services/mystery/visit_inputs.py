"""What a shopper's visit is recorded from: the answers, the visit's facts and uploads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

TEXT_LIMIT = 100_000
COMMENT_LIMIT = 4000


@dataclass(frozen=True, slots=True)
class AnswerInput:
    """One checklist item as the shopper answered it; ``value`` None with ``na`` False means
    not answered (refused on save: a visit is recorded complete)."""

    value: float | None = None
    na: bool = False
    comment: str = ""


@dataclass(frozen=True, slots=True)
class VisitInput:
    scenario: int | str
    contacted_at: datetime
    answers: Mapping[str, AnswerInput]
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    agent_login: str = ""
    team_name: str = ""
    summary: str = ""
    transcript: str = ""
    shopper: str = ""  # a lead entering results names the shopper (username); else oneself
    conversation_external_id: str = ""
    external_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Upload:
    name: str
    data: bytes = field(repr=False)
