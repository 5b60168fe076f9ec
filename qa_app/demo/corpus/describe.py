"""Counts that describe a corpus: what the README reports and the tests check."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def split_sentences(text: str) -> list[str]:
    """Sentences of a message: split after . ! ? … and at line breaks."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def agent_sentences(records: Iterable[dict], language: str) -> set[str]:
    """Distinct sentences agents wrote in conversations of one language."""
    found: set[str] = set()
    for record in records:
        if record["language"] != language:
            continue
        for message in record["messages"]:
            if message["role"] == "agent":
                found.update(split_sentences(message["text"]))
    return found


def _sorted(counter: Counter) -> dict:
    return dict(sorted(counter.items()))


def describe(records: Iterable[dict], first_day: date | None = None) -> dict:
    """Conversations per channel, language, team, agent, week and weekday, and more.

    Weeks are counted from ``first_day`` (default: the first conversation's date).
    """
    records = list(records)
    starts = [datetime.fromisoformat(r["started_at"]) for r in records]
    first_day = first_day or min(s.date() for s in starts)
    agents: Counter = Counter()
    for r in records:
        agents.update({m["author"] for m in r["messages"] if m["role"] == "agent"})
    customers = Counter(r["customer_id"] for r in records)
    languages = sorted({r["language"] for r in records})
    return {
        "conversations": len(records),
        "messages": sum(len(r["messages"]) for r in records),
        "channels": _sorted(Counter(r["channel"] for r in records)),
        "languages": _sorted(Counter(r["language"] for r in records)),
        "teams": _sorted(Counter(r["team"] for r in records)),
        "agents": _sorted(agents),
        "weeks": _sorted(Counter((s.date() - first_day).days // 7 for s in starts)),
        "weekdays": {d: sum(s.weekday() == i for s in starts) for i, d in enumerate(WEEKDAYS)},
        "statuses": _sorted(Counter(r["status"] for r in records)),
        "tags": _sorted(Counter(t for r in records for t in r["tags"])),
        "with_csat": sum("csat" in r for r in records),
        "with_nps": sum("nps" in r for r in records),
        "escalated": sum(bool(r["escalated"]) for r in records),
        "customers": len(customers),
        "repeat_customers": sum(1 for n in customers.values() if n > 1),
        "distinct_agent_sentences": {
            lang: len(agent_sentences(records, lang)) for lang in languages
        },
    }
