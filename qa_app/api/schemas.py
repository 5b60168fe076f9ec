"""Request bodies, the error body, and plain-JSON conversions of service results."""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field

from qa_app.services import accounts, imports


class Problem(BaseModel):
    field: str
    reason: str
    code: str | None = None


class ErrorBody(BaseModel):
    error: str
    message: str
    problems: list[Problem] | None = None


#: Documented on every endpoint, so clients (and schemathesis) know each failure's shape.
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (401, "no token, or an unknown, revoked or expired token, or a deactivated user's"),
        (403, "the token's user may not do this"),
        (404, "no such record (or not one this user may see)"),
        (409, "someone else changed it first"),
        (422, "the request or a value in it is invalid"),
        (429, "this token made too many calls this minute; Retry-After says when to retry"),
        (503, "the database could not answer"),
    )
}

CONVERSATION_EXAMPLE = {
    "conversation_id": "ticket-1042",
    "channel": "chat",
    "language": "en",
    "started_at": "2026-03-02T10:15:00+00:00",
    "messages": [
        {"role": "customer", "text": "Hello, my card was charged twice.",
         "sent_at": "2026-03-02T10:15:00+00:00"},
        {"role": "agent", "author": "i.volkov", "text": "Sorry about that, I will refund the second charge.",
         "sent_at": "2026-03-02T10:16:00+00:00"},
    ],
}  # fmt: skip


class ConversationBatch(BaseModel):
    """Conversations in the JSONL import format (one object per conversation)."""

    conversations: list[dict[str, Any]] = Field(
        min_length=1, max_length=imports.MAX_PUSHED, json_schema_extra={
            "examples": [[CONVERSATION_EXAMPLE]]})  # fmt: skip


class TokenRequest(BaseModel):
    name: str = Field(default="", max_length=120)
    days: int = Field(default=accounts.DEFAULT_TOKEN_LIFETIME_DAYS, ge=1,
                      le=accounts.MAX_TOKEN_LIFETIME_DAYS,
                      description="How many days the token stays valid")  # fmt: skip


def plain(value: Any) -> Any:
    """``value`` as JSON: dataclasses and frames as objects and lists, NaN as null."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, pd.DataFrame):
        return [plain(row) for row in value.to_dict(orient="records")]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return plain(value.item())
    if value is pd.NaT or value is None:
        return None
    return value


def rejection(item, lang: str) -> dict:
    """One rejected item of a push: which (``index``, 0-based, and ``external_id``),
    whether the whole conversation was refused, and each field with its reason."""
    return {
        "index": item.line - 1,
        "external_id": item.external_id,
        "whole": item.whole,
        "problems": [
            {"field": p.field, "code": p.code, "reason": p.reason(lang)} for p in item.problems
        ],
    }
