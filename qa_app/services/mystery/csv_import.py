"""Visits from a CSV file, with the conversation import's rules: every bad row is reported
with its line, field and reason; good rows are imported; nothing is silently dropped.

Columns (header names are case-insensitive; ``,`` or ``;`` separated; UTF-8 or cp1251):

``visit_id`` (required, the programme's own id: importing the same file twice adds
nothing), ``scenario`` (id or slug), ``contacted_at``, ``first_response_at``,
``resolved_at`` (ISO or ``02.03.2026 09:15``; without a zone read in ``default_tz``),
``agent`` (login), ``team``, ``shopper`` (username; the importer when empty), ``summary``,
``transcript``, ``conversation_id`` (the help desk's id of the conversation the visit
produced), and per checklist item ``item:<criterion id>`` (a level of its scale, or
``na``) with an optional ``comment:<criterion id>``.

Each row is written in a savepoint, so a row the database refuses (an unknown agent, a
scenario that does not exist) becomes a rejection and the other rows still land.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.i18n import t
from qa_app.ingest.limits import FieldProblem
from qa_app.ingest.values import parse_timestamp
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.errors import InvalidInput, ServiceError
from qa_app.services.mystery.visit_building import build_visit
from qa_app.services.mystery.visit_inputs import AnswerInput, VisitInput
from qa_app.services.permissions import require
from qa_app.storage.models import MysteryVisit

MAX_BYTES = 20 * 1024 * 1024
REQUIRED = ("visit_id", "scenario", "contacted_at")
KNOWN = (*REQUIRED, "first_response_at", "resolved_at", "agent", "team", "shopper", "summary",
         "transcript", "conversation_id")  # fmt: skip
NA_WORDS = {"na", "n/a", "н/п", "нп", "-"}
#: Service error keys -> the CSV column the reader should look at.
ERROR_FIELDS = {
    "mystery.visit.no_agent": "agent",
    "mystery.visit.no_team": "team",
    "mystery.visit.no_shopper": "shopper",
    "mystery.scenario.not_found": "scenario",
    "mystery.visit.no_conversation": "conversation_id",
    "mystery.visit.future": "contacted_at",
    "mystery.visit.resolved_first": "resolved_at",
}


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One refused value: line in the file, the visit id, the column, and why."""

    line: int
    visit_ref: str
    field: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def reason(self, lang: str = "en") -> str:
        try:
            return t(self.key, lang, **self.params)
        except (KeyError, IndexError, ValueError):
            return t(self.key, lang)

    def describe(self, lang: str = "en") -> str:
        return f"{self.line}: {self.field}: {self.reason(lang)}"


@dataclass
class VisitImportResult:
    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({p.line for p in self.problems})


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("not a text file", key="mystery.import.not_text")


def _rows(text: str):
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise InvalidInput("empty file", key="mystery.import.empty")
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InvalidInput(
            f"missing columns {missing}",
            key="mystery.import.missing_columns",
            columns=", ".join(missing),
        )
    unknown = [
        c for c in columns
        if c not in KNOWN and not c.startswith("item:") and not c.startswith("comment:")
    ]  # fmt: skip
    if unknown:
        raise InvalidInput(
            f"unknown columns {unknown}",
            key="mystery.import.unknown_columns",
            columns=", ".join(unknown),
        )
    line = reader.line_num + 1
    for cells in reader:
        if any(c.strip() for c in cells):
            yield line, columns, cells
        line = reader.line_num + 1


def _when(
    value: str, name: str, tz: tzinfo, problems: list, required: bool = False
) -> datetime | None:
    if not value.strip():
        if required:
            problems.append((name, "mystery.import.required", {}))
        return None
    try:
        return parse_timestamp(value, tz)
    except FieldProblem:
        problems.append((name, "mystery.import.bad_time", {"value": value[:40]}))
        return None


def _answer_value(raw: str) -> tuple[float | None, bool] | None:
    text = raw.strip().lower()
    if text in NA_WORDS:
        return None, True
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    return (int(number) if number.is_integer() else number), False


def _parse_row(columns: list[str], cells: list[str], tz: tzinfo) -> tuple[VisitInput | None, list]:
    if len(cells) != len(columns):
        return None, [
            ("row", "mystery.import.cell_count", {"found": len(cells), "expected": len(columns)})
        ]
    row = dict(zip(columns, cells, strict=True))
    problems: list = []
    ref = row["visit_id"].strip()
    if not ref:
        problems.append(("visit_id", "mystery.import.required", {}))
    if not row["scenario"].strip():
        problems.append(("scenario", "mystery.import.required", {}))
    contacted = _when(row["contacted_at"], "contacted_at", tz, problems, required=True)
    first = _when(row.get("first_response_at", ""), "first_response_at", tz, problems)
    resolved = _when(row.get("resolved_at", ""), "resolved_at", tz, problems)
    answers = {}
    for column, raw in row.items():
        if not column.startswith("item:") or not raw.strip():
            continue
        parsed = _answer_value(raw)
        if parsed is None:
            problems.append((column, "mystery.import.bad_level", {"value": raw[:20]}))
            continue
        item = column.split(":", 1)[1]
        answers[item] = AnswerInput(parsed[0], parsed[1], row.get(f"comment:{item}", "").strip())
    if problems:
        return None, problems
    return VisitInput(
        scenario=row["scenario"].strip(),
        contacted_at=contacted,
        answers=answers,
        first_response_at=first,
        resolved_at=resolved,
        agent_login=row.get("agent", ""),
        team_name=row.get("team", ""),
        summary=row.get("summary", ""),
        transcript=row.get("transcript", ""),
        shopper=row.get("shopper", "").strip(),
        conversation_external_id=row.get("conversation_id", ""),
        external_ref=ref,
    ), []


def _field_of(exc: ServiceError) -> str:
    if exc.key in ERROR_FIELDS:
        return ERROR_FIELDS[exc.key]
    if "field" in exc.params:
        return f"{exc.params['field']}_at"
    if "item" in exc.params:
        return f"item:{exc.params['item']}"
    return "items"


def import_visits_csv(
    session: Session,
    actor: Actor,
    data: bytes,
    *,
    file_name: str = "visits.csv",
    default_tz: tzinfo,
    now: datetime | None = None,
) -> VisitImportResult:
    """Import the rows that are valid and report every other one; re-importing a row whose
    ``visit_id`` is already stored counts it as a duplicate, never twice."""
    require(actor, "mystery.import")
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            "file too large", key="mystery.import.too_large", limit_mb=MAX_BYTES // 2**20
        )
    result = VisitImportResult()
    known = set(
        session.scalars(
            select(MysteryVisit.external_ref).where(MysteryVisit.external_ref.is_not(None))
        )
    )
    for line, columns, cells in _rows(_decode(data)):
        result.rows += 1
        visit, problems = _parse_row(columns, cells, default_tz)
        ref = cells[columns.index("visit_id")].strip() if len(cells) == len(columns) else ""
        if visit is not None and ref in known:
            result.duplicates += 1
            continue
        if visit is not None:
            try:
                with session.begin_nested():
                    build_visit(session, actor, visit, now=now)
                    session.flush()
            except ServiceError as exc:
                problems = [(_field_of(exc), exc.key, exc.params)]
            else:
                known.add(ref)
                result.imported += 1
        result.problems.extend(RowProblem(line, ref, f, k, dict(p)) for f, k, p in problems)
    record_event(
        session, actor, "mystery.visits_imported", "mystery_visit", file_name[:200], now=now,
        rows=result.rows, imported=result.imported, rejected=result.rejected_rows,
        duplicates=result.duplicates,
    )  # fmt: skip
    return result


def visits_csv_template(checklist_id: str = "mystery-shopper-default") -> bytes:
    """A header with every column of a checklist's visit, and one example row (UTF-8 with a
    byte-order mark, so Excel opens Cyrillic text correctly)."""
    from qa_app.services.mystery.checklist import checklist_by_id

    rubric = checklist_by_id(checklist_id)
    items = [c for c in rubric.criteria()]
    header = [*KNOWN, *(f"item:{c.id}" for c in items), *(f"comment:{c.id}" for c in items)]
    example = {
        "visit_id": "V-0001", "scenario": "billing-unknown-charge",
        "contacted_at": "2026-03-02 10:00", "first_response_at": "2026-03-02 10:40",
        "resolved_at": "2026-03-02 11:30", "shopper": "", "summary": "",
    }  # fmt: skip
    row = [example.get(column, "") for column in KNOWN]
    row += ["na" if c.na_allowed else str(c.scale.max_value) for c in items]
    row += ["" for _ in items]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([header, row])
    return buffer.getvalue().encode("utf-8-sig")
