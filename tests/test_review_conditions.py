"""Conditional criteria in the review workflow, on SQLite and PostgreSQL: a criterion whose
``applies_when`` does not hold is N/A automatically (not asked, not missing, recorded), one
that holds must be graded, and rubric versions keep older reviews as they were scored."""

from __future__ import annotations

import pytest
from review_fixtures import SMALL_RUBRIC, seed_workflow

from qa_app.services.errors import InvalidInput
from qa_app.services.reviews import grading as reviews
from qa_app.services.reviews.applicability import conversation_facts
from qa_app.services.reviews.grading import GradeInput, ReviewDraft
from qa_app.services.rubrics import store as rubrics
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import AutoScoreRun, Conversation, Review
from scoring.rubric.conditions import AnyOf, FactIs, SignalDetected

# Version 2 of the small rubric: the result category gains "steps", asked only where the
# customer reports a defect; no manual N/A is allowed, so only the condition can waive it.
STEPS = """\
      - id: steps
        name: {en: Steps to reproduce, ru: Шаги воспроизведения}
        description: {en: Collects the steps., ru: Выясняет шаги.}
        scale:
          type: 1-3
          levels:
            - {value: 1, descriptor: {en: None., ru: Нет.}}
            - {value: 2, descriptor: {en: Some., ru: Часть.}}
            - {value: 3, descriptor: {en: All., ru: Все.}}
        coaching_topic: bug-reporting
        applies_when:
          any:
            - signal: defect_report
            - tag: [bug]
"""
CONDITIONAL_RUBRIC = SMALL_RUBRIC + STEPS
DEFECT = AnyOf((SignalDetected(("defect_report",)), FactIs("tag", ("bug",))))


def _full(**extra: GradeInput) -> ReviewDraft:
    grades = {
        "politeness": GradeInput(3),
        "greeting": GradeInput(not_applicable=True),
        "correct_info": GradeInput(1),
    }
    return ReviewDraft(grades={**grades, **extra})


def _assign(url: str, lead, conv_id: int) -> int:
    with storage_db.unit_of_work(url) as session:
        return sampling.assign_conversation(session, lead, conv_id, "rev1")


def _set(url: str, conv_id: int, *, tags=None, defect: float | None = None) -> None:
    with storage_db.unit_of_work(url) as session:
        if tags is not None:
            session.get(Conversation, conv_id).tags = tags
        if defect is not None:
            run = session.get(AutoScoreRun, conv_id) or AutoScoreRun(
                conversation_id=conv_id, pipeline_version="t", content_hash="h", signals={}
            )
            run.signals = {"defect_report": {"value": defect, "unit": "flag", "label": "x"}}
            session.add(run)


def _submit(url: str, rev, aid: int, draft: ReviewDraft):
    with storage_db.unit_of_work(url) as session:
        ctx = reviews.open_review(session, rev, aid)
        return reviews.submit_review(session, rev, aid, draft, ctx.lock_version)


def test_conditions_waive_criteria_and_versions_keep_old_reviews(db_url):
    flow = seed_workflow(db_url, conversations=4)
    rev, lead = flow.reviewers[0], flow.lead
    conv_old, conv_refund, conv_bug, conv_late = flow.conversation_ids

    # A review on version 1, before the rubric had the conditional criterion.
    old = _submit(db_url, rev, _assign(db_url, lead, conv_old), _full())
    assert old.score.overall == 100.0 and old.score.rubric_version == 1

    with storage_db.unit_of_work(db_url) as session:
        v2 = rubrics.save_rubric(session, lead, CONDITIONAL_RUBRIC, "bug steps, only for defects")
    assert v2.version == 2

    # A refund: no bug tag, the pipeline heard no defect -> steps is N/A automatically.
    _set(db_url, conv_refund, tags=["refund"], defect=0.0)
    aid = _assign(db_url, lead, conv_refund)
    with storage_db.unit_of_work(db_url) as session:
        ctx = reviews.open_review(session, rev, aid)
        assert ctx.rubric.version == 2 and ctx.auto_na == {"steps": DEFECT}
        assert reviews.preview_score(ctx.rubric.rubric, _full(), ctx.auto_na).missing == ()
    refund = _submit(db_url, rev, aid, _full())
    assert refund.score.overall == 100.0
    assert refund.score.criteria["steps"].status == "na" and refund.score.criteria["steps"].auto

    # A bug-tagged conversation must grade steps: missing without it, counted with it.
    _set(db_url, conv_bug, tags=["bug"])
    aid_bug = _assign(db_url, lead, conv_bug)
    with storage_db.unit_of_work(db_url) as session:
        ctx = reviews.open_review(session, rev, aid_bug)
        assert ctx.auto_na == {}
        with pytest.raises(InvalidInput) as missing:
            reviews.submit_review(session, rev, aid_bug, _full(), ctx.lock_version)
        assert missing.value.params["missing"] == ["steps"]
    bug = _submit(db_url, rev, aid_bug, _full(steps=GradeInput(1)))
    # manner: politeness 3 -> 100 (greeting N/A); result: (correct_info 100 + steps 0) / 2
    # = 50; overall (100 + 50) / 2 = 75.
    assert bug.score.categories["result"].score == 50.0
    assert bug.score.overall == 75.0

    # Later facts never move submitted scores: the refund now "reports a defect".
    _set(db_url, conv_refund, defect=1.0)
    with storage_db.unit_of_work(db_url) as session:
        assert conversation_facts(session, conv_refund).signal_detected("defect_report")
        review, stored, score = reviews.stored_score(session, refund.review_id)
        assert (stored.version, score.overall, review.overall_score) == (2, 100.0, 100.0)
        assert {g.criterion_id for g in review.grades if g.auto_na} == {"steps"}
        ctx = reviews.open_review(session, lead, aid)  # read-only: the stored reason
        assert not ctx.editable and ctx.auto_na == {"steps": DEFECT}
        # The version 1 review keeps its criteria and its score.
        review, stored, score = reviews.stored_score(session, old.review_id)
        assert stored.version == 1 and "steps" not in stored.rubric.criterion_ids()
        assert score.overall == 100.0 == session.get(Review, old.review_id).overall_score

    # A draft saved while steps was waived must grade it once a defect is heard.
    _set(db_url, conv_late, defect=0.0)
    aid_late = _assign(db_url, lead, conv_late)
    with storage_db.unit_of_work(db_url) as session:
        saved = reviews.save_draft(session, rev, aid_late, _full(), None)
        assert saved.score.missing == () and saved.score.overall == 100.0
    _set(db_url, conv_late, defect=1.0)
    with storage_db.unit_of_work(db_url) as session:
        ctx = reviews.open_review(session, rev, aid_late)
        assert ctx.auto_na == {} and "steps" not in ctx.draft.grades
        with pytest.raises(InvalidInput) as missing:
            reviews.submit_review(session, rev, aid_late, ctx.draft, ctx.lock_version)
        assert missing.value.params["missing"] == ["steps"]
        done = reviews.submit_review(
            session, rev, aid_late, _full(steps=GradeInput(3)), ctx.lock_version
        )
        assert done.score.overall == 100.0
        row = next(
            g for g in session.get(Review, done.review_id).grades if g.criterion_id == "steps"
        )
        assert (row.value, row.not_applicable, row.auto_na) == (3, False, False)


def test_a_waived_criterion_cannot_be_graded_into_the_score(db_url):
    """Whatever the page sends for a waived criterion, it stays N/A (the service decides)."""
    flow = seed_workflow(db_url, conversations=1)
    with storage_db.unit_of_work(db_url) as session:
        rubrics.save_rubric(session, flow.lead, CONDITIONAL_RUBRIC, "v2")
    aid = _assign(db_url, flow.lead, flow.conversation_ids[0])
    result = _submit(db_url, flow.reviewers[0], aid, _full(steps=GradeInput(1)))
    assert result.score.overall == 100.0 and result.score.criteria["steps"].auto


def test_the_pipeline_hears_the_defect_and_the_bug_criterion_applies(db_url):
    """End to end on the database: AutoQA scores two untagged conversations, the one where the
    customer says the app crashes gets the defect signal (with highlighted evidence), so the
    bug criterion is asked there and waived on the other."""
    from qa_app.services.actor import SYSTEM
    from qa_app.services.autoqa import message_evidence
    from qa_app.services.autoqa import scoring_runs as autoscoring

    flow = seed_workflow(db_url, conversations=2)
    crash_id, late_id = flow.conversation_ids
    with storage_db.unit_of_work(db_url) as session:
        rubrics.save_rubric(session, flow.lead, CONDITIONAL_RUBRIC, "bug steps")
        crash = session.get(Conversation, crash_id)
        crash.messages[0].text = "The app crashes every time I tap Pay, just a white screen."
        crash.content_hash = "changed"
    with storage_db.unit_of_work(db_url) as session:
        autoscoring.score_conversations(session, SYSTEM)
    with storage_db.unit_of_work(db_url) as session:
        assert conversation_facts(session, crash_id).signal_detected("defect_report")
        assert not conversation_facts(session, late_id).signal_detected("defect_report")
        spans = message_evidence(session, crash_id)[0].spans
        assert {s.kind for s in spans if s.task == "defect_report"} == {"defect"}
    aids = [_assign(db_url, flow.lead, cid) for cid in (crash_id, late_id)]
    with storage_db.unit_of_work(db_url) as session:
        asked, waived = (reviews.open_review(session, flow.reviewers[0], a) for a in aids)
        assert asked.auto_na == {} and waived.auto_na == {"steps": DEFECT}
