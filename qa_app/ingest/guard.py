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
from qa_app.ingest.values import CHANNEL_ALIASES, ROLE_ALIASES, STATUS_ALIASES

_OPTIONAL_TEXT = ("customer_id", "customer_name", "subject", "team")


def _try(problems: list[Problem], field: str, check, *args) -> None:
    try:
        check(*args)
    except limits.FieldProblem as exc:
        problems.append(Problem(field, exc.code, exc.params))


def _choice(problems: list[Problem], field: str, value: object, accepted) -> None:
    if value not in accepted:
        problems.append(Problem(field, "not_storable", {"value": limits.shown(value)}))


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
            _try(problems, name, limits.check_score, getattr(c, name), name)
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


def _message_problems(c: ParsedConversation) -> list[Problem]:
    problems: list[Problem] = []
    for index, m in enumerate(c.messages):
        prefix = f"messages[{index}]."
        _choice(problems, f"{prefix}role", m.role, ROLE_ALIASES)
        if not m.text:
            problems.append(Problem(f"{prefix}text", "required"))
        else:
            _try(problems, f"{prefix}text", limits.storable_text, m.text, limits.MESSAGE_TEXT_LIMIT)
        if m.author is not None:
            _try(problems, f"{prefix}author", limits.storable_text, m.author, 120)
        if m.sent_at is not None:
            _try(problems, f"{prefix}sent_at", limits.check_datetime, m.sent_at)
    return problems


def guard(file: str, conversation: ParsedConversation) -> ParsedConversation | Rejection:
    """The conversation unchanged, or its rejection listing every value it cannot store."""
    problems = _conversation_problems(conversation) + _message_problems(conversation)
    if not problems:
        return conversation
    rows = len(conversation.messages)
    return Rejection(
        file, conversation.line, conversation.external_id[:200], problems, rows, whole=True
    )
