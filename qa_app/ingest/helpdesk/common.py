"""What the three help-desk adapters share: reading the export file, collecting warnings
about fields we do not know, and handing drafted messages to the common validation.

Adapters only translate a help desk's vocabulary (roles, channels, statuses, ratings) into
the raw fields the CSV/JSONL readers use; ``parse_conversation_fields``, ``parse_message``
and ``finish_conversation`` then apply exactly the same rules, so an adapter can never
store something the other formats would refuse.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from qa_app.i18n import t
from qa_app.ingest.assemble import (
    finish_conversation,
    parse_conversation_fields,
    parse_external_id,
    parse_message,
)
from qa_app.ingest.records import (
    ParsedConversation,
    ParsedMessage,
    Problem,
    Rejection,
    UnreadableFile,
)
from qa_app.ingest.source import SourceFile
from qa_app.ingest.values import FieldProblem

if TYPE_CHECKING:
    from qa_app.ingest.masking import Masker

WHOLE_FILE_LIMIT = 200 * 1024 * 1024  # an export is joined in memory (tickets + comments)
BOT = "bot"


def names(text: str) -> frozenset[str]:
    """A set of field names written as one space-separated string (long lists stay short)."""
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class Notice:
    """One warning about the export as a whole (not about one rejected record)."""

    code: str
    params: dict[str, Any]

    def describe(self, lang: str = "en") -> str:
        return t(f"helpdesk.warning.{self.code}", lang, **self.params)


class FieldReport:
    """Counts what an adapter met but could not use, to report each kind once with a count.

    A help desk adds fields over time; an unknown one is ignored and reported, never a
    reason to refuse the file.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._counts: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()

    def check(self, kind: str, obj: Mapping[str, object], known: frozenset[str]) -> None:
        for key in obj:
            if key not in known:
                self.note("unknown_field", field=f"{kind}.{key}")

    def note(self, code: str, times: int = 1, **params: object) -> None:
        self._counts[(code, tuple(sorted((k, str(v)) for k, v in params.items())))] += times

    def notices(self) -> list[Notice]:
        return [
            Notice(code, {"source": self.source, "count": count, **dict(params)})
            for (code, params), count in sorted(self._counts.items())
        ]


@dataclass(slots=True)
class Document:
    """One decoded JSON value and where it came from: ``per_line`` for JSON lines, where
    ``position`` is the line; otherwise items are numbered by their place in their list."""

    position: int
    data: object
    per_line: bool


def load_documents(source: SourceFile) -> tuple[list[Document], list[Rejection]]:
    """The file as one JSON document (object or array) or as JSON lines.

    A broken line is a rejection and the rest still import; a file in which nothing
    decodes is unreadable.
    """
    if source.size > WHOLE_FILE_LIMIT:
        raise UnreadableFile(
            source.name, "helpdesk_too_large", limit_mb=WHOLE_FILE_LIMIT // (1024 * 1024)
        )
    raw = source.path.read_bytes()
    source.position = source.size
    try:
        text = raw.decode(source.encoding)
    except UnicodeDecodeError:
        raise UnreadableFile(source.name, "encoding") from None
    try:
        data = json.loads(text)
    except ValueError:
        return _json_lines(source.name, text)
    if isinstance(data, list):
        return [Document(index, item, False) for index, item in enumerate(data, 1)], []
    return [Document(1, data, False)], []


def _json_lines(name: str, text: str) -> tuple[list[Document], list[Rejection]]:
    documents, rejections = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            documents.append(Document(number, json.loads(line), True))
        except ValueError as exc:
            problem = Problem("line", "bad_json", {"detail": str(exc)[:120]})
            rejections.append(Rejection(name, number, "", [problem], whole=True))
    if not documents:
        raise UnreadableFile(name, "no_json")
    return documents, rejections


def items_of(document: Document, key: str | None) -> Iterator[tuple[int, object]]:
    """``(position, item)`` for the list under ``key`` (or the document itself if None)."""
    items = document.data.get(key) if key and isinstance(document.data, dict) else None
    if key is None:
        yield document.position, document.data
        return
    if not isinstance(items, list):
        return
    for index, item in enumerate(items, start=1):
        yield (document.position if document.per_line else index), item


def epoch_to_iso(value: object) -> object:
    """Unix seconds (Intercom) as ISO 8601 in UTC; anything else is passed on unchanged so
    that the common parser reports it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return str(value)
    return value


def text_or_none(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def plain_id(value: object) -> str | None:
    """An id as text (``12`` and ``"12"`` are the same user)."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    return str(value).strip() or None


@dataclass(slots=True)
class DraftMessage:
    """A message as the adapter understood it, before the common validation."""

    path: str  # e.g. "comments[2]", used in rejection reasons
    role: str
    text: str | None
    sent_at: object
    author: str | None = None
    internal: bool = False
    time_field: str = "created_at"
    text_field: str = "body"


@dataclass(slots=True)
class DraftConversation:
    file: str
    position: int
    external_id: object
    id_field: str
    raw_fields: dict[str, object]
    field_names: dict[str, str]  # our field -> the help desk's name, for rejection reasons
    messages: list[DraftMessage] = field(default_factory=list)
    empty_field: str = "comments"


def build_conversation(
    draft: DraftConversation, default_tz: tzinfo, masker: Masker | None, report: FieldReport
) -> Iterator[ParsedConversation | Rejection]:
    """Validate a drafted conversation with the shared rules; yield rejections of single
    messages, then the conversation or the rejection of the whole of it."""
    try:
        external_id = parse_external_id(draft.external_id)
    except FieldProblem as exc:
        problem = Problem(draft.id_field, exc.code, exc.params)
        yield Rejection(draft.file, draft.position, "", [problem], whole=True)
        return
    fields, problems = parse_conversation_fields(draft.raw_fields, default_tz)
    for problem in problems:
        problem.field = draft.field_names.get(problem.field, problem.field)
    with_text = [m for m in draft.messages if m.text]
    skipped = len(draft.messages) - len(with_text)
    if skipped:
        report.note("no_text_skipped", times=skipped, field=draft.empty_field)
    if not with_text:
        problems.append(Problem(draft.empty_field, "helpdesk_no_text"))
    if problems:
        yield Rejection(draft.file, draft.position, external_id, problems, whole=True)
        return
    messages: list[ParsedMessage] = []
    for draft_message in with_text:
        message, found = _parse_draft(draft_message, default_tz, draft.position)
        if message is None:
            yield Rejection(draft.file, draft.position, external_id, found)
        else:
            messages.append(message)
    yield finish_conversation(
        draft.file, draft.position, external_id, fields, _in_time_order(messages), masker
    )


def _parse_draft(
    draft: DraftMessage, default_tz: tzinfo, position: int
) -> tuple[ParsedMessage | None, list[Problem]]:
    raw = {"role": draft.role, "text": draft.text, "author": draft.author, "sent_at": draft.sent_at}
    prefix = f"{draft.path}."
    message, problems = parse_message(raw, default_tz, position, prefix, extra_roles=(BOT,))
    renames = {
        f"{prefix}sent_at": prefix + draft.time_field,
        f"{prefix}text": prefix + draft.text_field,
    }
    for problem in problems:
        problem.field = renames.get(problem.field, problem.field)
    if message is not None:
        message.internal = draft.internal
    return message, problems


def _in_time_order(messages: list[ParsedMessage]) -> list[ParsedMessage]:
    """Chronological when every message has a time (stable for ties); as given otherwise."""
    if all(m.sent_at is not None for m in messages):
        return sorted(messages, key=lambda m: m.sent_at)
    return messages


def last_by_id(
    items: Iterable[tuple[int, dict]], key: str, report: FieldReport, what: str
) -> list[tuple[int, dict]]:
    """One record per id, the last one in the file (incremental exports repeat a record
    each time it changes), in the order ids first appear; repeats are reported as a count.
    Records without an id are kept in place, for the common validation to reject."""
    chosen: dict[object, tuple[int, dict]] = {}
    for number, (position, item) in enumerate(items):
        ident = plain_id(item.get(key))
        if ident is None:
            chosen[("no id", number)] = (position, item)
            continue
        if ident in chosen:
            report.note("duplicate", what=what)
        chosen[ident] = (position, item)
    return list(chosen.values())
