"""The demo personas must be visible in the automatic scores (pipeline only, no database).

Run ``python tests/test_autoqa_personas.py [n]`` to print the per-persona table.
"""

from __future__ import annotations

import sys
from datetime import datetime

import pandas as pd
import pytest

from scoring.pipeline.autoqa import AutoQAPipeline
from scoring.pipeline.conversation import Conversation, Message

demo_corpus = pytest.importorskip(
    "qa_app.demo.corpus.generator", reason="demo corpus not importable"
)
from qa_app.demo.corpus.personas import AGENTS  # noqa: E402

N_CONVERSATIONS = 300
SIGNALS = ("politeness", "empathy", "clarity", "jargon", "first_response_time")


def _conversation(record: dict) -> Conversation:
    messages = [
        Message(m["role"], m["text"], datetime.fromisoformat(m["sent_at"]), m.get("author"))
        for m in record["messages"]
    ]
    return Conversation(record["conversation_id"], record["channel"], record["language"], messages)


def _agent(record: dict) -> str | None:
    authors = [m.get("author") for m in record["messages"] if m["role"] == "agent"]
    return authors[0] if authors else None


def persona_frame(n_conversations: int = N_CONVERSATIONS) -> pd.DataFrame:
    """One row per scored conversation: persona, agent and the key signal values."""
    persona_of = {a.login: a.persona for a in AGENTS}
    records = list(demo_corpus.generate_corpus(n_conversations=n_conversations))
    results = AutoQAPipeline().score_conversations([_conversation(r) for r in records])
    rows = []
    for record, scores in zip(records, results, strict=True):
        agent = _agent(record)
        if agent not in persona_of:
            continue
        values = scores.values()
        rows.append(
            {"persona": persona_of[agent], "agent": agent, **{s: values.get(s) for s in SIGNALS}}
        )
    return pd.DataFrame(rows)


def persona_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Means per persona (median for first-response time, in seconds) and n."""
    table = frame.groupby("persona")[list(SIGNALS[:-1])].mean()
    table["first_response_median_s"] = frame.groupby("persona")["first_response_time"].median()
    table["n"] = frame.groupby("persona").size()
    return table.round(3)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return persona_table(persona_frame())


def _lowest(table: pd.DataFrame, column: str) -> str:
    return str(table[column].idxmin())


def _highest(table: pd.DataFrame, column: str) -> str:
    return str(table[column].idxmax())


def test_every_persona_has_a_fair_sample(table):
    assert table["n"].min() >= 15, table["n"].to_dict()


def test_curt_agents_are_least_polite_and_least_empathetic(table):
    assert _lowest(table, "politeness") == "fast_curt", table["politeness"].to_dict()
    assert _lowest(table, "empathy") == "fast_curt", table["empathy"].to_dict()


def test_jargon_agents_are_least_clear_and_most_jargon(table):
    assert _lowest(table, "clarity") == "jargon", table["clarity"].to_dict()
    assert _highest(table, "jargon") == "jargon", table["jargon"].to_dict()


def test_warm_slow_agents_answer_last_and_show_most_empathy(table):
    slowest = _highest(table, "first_response_median_s")
    assert slowest == "warm_slow", table["first_response_median_s"].to_dict()
    assert _highest(table, "empathy") == "warm_slow", table["empathy"].to_dict()


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else N_CONVERSATIONS
    with pd.option_context("display.width", 200):
        print(persona_table(persona_frame(count)).to_string())
