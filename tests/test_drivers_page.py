"""The satisfaction-drivers page in AppTest: lead and trainer in both languages, filters."""

from __future__ import annotations

import pytest
from coaching_fixtures import open_page, seed_coaching
from ui_harness import visible_text

from qa_app.i18n import t
from qa_app.storage import db as storage_db


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    path = f"sqlite:///{tmp_path_factory.mktemp('drivers') / 'qa.db'}"
    storage_db.upgrade(path)
    ids = seed_coaching(path)
    yield path, ids
    storage_db.dispose_engine(path)


@pytest.mark.parametrize(("role", "lang"), [("lead", "en"), ("lead", "ru"), ("trainer", "en")])
def test_relations_with_intervals_and_counts(url, role, lang):
    url, _ = url
    at = open_page(url, "drivers", role, lang, username=f"{role}-{lang}")
    assert not at.exception, at.exception
    assert at.title[0].value == t("drivers.title", lang)
    csat = at.dataframe[0].value
    behaviour = t("coaching.col.behaviour", lang)
    first = csat.iloc[0]
    assert first[t("drivers.col.n", lang)] == 18
    assert first[t("drivers.col.strength", lang)] == t("drivers.strength.strong", lang)
    assert t("drivers.overall", lang) in set(csat[behaviour])
    text = visible_text(at)
    assert t("drivers.caveat", lang) in text
    other = "ru" if lang == "en" else "en"
    assert t("drivers.caveat", other) not in text
    escalation = at.dataframe[3].value  # never escalated here: nothing can relate to it
    assert set(escalation[t("drivers.col.strength", lang)]) == {t("drivers.undefined", lang)}


def test_channel_filter(url):
    url, ids = url
    at = open_page(url, "drivers", "lead")
    at.selectbox(key="drivers.channel").set_value("phone").run()
    assert not at.exception, at.exception
    assert t("drivers.none", "en") in visible_text(at)
    at.selectbox(key="drivers.channel").set_value("email").run()
    assert at.dataframe[0].value[t("drivers.col.n", "en")].max() == 9


def test_agents_are_refused(url):
    url, _ = url
    at = open_page(url, "drivers", "agent", username="agent-low", agent_login="a.low")
    assert [e.value for e in at.error] == [t("shell.page_denied", "en", role=t("role.agent", "en"))]
