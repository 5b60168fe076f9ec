"""The coaching recommendations page in AppTest: trainer, lead and agent, both languages."""

from __future__ import annotations

import pytest
from coaching_fixtures import (
    LOW_COMMENT,
    SHOPPER_COMMENT,
    open_page,
    seed_coaching,
    seed_mystery_failures,
)
from ui_harness import visible_text

from qa_app.i18n import t
from qa_app.storage import db as storage_db
from qa_app.ui import user_text


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    path = f"sqlite:///{tmp_path_factory.mktemp('coaching') / 'qa.db'}"
    storage_db.upgrade(path)
    ids = seed_coaching(path)
    yield path, ids
    storage_db.dispose_engine(path)


def _choose(at, agent_id: int):
    at.selectbox(key="coaching.agent").set_value(agent_id).run()
    assert not at.exception, at.exception


def _texts(at) -> list[str]:
    return [el.value for el in at.text]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_trainer_reads_team_topics_and_an_agents_evidence(url, lang):
    url, ids = url
    at = open_page(url, "coaching", "trainer", lang, username=f"trainer-{lang}")
    assert not at.exception, at.exception
    assert at.title[0].value == t("coaching.title", lang)
    team_table = at.dataframe[0].value
    topic = t("coaching.col.topic", lang)
    expected = "Acknowledging emotions" if lang == "en" else "Признание эмоций клиента"
    assert team_table[topic].iloc[0] == expected
    assert team_table[t("coaching.col.agents", lang)].iloc[0] == "a.low"
    _choose(at, ids.low)
    assert at.expander[0].label.startswith("1. " + expected)
    # the reviewer's comment is shown as typed, never as Markdown or HTML
    assert LOW_COMMENT in _texts(at)
    assert t("coaching.colleague_excerpt", lang) in visible_text(at)
    other = "en" if lang == "ru" else "ru"
    assert t("coaching.colleague_excerpt", other) not in visible_text(at)


def test_lead_sees_not_enough_evidence_for_a_new_agent(url):
    url, ids = url
    at = open_page(url, "coaching", "lead")
    assert not at.exception
    _choose(at, ids.new)
    assert t("coaching.not_enough", "en", reviews=2, minimum=3) in visible_text(at)
    assert "a.new" in visible_text(at)  # listed under the team's "not enough evidence"


def test_agent_sees_only_their_own_list(url):
    url, _ = url
    at = open_page(url, "coaching", "agent", username="agent-low", agent_login="a.low")
    assert not at.exception, at.exception
    assert not at.selectbox  # nothing to choose: their own list
    assert at.expander[0].label.startswith("1. Acknowledging emotions")
    assert LOW_COMMENT in _texts(at)


def test_reviewer_is_refused(url):
    url, _ = url
    at = open_page(url, "coaching", "reviewer")
    assert [e.value for e in at.error] == [
        t("shell.page_denied", "en", role=t("role.reviewer", "en"))
    ]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_mystery_shopper_failures_show_as_evidence(tmp_path, lang):
    path = f"sqlite:///{tmp_path / 'qa.db'}"
    storage_db.upgrade(path)
    ids = seed_coaching(path)
    seed_mystery_failures(path)
    at = open_page(path, "coaching", "trainer", lang)
    assert not at.exception, at.exception
    _choose(at, ids.good)
    item = "Greeted properly" if lang == "en" else "Корректно поздоровался"
    shown = visible_text(at)
    assert t("coaching.shopper_failed", lang, item=item, failed=4, graded=5) in shown
    assert t("coaching.behind_visits", lang, visits=5) in shown
    assert t("coaching.no_excerpts_mystery", lang) in shown
    assert t("coaching.no_excerpts", lang) not in shown
    # the shopper's comment shows exactly as typed: no bold, no tag, no link
    (line,) = [ln for ln in shown.splitlines() if SHOPPER_COMMENT in ln]
    assert t("coaching.shopper_comment", lang) in line
    assert any(user_text.block_html(SHOPPER_COMMENT) in md.value for md in at.markdown)
    storage_db.dispose_engine(path)
