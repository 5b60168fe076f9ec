"""Exporting the audit log as CSV or XLSX through ``qa_app.reports`` (every cell passes the
formula-injection guard: an import's file name or a username is user-chosen text).

An export is itself audited (``audit.exported``, with the filters and row count): the log
says who took a copy of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from qa_app import reports
from qa_app.i18n import t
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.auditlog.log import EXPORT_LIMIT, AuditFilters, audit_rows
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = ("at", "actor", "action", "entity", "details")


@dataclass(frozen=True, slots=True)
class ExportFile:
    name: str
    data: bytes
    mime: str
    rows: int


def _labels(lang: str) -> reports.MetaLabels:
    return reports.MetaLabels(
        *(t(f"audit.meta.{k}", lang) for k in ("sheet", "by", "at", "tz", "period", "filters"))
    )


def _filters_text(filters: AuditFilters, lang: str) -> dict[str, str]:
    shown = {}
    if filters.users:
        shown[t("audit.filter.users", lang)] = ", ".join(filters.users)
    if filters.kinds:
        shown[t("audit.filter.kinds", lang)] = ", ".join(filters.kinds)
    return shown


def export_audit_log(
    session: Session,
    actor: Actor,
    filters: AuditFilters,
    fmt: str,
    lang: str = "en",
    *,
    now: datetime | None = None,
) -> ExportFile:
    """Every matching event (newest first) as a file, and an audit entry saying so."""
    if fmt not in FORMATS:
        detail = f"unknown export format {fmt!r}; accepted: {', '.join(FORMATS)}"
        raise InvalidInput(detail, key="error.invalid_input", detail=detail)
    rows, total = audit_rows(session, actor, filters, limit=EXPORT_LIMIT)
    at = utc_now(now)
    header = {name: t(f"audit.column.{name}", lang) for name in COLUMNS}
    table = [{header[name]: getattr(row, name) for name in COLUMNS} for row in rows]
    sheet = reports.Sheet(t("audit.title", lang), table, {header["at"]: "datetime"})
    if fmt == "csv":
        data = reports.to_csv_bytes(sheet)
    else:
        period = (filters.since, filters.until) if filters.since and filters.until else None
        info = reports.ExportInfo(
            title=t("audit.title", lang), exported_by=actor.username, exported_at=at,
            labels=_labels(lang), period=period, filters=_filters_text(filters, lang),
        )  # fmt: skip
        data = reports.to_xlsx_bytes([sheet], info)
    record_event(
        session, actor, "audit.exported", "audit_log", "", now=at, format=fmt, rows=len(rows),
        matching=total, users=list(filters.users), kinds=list(filters.kinds),
        since=str(filters.since or ""), until=str(filters.until or ""),
    )  # fmt: skip
    return ExportFile(f"audit-log-{at:%Y%m%d-%H%M}.{fmt}", data, FORMATS[fmt], len(rows))
