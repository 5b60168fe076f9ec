"""The demo's bot-answered chats: deterministic, both languages, and each ending is what
the hand-over measure finds in it (the threshold holds on generated text too)."""

from __future__ import annotations

from datetime import datetime

from qa_app.demo.corpus.bot_chats import BOT_SHARE, bot_chats
from qa_app.demo.corpus.generator import DEFAULT_END
from qa_app.ingest.bot_authors import bot_authors
from scoring.pipeline.conversation import Message, normalise_role
from scoring.pipeline.handover import find_handover


def _messages(record: dict) -> list[Message]:
    bots = bot_authors()
    return [
        Message(
            "bot" if bots.is_bot(m["author"]) else normalise_role(m["role"]),
            m["text"],
            datetime.fromisoformat(m["sent_at"]),
            m["author"],
        )
        for m in record["messages"]
    ]


def test_the_same_seed_gives_the_same_chats_in_both_languages() -> None:
    chats = bot_chats(20260301, 2400, DEFAULT_END)
    assert chats == bot_chats(20260301, 2400, DEFAULT_END)
    assert len(chats) == 2400 // BOT_SHARE
    assert {c["language"] for c in chats} == {"ru", "en"}
    assert len({c["conversation_id"] for c in chats}) == len(chats)
    assert bot_chats(1, 2400, DEFAULT_END) != chats
    assert bot_chats(20260301, 80, DEFAULT_END) == []  # small demos stay as they were


def test_each_ending_is_what_the_handover_measure_finds() -> None:
    endings = {"alone": 0, "handed_over": 0, "repeated": 0}
    for record in bot_chats(20260301, 2400, DEFAULT_END):
        found = find_handover(_messages(record))
        assert found is not None
        if not found.handed_over:
            endings["alone"] += 1
        elif found.repeated:
            endings["repeated"] += 1
            assert found.seconds is not None and found.seconds > 0
        else:
            assert found.repeated is False
            endings["handed_over"] += 1
    assert all(count >= 4 for count in endings.values()), endings
