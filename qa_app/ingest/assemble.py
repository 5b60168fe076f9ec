"""From raw fields to a stored-ready conversation: shared by the CSV and JSONL readers.

Both formats describe the same conversation fields and messages; parsing them here keeps
the rules (aliases, ranges, defaults, derived fields, content hash) identical for both.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Mapping
from datetime import tzinfo
from typing import TYPE_CHECKING

from qa_app.ingest import values as v
from qa_app.ingest.bot_authors import DEFAULT_BOT, BotAuthors, bot_authors
from qa_app.ingest.limits import (
    MESSAGE_TEXT_LIMIT,
    TEXT_LIMITS,
    FieldProblem,
    check_characters,
    check_length,
    fits,
    json_kind,
    kind_shown,
)
from qa_app.ingest.records import ParsedConversation, ParsedMessage, Problem, Rejection
from qa_app.ingest.survey import parse_survey
from scoring.text.identify import conversation_languages

if TYPE_CHECKING:
    from qa_app.ingest.masking import Masker

CONVERSATION_FIELDS = (
    "channel",
    "language",
    "started_at",
    "customer_id",
    "customer_name",
    "csat",
    "nps",
    "tags",
    "team",
    "escalated",
    "status",
    "subject",
)
MESSAGE_FIELDS = ("role", "author", "text", "sent_at")
DEFAULT_CHANNEL = "chat"


def _parse_one(name: str, raw: object, default_tz: tzinfo) -> object:
    if name == "channel":
        return v.parse_channel(str(raw))
    if name == "language":
        return v.parse_language(str(raw))
    if name == "started_at":
        return v.parse_timestamp(raw, default_tz)
    if name == "csat":
        return v.parse_score(raw, 1, 5)
    if name == "nps":
        return v.parse_score(raw, 0, 10)
    if name == "tags":
        return v.parse_tags(raw)
    if name == "escalated":
        return v.parse_bool(raw)
    if name == "status":
        return v.parse_status(str(raw))
    return v.clean_text(raw, TEXT_LIMITS[name])


def parse_conversation_fields(
    raw: Mapping[str, object], default_tz: tzinfo
) -> tuple[dict[str, object], list[Problem]]:
    """Parse the conversation-level fields present (blank means absent)."""
    parsed: dict[str, object] = {}
    problems: list[Problem] = []
    for name in CONVERSATION_FIELDS:
        value = raw.get(name)
        if v.is_blank(value) or value == []:
            continue
        try:
            parsed[name] = _parse_one(name, value, default_tz)
        except v.FieldProblem as exc:
            problems.append(Problem(name, exc.code, exc.params))
    survey, survey_problems = parse_survey(raw.get("survey"))
    if survey:
        parsed["survey"] = survey
    problems.extend(survey_problems)
    return parsed, problems


_ROLES = {name: name for name in ("customer", "agent", "system", "bot")}
_INVALID = object()  # a cell already reported as a problem
_AUTHOR_LIMIT = TEXT_LIMITS["author"]


def _present(raw: Mapping[str, object], name: str, prefix: str, problems: list[Problem]):
    """The stripped text of a cell, None when blank, ``_INVALID`` when it is not text at
    all (a JSON list or object); hot path: one call per cell."""
    value = raw.get(name)
    if value is None:
        return None
    if type(value) is not str:
        kind = json_kind(value)
        if kind is not None:
            problems.append(Problem(f"{prefix}{name}", "not_text", {"kind": kind_shown(kind)}))
            return _INVALID
        value = str(value)
    return value.strip() or None


def _check(text: str, limit: int, field: str, problems: list[Problem]) -> None:
    try:
        check_characters(check_length(text, limit))
    except FieldProblem as exc:
        problems.append(Problem(field, exc.code, exc.params))


def parse_message(
    raw: Mapping[str, object],
    default_tz: tzinfo,
    line: int,
    prefix: str = "",
    extra_roles: Collection[str] = (),
) -> tuple[ParsedMessage | None, list[Problem]]:
    """One message: ``role`` and non-empty ``text`` required, ``author`` and ``sent_at`` not.

    ``extra_roles`` lets a reader that maps roles itself (help-desk adapters: ``bot``) pass
    roles the user-written formats do not accept. Every value is checked against what the
    database stores (``limits``).
    """
    problems: list[Problem] = []
    role = _present(raw, "role", prefix, problems)
    text = _present(raw, "text", prefix, problems)
    author = _present(raw, "author", prefix, problems)
    sent = _present(raw, "sent_at", prefix, problems)
    sent_at = None
    if role is None:
        problems.append(Problem(f"{prefix}role", "required"))
    elif role is not _INVALID and role not in extra_roles:
        try:
            role = _ROLES.get(role) or v.parse_role(role)
        except v.FieldProblem as exc:
            problems.append(Problem(f"{prefix}role", exc.code, exc.params))
    if text is None:
        problems.append(Problem(f"{prefix}text", "required"))
    elif text is not _INVALID and not fits(text, MESSAGE_TEXT_LIMIT):
        _check(text, MESSAGE_TEXT_LIMIT, f"{prefix}text", problems)
    if author is not None and author is not _INVALID and not fits(author, _AUTHOR_LIMIT):
        _check(author, _AUTHOR_LIMIT, f"{prefix}author", problems)
    if sent is not None and sent is not _INVALID:
        try:
            sent_at = v.parse_timestamp(sent, default_tz)
        except v.FieldProblem as exc:
            problems.append(Problem(f"{prefix}sent_at", exc.code, exc.params))
    if problems:
        return None, problems
    return ParsedMessage(role, text, author, sent_at, line), []


def parse_external_id(raw: object) -> str:
    if v.is_blank(raw):
        raise v.FieldProblem("required")
    return v.clean_text(raw, TEXT_LIMITS["conversation_id"])


def _first_response(messages: list[ParsedMessage]) -> float | None:
    """Seconds from the first timed customer message to the first timed agent reply after it."""
    asked = None
    for message in messages:
        if message.sent_at is None:
            continue
        if asked is None and message.role == "customer":
            asked = message.sent_at
        elif asked is not None and message.role == "agent":
            seconds = (message.sent_at - asked).total_seconds()
            return seconds if seconds >= 0 else None
    return None


def _main_agent(messages: list[ParsedMessage]) -> str | None:
    """The author of most agent messages (ties go to who wrote first); when no person
    answered, the bot that did: a conversation a bot handled alone is reported under it."""
    for role in ("agent", "bot"):
        counts = Counter(m.author for m in messages if m.role == role and m.author)
        if counts:
            return counts.most_common(1)[0][0]
    return None


def mark_bots(messages: list[ParsedMessage], bots: BotAuthors) -> None:
    """Agent messages by a listed bot author become role ``bot``; a bot message with no
    author is signed ``bot``, so the bot is reported as an agent of its own."""
    for message in messages:
        if message.role == "agent" and bots.is_bot(message.author):
            message.role = "bot"
        if message.role == "bot" and not message.author:
            message.author = DEFAULT_BOT


def content_hash(
    external_id: str, fields: Mapping[str, object], messages: list[ParsedMessage]
) -> str:
    """SHA-256 over the normalised content: equal hash means nothing to update.

    Every free-text part is length-prefixed so no two different conversations can collide
    by shifting text between fields.
    """
    parts = [f"{len(external_id)}:{external_id}"]
    parts.extend(repr(fields.get(name)) for name in CONVERSATION_FIELDS)
    for m in messages:
        author = m.author or ""
        when = m.sent_at.timestamp() if m.sent_at else ""
        internal = (
            "|internal" if m.internal else ""
        )  # absent for ordinary messages: old hashes hold
        parts.append(f"{m.role}|{len(author)}:{author}|{when}|{len(m.text)}:{m.text}{internal}")
    if fields.get("survey"):  # absent without a survey: hashes of earlier imports hold
        parts.append(f"survey|{fields['survey']!r}")
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def conversation_language(messages: list[ParsedMessage], sample_chars: int = 1200) -> str:
    """The conversation's language as an ISO 639-1 code (``de``, ``ja``, not only ru/en),
    from the customer's and agents' messages (system notes say nothing about it), reading
    at most ``sample_chars`` of text: a support conversation's language is settled by then.
    Mixed conversations get the language holding most of the text
    (``scoring.text.identify.conversation_languages``)."""
    texts, roles, seen = [], [], 0
    spoken = [m for m in messages if m.role != "system" and not m.internal] or messages
    for message in spoken:
        texts.append(message.text)
        roles.append(message.role)
        seen += len(message.text)
        if seen >= sample_chars:
            break
    return conversation_languages(texts, roles)[0]


def finish_conversation(
    file: str,
    line: int,
    external_id: str,
    fields: Mapping[str, object],
    messages: list[ParsedMessage],
    masker: Masker | None = None,
) -> ParsedConversation | Rejection:
    """Derive language, times, main agent and hash; reject a conversation with no messages.

    Agent messages by a listed bot author become role ``bot`` first (``bot_authors``).

    With a ``masker`` personal data is masked first, so the hash (and everything stored)
    is of the masked text.
    """
    if not messages:
        problem = Problem("messages", "no_valid_messages")
        return Rejection(file, line, external_id, [problem], rows=0, whole=True)
    mark_bots(messages, bot_authors())
    masked: dict[str, int] = {}
    if masker is not None:
        fields, masked = masker.mask_conversation(fields, messages)
    times = [m.sent_at for m in messages if m.sent_at is not None]
    language = fields.get("language") or conversation_language(messages)
    return ParsedConversation(
        external_id=external_id,
        channel=fields.get("channel") or DEFAULT_CHANNEL,
        language=language,
        started_at=fields.get("started_at") or (min(times) if times else None),
        ended_at=max(times) if times else None,
        customer_id=fields.get("customer_id"),
        customer_name=fields.get("customer_name"),
        csat=fields.get("csat"),
        nps=fields.get("nps"),
        status=fields.get("status") or "resolved",
        escalated=bool(fields.get("escalated", False)),
        subject=fields.get("subject"),
        tags=list(fields.get("tags") or []),
        team=fields.get("team"),
        agent_login=_main_agent(messages),
        first_response_seconds=_first_response(messages),
        messages=messages,
        content_hash=content_hash(external_id, fields, messages),
        line=line,
        masked_items=masked,
        survey=tuple(fields.get("survey") or ()),
    )
