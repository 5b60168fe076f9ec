"""From raw fields to a stored-ready conversation: shared by the CSV and JSONL readers.

Both formats describe the same conversation fields and messages; parsing them here keeps
the rules (aliases, ranges, defaults, derived fields, content hash) identical for both.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from datetime import tzinfo

from qa_app.ingest import values as v
from qa_app.ingest.records import ParsedConversation, ParsedMessage, Problem, Rejection
from scoring.text.language import dominant_language

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
_TEXT_LIMITS = {"customer_id": 200, "customer_name": 200, "subject": 500, "team": 120}


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
    return v.clean_text(raw, _TEXT_LIMITS[name])


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
    return parsed, problems


def parse_message(
    raw: Mapping[str, object], default_tz: tzinfo, line: int, prefix: str = ""
) -> tuple[ParsedMessage | None, list[Problem]]:
    """One message: ``role`` and non-empty ``text`` required, ``author`` and ``sent_at`` not."""
    problems: list[Problem] = []
    role = text = author = sent_at = None
    if v.is_blank(raw.get("role")):
        problems.append(Problem(f"{prefix}role", "required"))
    else:
        try:
            role = v.parse_role(str(raw["role"]))
        except v.FieldProblem as exc:
            problems.append(Problem(f"{prefix}role", exc.code, exc.params))
    if v.is_blank(raw.get("text")):
        problems.append(Problem(f"{prefix}text", "required"))
    else:
        text = str(raw["text"]).strip()
    if not v.is_blank(raw.get("author")):
        try:
            author = v.clean_text(raw["author"], 120)
        except v.FieldProblem as exc:
            problems.append(Problem(f"{prefix}author", exc.code, exc.params))
    if not v.is_blank(raw.get("sent_at")):
        try:
            sent_at = v.parse_timestamp(raw["sent_at"], default_tz)
        except v.FieldProblem as exc:
            problems.append(Problem(f"{prefix}sent_at", exc.code, exc.params))
    if problems:
        return None, problems
    return ParsedMessage(role=role, text=text, author=author, sent_at=sent_at, line=line), []


def parse_external_id(raw: object) -> str:
    if v.is_blank(raw):
        raise v.FieldProblem("required")
    return v.clean_text(raw, 200)


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
    """The author of most agent messages (ties go to who wrote first)."""
    counts = Counter(m.author for m in messages if m.role == "agent" and m.author)
    return counts.most_common(1)[0][0] if counts else None


def content_hash(
    external_id: str, fields: Mapping[str, object], messages: list[ParsedMessage]
) -> str:
    """SHA-256 over the normalised content: equal hash means nothing to update."""
    body = [
        external_id,
        [[name, fields.get(name)] for name in CONVERSATION_FIELDS],
        [[m.role, m.author, m.text, m.sent_at] for m in messages],
    ]
    encoded = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def finish_conversation(
    file: str,
    line: int,
    external_id: str,
    fields: Mapping[str, object],
    messages: list[ParsedMessage],
) -> ParsedConversation | Rejection:
    """Derive language, times, main agent and hash; reject a conversation with no messages."""
    if not messages:
        problem = Problem("messages", "no_valid_messages")
        return Rejection(file, line, external_id, [problem], rows=0, whole=True)
    times = [m.sent_at for m in messages if m.sent_at is not None]
    language = fields.get("language") or dominant_language(m.text for m in messages)
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
    )
