"""Sampling on both databases: reproducible, quota-bound, never double-assigned."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from review_fixtures import BASE_TIME, seed_workflow
from sqlalchemy.exc import IntegrityError

from qa_app.cli import cli
from qa_app.services.errors import Conflict, InvalidInput, PermissionDenied
from qa_app.services.sampling import ConversationFilters
from qa_app.services.sampling import plans as sampling
from qa_app.services.sampling.strategies import Candidate, choose, risk_reasons
from qa_app.storage import db as storage_db
from qa_app.storage.models import Assignment, AuditEvent, AutoScoreRun, Conversation

FILTER_FIELDS = {f.name for f in fields(ConversationFilters)}


def _request(**overrides) -> sampling.SampleRequest:
    values = {"strategy": "stratified", "per_agent_week": 2, "reviewers": ("rev1", "rev2")}
    filters = {k: overrides.pop(k) for k in list(overrides) if k in FILTER_FIELDS}
    return sampling.SampleRequest(**(values | overrides), filters=ConversationFilters(**filters))


def test_same_seed_same_sample_and_quota_per_agent_week(db_url):
    flow = seed_workflow(db_url, conversations=20)
    with storage_db.unit_of_work(db_url) as session:
        first = sampling.preview_sample(session, flow.lead, _request(seed=7))
        again = sampling.preview_sample(session, flow.lead, _request(seed=7))
        other = sampling.preview_sample(session, flow.lead, _request(seed=8))
        assert session.query(Assignment).count() == 0  # a preview changes nothing
    ids = [i.conversation_id for i in first.items]
    assert ids == [i.conversation_id for i in again.items]
    assert sorted(ids) != sorted(i.conversation_id for i in other.items) or len(ids) == 20
    per_group: dict = {}
    for item in first.items:
        per_group[(item.agent, item.week)] = per_group.get((item.agent, item.week), 0) + 1
        assert item.reasons[0].startswith("quota:")
    assert max(per_group.values()) <= 2
    counts = first.per_reviewer()
    assert abs(counts["rev1"] - counts["rev2"]) <= 1


def test_create_assigns_once_and_a_second_sample_skips_assigned(db_url):
    flow = seed_workflow(db_url, conversations=12)
    with storage_db.unit_of_work(db_url) as session:
        plan = sampling.create_sample(session, flow.lead, _request(per_agent_week=1))
        assert len(plan.created_ids) == len(plan.items) > 0
    with storage_db.unit_of_work(db_url) as session:
        second = sampling.create_sample(session, flow.lead, _request(per_agent_week=50))
        overlap = {i.conversation_id for i in plan.items} & {
            i.conversation_id for i in second.items
        }
        assert overlap == set()
        assert session.query(Assignment).count() == 12
        event = session.query(AuditEvent).filter_by(action="sample.created").first()
        assert event.details["assignments"] == len(plan.items)
    with storage_db.unit_of_work(db_url) as session:
        empty = sampling.preview_sample(session, flow.lead, _request(per_agent_week=50))
        assert empty.items == ()


def test_service_check_and_database_index_refuse_a_second_reviewer(db_url):
    flow = seed_workflow(db_url, conversations=2)
    conv_id = flow.conversation_ids[0]
    with storage_db.unit_of_work(db_url) as session:
        sampling.assign_conversation(session, flow.lead, conv_id, "rev1")
    with storage_db.unit_of_work(db_url) as session, pytest.raises(Conflict):
        sampling.assign_conversation(session, flow.lead, conv_id, "rev2")
    with pytest.raises(IntegrityError), storage_db.unit_of_work(db_url) as session:
        session.add(
            Assignment(
                conversation_id=conv_id,
                reviewer_id=flow.reviewers[1].user_id,
                rubric_version_id=flow.rubric_version_id,
            )
        )
        session.flush()
    with storage_db.unit_of_work(db_url) as session:
        row = session.query(Assignment).filter_by(conversation_id=conv_id).one()
        row.status = "cancelled"
    with storage_db.unit_of_work(db_url) as session:  # cancelled frees the conversation
        sampling.assign_conversation(session, flow.lead, conv_id, "rev2")


def test_load_balancing_prefers_the_reviewer_with_the_shorter_queue(db_url):
    flow = seed_workflow(db_url, conversations=10)
    with storage_db.unit_of_work(db_url) as session:
        for conv_id in flow.conversation_ids[:4]:
            sampling.assign_conversation(session, flow.lead, conv_id, "rev1")
    with storage_db.unit_of_work(db_url) as session:
        plan = sampling.preview_sample(session, flow.lead, _request(strategy="random", size=4))
    assert plan.per_reviewer() == {"rev2": 4}


def test_filters_and_risk_reasons(db_url):
    flow = seed_workflow(db_url, conversations=12)
    with storage_db.unit_of_work(db_url) as session:
        convs = {c.id: c for c in session.query(Conversation)}
        target = convs[flow.conversation_ids[2]]
        target.escalated = True
        target.first_response_seconds = 3600.0  # chat SLA is 15 min
        session.add(
            AutoScoreRun(
                conversation_id=target.id,
                pipeline_version="t",
                content_hash="h",
                # the document autoscoring.run_signals writes
                signals={
                    "sentiment_end": {"value": -0.8, "unit": "-1..1", "normalised": 0.1},
                    "politeness": {"value": 0.2, "unit": "0..1", "normalised": 0.2},
                },
            )
        )
    with storage_db.unit_of_work(db_url) as session:
        plan = sampling.preview_sample(
            session, flow.lead, _request(strategy="risk", per_agent_week=1, channels=("chat",))
        )
        assert all(i.channel == "chat" for i in plan.items)
        top = next(i for i in plan.items if i.conversation_id == target.id)
        assert {"escalated", "sla_breach", "negative_sentiment", "low_politeness"} <= set(
            top.reasons
        )
        start = BASE_TIME.date() + timedelta(days=1)
        dated = sampling.preview_sample(
            session,
            flow.lead,
            _request(strategy="random", size=50, date_from=start, date_to=start),
        )
        assert dated.items and all(i.started_at.date() == start for i in dated.items)
        with pytest.raises(InvalidInput):
            sampling.preview_sample(session, flow.lead, _request(strategy="lucky"))
        with pytest.raises(PermissionDenied):
            sampling.preview_sample(session, flow.reviewers[0], _request())


def test_repeat_contact_is_a_risk_reason():
    base = Candidate(1, "c-1", "a", "t", "chat", "en", BASE_TIME, csat=2, repeat_contact=True)
    assert risk_reasons(base) == ("low_csat", "repeat_contact")
    pool = [base] + [
        Candidate(i, f"c-{i}", "a", "t", "chat", "en", BASE_TIME + timedelta(hours=i), csat=5)
        for i in range(2, 8)
    ]
    picks = choose("risk", pool, per_agent_week=1, size=None, seed=1)
    assert [p.candidate.conversation_id for p in picks] == [1]


def test_cli_dry_run_then_create(sqlite_url):
    flow = seed_workflow(sqlite_url, conversations=8)
    runner = CliRunner()
    args = [
        "--db",
        flow.url,
        "sample",
        "--strategy",
        "stratified",
        "--per-agent-week",
        "1",
        "--reviewers",
        "rev1,rev2",
        "--seed",
        "42",
        "--from",
        str(date(2026, 3, 1)),
    ]
    dry = runner.invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output.lower()
    with storage_db.unit_of_work(flow.url) as session:
        assert session.query(Assignment).count() == 0
    real = runner.invoke(cli, args)
    assert real.exit_code == 0, real.output
    with storage_db.unit_of_work(flow.url) as session:
        assert session.query(Assignment).count() > 0
    bad = runner.invoke(cli, ["--db", flow.url, "sample", "--reviewers", "nobody"])
    assert bad.exit_code != 0 and "nobody" in bad.output


def test_repeat_contact_found_in_the_database(db_url):
    flow = seed_workflow(db_url, conversations=6)
    first, second, far = (
        flow.conversation_ids[0],
        flow.conversation_ids[2],
        flow.conversation_ids[4],
    )
    with storage_db.unit_of_work(db_url) as session:
        convs = {c.id: c for c in session.query(Conversation)}
        for conv_id in (first, second, far):
            convs[conv_id].customer_id = "same-customer"
        convs[second].started_at = convs[first].started_at + timedelta(days=3)
        convs[far].started_at = convs[first].started_at + timedelta(days=30)
    with storage_db.unit_of_work(db_url) as session:
        candidates = {
            c.conversation_id: c for c in sampling.load_candidates(session, ConversationFilters())
        }
    assert candidates[first].repeat_contact
    assert not candidates[second].repeat_contact
    assert not candidates[far].repeat_contact
