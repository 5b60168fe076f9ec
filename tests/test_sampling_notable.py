"""The notable-conversations list on both databases: reasons with their numbers, ranking,
paging, the reason filter, and sending to review in one step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sampling_fixtures import WEEK1, add_signals, seed_plan_world
from sqlalchemy import select

from qa_app.services import database, reviews, sampling
from qa_app.services.errors import Conflict, InvalidInput, PermissionDenied
from qa_app.services.sampling import ConversationFilters
from qa_app.storage import db as storage_db
from qa_app.storage.models import Assignment, Conversation

NOW = WEEK1 + timedelta(days=9)


@pytest.fixture
def world(db_url):
    world = seed_plan_world(db_url, per_agent_week=3)
    ids = world.weeks[0]
    with storage_db.unit_of_work(db_url) as session:
        rows = {c.id: c for c in session.scalars(select(Conversation))}
        rows[ids[0]].csat, rows[ids[0]].first_response_seconds = 1, 3 * 3600  # chat, 3 h
        rows[ids[1]].escalated, rows[ids[1]].status = True, "open"
        rows[ids[2]].escalated = True  # escalated but resolved: not notable by itself
        for n, cid in enumerate(ids[3:6]):  # the same customer three times in 5 days
            rows[cid].customer_id = "c-repeat"
            rows[cid].started_at = WEEK1 + timedelta(days=1 + 2 * n)
        add_signals(session, ids[6], rudeness=0.92)
    return world


def _page(world, filters=None, **kwargs) -> sampling.NotablePage:
    screen = sampling.notable_screen(
        database.unit_of_work(world.url), world.lead, filters or ConversationFilters(), **kwargs
    )
    return screen.page


def test_each_notable_conversation_says_why_with_its_numbers(world):
    ids = world.weeks[0]
    page = _page(world)
    found = {item.conversation_id: item for item in page.items}
    assert set(found) == {ids[0], ids[1], ids[5], ids[6]}
    (slow,) = found[ids[0]].reasons
    assert (slow.code, slow.params) == ("low_csat_slow", {"csat": 1, "wait": 3 * 3600})
    assert [r.code for r in found[ids[1]].reasons] == ["escalated_unresolved"]
    assert [(r.code, r.params) for r in found[ids[5]].reasons] == [("repeat_contact", {"nth": 3})]
    assert [(r.code, r.params) for r in found[ids[6]].reasons] == [("rudeness", {"p": 0.92})]
    assert page.items[0].conversation_id == ids[0]  # the heaviest reason first
    assert page.reason_counts["rudeness"] == 1 and page.total == 4


def test_paging_and_the_reason_filter(world):
    with database.unit_of_work(world.url) as uow:
        one = sampling.notable_conversations(
            uow.session, world.lead, ConversationFilters(), page=2, page_size=3
        )
        assert (one.page, one.pages, len(one.items), one.total) == (2, 2, 1, 4)
        rude = sampling.notable_conversations(
            uow.session, world.lead, ConversationFilters(), reason="rudeness"
        )
        assert [i.conversation_id for i in rude.items] == [world.weeks[0][6]]
        assert rude.reason_counts["low_csat_slow"] == 1  # counts cover the whole list
        only_email = sampling.notable_conversations(
            uow.session, world.lead, ConversationFilters(channels=("email",))
        )
        assert all(item.channel == "email" for item in only_email.items)
        with pytest.raises(InvalidInput):
            sampling.notable_conversations(
                uow.session, world.lead, ConversationFilters(), reason="x"
            )
        with pytest.raises(PermissionDenied):
            sampling.notable_conversations(uow.session, world.reviewers[0], ConversationFilters())


def test_send_to_one_reviewer_or_spread_by_capacity(world):
    ids = [item.conversation_id for item in _page(world).items]
    sent = sampling.do_send_to_review(
        database.unit_of_work(world.url), world.lead, ids[:1], ("rev1",), now=NOW
    )
    assert sent.created == 1 and sent.taken == 0
    reviews.do_set_goal(database.unit_of_work(world.url), world.lead, "rev2", 1)
    spread = sampling.do_send_to_review(
        database.unit_of_work(world.url), world.lead, ids, ("rev2", "rev3"), now=NOW
    )
    assert spread.taken == 1  # the first one went to rev1 above
    assert spread.sample.per_reviewer() == {"rev2": 1, "rev3": 2}
    with storage_db.unit_of_work(world.url) as session:
        labels = {a.conversation_id: a.sample_label for a in session.scalars(select(Assignment))}
    assert labels[ids[0]] == "notable: low_csat_slow"
    assert _page(world).total == 0  # sent conversations leave the list
    with pytest.raises(Conflict):
        sampling.do_send_to_review(
            database.unit_of_work(world.url), world.lead, ids, ("rev1",), now=NOW
        )
