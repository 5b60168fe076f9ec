"""The last check before storing: every value of a parsed conversation fits the database.

Why again, after the readers checked each field: conversations also come from other
readers (help-desk exports, future formats) and from derived values (main agent, first
response, time span). Whatever produced it, a conversation that reaches the writer must
not be able to make a batch fail, so the same ``limits`` are applied here to the finished
object. A conversation that fails is rejected as a whole, naming each value.
"""

from __future__ import annotations

import math

from qa_app.ingest import limits
from qa_app.ingest.records import ParsedConversation, Problem, Rejection
from qa_app.ingest.values import CHANNEL_ALIASES, STATUS_ALIASES

_OPTIONAL_TEXT = ("customer_id", "customer_name", "subject", "team")


def _try(problems: list[Problem], field: str, check, *args) -> None:
    try:
        check(*args)
    except limits.FieldProblem as exc:
        problems.append(Problem(field, exc.code, exc.params))


def _choice(problems: list[Problem], field: str, value: object, accepted) -> None:
    if value not in accepted:
        problems.append(Problem(field, "not_storable", {"value": limits.shown(value)}))


def _optional_ok(value: object, limit: int) -> bool:
    return value is None or limits.fits(value, limit)


def _score_ok(value: object, name: str) -> bool:
    low, high = limits.SCORE_RANGES[name]
    return value is None or (type(value) is int and low <= value <= high)


def _conversation_ok(c: ParsedConversation) -> bool:
    """The fast test of the conversation's own fields (the usual answer is yes)."""
    text_limits = limits.TEXT_LIMITS
    return (
        limits.fits(c.external_id, text_limits["conversation_id"])
        and c.channel in CHANNEL_ALIASES
        and c.status in STATUS_ALIASES
        and type(c.language) is str
        and 1 <= len(c.language) <= 2
        and all(_optional_ok(getattr(c, name), text_limits[name]) for name in _OPTIONAL_TEXT)
        and _optional_ok(c.agent_login, text_limits["author"])
        and _score_ok(c.csat, "csat")
        and _score_ok(c.nps, "nps")
        and type(c.tags) is list
        and len(c.tags) <= limits.TAGS_PER_CONVERSATION
        and all(limits.fits(tag, limits.TAG_LIMIT) for tag in c.tags)
        and (c.started_at is None or limits.in_range(c.started_at))
        and (c.ended_at is None or limits.in_range(c.ended_at))
        and (c.first_response_seconds is None or math.isfinite(c.first_response_seconds))
    )


def _conversation_problems(c: ParsedConversation) -> list[Problem]:
    problems: list[Problem] = []
    _try(problems, "conversation_id", limits.storable_text, c.external_id, 200)
    _choice(problems, "channel", c.channel, CHANNEL_ALIASES)
    _choice(problems, "status", c.status, STATUS_ALIASES)
    if not (isinstance(c.language, str) and 1 <= len(c.language) <= 2):
        problems.append(Problem("language", "not_storable", {"value": limits.shown(c.language)}))
    for name in _OPTIONAL_TEXT:
        value = getattr(c, name)
        if value is not None:
            _try(problems, name, limits.storable_text, value, limits.TEXT_LIMITS[name])
    if c.agent_login is not None:
        _try(problems, "author", limits.storable_text, c.agent_login, limits.TEXT_LIMITS["author"])
    for name in ("csat", "nps"):
        if getattr(c, name) is not None:
            _try(problems, name, limits.check_score, getattr(c, name), *limits.SCORE_RANGES[name])
    if not isinstance(c.tags, list) or not all(isinstance(tag, str) for tag in c.tags):
        problems.append(Problem("tags", "not_storable", {"value": limits.shown(c.tags)}))
    else:
        _try(problems, "tags", limits.check_tags, c.tags)
    for name in ("started_at", "ended_at"):
        if getattr(c, name) is not None:
            _try(problems, name, limits.check_datetime, getattr(c, name))
    seconds = c.first_response_seconds
    if seconds is not None and not math.isfinite(seconds):
        problems.append(Problem("first_response", "not_storable", {"value": seconds}))
    return problems


_ROLES = limits.STORED_ROLES
_TEXT_LIMIT = limits.MESSAGE_TEXT_LIMIT
_AUTHOR_LIMIT = limits.TEXT_LIMITS["author"]


def _message_ok(m) -> bool:
    """The fast test of one message (the usual answer is yes)."""
    return (
        m.role in _ROLES
        and bool(m.text)
        and limits.fits(m.text, _TEXT_LIMIT)
        and (m.author is None or limits.fits(m.author, _AUTHOR_LIMIT))
        and (m.sent_at is None or limits.in_range(m.sent_at))
    )


def _message_problems(c: ParsedConversation) -> list[Problem]:
    problems: list[Problem] = []
    for index, m in enumerate(c.messages):
        if _message_ok(m):
            continue
        prefix = f"messages[{index}]."
        _choice(problems, f"{prefix}role", m.role, _ROLES)
        if not m.text:
            problems.append(Problem(f"{prefix}text", "required"))
        else:
            _try(problems, f"{prefix}text", limits.storable_text, m.text, _TEXT_LIMIT)
        if m.author is not None:
            _try(problems, f"{prefix}author", limits.storable_text, m.author, _AUTHOR_LIMIT)
        if m.sent_at is not None:
            _try(problems, f"{prefix}sent_at", limits.check_datetime, m.sent_at)
    return problems


def guard(file: str, conversation: ParsedConversation) -> ParsedConversation | Rejection:
    """The conversation unchanged, or its rejection listing every value it cannot store."""
    if _conversation_ok(conversation) and all(map(_message_ok, conversation.messages)):
        return conversation
    problems = _conversation_problems(conversation) + _message_problems(conversation)
    if not problems:
        return conversation
    rows = len(conversation.messages)
    return Rejection(
        file, conversation.line, conversation.external_id[:200], problems, rows, whole=True
    )
