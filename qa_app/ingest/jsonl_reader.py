"""JSONL: one conversation per line (also a ``.json`` file holding a list of them).

Each line is read and decoded on its own (``decoding``), so one broken line (bad JSON, bad
bytes, nested deeper than the parser goes, longer than ``LINE_LIMIT``) is a rejected row
and the rest still import; memory stays bounded by ``LINE_LIMIT``. A file in which no line
is JSON at all is unreadable. In a ``.json`` list every item is reported at the physical
line where it starts, as for JSONL.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from typing import TYPE_CHECKING

from qa_app.ingest.assemble import (
    finish_conversation,
    parse_conversation_fields,
    parse_external_id,
    parse_message,
)
from qa_app.ingest.decoding import LineDecoder
from qa_app.ingest.records import ParsedConversation, Problem, Rejection, UnreadableFile
from qa_app.ingest.source import SourceFile
from qa_app.ingest.values import FieldProblem

if TYPE_CHECKING:
    from qa_app.ingest.masking import Masker

WHOLE_JSON_LIMIT = 200 * 1024 * 1024
#: Bytes one JSONL line (one conversation) may hold; documented in docs/import-limits.md.
LINE_LIMIT = 16 << 20
CHUNK = 1 << 20
_TOO_DEEP = Problem("line", "too_deep")


def _physical_lines(handle) -> Iterator[tuple[bytes | None, int, bool]]:
    """``(line, size, looks_like_json)`` per line; the line is None when it is over
    ``LINE_LIMIT`` (its bytes are read through, not kept)."""
    while raw := handle.readline(CHUNK):
        looks = raw.lstrip()[:1] in (b"{", b"[")
        if raw.endswith(b"\n") or len(raw) < CHUNK:
            yield raw, len(raw), looks
            continue
        parts: list[bytes] | None = [raw]
        size = len(raw)
        while more := handle.readline(CHUNK):
            size += len(more)
            if parts is not None and size <= LINE_LIMIT:
                parts.append(more)
            else:
                parts = None
            if more.endswith(b"\n") or len(more) < CHUNK:
                break
        yield (b"".join(parts) if parts is not None else None), size, looks


def _decode_json(text: str) -> object | Problem:
    try:
        return json.loads(text)
    except ValueError as exc:
        return Problem("line", "bad_json", {"detail": str(exc)[:120]})
    except RecursionError:
        return _TOO_DEEP


def _lines(source: SourceFile) -> Iterator[tuple[int, object | Problem, bool]]:
    """``(line, decoded object or the problem, JSON at all)`` for every non-blank line; a
    line too long or too deep to read is still JSON (a row to reject, not a sign that the
    file is something else)."""
    decoder = source.decoding = LineDecoder()
    with source.path.open("rb") as handle:
        if handle.peek(3)[:3] == codecs.BOM_UTF8:
            source.position += len(handle.read(3))
        for number, (raw, size, looks) in enumerate(_physical_lines(handle), start=1):
            source.position += size
            if raw is None:
                params = {"length": size, "limit": LINE_LIMIT // 1048576}
                yield number, Problem("line", "line_too_long", params), looks
                continue
            if not raw.strip():
                continue
            text, ok = decoder.decode(raw, number)
            if not ok:
                problem = Problem("line", "bad_encoding", {"encoding": "UTF-8 / cp1251"})
                yield number, problem, False
                continue
            item = _decode_json(text)
            yield number, item, item is _TOO_DEEP or not isinstance(item, Problem)


_BREAKS = re.compile(r"\r\n|\r|\n")
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_SPACE = re.compile(r"[ \t\r\n]*")


def _value_end(text: str, start: int) -> int | None:
    """Where the JSON list or object at ``start`` ends, found without nesting the parser."""
    depth = 0
    for token in _TOKENS.finditer(text, start):
        mark = token.group()
        if mark in "[{":
            depth += 1
        elif mark in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    return None


def _items(text: str) -> Iterator[tuple[int, int, object | Problem]]:
    """``(start offset, end offset, item or problem)`` for the items of a JSON list (or the
    one top-level object); ValueError when the text is not such a document."""
    decoder = json.JSONDecoder()
    index = _SPACE.match(text).end()
    in_list = text.startswith("[", index)
    if in_list:
        index = _SPACE.match(text, index + 1).end()
    while index < len(text) and not (in_list and text.startswith("]", index)):
        try:
            item, end = decoder.raw_decode(text, index)
        except RecursionError:
            end, item = _value_end(text, index), _TOO_DEEP
            if end is None:
                raise ValueError("unbalanced") from None
        yield index, end, item
        index = _SPACE.match(text, end).end()
        if not in_list:
            break
        if text.startswith(",", index):
            index = _SPACE.match(text, index + 1).end()
        elif not text.startswith("]", index):
            raise ValueError("expected , or ]")
    if in_list:
        if not text.startswith("]", index):
            raise ValueError("unclosed list")
        index = _SPACE.match(text, index + 1).end()
    if index != len(text):
        raise ValueError("extra data")


def _whole_json(source: SourceFile) -> list[tuple[int, object, bool]] | None:
    """A ``.json`` file holding a list (or one object), each item with the physical line it
    starts on; None when it is really JSONL (or not JSON)."""
    if source.size > WHOLE_JSON_LIMIT:
        return None
    decoder = LineDecoder()
    data = source.path.read_bytes().removeprefix(codecs.BOM_UTF8)
    lines = [decoder.decode(raw, n)[0] for n, raw in enumerate(data.splitlines(True), start=1)]
    text = "".join(lines)
    entries, line, counted = [], 1, 0
    try:
        for start, _end, item in _items(text):
            line += len(_BREAKS.findall(text, counted, start))
            counted = start
            entries.append((line, item, True))
    except ValueError:
        return None
    source.position = source.size
    source.decoding = decoder
    return entries


def read_jsonl(
    source: SourceFile, default_tz: tzinfo, masker: Masker | None = None
) -> Iterator[ParsedConversation | Rejection]:
    """Yield conversations and rejections; raise ``UnreadableFile`` if no line is JSON."""
    entries: Iterable[tuple[int, object | Problem, bool]] | None = None
    if source.kind == "json":
        entries = _whole_json(source)
    if entries is None:
        entries = _lines(source)
    first_seen: dict[str, int] = {}
    json_lines = 0
    for line, item, is_json in entries:
        json_lines += is_json
        if isinstance(item, Problem):
            yield Rejection(source.name, line, "", [item], whole=True)
            continue
        yield from _conversation(source.name, line, item, first_seen, default_tz, masker)
    if json_lines == 0:
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
