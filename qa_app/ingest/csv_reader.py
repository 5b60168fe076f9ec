"""CSV: one row per message, rows of a conversation possibly scattered through the file.

Two passes over the file: the first checks the whole file decodes and records where each
conversation ends (see ``row_buffer``); the second groups rows and yields conversations
as soon as they are complete. Nothing is stored before the first pass succeeds, so an
undecodable file imports nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import tzinfo
from typing import TYPE_CHECKING

from qa_app.ingest.assemble import finish_conversation, parse_external_id
from qa_app.ingest.csv_rows import assemble_rows
from qa_app.ingest.records import ParsedConversation, Problem, Rejection, UnreadableFile
from qa_app.ingest.row_buffer import RowBuffer
from qa_app.ingest.source import SourceFile
from qa_app.ingest.values import FieldProblem

if TYPE_CHECKING:
    from qa_app.ingest.masking import Masker

csv.field_size_limit(16 * 1024 * 1024)

HEADER_ALIASES = {
    "conversation_id": "conversation_id conversation conv_id chat_id dialog_id dialogue_id "
    "ticket_id ticket case_id thread_id id_диалога диалог номер_диалога обращение "
    "номер_обращения id_обращения",
    "channel": "channel канал",
    "sent_at": "sent_at timestamp time datetime date created_at message_time sent "
    "время дата дата_и_время время_сообщения",
    "role": "role sender_role sender_type author_type from роль тип_отправителя",
    "author": "author sender agent agent_login login автор отправитель оператор логин",
    "text": "text message body content message_text текст сообщение текст_сообщения",
    "language": "language lang язык",
    "customer_id": "customer_id client_id customer user_id id_клиента клиент",
    "customer_name": "customer_name client_name имя_клиента",
    "csat": "csat csat_score",
    "nps": "nps nps_score",
    "team": "team group команда группа отдел",
    "tags": "tags tag labels теги метки",
    "escalated": "escalated escalation эскалация",
    "status": "status статус",
    "subject": "subject topic тема",
    "started_at": "started_at start_time conversation_start начало начало_диалога",
}
REQUIRED_COLUMNS = ("conversation_id", "role", "text")
_NON_WORD = re.compile(r"[\s\-./]+")
_SEP_HINT = re.compile(r"^\s*sep=(.)\s*$")
_ALIASES = {alias: field for field, names in HEADER_ALIASES.items() for alias in names.split()}


def normalise_header(name: str) -> str:
    return _NON_WORD.sub("_", name.strip().strip('"').lower()).strip("_")


def map_header(header: list[str], file: str) -> dict[str, int]:
    """Field name -> column index; raises when a required column is missing."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        field = _ALIASES.get(normalise_header(name))
        if field and field not in columns:
            columns[field] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        found = ", ".join(h for h in header if h.strip())[:200] or "-"
        raise UnreadableFile(file, "missing_columns", missing=", ".join(missing), found=found)
    return columns


def _sniff_delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


class _Rows:
    """Iterate ``(start_line, cells)`` over a CSV file, tracking bytes read."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.raw = source.path.open("rb")
        self.text = io.TextIOWrapper(self.raw, encoding=source.encoding, newline="")
        first = self.text.readline()
        hint = _SEP_HINT.match(first)
        # Excel's "sep=;" first line names the delimiter; line numbers still count it.
        self.skipped = 1 if hint else 0
        self.delimiter = hint.group(1) if hint else _sniff_delimiter(first)
        if not hint:
            self.text.seek(0)
        self.reader = csv.reader(self.text, delimiter=self.delimiter)
        self.header = next(self.reader, [])

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        last = self.reader.line_num + self.skipped
        for cells in self.reader:
            start, last = last + 1, self.reader.line_num + self.skipped
            self.source.position = self.raw.tell()
            if any(cell.strip() for cell in cells):
                yield start, cells

    def close(self) -> None:
        self.text.close()


def _open(source: SourceFile) -> _Rows:
    try:
        return _Rows(source)
    except UnicodeDecodeError:
        raise UnreadableFile(source.name, "encoding") from None


def _last_lines(source: SourceFile, key_index: int) -> dict[str, int]:
    """First pass: the line of each conversation's last row (also proves the file decodes)."""
    rows = _open(source)
    last: dict[str, int] = {}
    line = 1
    try:
        for line, cells in rows:
            if key_index < len(cells) and cells[key_index].strip():
                last[cells[key_index].strip()] = line
    except UnicodeDecodeError:
        raise UnreadableFile(source.name, "encoding_at", line=line + 1) from None
    except csv.Error as exc:
        raise UnreadableFile(source.name, "bad_csv", line=line + 1, detail=str(exc)) from None
    finally:
        rows.close()
        source.position = 0
    return last


def check_csv(source: SourceFile) -> dict[str, int]:
    """Validate the header; returns the column map (raises ``UnreadableFile``)."""
    rows = _open(source)
    try:
        return map_header(rows.header, source.name)
    finally:
        rows.close()


def read_csv(
    source: SourceFile,
    default_tz: tzinfo,
    buffer_limit: int = 100_000,
    masker: Masker | None = None,
) -> Iterator[ParsedConversation | Rejection]:
    """Yield conversations (and rejections) from a CSV file, grouping scattered rows."""
    columns = check_csv(source)
    last_line = _last_lines(source, columns["conversation_id"])
    rows = _open(source)
    width = len(rows.header)
    buffer = RowBuffer(buffer_limit)
    try:
        for line, cells in rows:
            key = _cell(cells, columns["conversation_id"])
            if len(cells) > width:
                problem = _problem("row", "extra_columns", found=len(cells), expected=width)
                yield Rejection(source.name, line, key, [problem])
            elif not key:
                yield Rejection(source.name, line, "", [_problem("conversation_id", "required")])
            else:
                buffer.add(key, line, cells)
            if key and last_line.get(key) == line:
                group = buffer.pop(key)
                if group:
                    yield from _conversation(source.name, key, group, columns, default_tz, masker)
                else:
                    problem = _problem("messages", "no_valid_messages")
                    yield Rejection(source.name, line, key, [problem], rows=0, whole=True)
    finally:
        rows.close()
        buffer.close()


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _problem(field: str, code: str, **params: object) -> Problem:
    return Problem(field, code, dict(params))


def _conversation(
    file: str,
    key: str,
    rows: list[tuple[int, list[str]]],
    columns: dict[str, int],
    default_tz: tzinfo,
    masker: Masker | None = None,
) -> Iterator[ParsedConversation | Rejection]:
    try:
        external_id = parse_external_id(key)
    except FieldProblem as exc:
        problem = _problem("conversation_id", exc.code, **exc.params)
        yield Rejection(file, rows[0][0], key[:200], [problem], len(rows), whole=True)
        return
    fields, messages, rejections = assemble_rows(file, external_id, rows, columns, default_tz)
    yield from rejections
    if isinstance(fields, Rejection):
        yield fields
        return
    yield finish_conversation(file, rows[0][0], external_id, fields, messages, masker)
