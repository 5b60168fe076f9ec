"""Importing any CSV or XLSX through a column mapping: the file's own headers are mapped to
the standard fields, and the rows then go through exactly the standard CSV path
(``csv_rows.assemble_rows``, ``finish_conversation``, masking, ``guard``), so a mapped
file is validated, reported row by row and stored like a standard one. Line numbers in the
report are the source file's (CSV physical lines; XLSX sheet rows, the header being 1).

A mapping names, per field, the source column; the role comes from a mapped column (its
values read as in the standard import: customer/agent/system, клиент/оператор, ...) or,
when the file has no role column, from an author rule: authors matching ``agent_pattern``
(a regular expression) or listed in ``agent_authors`` are agents, every other author the
customer. ``defaults`` give a value to a field for every row (a file with no channel
column is all "chat"). Survey columns map to ``survey:<attribute>`` (a 1-5 rating) and
``survey_importance:<attribute>`` (its weight), the same fields the standard CSV import
reads from ``survey_<attribute>`` headers, so a help desk's "Speed rating" column feeds the
CSI without renaming it. The whole file is grouped in memory (the upload limit bounds it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa_app.i18n import t
from qa_app.ingest.assemble import parse_external_id
from qa_app.ingest.bot_authors import bot_authors
from qa_app.ingest.csv_reader import (
    HEADER_ALIASES,
    _conversation,
    _open,
    _row_problem,
    normalise_header,
)
from qa_app.ingest.records import ParsedConversation, Problem, Rejection, UnreadableFile
from qa_app.ingest.source import SourceFile, inspect_file
from qa_app.ingest.survey import SURVEY_KINDS, csv_survey_field, survey_field_attribute
from qa_app.ingest.values import FieldProblem

if TYPE_CHECKING:
    from qa_app.ingest.masking import Masker

#: The standard fields a column can be mapped to, in the order the page lists them.
FIELDS = tuple(HEADER_ALIASES)
REQUIRED = ("conversation_id", "text")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
#: Header words seen in real exports beyond the standard import's aliases.
EXTRA_ALIASES = {
    "conversation_id": "ticket_number номер_тикета тикет номер_заявки заявка chat id_чата "
    "session_id номер_чата",
    "text": "comment комментарий reply ответ message_body текст_обращения",
    "author": "agent_name operator оператор_имя исполнитель employee сотрудник имя_автора "
    "from_name who",
    "role": "direction направление кто_пишет",
    "sent_at": "created дата_создания created_on posted_at отправлено",
    "csat": "rating satisfaction оценка удовлетворенность удовлетворённость",
    "channel": "source_channel канал_связи via",
    "customer_id": "requester requester_id заявитель email_клиента",
    "team": "queue очередь department",
    "subject": "title заголовок",
}
_GUESS = {
    alias: name
    for name, words in (
        *HEADER_ALIASES.items(),
        *EXTRA_ALIASES.items(),
    )
    for alias in words.split()
}


class MappingError(ValueError):
    """A mapping that cannot be used; ``describe`` says what and where."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(t(f"mapping.error.{code}", "en", **params))
        self.code = code
        self.params = params

    def describe(self, lang: str = "en") -> str:
        return t(f"mapping.error.{self.code}", lang, **self.params)


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    columns: dict[str, str]  # field -> the source file's header
    agent_pattern: str = ""  # authors matching it are agents (used without a role column)
    agent_authors: tuple[str, ...] = ()
    defaults: dict[str, str] = field(default_factory=dict)  # field -> value for every row

    def to_document(self) -> dict[str, Any]:
        return {
            "columns": dict(self.columns),
            "agent_pattern": self.agent_pattern,
            "agent_authors": list(self.agent_authors),
            "defaults": dict(self.defaults),
        }

    @classmethod
    def from_document(cls, data: object) -> ColumnMapping:
        """Read and check a stored or hand-written mapping (YAML/JSON document)."""
        if not isinstance(data, Mapping):
            raise MappingError("not_mapping")
        unknown = sorted(set(data) - {"columns", "agent_pattern", "agent_authors", "defaults"})
        if unknown:
            raise MappingError("unknown_key", key=unknown[0])
        columns = _str_dict(data.get("columns") or {}, "columns")
        defaults = _str_dict(data.get("defaults") or {}, "defaults")
        authors = data.get("agent_authors") or []
        if not isinstance(authors, list):
            raise MappingError("not_list", setting="agent_authors")
        order = {name: i for i, name in enumerate(FIELDS)}
        ordered = sorted(columns.items(), key=lambda item: order.get(item[0], len(order)))
        mapping = cls(
            columns={k: v for k, v in ordered if v},  # in the fields' order, as listed
            agent_pattern=str(data.get("agent_pattern") or ""),
            agent_authors=tuple(str(a).strip() for a in authors if str(a).strip()),
            defaults={k: v for k, v in defaults.items() if v},
        )
        mapping.check()
        return mapping

    def check(self) -> None:
        for name in self.columns:
            if name not in FIELDS and not is_survey_field(name):
                raise MappingError("unknown_field", field=name, accepted=_ACCEPTED)
        for name in self.defaults:
            if name not in FIELDS:
                raise MappingError("unknown_field", field=name, accepted=_ACCEPTED)
        missing = [name for name in REQUIRED if name not in self.columns]
        if missing:
            raise MappingError("required", fields=", ".join(missing))
        has_rule = bool(self.agent_pattern or self.agent_authors)
        has_role = "role" in self.columns or "role" in self.defaults
        if not has_role and ("author" not in self.columns or not has_rule):
            raise MappingError("no_role")
        if self.agent_pattern:
            try:
                re.compile(self.agent_pattern)
            except re.error as exc:
                raise MappingError("bad_pattern", detail=str(exc)) from None

    def role_of(self, author: str) -> str:
        """The author-to-role rule: a bot on the bot-author list, an agent when the author
        matches, else the customer."""
        name = author.strip()
        if not name:
            return ""
        if bot_authors().is_bot(name):
            return "bot"
        if name.casefold() in {a.casefold() for a in self.agent_authors}:
            return "agent"
        if self.agent_pattern and re.search(self.agent_pattern, name):
            return "agent"
        return "customer"


_ACCEPTED = ", ".join((*FIELDS, *(f"{kind}:<attribute>" for kind in SURVEY_KINDS)))


def is_survey_field(name: str) -> bool:
    """``survey:<attribute>`` or ``survey_importance:<attribute>`` with a valid attribute."""
    return survey_field_attribute(name) is not None


def survey_attribute_for(header: str) -> str:
    """The survey attribute a column name suggests: "Survey: Speed" and "survey_speed" both
    give "speed", "Скорость ответа" gives "скорость_ответа" (the page lets it be edited)."""
    normal = re.sub(r"[\W_]+", "_", header.strip().lower()).strip("_")
    for prefix in ("survey_importance_", "survey_"):
        if normal.startswith(prefix) and len(normal) > len(prefix):
            return normal[len(prefix) :][:60]
    return normal[:60]


def _str_dict(value: object, key: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise MappingError("not_mapping_key", key=key)
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def guess_mapping(headers: Iterable[str]) -> dict[str, str]:
    """Field -> header for every header whose name says which field it is (Russian or
    English, any case, spaces or dashes); the first header wins a field."""
    guessed: dict[str, str] = {}
    for header in headers:
        normal = normalise_header(header)
        name = _GUESS.get(normal) or csv_survey_field(normal)
        if name and name not in guessed:
            guessed[name] = header
    return guessed


# --- reading CSV and XLSX tables ----------------------------------------------------------


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in XLSX_SUFFIXES


def inspect_table(path: str | Path, name: str | None = None) -> SourceFile:
    """Like ``inspect_file``, but a workbook (.xlsx) is accepted as kind ``xlsx``."""
    file_path = Path(path)
    if not is_workbook(Path(name or file_path.name)):
        return inspect_file(file_path, name)
    display = "".join(ch for ch in (name or file_path.name) if ch.isprintable())[:500] or "-"
    if not file_path.is_file():
        raise UnreadableFile(display, "missing", path=str(file_path))
    size = file_path.stat().st_size
    return SourceFile(file_path, display, "xlsx", "binary", size)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(source: SourceFile) -> tuple[list[str], Iterator[tuple[int, list[str], None]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(source.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise UnreadableFile(source.name, "bad_workbook", detail=type(exc).__name__) from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell_text(v).strip() for v in next(rows, ())]

    def body() -> Iterator[tuple[int, list[str], None]]:
        try:
            for line, values in enumerate(rows, start=2):
                cells = [_cell_text(v) for v in values]
                if any(c.strip() for c in cells):
                    yield line, cells, None
        finally:
            book.close()

    return header, body()


def _csv_rows(source: SourceFile) -> tuple[list[str], Iterator[tuple[int, list[str], str | None]]]:
    rows = _open(source)

    def body() -> Iterator[tuple[int, list[str], str | None]]:
        try:
            yield from rows
        finally:
            rows.close()

    return [h.strip() for h in rows.header], body()


def open_table(source: SourceFile) -> tuple[list[str], Iterator[tuple[int, list[str], str | None]]]:
    """The header and an iterator of ``(line, cells, trouble)`` over the rows."""
    return _xlsx_rows(source) if source.kind == "xlsx" else _csv_rows(source)


@dataclass(frozen=True, slots=True)
class TablePreview:
    headers: list[str]
    rows: list[list[str]]
    guessed: dict[str, str]


def preview_table(path: str | Path, name: str | None = None, rows: int = 10) -> TablePreview:
    """The header, the first ``rows`` rows and the guessed mapping of a CSV or XLSX file."""
    source = inspect_table(path, name)
    header, body = open_table(source)
    shown: list[list[str]] = []
    for _line, cells, _trouble in body:
        shown.append(cells[: len(header)] + [""] * (len(header) - len(cells)))
        if len(shown) >= rows:
            break
    body.close()
    return TablePreview(header, shown, guess_mapping(header))


# --- the reader ---------------------------------------------------------------------------

_STANDARD = {name: index for index, name in enumerate(FIELDS)}


class MappedReader:
    """A ``Reader`` for ``imports.import_file``: reads the table through ``mapping``."""

    def __init__(self, mapping: ColumnMapping) -> None:
        mapping.check()
        self.mapping = mapping
        self.warnings: list = []

    def inspect(self, path: str | Path, name: str | None = None) -> SourceFile:
        return inspect_table(path, name)

    def __call__(
        self, source: SourceFile, default_tz: tzinfo, masker: Masker | None = None
    ) -> Iterator[ParsedConversation | Rejection]:
        header, body = open_table(source)
        index = self._indices(header, source.name)
        positions = self._positions()
        groups: dict[str, list[tuple[int, list[str]]]] = {}
        try:
            for line, cells, trouble in body:
                problem = _row_problem(cells, trouble, {}, len(header), line) if trouble else None
                standard = self._standard(cells, index, positions)
                key = standard[_STANDARD["conversation_id"]].strip()
                if problem is None:
                    problem = _key_problem(key)
                if problem is not None:
                    shown_key = "" if problem.field == "conversation_id" else key
                    yield Rejection(source.name, line, shown_key, [problem])
                    continue
                groups.setdefault(key, []).append((line, standard))
        finally:
            body.close()
        for key, rows in groups.items():
            yield from _conversation(source.name, key, rows, positions, default_tz, masker)

    def _indices(self, header: list[str], file: str) -> dict[str, int]:
        positions = {name: i for i, name in reversed(list(enumerate(header)))}
        missing = [col for col in self.mapping.columns.values() if col not in positions]
        if missing:
            found = ", ".join(h for h in header[:50] if h) or "-"
            raise UnreadableFile(
                file, "mapped_columns_missing", missing=", ".join(missing), found=found
            )
        return {name: positions[col] for name, col in self.mapping.columns.items()}

    def _positions(self) -> dict[str, int]:
        """Where each field sits in a standard row: the standard fields, then the survey
        fields this mapping names (their number differs from mapping to mapping)."""
        survey = [name for name in self.mapping.columns if name not in _STANDARD]
        return {**_STANDARD, **{name: len(FIELDS) + i for i, name in enumerate(survey)}}

    def _standard(
        self, cells: list[str], index: dict[str, int], positions: dict[str, int]
    ) -> list[str]:
        values = [""] * len(positions)
        for name, value in self.mapping.defaults.items():
            values[positions[name]] = value
        for name, position in index.items():
            if position < len(cells) and cells[position].strip():
                values[positions[name]] = cells[position]
        role = _STANDARD["role"]
        if "role" not in index and not self.mapping.defaults.get("role"):
            values[role] = self.mapping.role_of(values[_STANDARD["author"]])
        return values


def _key_problem(key: str) -> Problem | None:
    try:
        parse_external_id(key)
    except FieldProblem as exc:
        return Problem("conversation_id", exc.code, dict(exc.params))
    return None
