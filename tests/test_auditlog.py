"""The audit log: filters, CSV/XLSX export (formula-safe, itself audited), the page for each
role and in both languages; services on SQLite and PostgreSQL, clocks pinned."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest
from ui_harness import make_user, run_page, signed_in_entries, visible_text

from qa_app.services import auditlog
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.database import unit_of_work
from qa_app.services.errors import InvalidInput, PermissionDenied
from qa_app.storage import db as storage_db
from qa_app.ui import context

ADMIN = Actor(None, "root", "admin")
NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
EVENTS = [
    (datetime(2026, 4, 1, 9, 0, tzinfo=UTC), "anna", "auth.signed_in", "user", 2, {}),
    (datetime(2026, 4, 2, 9, 0, tzinfo=UTC), "anna", "import.file", "import_run", 1,
     {"file": "=HYPERLINK(\"http://x\")", "imported": 3}),
    (datetime(2026, 4, 20, 9, 0, tzinfo=UTC), "=2+3", "rubric.version_saved", "rubric", 1, {}),
    (datetime(2026, 5, 1, 9, 0, tzinfo=UTC), "boris", "dispute.raised", "dispute", 7, {}),
    (datetime(2026, 5, 2, 9, 0, tzinfo=UTC), "root", "privacy.erased", "customer", "ab12", {}),
]  # fmt: skip


def _seed(url: str) -> None:
    with storage_db.unit_of_work(url) as session:
        for at, who, action, kind, entity, details in EVENTS:
            record_event(
                session, Actor(None, who, "admin"), action, kind, entity, now=at, **details
            )


def _actions(rows) -> list[str]:
    return [r.action for r in rows]


def test_filters_by_user_kind_and_period(db_url):
    _seed(db_url)
    screen = auditlog.audit_screen(unit_of_work(db_url), ADMIN, auditlog.AuditFilters())
    assert screen.total == 5 and _actions(screen.rows)[0] == "privacy.erased"  # newest first
    assert screen.users == ["=2+3", "anna", "boris", "root"]
    assert screen.kinds == ["auth", "dispute", "import", "privacy", "rubric"]
    by_user = auditlog.AuditFilters(users=("anna",))
    assert _actions(auditlog.audit_screen(unit_of_work(db_url), ADMIN, by_user).rows) == [
        "import.file", "auth.signed_in"
    ]  # fmt: skip
    by_kind = auditlog.AuditFilters(kinds=("dispute", "privacy"))
    assert auditlog.audit_screen(unit_of_work(db_url), ADMIN, by_kind).total == 2
    period = auditlog.AuditFilters(since=date(2026, 4, 2), until=date(2026, 4, 20))
    assert _actions(auditlog.audit_screen(unit_of_work(db_url), ADMIN, period).rows) == [
        "rubric.version_saved", "import.file"
    ]  # fmt: skip
    with pytest.raises(InvalidInput):
        backwards = auditlog.AuditFilters(since=date(2026, 5, 1), until=date(2026, 4, 1))
        auditlog.audit_screen(unit_of_work(db_url), ADMIN, backwards)


def test_csv_export_is_formula_safe_and_audited(db_url):
    _seed(db_url)
    export = auditlog.do_export_audit_log(
        unit_of_work(db_url), ADMIN, auditlog.AuditFilters(), "csv", "ru", now=NOW
    )
    assert export.name == "audit-log-20260504-1200.csv" and export.rows == 5
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert rows[0] == ["Время (UTC)", "Пользователь", "Действие", "Запись", "Подробности"]
    assert rows[3][1:3] == ["'=2+3", "rubric.version_saved"]
    assert '"file": "=HYPERLINK' in rows[4][4]  # inside JSON text: not a formula
    screen = auditlog.audit_screen(unit_of_work(db_url), ADMIN, auditlog.AuditFilters())
    newest = screen.rows[0]
    assert (newest.action, newest.actor, newest.at) == ("audit.exported", "root", NOW)
    assert '"format": "csv"' in newest.details and '"rows": 5' in newest.details


def test_xlsx_export_has_metadata_and_the_filtered_rows(db_url):
    _seed(db_url)
    filters = auditlog.AuditFilters(users=("=2+3", "boris"))
    export = auditlog.do_export_audit_log(
        unit_of_work(db_url), ADMIN, filters, "xlsx", "en", now=NOW
    )
    book = load_workbook(io.BytesIO(export.data))
    assert book.sheetnames[0] == "About"
    data = list(book[book.sheetnames[1]].values)
    assert data[0] == ("Time (UTC)", "User", "Action", "Record", "Details")
    assert [row[1] for row in data[1:]] == ["boris", "'=2+3"]
    assert all(cell.data_type != "f" for row in book[book.sheetnames[1]] for cell in row)


def test_unknown_format_and_roles_are_refused(db_url):
    with pytest.raises(InvalidInput):
        auditlog.do_export_audit_log(
            unit_of_work(db_url), ADMIN, auditlog.AuditFilters(), "pdf", now=NOW
        )
    for role in ("lead", "reviewer", "trainer", "agent"):
        actor = Actor(1, "x", role)
        with pytest.raises(PermissionDenied):
            auditlog.audit_screen(unit_of_work(db_url), actor, auditlog.AuditFilters())
        with pytest.raises(PermissionDenied):
            auditlog.do_export_audit_log(
                unit_of_work(db_url), actor, auditlog.AuditFilters(), "csv", now=NOW
            )


def _page() -> None:
    from qa_app.ui.app import render_page_by_key

    render_page_by_key("audit")


def open_page(url: str, lang: str) -> AppTest:
    actor = make_user(url, "admin", username="root", lang=lang)
    at = AppTest.from_function(_page, default_timeout=60)
    at.session_state[context.SESSION_DB] = url
    at.session_state[context.SESSION_CLOCK] = NOW
    for key, value in signed_in_entries(url, actor).items():
        at.session_state[key] = value
    return at.run()


@pytest.mark.parametrize("role", ["lead", "reviewer", "trainer", "agent"])
def test_only_admins_open_the_page(sqlite_url, role):
    at = run_page("audit", role, sqlite_url)
    assert not at.exception
    assert at.error and "Audit log" not in visible_text(at)


@pytest.mark.parametrize(
    ("lang", "title", "kind"), [("en", "Audit log", "Disputes"), ("ru", "Журнал действий", "Споры")]
)
def test_page_filters_and_prepares_an_export(sqlite_url, lang, title, kind):
    _seed(sqlite_url)
    at = open_page(sqlite_url, lang)
    assert not at.exception
    assert at.title[0].value == title
    table = at.dataframe[0].value
    # the last 30 days by default (2026-04-04 onwards; making the user is logged too)
    from qa_app.i18n import t

    label = {event[2]: t(f"audit.action.{event[2]}", lang) for event in EVENTS}
    shown = [action for action in table.iloc[:, 2] if action in label.values()]
    expected = ["privacy.erased", "dispute.raised", "rubric.version_saved"]
    assert shown == [label[code] for code in expected]  # named in the page's language
    assert ("Данные клиента удалены" in shown) == (lang == "ru")
    kinds = at.multiselect[1]
    assert kind in kinds.options  # the translated labels
    kinds.set_value(["dispute"])
    at.date_input[0].set_value((date(2026, 1, 1), date(2026, 5, 4)))
    at.button[0].click().run()  # apply
    assert list(at.dataframe[0].value.iloc[:, 1]) == ["boris"]
    at.button[1].click().run()  # prepare CSV
    assert not at.exception
    assert at.get("download_button")


def test_cli_export_with_filters(db_url, tmp_path):
    from click.testing import CliRunner

    from qa_app.cli import cli

    _seed(db_url)
    out = tmp_path / "audit.csv"
    args = ["--db", db_url, "audit", "export", "--kind", "auth", "--kind", "import",
            "--since", "2026-04-01", "--until", "2026-04-30", "--output", str(out),
            "--now", NOW.isoformat()]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output == f"2 audit events written to {out}\n"
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["import.file", "auth.signed_in"]
    bad = CliRunner().invoke(cli, [*args[:-2], "--since", "2026-05-01"])
    assert bad.exit_code == 2 and "The period starts after it ends" in bad.output
