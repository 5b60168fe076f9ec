"""CSV: one row per message, rows of a conversation possibly scattered through the file.

Two passes over the file: the first checks the header and records where each conversation
ends (see ``row_buffer``); the second groups rows and yields conversations as soon as they
are complete. Lines come from ``csv_lines`` (decoded line by line, over-long rows cut), so
no single value can stop the file: a row that cannot be read (cut, undecodable bytes, a
quote never closed) is rejected with its line and the rest is imported.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from datetime import tzinfo
from typing import TYPE_CHECKING

from qa_app.ingest.assemble import finish_conversation, parse_external_id
from qa_app.ingest.csv_lines import ROW_LIMIT, CsvLines
from qa_app.ingest.csv_rows import assemble_rows
from qa_app.ingest.limits import shown
from qa_app.ingest.records import ParsedConversation, Problem, Rejection, UnreadableFile
from qa_app.ingest.row_buffer import RowBuffer
from qa_app.ingest.source import SourceFile
from qa_app.ingest.survey import csv_survey_field
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
        field = _ALIASES.get(normalise_header(name)) or csv_survey_field(normalise_header(name))
        if field and field not in columns:
            columns[field] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        found = shown(", ".join(h for h in header[:50] if h.strip()), 200) or "-"
        raise UnreadableFile(file, "missing_columns", missing=", ".join(missing), found=found)
    return columns


def _sniff_delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _hinted_delimiter(first_line: str) -> str | None:
    """Excel's ``sep=;`` first line names the delimiter (a quote or space cannot be one)."""
    hint = _SEP_HINT.match(first_line)
    if hint and hint.group(1) not in '"\r\n ':
        return hint.group(1)
    return None


class _Rows:
    """Iterate ``(start_line, cells, trouble)`` over a CSV file, tracking bytes read.

    ``trouble`` is None for a readable row, else ``cut`` (longer than ``ROW_LIMIT``),
    ``bad_bytes`` (neither UTF-8 nor cp1251) or ``unclosed`` (a quote open at the end of
    the file swallowed every line after it)."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.raw = source.path.open("rb")
        self.lines = CsvLines(self.raw)
        stream = iter(self.lines)
        first = next(stream, "")
        hinted = _hinted_delimiter(first)
        # a "sep=;" line is skipped; line numbers still count it
        self.delimiter = hinted or _sniff_delimiter(first)
        self.lines.delimiter = self.delimiter
        source.decoding = self.lines.decoder
        rest = stream if hinted else itertools.chain([first], stream)
        self.reader = csv.reader(rest, delimiter=self.delimiter)
        self.lines.start_row()
        self.header = next(self.reader, [])

    def __iter__(self) -> Iterator[tuple[int, list[str], str | None]]:
        lines, source = self.lines, self.source
        last = lines.line
        lines.start_row()
        for cells in self.reader:
            start, last = last + 1, lines.line
            source.position = lines.bytes_read
            if lines.cut or lines.bad_bytes or lines.exhausted:
                yield start, cells, self._trouble()
            elif any(map(str.strip, cells)):
                yield start, cells, None
            lines.start_row()

    def _trouble(self) -> str:
        if self.lines.cut:
            return "cut"
        if self.lines.bad_bytes:
            return "bad_bytes"
        return "unclosed"  # the parser wanted lines after the last one

    def close(self) -> None:
        self.raw.close()


def _open(source: SourceFile) -> _Rows:
    try:
        return _Rows(source)
    except csv.Error as exc:
        raise UnreadableFile(source.name, "bad_csv", line=1, detail=str(exc)) from None


def _valid_key(key: str) -> bool:
    try:
        parse_external_id(key)
    except FieldProblem:
        return False
    return True


def _last_lines(source: SourceFile, key_index: int) -> dict[str, int]:
    """First pass: the line of each conversation's last readable row."""
    rows = _open(source)
    last: dict[str, int] = {}
    line = 1
    try:
        for line, cells, trouble in rows:
            key = _cell(cells, key_index)
            if not trouble and key and (key in last or _valid_key(key)):
                last[key] = line
    except csv.Error as exc:  # not expected: lines are split and cut before the parser
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
        for line, cells, trouble in rows:
            key = _cell(cells, columns["conversation_id"])
            problem = _row_problem(cells, trouble, columns, width, rows.lines.line)
            if problem is None and not key:
                problem = _problem("conversation_id", "required")
            if problem is None and key not in last_line:
                problem = _key_problem(key)
            if problem is not None:
                shown_key = key if key in last_line else ""
                yield Rejection(source.name, line, shown_key, [problem])
            else:
                buffer.add(key, line, cells)
            if key and last_line.get(key) == line:
                yield from _complete(source.name, key, line, buffer, columns, default_tz, masker)
    finally:
        rows.close()
        buffer.close()


def _complete(
    file: str,
    key: str,
    line: int,
    buffer: RowBuffer,
    columns: dict[str, int],
    default_tz: tzinfo,
    masker: Masker | None,
) -> Iterator[ParsedConversation | Rejection]:
    group = buffer.pop(key)
    if group:
        yield from _conversation(file, key, group, columns, default_tz, masker)
    else:
        problem = _problem("messages", "no_valid_messages")
        yield Rejection(file, line, key, [problem], rows=0, whole=True)


def _row_problem(
    cells: list[str], trouble: str | None, columns: dict[str, int], width: int, end: int
) -> Problem | None:
    """Why a row cannot be read at all (before its values are looked at), or None."""
    if trouble == "cut":
        longest = max(range(len(cells)), key=lambda i: len(cells[i]), default=0)
        names = {index: name for name, index in columns.items()}
        return _problem(names.get(longest, "row"), "row_too_long", limit=ROW_LIMIT // 1048576)
    if trouble == "bad_bytes":
        return _problem("row", "bad_encoding", encoding="UTF-8 / cp1251")
    if trouble == "unclosed":
        return _problem("row", "unclosed_quote", last=end)
    if len(cells) > width:
        return _problem("row", "extra_columns", found=len(cells), expected=width)
    return None


def _key_problem(key: str) -> Problem:
    """The conversation id was left out of the first pass: say why."""
    try:
        parse_external_id(key)
    except FieldProblem as exc:
        return _problem("conversation_id", exc.code, **exc.params)
    return _problem("conversation_id", "required")  # pragma: no cover - first pass keeps it


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
    external_id = parse_external_id(key)  # checked row by row already
    fields, messages, rejections = assemble_rows(file, external_id, rows, columns, default_tz)
    yield from rejections
    if isinstance(fields, Rejection):
        yield fields
        return
    yield finish_conversation(file, rows[0][0], external_id, fields, messages, masker)
