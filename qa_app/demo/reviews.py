"""The demo's season of reviews: twelve weeks of QA work on the demo corpus.

Demo reviewers grade a stratified sample (a few conversations per agent per week) through
the real sampling and review services, each with a bias: one lenient, one strict, one
accurate. Grades follow what happened in each conversation (``demo_grades``). Agents
dispute a few grades (some accepted with a grade change, some rejected with an answer, a
couple left open), and two calibration sessions are graded, agreed and closed. After the
first calibration the biased reviewers drift halfway back toward the truth, so the
severity chart and the scorecards have a story to tell. Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from qa_app.demo.grades import (
    NOISE,
    ConversationFacts,
    comments_for,
    draft_of,
    effective_bias,
    find_marks,
    grade_conversation,
)
from qa_app.demo.season import (
    backdate_reviews,
    create_calibrations,
    create_disputes,
    demo_reference,
    load_facts,
)
from qa_app.services import rubrics, sampling
from qa_app.services.accounts import actor_for, find_user
from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.errors import NotFound
from qa_app.services.reviews import ReviewDraft, save_draft, submit_review
from qa_app.storage.models import Assignment
from scoring.rubric.files import Rubric

LENIENT, STRICT, ACCURATE = 0.14, -0.14, 0.0
DEFAULT_REVIEWERS = {"reviewer": ACCURATE, "reviewer.lenient": LENIENT, "reviewer.strict": STRICT}
OPEN_SHARE_LAST_WEEK = 0.45  # the last week is still being reviewed

__all__ = [
    "ACCURATE",
    "DEFAULT_REVIEWERS",
    "LENIENT",
    "STRICT",
    "DemoReviewsSummary",
    "create_demo_reviews",
    "draft_of",
]


@dataclass
class DemoReviewsSummary:
    reviews: int = 0
    in_progress: int = 0
    pending: int = 0
    disputes: dict[str, int] = field(default_factory=dict)
    calibration_sessions: tuple[int, ...] = ()


def _actors(session: Session, usernames: list[str]) -> dict[str, Actor]:
    out = {}
    for name in usernames:
        user = find_user(session, name)
        if user is None:
            raise NotFound(f"demo reviewer {name!r} does not exist", key="error.not_found")
        out[name] = actor_for(user)
    return out


@dataclass
class _Season:
    session: Session
    rubric: Rubric
    rng: random.Random
    actors: dict[str, Actor]
    biases: dict[str, float]
    facts: dict[int, tuple[ConversationFacts, int, datetime]]  # facts, week, started_at
    reference: datetime  # the season's "today": nothing is dated later

    def grades(self, conv_id: int, reviewer: str) -> dict[str, float | None]:
        facts, week, _ = self.facts[conv_id]
        bias = effective_bias(self.biases[reviewer], week)
        return grade_conversation(self.rubric, facts, bias, self.rng, NOISE)

    def draft(self, conv_id: int, reviewer: str) -> ReviewDraft:
        grades = self.grades(conv_id, reviewer)
        language = self.facts[conv_id][0].language
        return draft_of(self.rubric, grades, comments_for(self.rubric, grades, language, self.rng))


def _sample(
    session: Session, slug: str, reviewers: list[str], per_week: int, seed: int, now: datetime
):
    request = sampling.SampleRequest(
        strategy="stratified",
        per_agent_week=per_week,
        reviewers=tuple(reviewers),
        seed=seed,
        rubric_slug=slug,
    )
    return sampling.create_sample(session, SYSTEM, request, now=now)


def _grade_sample(season: _Season, plan, summary: DemoReviewsSummary) -> list[int]:
    """Submit every sampled review except part of the last week; returns review ids."""
    last_week = max((season.facts[i.conversation_id][1] for i in plan.items), default=0)
    ordered = sorted(
        zip(plan.items, plan.created_ids, strict=True), key=lambda p: (p[0].started_at, p[1])
    )
    submitted = []
    for item, assignment_id in ordered:
        actor = season.actors[item.reviewer]
        draft = season.draft(item.conversation_id, item.reviewer)
        week = season.facts[item.conversation_id][1]
        if week == last_week and season.rng.random() < OPEN_SHARE_LAST_WEEK:
            if season.rng.random() < 0.4:
                save_draft(season.session, actor, assignment_id, draft, None, now=season.reference)
                summary.in_progress += 1
            else:
                summary.pending += 1
            continue
        saved = submit_review(
            season.session, actor, assignment_id, draft, None, now=season.reference
        )
        submitted.append(saved.review_id)
        summary.reviews += 1
    return submitted


def create_demo_reviews(
    session: Session,
    rubric_version_id: int,
    reviewers: dict[str, float] | None = None,
    seed: int = 20260301,
    *,
    lead: str = "lead",
    per_agent_week: int = 3,
    disputes: int = 12,
    calibration_sizes: tuple[int, ...] = (7, 8),
    reference: datetime | None = None,
) -> DemoReviewsSummary:
    """Create the demo's reviews, disputes and calibration sessions; returns the counts.

    ``reviewers`` maps existing reviewer usernames to a bias on the 0-1 quality scale
    (``LENIENT`` +0.14, ``STRICT`` -0.14, ``ACCURATE`` 0). The caller commits.
    Every date is placed relative to ``reference`` (default: the corpus's own fixed dates,
    see ``demo_reference``), never the real clock, so the season is the same on any day.
    """
    reference = demo_reference(reference)
    biases = dict(reviewers or DEFAULT_REVIEWERS)
    names = sorted(biases)
    stored = rubrics.get_version(session, rubric_version_id)
    actors = _actors(session, names)
    lead_user = find_user(session, lead)
    lead_actor = actor_for(lead_user) if lead_user is not None else SYSTEM
    rng = random.Random(seed)
    summary = DemoReviewsSummary()
    plan = _sample(session, stored.slug, names, per_agent_week, seed, reference)
    _pin_version(session, plan.created_ids, rubric_version_id)
    facts = load_facts(session, {i.conversation_id for i in plan.items}, find_marks)
    season = _Season(session, stored.rubric, rng, actors, biases, facts, reference)
    review_ids = _grade_sample(season, plan, summary)
    backdate_reviews(session, review_ids, rng, reference)
    summary.disputes = create_disputes(season, review_ids, lead_actor, disputes)
    summary.calibration_sessions = create_calibrations(
        season, lead_actor, rubric_version_id, calibration_sizes, seed
    )
    return summary


def _pin_version(session: Session, assignment_ids: tuple[int, ...], version_id: int) -> None:
    """Sampling assigns the rubric's newest version; the demo asks for a given one."""
    if assignment_ids:
        session.execute(
            update(Assignment)
            .where(Assignment.id.in_(assignment_ids), Assignment.rubric_version_id != version_id)
            .values(rubric_version_id=version_id)
        )
