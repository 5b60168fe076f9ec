"""Personas show in the text and the timings, measured with simple proxies."""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from datetime import date

import pytest

from qa_app.demo.corpus.feedback import first_response_minutes
from qa_app.demo.corpus.generator import default_records
from qa_app.demo.corpus.personas import AGENTS

PERSONA_OF = {a.login: a.persona for a in AGENTS}
JARGON = re.compile(
    r"\b(L2|SLA|API|OAuth|DNS|PSP|WMS|CRM|ETA|SSO|2FA|OTP|TMS|3PL|ARN|SKU|GDPR|HAR|P[23]|"
    r"refund|callback|capture|cron|webhook|Jira|stack trace|WebView|entitlements?|"
    r"токен\w*|token|бэк\w*|backend|хаб\w*|тикет\w*|ticket|кэш\w*|cache|deploy|деплоя)\b",
    re.IGNORECASE,
)
RUDE = re.compile(r"как я уже|повторяю ещё раз|as i already said|once again|as i wrote above", re.I)
WORD = re.compile(r"[^\W\d_]+")


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return list(default_records())


def agent_messages(corpus: list[dict]) -> dict[str, list[str]]:
    """Texts of agent messages per persona (chat, messenger and email only)."""
    found: dict[str, list[str]] = defaultdict(list)
    for r in corpus:
        if r["channel"] in ("chat", "messenger", "email"):
            for m in r["messages"]:
                if m["role"] == "agent":
                    found[PERSONA_OF[m["author"]]].append(m["text"])
    return found


def first_author(record: dict) -> str:
    return next(m["author"] for m in record["messages"] if m["role"] == "agent")


def test_curt_agents_write_far_shorter_replies(corpus: list[dict]) -> None:
    texts = agent_messages(corpus)
    curt = statistics.mean(len(t) for t in texts["fast_curt"])
    warm = statistics.mean(len(t) for t in texts["warm_slow"])
    assert curt * 5 < warm


def test_jargon_agents_use_many_terms(corpus: list[dict]) -> None:
    texts = agent_messages(corpus)

    def rate(persona: str) -> float:
        return statistics.mean(len(JARGON.findall(t)) for t in texts[persona])

    assert rate("jargon") > 1.0
    assert rate("jargon") > 4 * rate("solid")


def test_new_hire_typos_fade_week_by_week(corpus: list[dict]) -> None:
    vocabulary: set[str] = set()
    hire: dict[int, list[str]] = defaultdict(list)
    first = min(r["started_at"][:10] for r in corpus)
    for r in corpus:
        for m in r["messages"]:
            if m["role"] != "agent":
                continue
            words = [w.lower() for w in WORD.findall(m["text"])]
            if PERSONA_OF[m["author"]] == "new_hire":
                hire[week_index(r["started_at"], first)] += words
            else:
                vocabulary.update(words)

    def unknown(weeks: range) -> float:
        words = [w for k in weeks for w in hire[k]]
        return sum(w not in vocabulary for w in words) / len(words)

    early, late = unknown(range(0, 3)), unknown(range(9, 12))
    assert early > 0.04
    assert early > 3 * late


def week_index(started_at: str, first: str) -> int:
    return (date.fromisoformat(started_at[:10]) - date.fromisoformat(first)).days // 7


def test_slow_agents_have_the_highest_median_first_response(corpus: list[dict]) -> None:
    waits: dict[str, list[float]] = defaultdict(list)
    for r in corpus:
        if r["channel"] == "chat":
            waits[first_author(r)].append(first_response_minutes(r["messages"]))
    medians = {login: statistics.median(w) for login, w in waits.items()}
    slowest = sorted(medians, key=medians.get, reverse=True)[:2]
    assert {PERSONA_OF[s] for s in slowest} == {"warm_slow"}
    fastest = min(medians, key=medians.get)
    assert PERSONA_OF[fastest] == "fast_curt"


def test_resolver_best_and_polite_misser_worst_at_resolving(corpus: list[dict]) -> None:
    outcome: dict[str, list[bool]] = defaultdict(list)
    csat: dict[str, list[int]] = defaultdict(list)
    for r in corpus:
        persona = PERSONA_OF[first_author(r)]
        outcome[persona].append(r["status"] == "resolved")
        if "csat" in r:
            csat[persona].append(r["csat"])
    rate = {p: sum(v) / len(v) for p, v in outcome.items()}
    assert max(rate, key=rate.get) == "resolver"
    assert min(rate, key=rate.get) == "polite_misses"
    mean_csat = {p: statistics.mean(v) for p, v in csat.items()}
    assert max(mean_csat, key=mean_csat.get) == "resolver"


def test_polite_misser_makes_customers_repeat(corpus: list[dict]) -> None:
    repeated = re.compile(
        r"не ответили на мой вопрос|о другом|didn't answer my question|not what", re.I
    )
    share: dict[str, list[bool]] = defaultdict(list)
    for r in corpus:
        texts = " ".join(m["text"] for m in r["messages"] if m["role"] == "customer")
        share[PERSONA_OF[first_author(r)]].append(bool(repeated.search(texts)))
    assert sum(share["polite_misses"]) / len(share["polite_misses"]) > 0.3
    assert sum(share["solid"]) / len(share["solid"]) < 0.05


def test_rude_agents_snap_only_at_angry_customers(corpus: list[dict]) -> None:
    rude_angry, rude_calm = [], []
    for r in corpus:
        if PERSONA_OF[first_author(r)] != "rude_under_pressure":
            continue
        agent_text = " ".join(m["text"] for m in r["messages"] if m["role"] == "agent")
        bucket = rude_angry if "complaint" in r["tags"] else rude_calm
        bucket.append(bool(RUDE.search(agent_text)))
    assert sum(rude_angry) / len(rude_angry) > 0.4
    assert sum(rude_calm) / len(rude_calm) < 0.05


def test_warm_agents_turn_angry_customers_around(corpus: list[dict]) -> None:
    calmer = re.compile(
        r"извините, что|извините за резкость|sorry for snapping|sorry i was short", re.I
    )
    turned = [
        r
        for r in corpus
        if "complaint" in r["tags"]
        and any(calmer.search(m["text"]) for m in r["messages"] if m["role"] == "customer")
    ]
    assert len(turned) > 20
    assert {PERSONA_OF[first_author(r)] for r in turned} <= {
        "warm_slow",
        "resolver",
        "solid",
        "new_hire",
    }


def test_russian_past_tense_agrees_with_the_agent_gender(corpus: list[dict]) -> None:
    gender = {a.login: a.gender for a in AGENTS}
    masculine = re.compile(r"\b[Яя] (проверил|оформил|передал|отключил|обновил|снял)\b")
    feminine = re.compile(r"\b[Яя] (проверила|оформила|передала|отключила|обновила|сняла)\b")
    seen = {"m": 0, "f": 0}
    for r in corpus:
        if r["language"] != "ru":
            continue
        for m in r["messages"]:
            if m["role"] != "agent":
                continue
            wrong = feminine if gender[m["author"]] == "m" else masculine
            right = masculine if gender[m["author"]] == "m" else feminine
            assert not wrong.search(m["text"]), m["text"]
            seen[gender[m["author"]]] += bool(right.search(m["text"]))
    assert seen["m"] > 50 and seen["f"] > 50
