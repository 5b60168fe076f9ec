"""The Automatic scoring page in AppTest: lead runs scoring, reviewer reads, agent is refused."""

from __future__ import annotations

from ui_harness import run_page, seed_conversations, visible_text


def test_lead_scores_from_the_page_and_sees_status_and_charts(sqlite_url):
    seed_conversations(sqlite_url, count=8)
    at = run_page("autoqa", "lead", sqlite_url, timeout=180)
    assert not at.exception
    assert at.title[0].value == "Automatic scoring"
    text = visible_text(at)
    assert "automatic" in text.lower() and "No automatic scores yet." in text
    assert at.metric[0].value == "0 of 8"
    at.button(key="autoqa.start").click().run(timeout=300)
    assert not at.exception
    assert "Scored 8 conversations (16 messages)" in visible_text(at)
    assert at.metric[0].value == "8 of 8" and at.metric[2].value == "0"
    assert len(at.tabs) >= 6  # one per key signal plus SLA breaches
    at.button(key="autoqa.start").click().run(timeout=300)
    assert "Nothing to score" in visible_text(at)


def test_reviewer_reads_in_russian_without_run_button(sqlite_url):
    seed_conversations(sqlite_url, count=3)
    at = run_page("autoqa", "reviewer", sqlite_url, lang="ru", timeout=180)
    assert not at.exception
    assert at.title[0].value == "Автоматическая оценка"
    assert not [b for b in at.button if b.key == "autoqa.start"]
    text = visible_text(at)
    assert "автоматически" in text.lower() and "Автоматическая оценка по форме" in text


def test_agent_is_refused(sqlite_url):
    at = run_page("autoqa", "agent", sqlite_url, timeout=180)
    assert not at.exception
    assert at.error and not at.title
