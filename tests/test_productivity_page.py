"""The reviewer-productivity page in AppTest: the lead in both languages; others refused."""

from __future__ import annotations

import pytest
from coaching_fixtures import open_page, seed_coaching
from ui_harness import visible_text

from qa_app.i18n import t
from qa_app.storage import db as storage_db


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    path = f"sqlite:///{tmp_path_factory.mktemp('productivity') / 'qa.db'}"
    storage_db.upgrade(path)
    seed_coaching(path)
    yield path
    storage_db.dispose_engine(path)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_lead_reads_weeks_coverage_and_unacknowledged(url, lang):
    at = open_page(url, "productivity", "lead", lang, username=f"lead-{lang}")
    assert not at.exception, at.exception
    assert at.title[0].value == t("productivity.title", lang)
    weeks, coverage, unack = (frame.value for frame in at.dataframe)
    assert weeks[t("productivity.col.reviews", lang)].sum() == 18
    assert set(weeks[t("productivity.col.goal", lang)]) == {"—"}  # no goal set
    assert set(coverage[t("productivity.col.coverage", lang)]) == {"100%"}
    assert unack[t("productivity.col.waiting", lang)].tolist() == [8, 8, 2]
    assert t("productivity.quota_default", lang, quota=3) in visible_text(at)


@pytest.mark.parametrize("role", ["trainer", "reviewer"])
def test_others_are_refused(url, role):
    at = open_page(url, "productivity", role)
    assert [e.value for e in at.error] == [
        t("shell.page_denied", "en", role=t(f"role.{role}", "en"))
    ]
