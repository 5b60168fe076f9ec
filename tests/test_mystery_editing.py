"""Correcting a saved mystery-shopper visit, on SQLite and PostgreSQL: who may correct which
visit and when, the version check against a stale form, the audit entry, and refusals
(an oversized file, an incomplete checklist) that change nothing.

The threaded race on PostgreSQL is in ``tests/test_races.py``."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from mystery_fixtures import NOW, PDF, PNG, answers, programme, visit
from sqlalchemy import func, select

from qa_app.i18n import t
from qa_app.services import database as services_db
from qa_app.services import mystery
from qa_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from qa_app.services.mystery import attachments
from qa_app.storage import db as storage_db
from qa_app.storage.models import AuditEvent, MysteryAnswer, MysteryAttachment, MysteryVisit


@pytest.fixture(autouse=True)
def _files(tmp_path, monkeypatch):
    monkeypatch.setenv(attachments.ATTACHMENTS_ENV, str(tmp_path / "files"))


def _record(url, actor, data, uploads=()) -> int:
    with storage_db.unit_of_work(url) as session:
        return mystery.record_visit(session, actor, data, uploads, now=NOW)


def _update(url, actor, visit_id, version, data, uploads=()) -> int:
    uow = services_db.unit_of_work(url)
    return mystery.do_update_visit(uow, actor, visit_id, version, data, uploads, now=NOW)


def _version(url, visit_id) -> int:
    with storage_db.unit_of_work(url) as session:
        return session.get(MysteryVisit, visit_id).lock_version


def _stored_files(tmp_path) -> list[str]:
    folder = tmp_path / "files"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_shopper_corrects_own_visit_and_the_score_follows(db_url):
    p = programme(db_url)
    first = visit(p.scenario_id, fail=("greeting",), comments={"greeting": "no hello"})
    visit_id = _record(db_url, p.shopper, first, [mystery.Upload("chat.png", PNG)])
    version = _version(db_url, visit_id)
    with storage_db.unit_of_work(db_url) as session:
        before = session.get(MysteryVisit, visit_id)
        score_before, answer_ids = before.overall_score, sorted(a.id for a in before.answers)
    corrected = dataclasses.replace(
        visit(p.scenario_id, comments={"greeting": "greeted after all"}, agent="i.ivanov"),
        summary="Agent greeted on the second message",
        resolved_at=first.contacted_at + timedelta(minutes=45),
    )
    new_version = _update(db_url, p.shopper, visit_id, version, corrected,
                          [mystery.Upload("note.pdf", PDF)])  # fmt: skip
    assert new_version == version + 1
    with storage_db.unit_of_work(db_url) as session:
        row = session.get(MysteryVisit, visit_id)
        assert row.summary == "Agent greeted on the second message"
        assert row.resolved_at == first.contacted_at + timedelta(minutes=45)
        assert row.overall_score > score_before and row.passed
        assert [a.criterion_id for a in row.answers if a.failed] == []
        greeting = next(a for a in row.answers if a.criterion_id == "greeting")
        assert greeting.comment == "greeted after all"
        assert sorted(a.id for a in row.answers) == answer_ids  # the same rows, updated
        assert row.shopper_id == p.shopper.user_id and row.published is False
        names = session.scalars(
            select(MysteryAttachment.original_name).where(MysteryAttachment.visit_id == visit_id)
        )
        assert sorted(names) == ["chat.png", "note.pdf"]
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "mystery.visit_edited")
        )
        assert event.user_id == p.shopper.user_id and event.entity_id == str(visit_id)
        details = event.details if isinstance(event.details, dict) else json.loads(event.details)
        assert details["fields"] == ["resolved_at", "agent_id", "summary"]
        assert details["items"] == ["greeting"] and details["attachments"] == 1


def test_a_stale_form_ends_in_a_conflict_and_changes_nothing(db_url):
    p = programme(db_url)
    visit_id = _record(db_url, p.shopper, visit(p.scenario_id))
    version = _version(db_url, visit_id)
    tab_one = dataclasses.replace(visit(p.scenario_id), summary="from the first tab")
    tab_two = dataclasses.replace(visit(p.scenario_id), summary="from the second tab")
    _update(db_url, p.shopper, visit_id, version, tab_one)
    with pytest.raises(Conflict) as stale:
        _update(db_url, p.shopper, visit_id, version, tab_two)
    assert stale.value.key == "mystery.visit.stale"
    for lang in ("en", "ru"):
        text = t(stale.value.key, lang, **stale.value.params)
        assert str(visit_id) in text and "lock_version" not in text
    with storage_db.unit_of_work(db_url) as session:
        assert session.get(MysteryVisit, visit_id).summary == "from the first tab"
    # a lead publishing also moves the version: a form opened before it is stale too
    mystery.do_set_published(services_db.unit_of_work(db_url), p.lead, [visit_id], now=NOW)
    with pytest.raises(Conflict):
        _update(db_url, p.lead, visit_id, version + 1, tab_two)


def test_published_visits_are_corrected_by_a_lead_only(db_url):
    p = programme(db_url)
    visit_id = _record(db_url, p.shopper, visit(p.scenario_id))
    uow = services_db.unit_of_work
    mystery.do_set_published(uow(db_url), p.lead, [visit_id], now=NOW)
    version = _version(db_url, visit_id)
    change = dataclasses.replace(visit(p.scenario_id), summary="corrected by the lead")
    with pytest.raises(PermissionDenied) as locked:
        _update(db_url, p.shopper, visit_id, version, change)
    assert locked.value.key == "mystery.visit.published_locked"
    with pytest.raises(NotFound):  # another shopper does not even see it
        _update(db_url, p.other_shopper, visit_id, version, change)
    for outsider in (p.agent, p.trainer):
        with pytest.raises(PermissionDenied):
            _update(db_url, outsider, visit_id, version, change)
    _update(db_url, p.lead, visit_id, version, change)
    with storage_db.unit_of_work(db_url) as session:
        row = session.get(MysteryVisit, visit_id)
        assert row.summary == "corrected by the lead" and row.published
        assert row.shopper_id == p.shopper.user_id  # a lead's edit keeps the visit's shopper
    screens = {
        name: mystery.visits_screen(uow(db_url), actor, "en", visit_id).detail.editable
        for name, actor in (("lead", p.lead), ("shopper", p.shopper), ("agent", p.agent))
    }
    assert screens["lead"] is not None and screens["lead"].summary == "corrected by the lead"
    assert screens["shopper"] is None and screens["agent"] is None


def test_only_a_lead_gives_a_visit_to_another_shopper(db_url):
    p = programme(db_url)
    visit_id = _record(db_url, p.shopper, visit(p.scenario_id))
    version = _version(db_url, visit_id)
    with pytest.raises(PermissionDenied):
        _update(db_url, p.shopper, visit_id, version, visit(p.scenario_id, shopper="shopper2"))
    _update(db_url, p.shopper, visit_id, version, visit(p.scenario_id, shopper="shopper1"))
    _update(db_url, p.lead, visit_id, version + 1, visit(p.scenario_id, shopper="shopper2"))
    with storage_db.unit_of_work(db_url) as session:
        assert session.get(MysteryVisit, visit_id).shopper_id == p.other_shopper.user_id


@pytest.mark.parametrize(
    ("uploads", "data_change", "key"),
    [
        ([mystery.Upload("call.mp3", b"ID3" + b"\x00" * attachments.MAX_BYTES)], {},
         "mystery.attachment.too_large"),
        ([], {"answers": {k: v for k, v in answers().items() if k != "greeting"}},
         "mystery.visit.missing_items"),
        ([], {"contacted_at": NOW + timedelta(days=1)}, "mystery.visit.future"),
        ([mystery.Upload("ok.png", PNG)], {"agent_login": "nobody"}, "mystery.visit.no_agent"),
    ],
)  # fmt: skip
def test_a_refused_correction_changes_nothing(db_url, tmp_path, uploads, data_change, key):
    p = programme(db_url)
    visit_id = _record(db_url, p.shopper, visit(p.scenario_id, fail=("greeting",)))
    version = _version(db_url, visit_id)
    change = dataclasses.replace(visit(p.scenario_id), summary="should not land", **data_change)
    with pytest.raises((InvalidInput, NotFound)) as refused:
        _update(db_url, p.shopper, visit_id, version, change, uploads)
    assert refused.value.key == key
    assert _version(db_url, visit_id) == version
    assert _stored_files(tmp_path) == []
    with storage_db.unit_of_work(db_url) as session:
        row = session.get(MysteryVisit, visit_id)
        assert row.summary == "" and [a.criterion_id for a in row.answers if a.failed] == [
            "greeting"
        ]
        assert session.scalar(select(func.count(MysteryAnswer.id))) == len(answers())
        assert session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "mystery.visit_edited")) == 0  # fmt: skip


def test_a_refusal_names_the_size_the_upload_box_showed():
    """The browser's upload box writes decimal megabytes (10,400,000 bytes: "10.4MB"); the
    refusal names the same figure and the limit in the same unit."""
    with pytest.raises(InvalidInput) as refused:
        attachments.check_upload("call.mp3", b"ID3" + b"\x00" * 10_399_997)
    assert refused.value.params["size_mb"] == "10.4" and refused.value.params["limit_mb"] == 10
    assert attachments.check_upload("ok.mp3", b"ID3" + b"\x00" * (attachments.MAX_BYTES - 3))
