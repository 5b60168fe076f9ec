"""Recommendations per agent and per team on SQLite and PostgreSQL, and who may read them."""

from __future__ import annotations

import pytest
from coaching_fixtures import (
    LOW_COMMENT,
    NOW,
    SHOPPER_COMMENT,
    seed_coaching,
    seed_mystery_failures,
)
from ui_harness import make_user

from qa_app.services import coaching
from qa_app.services.database import unit_of_work
from qa_app.services.errors import PermissionDenied


@pytest.fixture
def seeded(db_url):
    return db_url, seed_coaching(db_url)


def test_the_weak_criterion_tops_the_agents_list_with_its_evidence(seeded):
    url, ids = seeded
    trainer = make_user(url, "trainer")
    result = coaching.agent_recommendations_screen(unit_of_work(url), trainer, ids.low, NOW)
    ranking = result.ranking
    assert ranking.enough_evidence and ranking.reviews == 8
    top = ranking.recommended[0]
    assert top.topic_id == "empathy-acknowledgement"
    assert top.criteria[0].key == "acknowledges_feelings"
    assert top.criteria[0].estimate.estimate == 0.0 and top.criteria[0].estimate.n == 8
    assert {g.key for g in top.signals} == {"missed_empathy", "empathy"}
    found = result.evidence["empathy-acknowledgement"]
    assert len(found.own) == 3
    assert all(e.comment == LOW_COMMENT and e.score == 0.0 for e in found.own)
    assert found.own[0].lines[0].role == "customer"
    # a colleague who handled a similar (same-tag) case well
    assert found.colleague is not None and found.colleague.agent == "a.good"
    assert found.colleague.score == 100.0


def test_a_strong_agent_gets_no_recommendation(seeded):
    url, ids = seeded
    lead = make_user(url, "lead")
    result = coaching.agent_recommendations_screen(unit_of_work(url), lead, ids.good, NOW)
    assert result.ranking.enough_evidence
    assert result.ranking.recommended == ()


def test_two_reviews_are_not_enough_evidence(seeded):
    url, ids = seeded
    trainer = make_user(url, "trainer")
    result = coaching.agent_recommendations_screen(unit_of_work(url), trainer, ids.new, NOW)
    assert result.ranking.reviews == 2
    assert not result.ranking.enough_evidence
    assert result.ranking.recommended == ()
    assert result.evidence == {}


def test_an_agent_reads_only_their_own(seeded):
    url, ids = seeded
    agent = make_user(url, "agent", username="agent-low", agent_login="a.low")
    own = coaching.agent_recommendations_screen(unit_of_work(url), agent, ids.low, NOW)
    assert own.ranking.recommended[0].topic_id == "empathy-acknowledgement"
    with pytest.raises(PermissionDenied):
        coaching.agent_recommendations_screen(unit_of_work(url), agent, ids.good, NOW)
    with pytest.raises(PermissionDenied):
        coaching.team_recommendations_screen(unit_of_work(url), agent, ids.team_id, NOW)


def test_a_reviewer_may_not_read_recommendations(seeded):
    url, ids = seeded
    reviewer = make_user(url, "reviewer")
    with pytest.raises(PermissionDenied):
        coaching.agent_recommendations_screen(unit_of_work(url), reviewer, ids.low, NOW)


def test_team_topics_count_agents_in_need(seeded):
    url, ids = seeded
    trainer = make_user(url, "trainer")
    team = coaching.team_recommendations_screen(unit_of_work(url), trainer, ids.team_id, NOW)
    assert team.agents == 3
    assert [a.login for a in team.without_evidence] == ["a.new"]
    first = team.topics[0]
    assert first.topic_id == "empathy-acknowledgement"
    assert [a.login for a, _ in first.agents] == ["a.low"]
    assert first.reviews == 8 and first.conversations == 8
    # the team view ranks each agent exactly as their own page does (signals included)
    own = coaching.agent_recommendations_screen(unit_of_work(url), trainer, ids.low, NOW)
    assert first.agents[0][1] == pytest.approx(own.ranking.recommended[0].priority)
    assert own.ranking.recommended[0].signals[0].target == pytest.approx(100 * 8 / 18)


def test_old_reviews_fall_out_of_the_window(seeded):
    url, ids = seeded
    trainer = make_user(url, "trainer")
    later = NOW + coaching.RECOMMENDATION_WINDOW * 2
    result = coaching.agent_recommendations_screen(unit_of_work(url), trainer, ids.low, later)
    assert result.ranking.reviews == 0 and not result.ranking.enough_evidence


def test_published_mystery_failures_raise_the_topic_with_their_evidence(seeded):
    url, ids = seeded
    trainer = make_user(url, "trainer")
    before = coaching.agent_recommendations_screen(unit_of_work(url), trainer, ids.good, NOW)
    assert before.ranking.recommended == ()
    seed_mystery_failures(url)
    after = coaching.agent_recommendations_screen(unit_of_work(url), trainer, ids.good, NOW)
    # greeting passed 1 of 5: Wilson upper 62.4465, certain gap 80 - 62.4465 = 17.5535;
    # weight 2 / 25 criteria = 0.08; priority 1.4043 >= 1: recommended
    (top,) = after.ranking.recommended
    assert top.topic_id == "etiquette" and top.visits == 5
    (gap,) = top.mystery
    assert gap.key == "greeting" and gap.estimate.n == 5
    assert top.priority == pytest.approx(1.4043, abs=1e-3)
    # plain language failed in 1 published visit of 5 (pass 80%: no gap) and in 5
    # unpublished visits that do not count
    plain = [n for n in after.ranking.needs if n.topic_id == "plain-language"]
    assert all(g.estimate.n == 5 and g.certain_gap == 0 for n in plain for g in n.mystery)
    assert after.evidence["etiquette"].shopper == (
        coaching.ShopperFailure("greeting", 4, 5, SHOPPER_COMMENT),
    )
    own = make_user(url, "agent", username="agent-good", agent_login="a.good")
    mine = coaching.agent_recommendations_screen(unit_of_work(url), own, ids.good, NOW)
    assert [n.topic_id for n in mine.ranking.recommended] == ["etiquette"]
    team = coaching.team_recommendations_screen(unit_of_work(url), trainer, ids.team_id, NOW)
    etiquette = next(t for t in team.topics if t.topic_id == "etiquette")
    assert [a.login for a, _ in etiquette.agents] == ["a.good"] and etiquette.visits == 5


def test_unpublished_mystery_failures_do_not_count(seeded):
    url, ids = seeded
    seed_mystery_failures(url, publish=False)
    trainer = make_user(url, "trainer")
    result = coaching.agent_recommendations_screen(unit_of_work(url), trainer, ids.good, NOW)
    assert result.ranking.recommended == ()
    assert all(not n.mystery and n.visits == 0 for n in result.ranking.needs)
