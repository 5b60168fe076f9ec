"""Rubric storage on both databases: versions, validation with paths, default loading."""

from __future__ import annotations

import pytest
from review_fixtures import SMALL_RUBRIC

from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.errors import InvalidInput, NotFound, PermissionDenied
from qa_app.services.rubrics import store as rubrics
from qa_app.storage import db as storage_db
from qa_app.storage.models import AuditEvent, RubricVersion

LEAD = Actor(None, "lead", "lead")
REVIEWER = Actor(None, "rev", "reviewer")


def test_default_rubric_is_loaded_once(db_url):
    with storage_db.unit_of_work(db_url) as session:
        assert rubrics.ensure_default_rubric(session) == ["support-default"]
    with storage_db.unit_of_work(db_url) as session:
        assert rubrics.ensure_default_rubric(session) == []
        active = rubrics.active_version(session, "support-default")
        assert active.version == 1
        assert active.rubric.criterion("acknowledges_feelings").auto_signal == "missed_empathy"
        assert [s.slug for s in rubrics.list_rubrics(session)] == ["support-default"]


def test_each_save_is_a_new_version_and_old_versions_stay(db_url):
    with storage_db.unit_of_work(db_url) as session:
        first = rubrics.save_rubric(session, LEAD, SMALL_RUBRIC, "first")
    edited = SMALL_RUBRIC.replace("Small test rubric", "Small rubric edited")
    with storage_db.unit_of_work(db_url) as session:
        second = rubrics.save_rubric(session, LEAD, edited, "renamed")
    assert (first.version, second.version) == (1, 2)
    assert "version: 2" in second.yaml_text
    with storage_db.unit_of_work(db_url) as session:
        versions = rubrics.list_versions(session, "small-test")
        assert [(v.version, v.change_note) for v in versions] == [(2, "renamed"), (1, "first")]
        old = rubrics.get_version(session, first.version_id)
        assert old.rubric.name.en == "Small test rubric"
        assert rubrics.active_version(session, "small-test").rubric.name.en == (
            "Small rubric edited"
        )
        actions = [e.action for e in session.query(AuditEvent)]
        assert actions.count("rubric.version_saved") == 2


def test_invalid_yaml_reports_paths_and_saves_nothing(db_url):
    broken = SMALL_RUBRIC.replace(
        "weight: 1\n    criteria:\n      - id: politeness",
        "weight: -2\n    criteria:\n      - id: politeness",
    )
    with storage_db.unit_of_work(db_url) as session:
        with pytest.raises(rubrics.RubricInvalid) as caught:
            rubrics.save_rubric(session, LEAD, broken, "bad")
        assert [str(p) for p in caught.value.problems] == ["categories[0].weight: must be > 0"]
        assert session.query(RubricVersion).count() == 0
    problems = rubrics.check_yaml("id: x\n  bad: [")
    assert problems and "line" in problems[0].message


def test_only_admins_and_leads_edit_and_a_note_is_required(db_url):
    with storage_db.unit_of_work(db_url) as session:
        with pytest.raises(PermissionDenied):
            rubrics.save_rubric(session, REVIEWER, SMALL_RUBRIC, "no")
        with pytest.raises(InvalidInput):
            rubrics.save_rubric(session, LEAD, SMALL_RUBRIC, "   ")
        with pytest.raises(NotFound):
            rubrics.active_version(session, "missing")
        saved = rubrics.save_rubric(session, SYSTEM, SMALL_RUBRIC, "by admin")
        assert saved.created_by == "system"
