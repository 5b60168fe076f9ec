"""A small team with reviews whose coaching answer is known in advance.

Tier 1 on the default rubric, twelve weeks before ``NOW``:

* ``a.low``  - 8 reviews, "acknowledges the customer's feelings" at 1 of 5 (score 0), every
  other criterion at the top; the automatic ``missed_empathy`` signal says missed (0);
* ``a.good`` - 8 reviews, every criterion at the top; signals good;
* ``a.new``  - 2 reviews only (below any minimum: "not enough evidence yet").

Reviews are written straight into the tables (status submitted) so the tests control each
grade; the default rubric is loaded through the rubrics service as the app does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import ui_harness
from mystery_fixtures import visit
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from ui_harness import make_user, seed, signed_in_entries

from qa_app.services import mystery
from qa_app.services.rubrics import store as rubrics_store
from qa_app.storage.models import (
    Agent,
    AutoScoreRun,
    Conversation,
    Message,
    Review,
    ReviewGrade,
    Team,
)
from qa_app.ui import context

NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
LOW_COMMENT = "**Ignored** the customer's worry <b>about the parcel</b> [link](http://x)"


@dataclass(frozen=True)
class CoachingSeed:
    team_id: int
    low: int
    good: int
    new: int
    version_id: int


def _grades(rubric, low: set[str]) -> dict[str, float]:
    return {
        c.id: (c.scale.min_value if c.id in low else c.scale.max_value) for c in rubric.criteria()
    }


def _conversation(session, team, agent, index, started, tags) -> Conversation:
    conv = Conversation(
        source="test",
        external_id=f"{agent.login}-{index}",
        channel="chat" if index % 2 else "email",
        language="en",
        started_at=started,
        customer_id=f"cust-{agent.login}-{index}",
        team_id=team.id,
        agent_id=agent.id,
        content_hash=f"h-{agent.login}-{index}",
        message_count=2,
        tags=tags,
        csat=5 if agent.login == "a.good" else 2,
    )
    texts = [
        ("customer", f"My parcel {index} is two days late and I am really worried."),
        (
            "agent",
            "Parcel located."
            if agent.login == "a.low"
            else "I understand how worrying "
            "this is; your parcel is at the depot and arrives tomorrow.",
        ),
    ]
    for seq, (role, text) in enumerate(texts):
        conv.messages.append(
            Message(seq=seq, role=role, text=text, agent_id=agent.id if role == "agent" else None)
        )
    session.add(conv)
    session.flush()
    return conv


def _review(session, conv, reviewer_id, version_id, grades, comments) -> None:
    review = Review(
        conversation_id=conv.id,
        reviewer_id=reviewer_id,
        rubric_version_id=version_id,
        status="submitted",
        overall_score=50.0,
        comment="",
        created_at=conv.started_at + timedelta(hours=20),
        updated_at=conv.started_at + timedelta(hours=21),
        submitted_at=conv.started_at + timedelta(hours=21),
    )
    for cid, value in grades.items():
        review.grades.append(
            ReviewGrade(criterion_id=cid, value=value, comment=comments.get(cid, ""))
        )
    session.add(review)


def _signals(session, conv, good: bool) -> None:
    value = 1.0 if good else 0.0
    session.add(
        AutoScoreRun(
            conversation_id=conv.id,
            pipeline_version="test",
            content_hash=conv.content_hash,
            signals={
                "missed_empathy": {
                    "value": 1 - value,
                    "normalised": value,
                    "unit": "",
                    "label": "",
                },
                "empathy": {"value": value, "normalised": value, "unit": "", "label": ""},
                "escalation": {"value": 0, "normalised": None, "unit": "", "label": ""},
            },
        )
    )


def seed_coaching(url: str) -> CoachingSeed:
    reviewer = make_user(url, "reviewer", username="coach-reviewer")

    def build(session) -> CoachingSeed:
        rubrics_store.ensure_default_rubric(session)
        stored = rubrics_store.active_version(session)
        team = session.scalar(select(Team).where(Team.name == "Tier 1")) or Team(name="Tier 1")
        session.add(team)
        session.flush()
        ids = {}
        for login, count in (("a.low", 8), ("a.good", 8), ("a.new", 2)):
            agent = Agent(login=login, display_name=login, team_id=team.id)
            session.add(agent)
            session.flush()
            ids[login] = agent.id
            for index in range(count):
                started = NOW - timedelta(days=3 + 5 * index)
                tags = ["delivery"] if login == "a.low" or index % 2 else ["billing"]
                conv = _conversation(session, team, agent, index, started, tags)
                low = {"acknowledges_feelings"} if login in ("a.low", "a.new") else set()
                comments = {"acknowledges_feelings": LOW_COMMENT} if login == "a.low" else {}
                grades = _grades(stored.rubric, low)
                _review(session, conv, reviewer.user_id, stored.version_id, grades, comments)
                _signals(session, conv, good=login == "a.good")
        return CoachingSeed(team.id, ids["a.low"], ids["a.good"], ids["a.new"], stored.version_id)

    return seed(url, build)


SHOPPER_COMMENT = "Just said **«Да?»** <i>no hello</i> [x](http://y)"


def seed_mystery_failures(url: str, *, publish: bool = True) -> None:
    """For a.good (no gap in reviews): 5 published visits failing "greeted properly"
    (etiquette) in 4, with a comment; 5 unpublished ones failing "plain language"."""
    lead = make_user(url, "lead", username="coach-lead")
    scenario = seed(
        url,
        lambda s: mystery.create_scenario(
            s,
            lead,
            mystery.ScenarioInput(
                name="Late parcel by chat",
                channel="chat",
                persona="Olga, 35",
                request="Where is my parcel?",
                correct_answer="At the depot, tomorrow",
                checklist="mystery-shopper-default",
            ),
            now=NOW,
        ),
    )

    def record(fail: tuple[str, ...], days: int, comment: str = "") -> int:
        data = visit(scenario, days=days, agent="a.good", fail=fail, comments={fail[0]: comment})
        return seed(url, lambda s: mystery.record_visit(s, lead, data, now=NOW))

    published = [record(("greeting",), d, SHOPPER_COMMENT) for d in range(4)]
    published.append(record(("plain_language",), 4))
    if publish:
        seed(url, lambda s: mystery.set_published(s, lead, published, now=NOW))
    for d in range(5, 10):
        record(("plain_language",), d)  # never published: the agent cannot see these


def open_page(url: str, page: str, role: str, lang: str = "en", **user) -> AppTest:
    """Run ``page`` signed in as ``role`` with the page clock pinned at ``NOW``."""
    actor = make_user(url, role, lang=lang, **user)
    at = AppTest.from_function(ui_harness._page_script, args=(page,), default_timeout=90)
    at.session_state[context.SESSION_DB] = url
    for key, value in signed_in_entries(url, actor).items():
        at.session_state[key] = value
    at.session_state[context.SESSION_CLOCK] = NOW
    return at.run()
