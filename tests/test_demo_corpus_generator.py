"""The demo corpus: deterministic, large enough, realistic in shape, valid in format."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from qa_app.demo.corpus.describe import agent_sentences, describe, split_sentences
from qa_app.demo.corpus.feedback import first_response_minutes
from qa_app.demo.corpus.generator import DemoCorpus, default_records, generate_corpus, write_jsonl
from qa_app.demo.corpus.personas import AGENTS, PERSONAS, TEAMS

CHANNELS = {"chat", "email", "phone", "messenger", "social"}
LOGINS = {a.login for a in AGENTS}


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return list(default_records())


@pytest.fixture(scope="module")
def summary(corpus: list[dict]) -> dict:
    return describe(corpus, first_day=date(2026, 1, 5))


def test_same_seed_gives_identical_bytes(tmp_path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert write_jsonl(first, seed=11, n_conversations=300) == 300
    write_jsonl(second, seed=11, n_conversations=300)
    assert first.read_bytes() == second.read_bytes()


def test_other_seed_gives_other_corpus() -> None:
    a = list(generate_corpus(seed=1, n_conversations=50))
    b = list(generate_corpus(seed=2, n_conversations=50))
    assert a != b


def test_default_corpus_size_and_cast(summary: dict) -> None:
    assert summary["conversations"] >= 2000
    assert len(summary["teams"]) >= 3 and set(summary["teams"]) <= set(TEAMS)
    assert len(summary["agents"]) >= 12
    assert set(summary["channels"]) == CHANNELS
    assert len(summary["weeks"]) == 12


def test_half_russian_half_english(summary: dict) -> None:
    share = summary["languages"]["ru"] / summary["conversations"]
    assert 0.45 <= share <= 0.55


def test_a_thousand_distinct_agent_sentences_per_language(summary: dict) -> None:
    assert summary["distinct_agent_sentences"]["ru"] >= 1000
    assert summary["distinct_agent_sentences"]["en"] >= 1000


def test_monday_busiest_midweek_quietest(summary: dict) -> None:
    days = summary["weekdays"]
    assert max(days, key=days.get) == "Mon"
    assert min(days, key=days.get) == "Wed"


def test_business_hours_peak_with_evening_tail(corpus: list[dict]) -> None:
    hours = Counter(datetime.fromisoformat(r["started_at"]).hour for r in corpus)
    assert sum(hours[h] for h in range(9, 18)) > 0.55 * len(corpus)
    assert sum(hours[h] for h in range(19, 23)) > 0.05 * len(corpus)


def test_first_responses_sometimes_breach_targets(corpus: list[dict]) -> None:
    def waits(channel: str) -> list[float]:
        found = [first_response_minutes(r["messages"]) for r in corpus if r["channel"] == channel]
        return [w for w in found if w is not None]

    chat, email = waits("chat"), waits("email")
    assert 0.03 < sum(w > 15 for w in chat) / len(chat) < 0.5
    assert 0.05 < sum(w > 120 for w in email) / len(email) < 0.6


def test_surveys_answered_by_a_third(summary: dict, corpus: list[dict]) -> None:
    assert 0.28 <= summary["with_csat"] / summary["conversations"] <= 0.45
    assert 0.15 <= summary["with_nps"] / summary["conversations"] <= 0.4
    resolved = [r["csat"] for r in corpus if "csat" in r and r["status"] == "resolved"]
    unresolved = [r["csat"] for r in corpus if "csat" in r and r["status"] != "resolved"]
    assert statistics.mean(resolved) > statistics.mean(unresolved) + 1.0


def test_repeat_contacts_come_back_within_days(corpus: list[dict], summary: dict) -> None:
    assert summary["repeat_customers"] > 100
    repeats = [r for r in corpus if "repeat_contact" in r["tags"]]
    assert len(repeats) > 100
    by_customer: dict[str, list[datetime]] = {}
    for r in corpus:
        by_customer.setdefault(r["customer_id"], []).append(datetime.fromisoformat(r["started_at"]))
    for r in repeats[:50]:
        start = datetime.fromisoformat(r["started_at"])
        earlier = [s for s in by_customer[r["customer_id"]] if s < start]
        assert earlier and (start - max(earlier)).days <= 6


def test_escalations_and_statuses(summary: dict, corpus: list[dict]) -> None:
    assert 0.03 < summary["escalated"] / summary["conversations"] < 0.25
    assert set(summary["statuses"]) == {"resolved", "open", "pending"}
    escalated = [r for r in corpus if r["escalated"]]
    assert all(r["status"] != "resolved" for r in escalated)


def test_good_agents_ask_for_steps_expected_actual(corpus: list[dict]) -> None:
    asked = [r for r in corpus if "bug_report" in r["tags"]]
    assert len(asked) > 50
    sample = " ".join(m["text"] for r in asked for m in r["messages"] if m["role"] == "agent")
    assert "шаги" in sample.lower() and "steps" in sample.lower()


def test_customers_vary_in_mood(corpus: list[dict]) -> None:
    openings = [r["messages"][0]["text"] for r in corpus if r["messages"][0]["role"] == "customer"]
    assert sum("!!!" in t for t in openings) > 100
    thanks = ("спасибо, всё заработало", "that fixed it, thanks")
    texts = [m["text"].lower() for r in corpus for m in r["messages"] if m["role"] == "customer"]
    assert all(any(t in x for x in texts) for t in thanks)


def test_every_record_matches_the_import_format(corpus: list[dict]) -> None:
    for r in corpus:
        assert_valid(r)
    ids = [r["conversation_id"] for r in corpus]
    assert len(set(ids)) == len(ids)


def assert_valid(r: dict) -> None:
    required = {"conversation_id", "channel", "language", "started_at", "customer_id", "tags"}
    assert required <= set(r), r["conversation_id"]
    assert r["channel"] in CHANNELS and r["language"] in {"ru", "en"}
    assert r["status"] in {"resolved", "open", "pending"} and isinstance(r["escalated"], bool)
    assert r["team"] in TEAMS and r["customer_id"].startswith("cust-")
    assert 1 <= r.get("csat", 3) <= 5 and 0 <= r.get("nps", 5) <= 10
    assert ("subject" in r) == (r["channel"] == "email")
    started = datetime.fromisoformat(r["started_at"])
    assert started.tzinfo is not None
    times = [datetime.fromisoformat(m["sent_at"]) for m in r["messages"]]
    assert times[0] == started and times == sorted(times)
    assert all(t.tzinfo is not None for t in times)
    for m in r["messages"]:
        assert m["role"] in {"customer", "agent", "system"} and m["text"].strip()
        if m["role"] == "agent":
            assert m["author"] in LOGINS
        if m["role"] == "customer":
            assert m["author"] == r["customer_id"]
        assert "{" not in m["text"] and "[" not in m["text"], m["text"]


def test_time_zone_offsets_follow_language(corpus: list[dict]) -> None:
    offsets = {lang: Counter() for lang in ("ru", "en")}
    for r in corpus:
        offsets[r["language"]][r["started_at"][-6:]] += 1
    assert offsets["ru"].most_common(1)[0][0] == "+03:00"
    assert {"+00:00", "-05:00"} <= set(offsets["en"])


def test_russian_agents_write_russian_and_bilingual_agents_both(corpus: list[dict]) -> None:
    languages: dict[str, set[str]] = {}
    for r in corpus:
        for m in r["messages"]:
            if m["role"] == "agent":
                languages.setdefault(m["author"], set()).add(r["language"])
    for agent in AGENTS:
        assert languages[agent.login] == set(agent.languages), agent.login


def test_sentence_splitter_and_persona_catalogue() -> None:
    assert split_sentences("Добрый день! Проверю.\nС уважением,\nАнна") == [
        "Добрый день!",
        "Проверю.",
        "С уважением,",
        "Анна",
    ]
    assert {"warm_slow", "fast_curt", "jargon", "resolver", "polite_misses"} <= set(PERSONAS)
    assert {"rude_under_pressure", "new_hire", "solid"} <= set(PERSONAS)
    assert agent_sentences([], "ru") == set()


def test_demo_corpus_keeps_records_and_summary_for_a_small_window() -> None:
    small = DemoCorpus(seed=3, n_conversations=120, weeks=4, end=date(2026, 2, 1))
    summary = small.summary()
    assert summary["conversations"] == 120
    assert set(summary["weeks"]) <= {0, 1, 2, 3}
    assert all(r["started_at"] < "2026-02-02" for r in small.records)


def test_readme_figures_match_the_default_corpus(summary: dict) -> None:
    readme = (Path(__file__).resolve().parent.parent / "qa_app" / "demo" / "README.md").read_text(
        "utf-8"
    )
    sentences = summary["distinct_agent_sentences"]
    expected = [
        f"| conversations / messages | {summary['conversations']:,} / {summary['messages']:,} |",
        f"| with CSAT / with NPS | {summary['with_csat']:,} / {summary['with_nps']:,} |",
        f"| distinct agent sentences | ru {sentences['ru']:,}, en {sentences['en']:,} |",
        f"| escalated | {summary['escalated']:,} |",
    ]
    for line in expected:
        assert line in readme
