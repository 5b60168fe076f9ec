"""AutoQA for rubric criteria on both databases: default mapping, calibration, agreement."""

from __future__ import annotations

import random

import pytest
from review_fixtures import seed_workflow
from sqlalchemy import select

from qa_app.services.actor import Actor
from qa_app.services.autoqa import agreement
from qa_app.services.autoqa import criterion_suggestions as autoqa
from qa_app.services.autoqa.signal_mapping import default_level, fallback_normalised
from qa_app.services.errors import PermissionDenied
from qa_app.services.reviews import grading as reviews
from qa_app.services.rubrics.store import get_version
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import AutoScore, AutoScoreRun, Review, ReviewGrade, User


def _signals(polite: float, noise: float) -> dict:
    return {
        "politeness": {"value": polite, "unit": "probability", "normalised": polite, "label": None},
        "empathy": {"value": noise, "unit": "score_0_1", "normalised": noise, "label": "weak"},
        "jargon": {"value": 0.1, "unit": "ratio", "normalised": None, "label": None},
    }


def _grade(polite: float) -> int:
    return 1 if polite < 0.4 else 2 if polite < 0.7 else 3


def _seed_scores(session, conversation_ids, rng) -> dict[int, float]:
    polite_of = {}
    for cid in conversation_ids:
        polite = round(rng.random(), 3)
        polite_of[cid] = polite
        session.add(
            AutoScoreRun(
                conversation_id=cid,
                pipeline_version="autoqa-test",
                content_hash="h",
                signals=_signals(polite, round(rng.random(), 3)),
            )
        )
        session.add(
            AutoScore(
                conversation_id=cid,
                task="politeness",
                scorer_version="autoqa-test",
                score=polite,
                evidence=[{"message": 1, "start": 0, "end": 2, "rule": "greeting", "weight": 0.6,
                           "text": "Hi"}],
            )
        )  # fmt: skip
    return polite_of


def _review(session, cid, reviewer_id, version_id, grade, calibration=None) -> None:
    review = Review(
        conversation_id=cid,
        reviewer_id=reviewer_id,
        rubric_version_id=version_id,
        status="submitted",
        calibration_session_id=calibration,
    )
    review.grades.append(ReviewGrade(criterion_id="politeness", value=grade))
    session.add(review)


def _seed(db_url, conversations: int, reviewed: int, rng_seed: int = 3):
    flow = seed_workflow(db_url, conversations=conversations)
    rng = random.Random(rng_seed)
    with unit_of_work(db_url) as session:
        polite_of = _seed_scores(session, flow.conversation_ids, rng)
        ids = [u.id for u in session.scalars(select(User).where(User.role == "reviewer"))]
        for cid in flow.conversation_ids[:reviewed]:
            _review(session, cid, ids[0], flow.rubric_version_id, _grade(polite_of[cid]))
        for cid in flow.conversation_ids[:10]:  # a second reviewer on ten: reviewer pairs
            other = _grade(polite_of[cid]) if cid % 3 else 2
            _review(session, cid, ids[1], flow.rubric_version_id, other)
    return flow, polite_of


def test_default_mapping_is_documented_nearest_level():
    from review_fixtures import SMALL_RUBRIC

    from scoring.rubric.files import load_rubric

    criterion = load_rubric(SMALL_RUBRIC).criterion("politeness")
    assert [default_level(criterion, x) for x in (0.0, 0.24, 0.26, 0.5, 0.76, 1.0)] == [
        1, 1, 2, 2, 3, 3,
    ]  # fmt: skip
    assert default_level(criterion, None) is None
    assert fallback_normalised("missed_empathy", 1.0) == 0.0
    assert fallback_normalised("sentiment_end", -0.5) == 0.25


def test_default_suggestion_before_enough_reviews(db_url):
    flow, polite_of = _seed(db_url, conversations=12, reviewed=12)
    cid = flow.conversation_ids[0]
    with unit_of_work(db_url) as session:
        rubric = get_version(session, flow.rubric_version_id).rubric
        found = autoqa.suggestions_for_conversation(session, cid, rubric)
        suggestion = found["politeness"]
        assert not suggestion.calibrated and suggestion.confidence is None
        assert suggestion.value == default_level(rubric.criterion("politeness"), polite_of[cid])
        assert suggestion.evidence[0]["rule"] == "greeting"
        assert "greeting" not in found  # no auto_signal on that criterion


def test_calibrated_model_agreement_and_review_page_hook(db_url):
    flow, polite_of = _seed(db_url, conversations=60, reviewed=60)
    with unit_of_work(db_url) as session:
        rubric = get_version(session, flow.rubric_version_id).rubric
        cid = flow.conversation_ids[-1]
        suggestion = autoqa.suggestions_for_conversation(session, cid, rubric)["politeness"]
        assert suggestion.calibrated and 0 < suggestion.confidence <= 1
        assert suggestion.value in (1, 2, 3)
        row = agreement.criterion_agreement(
            session, flow.rubric_version_id, rubric.criterion("politeness")
        )
        assert row.mode == "calibrated" and row.n == 70
        assert row.kappa is not None and row.kappa > 0.5 and row.exact > 0.6
        assert row.reviewer_pairs == 10 and 0 < row.reviewer_exact < 1
        reports = agreement.agreement_reports(session, flow.lead, slug="small-test")
        assert [r.criterion_id for r in reports[0].rows] == ["politeness"]
        # W1's review page reads the same suggestion through review_suggestions
        from qa_app.services.autoqa.review_suggestions import suggestions_for

        shown = suggestions_for(session, cid, rubric)["politeness"]
        assert shown.value == suggestion.value and "n=70" in shown.source


def test_agreement_needs_staff(db_url):
    flow, _ = _seed(db_url, conversations=2, reviewed=0)
    agent = Actor(flow.agents[0].user_id, "a.petrova", "agent", flow.agents[0].agent_id)
    with unit_of_work(db_url) as session, pytest.raises(PermissionDenied):
        agreement.agreement_reports(session, agent)
    assert reviews  # the review service is the consumer of suggestions
