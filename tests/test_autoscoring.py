"""Scoring the database: new and changed conversations only, explained rows, both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from ui_harness import seed_conversations

from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.autoqa import scoring_runs as autoscoring
from qa_app.services.errors import InvalidInput, PermissionDenied
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import AutoScore, AutoScoreRun, Conversation, Message
from scoring.pipeline.autoqa import AutoQAPipeline

PIPELINE = AutoQAPipeline()  # loaded once for the module: the scorers are the slow part


def _score(url: str, **kwargs) -> autoscoring.ScoringSummary:
    with unit_of_work(url) as session:
        return autoscoring.score_conversations(session, SYSTEM, pipeline=PIPELINE, **kwargs)


def test_scores_new_then_only_changed(db_url):
    ids = seed_conversations(db_url, count=12)
    seen: list[tuple] = []
    first = _score(db_url, batch_size=5, progress=lambda *args: seen.append(args))
    assert (first.candidates, first.scored, first.messages) == (12, 12, 24)
    assert seen[0][:2] == (0, 12) and seen[-1][:2] == (12, 12)
    assert [done for done, *_ in seen] == [0, 5, 10, 12]
    assert all(rate >= 0 for _, _, rate, _ in seen[1:]) and seen[-1][3] == 0
    again = _score(db_url)
    assert again.candidates == 0 and again.scored == 0
    with unit_of_work(db_url) as session:  # a re-import changed one conversation's content
        session.execute(
            update(Conversation).where(Conversation.id == ids[3]).values(content_hash="changed")
        )
        session.execute(
            update(Message)
            .where(Message.conversation_id == ids[3], Message.seq == 1)
            .values(text="Это не мои проблемы, ждите.")
        )
    changed = _score(db_url)
    assert changed.scored == 1
    with unit_of_work(db_url) as session:
        run = session.get(AutoScoreRun, ids[3])
        assert run.content_hash == "changed"
        assert session.scalar(select(func.count()).select_from(AutoScoreRun)) == 12
        texts = {
            r.task: r
            for r in session.scalars(
                select(AutoScore).where(
                    AutoScore.conversation_id == ids[3], AutoScore.message_id.is_not(None)
                )
            )
        }
        assert "politeness" in texts and "sentiment" in texts


def test_rows_explain_messages_and_signals(db_url):
    ids = seed_conversations(db_url, count=2)
    _score(db_url)
    with unit_of_work(db_url) as session:
        run = session.get(AutoScoreRun, ids[0])
        assert run.pipeline_version == PIPELINE.version
        assert set(run.signals["politeness"]) == {"value", "unit", "normalised", "label"}
        assert 0.0 <= run.signals["politeness"]["normalised"] <= 1.0
        agent_message = session.scalar(
            select(Message.id).where(Message.conversation_id == ids[0], Message.seq == 1)
        )
        polite = session.scalar(
            select(AutoScore).where(
                AutoScore.message_id == agent_message, AutoScore.task == "politeness"
            )
        )
        assert polite.label in ("polite", "neutral", "impolite")
        spans = polite.evidence
        assert spans and set(spans[0]) == {"start", "end", "rule", "weight", "text"}
        text = session.scalar(select(Message.text).where(Message.id == agent_message))
        assert all(text[s["start"] : s["end"]] == s["text"] for s in spans if s["end"] > s["start"])
        signal_rows = session.scalars(
            select(AutoScore).where(
                AutoScore.conversation_id == ids[0], AutoScore.message_id.is_(None)
            )
        ).all()
        names = {r.task for r in signal_rows}
        assert {"politeness", "empathy", "first_response_sla"} <= names
        assert len(names) == len(signal_rows)  # one row per signal, no duplicates


def test_pipeline_change_rescores_everything_and_replaces_rows(db_url):
    seed_conversations(db_url, count=4)
    _score(db_url)
    with unit_of_work(db_url) as session:
        before = session.scalar(select(func.count()).select_from(AutoScore))
        session.execute(update(AutoScoreRun).values(pipeline_version="autoqa-0+old"))
    summary = _score(db_url)
    assert summary.scored == 4
    with unit_of_work(db_url) as session:
        assert session.scalar(select(func.count()).select_from(AutoScore)) == before
    assert _score(db_url, rescore_all=True, limit=3).scored == 3


def test_only_leads_and_admins_start_a_run(db_url):
    reviewer = Actor(1, "rita", "reviewer")
    with unit_of_work(db_url) as session, pytest.raises(PermissionDenied):
        autoscoring.score_conversations(session, reviewer, pipeline=PIPELINE)
    with unit_of_work(db_url) as session, pytest.raises(InvalidInput):
        autoscoring.score_conversations(session, SYSTEM, pipeline=PIPELINE, batch_size=0)


def test_read_side_evidence_distributions_and_status(db_url):
    from qa_app.services.autoqa import queries

    ids = seed_conversations(db_url, count=6)
    with unit_of_work(db_url) as session:
        before = queries.scoring_status(session, SYSTEM, PIPELINE.version)
        assert (before.total, before.scored, before.to_score, before.last_run) == (6, 0, 6, None)
    _score(db_url)
    with unit_of_work(db_url) as session:
        status = queries.scoring_status(session, SYSTEM, PIPELINE.version)
        assert (status.scored, status.current, status.to_score) == (6, 6, 0)
        assert status.versions == {PIPELINE.version: 6} and status.last_run is not None
        evidence = queries.message_evidence(session, ids[0])
        assert set(evidence) == {0, 1}
        assert [lab.task for lab in evidence[0].labels] == ["sentiment"]
        assert {lab.task for lab in evidence[1].labels} >= {"politeness", "empathy"}
        text = session.scalar(
            select(Message.text).where(Message.conversation_id == ids[0], Message.seq == 1)
        )
        polite = [s for s in evidence[1].spans if s.kind == "polite"]
        assert polite and all(0 <= s.start < s.end <= len(text) for s in polite)
        frame = queries.agent_signal_frame(session, SYSTEM)
        assert set(frame["signal"]) <= set(queries.KEY_SIGNALS)
        assert sorted(frame["agent"].unique()) == ["a.petrova", "i.ivanov"]
        summary = queries.agent_signal_summary(frame)
        assert summary.query("signal == 'politeness'")["n"].tolist() == [3, 3]
        own_id = int(frame["agent_id"].iloc[0])
        agent = Actor(None, "a", "agent", agent_id=own_id)
        mine = queries.agent_signal_frame(session, agent)
        assert set(mine["agent_id"]) == {own_id}
        with pytest.raises(PermissionDenied):
            queries.scoring_status(session, agent, PIPELINE.version)
