"""Mystery-shopper services on SQLite and PostgreSQL: scenarios, visits, who sees what,
attachments checked by content, CSV import with broken rows, reports and exports."""

from __future__ import annotations

import io
from datetime import date
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from mystery_fixtures import NOW, PDF, PNG, programme, visit
from sqlalchemy import func, select

from qa_app.services import database as services_db
from qa_app.services import mystery
from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied
from qa_app.services.mystery import attachments
from qa_app.storage import db as storage_db
from qa_app.storage.models import AuditEvent, MysteryAttachment, MysteryVisit


@pytest.fixture(autouse=True)
def _files(tmp_path, monkeypatch):
    monkeypatch.setenv(attachments.ATTACHMENTS_ENV, str(tmp_path / "files"))


def _record(url, actor, data, uploads=()):
    with storage_db.unit_of_work(url) as session:
        return mystery.record_visit(session, actor, data, uploads, now=NOW)


def test_catalogue_and_scenario_rules(db_url):
    p = programme(db_url)
    with storage_db.unit_of_work(db_url) as session:
        from qa_app.services.mystery.scenarios import scenario_infos

        scenarios = scenario_infos(session, "ru")
        assert len(scenarios) == 7  # six shipped + the lead's
        assert {s.channel for s in scenarios} >= {"chat", "email", "phone"}
        assert mystery.install_catalogue(session, p.lead, now=NOW) == 0  # once only
        with pytest.raises(PermissionDenied):
            mystery.create_scenario(
                session, p.shopper,
                mystery.ScenarioInput("x", "chat", "p", "r", "a", "mystery-shopper-default"),
            )  # fmt: skip
        with pytest.raises(InvalidInput):
            mystery.create_scenario(
                session,
                p.lead,
                mystery.ScenarioInput("x", "fax", "p", "r", "a", "mystery-shopper-default"),
            )
        with pytest.raises(InvalidInput):
            mystery.create_scenario(
                session, p.lead, mystery.ScenarioInput("x", "chat", "p", "r", "a", "no-such-list")
            )


def test_shopper_records_and_visibility_follows_roles(db_url):
    p = programme(db_url)
    visit_id = _record(
        db_url,
        p.shopper,
        visit(p.scenario_id, fail=("greeting",), comments={"greeting": "Said 'Yes?'"}),
        [mystery.Upload("screen.png", PNG)],
    )
    with storage_db.unit_of_work(db_url) as session:
        row = session.get(MysteryVisit, visit_id)
        assert row.shopper_id == p.shopper.user_id and row.channel == "chat"
        assert row.overall_score is not None and row.overall_score < 100
        failed = [a.criterion_id for a in row.answers if a.failed]
        assert failed == ["greeting"]
        attachment = session.scalar(select(MysteryAttachment))
        assert attachment.content_type == "image/png" and attachment.stored_name != "screen.png"
        assert "screen" not in attachment.stored_name
    seen = {
        name: [v.id for v in mystery.visits_screen(services_db.unit_of_work(db_url), actor, "en").visits]
        for name, actor in (("lead", p.lead), ("shopper", p.shopper), ("other", p.other_shopper),
                            ("agent", p.agent), ("trainer", p.trainer))
    }  # fmt: skip
    assert seen == {
        "lead": [visit_id],
        "shopper": [visit_id],
        "other": [],
        "agent": [],
        "trainer": [visit_id],
    }
    uow = services_db.unit_of_work
    assert mystery.attachment_file(uow(db_url), p.shopper, attachment.id).data == PNG
    with pytest.raises(NotFound):
        mystery.attachment_file(uow(db_url), p.other_shopper, attachment.id)
    with pytest.raises(NotFound):
        mystery.attachment_file(uow(db_url), p.agent, attachment.id)
    with pytest.raises(PermissionDenied):
        mystery.do_set_published(uow(db_url), p.shopper, [visit_id], now=NOW)
    assert mystery.do_set_published(uow(db_url), p.lead, [visit_id], now=NOW) == 1
    screen = mystery.visits_screen(uow(db_url), p.agent, "en")
    assert [v.id for v in screen.visits] == [visit_id]
    assert screen.detail.answers[0].comment == "Said 'Yes?'"
    assert mystery.attachment_file(uow(db_url), p.agent, attachment.id).name == "screen.png"


def test_lead_enters_results_for_a_shopper(db_url):
    p = programme(db_url)
    visit_id = _record(db_url, p.lead, visit(p.scenario_id, shopper="shopper2"))
    with storage_db.unit_of_work(db_url) as session:
        assert session.get(MysteryVisit, visit_id).shopper_id == p.other_shopper.user_id
    with pytest.raises(PermissionDenied), storage_db.unit_of_work(db_url) as session:
        mystery.record_visit(session, p.shopper, visit(p.scenario_id, shopper="shopper2"), now=NOW)
    with pytest.raises(PermissionDenied), storage_db.unit_of_work(db_url) as session:
        mystery.record_visit(session, p.agent, visit(p.scenario_id), now=NOW)


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("big.png", PNG + b"\x00" * attachments.MAX_BYTES, "mystery.attachment.too_large"),
        ("invoice.png", b"<html><script>alert(1)</script></html>", "mystery.attachment.forbidden"),
        ("setup.pdf", b"MZ\x90\x00 windows program", "mystery.attachment.forbidden"),
        ("empty.jpg", b"", "mystery.attachment.empty"),
    ],
)
def test_refused_attachment_stores_nothing(db_url, tmp_path, name, data, key):
    p = programme(db_url)
    with pytest.raises(InvalidInput) as refused:
        _record(
            db_url,
            p.shopper,
            visit(p.scenario_id),
            [mystery.Upload("ok.pdf", PDF), mystery.Upload(name, data)],
        )
    assert refused.value.key == key and refused.value.params["name"] == name
    with storage_db.unit_of_work(db_url) as session:
        assert session.scalar(select(func.count(MysteryVisit.id))) == 0
    folder = tmp_path / "files"
    assert not folder.exists() or not any(folder.iterdir())


def test_content_sniffing_knows_every_allowed_kind():
    samples = {
        "image/png": PNG,
        "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
        "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
        "application/pdf": PDF,
        "audio/mpeg": b"ID3\x04\x00\x00\x00\x00\x00\x00",
        "audio/ogg": b"OggS\x00\x02\x00\x00",
        "audio/wav": b"RIFF\x24\x00\x00\x00WAVEfmt ",
        "audio/mp4": b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00",
    }
    for content_type, data in samples.items():
        assert attachments.sniff(data).content_type == content_type
    for bad in (b"GIF89a", b"PK\x03\x04", b"<svg xmlns=", b"\x7fELF", b"RIFF\x00\x00\x00\x00AVI "):
        assert attachments.sniff(bad) is None


def test_incomplete_or_impossible_visit_is_refused(db_url):
    p = programme(db_url)
    data = visit(p.scenario_id)
    partial = dict(data.answers)
    partial.pop("greeting")
    from dataclasses import replace

    with pytest.raises(InvalidInput) as missing:
        _record(db_url, p.shopper, replace(data, answers=partial))
    assert (
        missing.value.key == "mystery.visit.missing_items"
        and "greeting" in missing.value.params["items"]
    )
    with pytest.raises(InvalidInput):
        _record(db_url, p.shopper, replace(data, resolved_at=data.contacted_at.replace(year=2025)))
    with pytest.raises(NotFound):
        _record(db_url, p.shopper, replace(data, agent_login="nobody"))


CSV = """visit_id,scenario,contacted_at,first_response_at,resolved_at,agent,item:greeting,comment:greeting,item:correct_information
V-1,billing-unknown-charge,2026-03-02 10:00,2026-03-02 10:20,2026-03-02 11:00,a.petrova,1,,3
V-2,billing-unknown-charge,yesterday,,,a.petrova,1,,3
V-3,billing-unknown-charge,2026-03-03 10:00,,,nobody,0,"=HYPERLINK(""http://x"")",3
V-4,billing-unknown-charge,2026-03-04 10:00,,,i.ivanov,0,Forgot to greet,seven
"""


def _full_csv(text: str) -> bytes:
    """The broken-row file with every other checklist item answered (top level)."""
    rubric = mystery.checklist_by_id("mystery-shopper-default")
    given = {"greeting", "correct_information"}
    rest = [c for c in rubric.criteria() if c.id not in given]
    lines = text.strip().split("\n")
    header = lines[0] + "," + ",".join(f"item:{c.id}" for c in rest)
    body = [line + "," + ",".join(str(c.scale.max_value) for c in rest) for line in lines[1:]]
    return ("\n".join([header, *body]) + "\n").encode()


def test_csv_import_reports_each_broken_row_and_loses_nothing(db_url):
    p = programme(db_url)
    data = _full_csv(CSV)
    with storage_db.unit_of_work(db_url) as session:
        result = mystery.import_visits_csv(
            session, p.lead, data, default_tz=ZoneInfo("Europe/Moscow"), now=NOW
        )
        session.commit()
    assert (result.rows, result.imported, result.rejected_rows) == (4, 1, 3)
    described = {(x.line, x.field, x.key) for x in result.problems}
    assert described == {
        (3, "contacted_at", "mystery.import.bad_time"),
        (4, "agent", "mystery.visit.no_agent"),
        (5, "item:correct_information", "mystery.import.bad_level"),
    }
    assert all(x.reason("ru") and x.reason("en") != x.key for x in result.problems)
    with storage_db.unit_of_work(db_url) as session:
        row = session.scalar(select(MysteryVisit))
        assert row.external_ref == "V-1" and row.contacted_at.hour == 7  # Moscow 10:00 = 07:00 UTC
        again = mystery.import_visits_csv(
            session, p.lead, data, default_tz=ZoneInfo("UTC"), now=NOW
        )
        assert (again.imported, again.duplicates) == (0, 1)
    with pytest.raises(PermissionDenied), storage_db.unit_of_work(db_url) as session:
        mystery.import_visits_csv(session, p.shopper, data, default_tz=ZoneInfo("UTC"))
    with pytest.raises(InvalidInput) as header, storage_db.unit_of_work(db_url) as session:
        mystery.import_visits_csv(
            session, p.lead, b"visit_id,when\n1,2\n", default_tz=ZoneInfo("UTC")
        )
    assert header.value.key == "mystery.import.missing_columns"


def _report(url, actor):
    filters = mystery.ReportFilter(date(2026, 1, 1), date(2026, 3, 31))
    return mystery.report_screen(services_db.unit_of_work(url), actor, filters, "en").report


def test_report_figures_and_visibility(db_url):
    p = programme(db_url)
    for day in range(12):
        fail = ("greeting",) if day % 3 == 0 else ()
        _record(
            db_url,
            p.shopper,
            visit(p.scenario_id, days=day, fail=fail, comments={"greeting": f"no hello {day}"}),
        )
    _record(db_url, p.other_shopper, visit("billing-unknown-charge", days=2, agent="i.ivanov"))
    lead = _report(db_url, p.lead)
    assert lead.visits == 13
    greeting = lead.items.set_index("criterion_id").loc["greeting"]
    assert greeting["n"] == 13 and greeting["failed"] == 4
    assert greeting["compliance"] == pytest.approx(9 / 13 * 100)
    assert lead.worst.iloc[0]["criterion_id"] == "greeting"
    assert lead.worst.iloc[0]["examples"][0].startswith("no hello")
    by_channel = lead.by_channel.set_index("key")
    assert by_channel.loc["chat", "n"] == 12 and not by_channel.loc["chat", "too_few"]
    assert by_channel.loc["email", "too_few"]
    assert set(lead.sla["channel"]) == {"chat", "email"}
    assert lead.sla.set_index("channel").loc["chat", "first_response_within"] == 100.0
    assert len(lead.gap) == 2 and lead.gap["qa_n"].sum() == 0
    assert _report(db_url, p.other_shopper).visits == 1
    assert _report(db_url, p.agent).visits == 0  # nothing published yet
    with storage_db.unit_of_work(db_url) as session:
        failed = mystery.failed_items_by_agent(session, p.lead, NOW.replace(month=1), NOW)
    assert [(f.criterion_id, f.failed, f.graded) for f in failed] == [("greeting", 4, 12)]
    assert failed[0].coaching_topic and failed[0].comments


def test_exports_are_audited_and_formula_safe(db_url):
    p = programme(db_url)
    _record(
        db_url,
        p.shopper,
        visit(p.scenario_id, fail=("greeting",), comments={"greeting": '=HYPERLINK("x")'}),
    )
    filters = mystery.ReportFilter(date(2026, 3, 1), date(2026, 3, 31))
    uow = services_db.unit_of_work
    pdf = mystery.do_export_report(uow(db_url), p.lead, filters, "pdf", "ru", now=NOW)
    assert pdf.startswith(b"%PDF")
    xlsx = mystery.do_export_report(uow(db_url), p.lead, filters, "xlsx", "ru", now=NOW)
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("HYPERLINK" in str(v) for v in cells)
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    with pytest.raises(PermissionDenied):
        mystery.do_export_report(uow(db_url), p.shopper, filters, "pdf", "en", now=NOW)
    with storage_db.unit_of_work(db_url) as session:
        events = session.scalars(
            select(AuditEvent.entity_id).where(AuditEvent.action == "mystery.report_exported")
        )
        assert sorted(events) == ["pdf", "xlsx"]


def test_two_leads_publishing_at_once_end_in_a_conflict(db_url):
    """The second lead works from a visit read before the first one's change was committed:
    the version check refuses the stale write instead of silently overwriting it."""
    from qa_app.services.errors import Conflict

    p = programme(db_url)
    visit_id = _record(db_url, p.shopper, visit(p.scenario_id))
    with storage_db.unit_of_work(db_url) as stale:
        seen = stale.get(MysteryVisit, visit_id)  # the second lead's tab read it first
        mystery.do_set_published(services_db.unit_of_work(db_url), p.lead, [visit_id], now=NOW)
        mystery.do_set_published(
            services_db.unit_of_work(db_url), p.lead, [visit_id], False, now=NOW
        )
        with pytest.raises(Conflict):
            mystery.set_published(stale, p.lead, [visit_id], True, now=NOW)
        stale.rollback()
        assert seen.published is False  # reloaded after the refusal: the committed state


def test_the_offered_template_imports_as_it_is(db_url):
    p = programme(db_url)
    with storage_db.unit_of_work(db_url) as session:
        result = mystery.import_visits_csv(
            session, p.lead, mystery.visits_csv_template(), default_tz=ZoneInfo("UTC"), now=NOW
        )
    assert (result.imported, result.problems) == (1, [])
