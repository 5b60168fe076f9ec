"""JSONL: one conversation per line (also a ``.json`` file holding a list of them).

Each line is decoded on its own, so one broken line (bad JSON, bad bytes) is a rejected
row and the rest still import. A file in which no line is JSON at all is unreadable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from typing import TYPE_CHECKING

from qa_app.ingest.assemble import (
    finish_conversation,
    parse_conversation_fields,
    parse_external_id,
    parse_message,
)
from qa_app.ingest.records import ParsedConversation, Problem, Rejection, UnreadableFile
from qa_app.ingest.source import SourceFile
from qa_app.ingest.values import FieldProblem

if TYPE_CHECKING:
    from qa_app.ingest.masking import Masker

WHOLE_JSON_LIMIT = 200 * 1024 * 1024


def _lines(source: SourceFile) -> Iterator[tuple[int, object | Problem]]:
    """``(line, decoded object or the problem)`` for every non-blank line."""
    with source.path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            source.position += len(raw)
            if not raw.strip():
                continue
            try:
                text = raw.decode(source.encoding)
            except UnicodeDecodeError:
                yield number, Problem("line", "bad_encoding", {"encoding": source.encoding})
                continue
            try:
                yield number, json.loads(text)
            except ValueError as exc:
                yield number, Problem("line", "bad_json", {"detail": str(exc)[:120]})


def _whole_json(source: SourceFile) -> list[tuple[int, object]] | None:
    """A ``.json`` file holding a list (or one object); None when it is really JSONL."""
    if source.size > WHOLE_JSON_LIMIT:
        return None
    try:
        data = json.loads(source.path.read_bytes().decode(source.encoding))
    except (ValueError, UnicodeDecodeError):
        return None
    source.position = source.size
    items = data if isinstance(data, list) else [data]
    return [(index, item) for index, item in enumerate(items, start=1)]


def read_jsonl(
    source: SourceFile, default_tz: tzinfo, masker: Masker | None = None
) -> Iterator[ParsedConversation | Rejection]:
    """Yield conversations and rejections; raise ``UnreadableFile`` if no line is JSON."""
    entries: Iterable[tuple[int, object | Problem]] | None = None
    if source.kind == "json":
        entries = _whole_json(source)
    if entries is None:
        entries = _lines(source)
    first_seen: dict[str, int] = {}
    decoded = 0
    for line, item in entries:
        if isinstance(item, Problem):
            yield Rejection(source.name, line, "", [item], whole=True)
            continue
        decoded += 1
        yield from _conversation(source.name, line, item, first_seen, default_tz, masker)
    if decoded == 0:
        raise UnreadableFile(source.name, "no_json")


def _lower_keys(item: dict, expected: str) -> dict:
    """Keys as lower-case names (``Role`` -> ``role``); skipped when already so."""
    if expected in item:
        return item
    return {str(key).strip().lower(): value for key, value in item.items()}


def _conversation(
    file: str,
    line: int,
    item: object,
    first_seen: dict[str, int],
    default_tz: tzinfo,
    masker: Masker | None = None,
) -> Iterator[ParsedConversation | Rejection]:
    """Yield the rejections of bad messages, then the conversation (or its rejection)."""
    if not isinstance(item, dict):
        yield Rejection(file, line, "", [Problem("line", "not_object")], whole=True)
        return
    obj = _lower_keys(item, "conversation_id")
    try:
        external_id = parse_external_id(obj.get("conversation_id", obj.get("id")))
    except FieldProblem as exc:
        problem = Problem("conversation_id", exc.code, exc.params)
        yield Rejection(file, line, "", [problem], whole=True)
        return
    if external_id in first_seen:
        problem = Problem("conversation_id", "duplicate_in_file", {"line": first_seen[external_id]})
        yield Rejection(file, line, external_id, [problem], whole=True)
        return
    first_seen[external_id] = line
    fields, problems = parse_conversation_fields(obj, default_tz)
    raw_messages = obj.get("messages")
    if not isinstance(raw_messages, list):
        problems.append(Problem("messages", "not_list"))
    elif not raw_messages:
        problems.append(Problem("messages", "no_messages"))
    if problems:
        yield Rejection(file, line, external_id, problems, whole=True)
        return
    messages = []
    for index, raw in enumerate(raw_messages):
        prefix = f"messages[{index}]."
        if not isinstance(raw, dict):
            yield Rejection(file, line, external_id, [Problem(prefix[:-1], "not_object")])
            continue
        message, found = parse_message(_lower_keys(raw, "role"), default_tz, line, prefix)
        if message is None:
            yield Rejection(file, line, external_id, found)
        else:
            messages.append(message)
    yield finish_conversation(file, line, external_id, fields, messages, masker)
