"""The new sampling filters on both databases: CSAT and NPS ranges, handle time,
escalation, repeat contact and the automatic signals read from the stored JSON."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sampling_fixtures import add_signals, seed_plan_world
from sqlalchemy import select

from qa_app.services import database, sampling
from qa_app.services.errors import InvalidInput
from qa_app.services.sampling import ConversationFilters
from qa_app.storage import db as storage_db
from qa_app.storage.models import Conversation


@pytest.fixture
def world(db_url):
    """Week-0 conversations with one of each property; the rest plain."""
    world = seed_plan_world(db_url, per_agent_week=3)
    ids = world.weeks[0]
    with storage_db.unit_of_work(db_url) as session:
        rows = {c.id: c for c in session.scalars(select(Conversation))}
        for cid in ids:
            rows[cid].csat, rows[cid].nps = 5, 9
            rows[cid].ended_at = rows[cid].started_at + timedelta(minutes=10)
        rows[ids[0]].csat, rows[ids[1]].csat = 1, 2
        rows[ids[2]].nps = 0
        rows[ids[3]].escalated = True
        rows[ids[4]].ended_at = rows[ids[4]].started_at + timedelta(hours=3)
        rows[ids[5]].customer_id = rows[ids[6]].customer_id = "same-customer"
        rows[ids[6]].started_at = rows[ids[5]].started_at + timedelta(days=2)
        add_signals(session, ids[7], sentiment_end=-0.8, rudeness=0.1, missed_empathy=0.0)
        add_signals(session, ids[8], sentiment_end=0.5, rudeness=0.9, missed_empathy=0.0)
        add_signals(session, ids[9], sentiment_end=0.2, rudeness=0.0, missed_empathy=2.0)
        add_signals(session, ids[10], sentiment_end=0.6, rudeness=0.0, missed_empathy=0.0)
    return world


def _ids(world, **filters) -> set[int]:
    request = sampling.SampleRequest(
        strategy="random", size=1000, reviewers=("rev1",), filters=ConversationFilters(**filters)
    )
    plan = sampling.sample_preview(database.unit_of_work(world.url), world.lead, request)
    return {item.conversation_id for item in plan.items}


def test_each_filter_keeps_exactly_its_conversations(world):
    ids = world.weeks[0]
    assert _ids(world, csat_max=2) == {ids[0], ids[1]}
    assert _ids(world, csat_min=2, csat_max=2) == {ids[1]}
    assert _ids(world, nps_max=6) == {ids[2]}
    assert _ids(world, escalated=True) == {ids[3]}
    assert ids[3] not in _ids(world, escalated=False)
    assert _ids(world, handle_min_minutes=60) == {ids[4]}
    assert ids[4] not in _ids(world, handle_max_minutes=30)
    assert _ids(world, repeat_contact=True) == {ids[5], ids[6]}
    assert _ids(world, negative_ending=True) == {ids[7]}
    assert _ids(world, rudeness=True) == {ids[8]}
    assert _ids(world, missed_empathy=True) == {ids[9]}
    # "no" means scored and not flagged, not "unknown"
    assert _ids(world, rudeness=False) == {ids[7], ids[9], ids[10]}


def test_filters_combine_and_are_kept_by_plans(world):
    ids = world.weeks[0]
    assert _ids(world, csat_max=2, agents=(world.agent_logins[0],)) == {ids[0]}
    document = ConversationFilters(csat_max=2, rudeness=True, channels=("chat",)).to_document()
    assert document == {"channels": ["chat"], "csat_max": 2, "rudeness": True}
    assert ConversationFilters.from_document(document) == ConversationFilters(
        channels=("chat",), csat_max=2, rudeness=True
    )


@pytest.mark.parametrize(
    ("filters", "key"),
    [
        ({"csat_min": 0}, "sampling.error.range"),
        ({"csat_min": 4, "csat_max": 2}, "sampling.error.range_reversed"),
        ({"nps_max": 11}, "sampling.error.range"),
        ({"handle_min_minutes": -5}, "sampling.error.range"),
    ],
)
def test_impossible_ranges_are_refused_by_name(world, filters, key):
    with pytest.raises(InvalidInput) as caught:
        _ids(world, **filters)
    assert caught.value.key == key
