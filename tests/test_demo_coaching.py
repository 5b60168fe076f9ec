"""The demo's coaching plans tell their story: after the sessions, the new hire's product
knowledge improves distinguishably and the curt agent's etiquette does not change; the
jargon agents' group plan is overdue for the lead. The default demo season (its corpus,
reviewers and plans), built without automatic scoring: the plans' panel reads reviews only,
and the sampling behind the reviews does not use the scores."""

from __future__ import annotations

import pytest

from qa_app.demo import seed as demo
from qa_app.demo.coaching import create_demo_plans
from qa_app.demo.reviews import create_demo_reviews
from qa_app.demo.season import demo_reference
from qa_app.services import coaching
from qa_app.services.accounts import actor_for, find_user
from qa_app.services.database import unit_of_work
from qa_app.services.rubrics import store as rubrics
from qa_app.storage import db as storage_db
from scoring.stats import Verdict


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    storage_db.upgrade(url)
    with storage_db.unit_of_work(url) as session:
        demo.import_demo_corpus(session, n_conversations=2400)
        demo.create_demo_accounts(session, password="demo-pass-12345")
        rubrics.ensure_default_rubric(session)
        session.commit()
        version = rubrics.active_version(session, "support-default").version_id
        create_demo_reviews(session, version)
        assert create_demo_plans(session) == 3
        trainer, lead = (actor_for(find_user(session, name)) for name in ("trainer", "lead"))
    yield url, trainer, lead
    storage_db.dispose_engine(url)


def _plans(url, actor):
    now = demo_reference()
    listed = coaching.plans_screen(unit_of_work(url), actor, now).plans
    return {
        p.topic_id: coaching.plans_screen(unit_of_work(url), actor, now, p.plan_id) for p in listed
    }


def test_the_new_hire_improves_and_the_curt_agent_does_not(season):
    url, trainer, _ = season
    plans = _plans(url, trainer)
    knowledge, etiquette = plans["product-knowledge"], plans["etiquette"]
    assert [n for _, n in knowledge.chosen.agents] == ["k.lebedeva"]
    assert len(knowledge.chosen.sessions) == 2 and knowledge.chosen.status == "done"
    topic = knowledge.effect.rows[0]
    assert topic.key == coaching.TOPIC_ROW
    assert topic.comparison.verdict is Verdict.IMPROVED, topic.comparison
    assert topic.comparison.before.n >= 10 and topic.comparison.after.n >= 10
    curt = etiquette.effect.rows[0].comparison
    assert curt.verdict is Verdict.NOT_DISTINGUISHABLE
    assert curt.more_reviews_needed is None or min(curt.more_reviews_needed) > 0
    # every session was confirmed by its agent
    assert all(s.confirmed for p in plans.values() for s in p.chosen.sessions)


def test_the_lead_sees_the_overdue_group_plan(season):
    url, _, lead = season
    screen = coaching.plans_screen(unit_of_work(url), lead, demo_reference())
    assert [p.topic_id for p in screen.overdue] == ["plain-language"]
    assert [n for _, n in screen.overdue[0].agents] == ["i.volkov", "r.singh"]
