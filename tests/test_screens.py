"""Each page's one read (``*_screen``) and its changes (``do_*``) through the public
surfaces, on both databases, exactly as the app calls them: a fresh unit of work each."""

from __future__ import annotations

import json

import pytest
from review_fixtures import seed_workflow
from sqlalchemy import select

from qa_app.services import (
    accounts,
    autoqa,
    calibration,
    database,
    disputes,
    imports,
    overview,
    reviews,
    rubrics,
    sampling,
)
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import Conflict, PermissionDenied
from qa_app.services.sampling import plans as sampling_plans
from qa_app.storage.models import Assignment, AutoScore, Message, SignInSession

FULL = reviews.ReviewDraft(
    grades={
        "politeness": reviews.GradeInput(3),
        "greeting": reviews.GradeInput(1),
        "correct_info": reviews.GradeInput(1),
    }
)


def _uow(flow_or_url):
    return database.unit_of_work(getattr(flow_or_url, "url", flow_or_url))


def _assign(flow, count: int = 2, reviewer: str = "rev1") -> list[int]:
    with _uow(flow) as uow:
        ids = [
            sampling_plans.assign_conversation(uow.session, flow.lead, conv_id, reviewer)
            for conv_id in flow.conversation_ids[:count]
        ]
        uow.commit()
    return ids


def _status(flow, assignment_id: int) -> str:
    with _uow(flow) as uow:
        return uow.session.get(Assignment, assignment_id).status


def test_review_screen_opens_the_next_assignment_with_evidence_and_commits(db_url):
    flow = seed_workflow(db_url, conversations=3)
    first, _second = _assign(flow)
    rev = flow.reviewers[0]
    with _uow(flow) as uow:
        message = uow.session.scalar(
            select(Message).where(
                Message.conversation_id == flow.conversation_ids[0], Message.role == "agent"
            )
        )
        uow.session.add(
            AutoScore(
                conversation_id=message.conversation_id, message_id=message.id,
                task="politeness", scorer_version="p1", label="polite", score=0.9,
                evidence=[{"start": 0, "end": 3, "rule": "greeting", "weight": 1.2}],
            )
        )  # fmt: skip
        uow.commit()
    screen = reviews.review_screen(_uow(flow), rev)
    assert screen.assignment_id == first and screen.review.editable
    assert [r.text for r in screen.review.transcript.rows][1].startswith("Hi!")
    (evidence,) = screen.evidence.values()
    assert [(s.start, s.end, s.kind) for s in evidence.spans] == [(0, 3, "polite")]
    assert screen.stored_score.missing == ("politeness", "greeting", "correct_info")
    assert _status(flow, first) == "in_progress"  # opening was committed


def test_review_screen_with_an_empty_queue_and_another_reviewers_assignment(db_url):
    flow = seed_workflow(db_url, conversations=2, reviewers=2)
    assert reviews.review_screen(_uow(flow), flow.reviewers[0]).review is None
    (theirs,) = _assign(flow, 1, reviewer="rev2")
    with pytest.raises(PermissionDenied):
        reviews.review_screen(_uow(flow), flow.reviewers[0], theirs)
    lead_view = reviews.review_screen(_uow(flow), flow.lead, theirs)
    assert not lead_view.review.editable
    assert _status(flow, theirs) == "pending"  # a lead reading does not start the work


def test_save_and_submit_are_atomic_and_a_stale_save_changes_nothing(db_url):
    flow = seed_workflow(db_url, conversations=3)
    first, second = _assign(flow)
    rev = flow.reviewers[0]
    partial = reviews.ReviewDraft(grades={"politeness": reviews.GradeInput(2)})
    saved = reviews.do_save_draft(_uow(flow), rev, first, partial, None)
    with pytest.raises(Conflict):
        reviews.do_save_draft(_uow(flow), rev, first, FULL, saved.lock_version + 5)
    reopened = reviews.review_screen(_uow(flow), rev, first).review
    assert (
        reopened.draft.grades["politeness"].value == 2 and "greeting" not in reopened.draft.grades
    )
    result = reviews.do_submit_review(_uow(flow), rev, first, FULL, saved.lock_version)
    assert result.next_assignment_id == second and result.score.overall == 100.0
    assert _status(flow, first) == "done"


def test_queue_screen_for_a_reviewer_and_for_a_lead(db_url):
    flow = seed_workflow(db_url, conversations=3)
    first, second = _assign(flow)
    mine = reviews.queue_screen(_uow(flow), flow.reviewers[0], reviewer_id=12345)
    assert mine.reviewer_id == flow.reviewers[0].user_id  # a reviewer sees only their own
    assert [i.assignment_id for i in mine.buckets["due"]] == [first, second]
    assert (mine.counts.due, mine.next_assignment_id, mine.all_reviewers) == (2, first, None)
    lead = reviews.queue_screen(_uow(flow), flow.lead, reviewer_id=12345)
    assert lead.reviewer_id is None  # an unknown reviewer falls back to everyone
    assert ("rev1", 2) in zip(
        lead.all_reviewers["reviewer"], lead.all_reviewers["due"], strict=True
    )
    assert (flow.reviewers[0].user_id, "rev1") in lead.reviewer_options
    chosen = reviews.queue_screen(_uow(flow), flow.lead, flow.reviewers[1].user_id)
    assert chosen.buckets["due"] == []


def test_disputes_screen_and_decision(db_url):
    flow = seed_workflow(db_url, conversations=2)
    (assignment,) = _assign(flow, 1)
    review_id = reviews.do_submit_review(
        _uow(flow), flow.reviewers[0], assignment, FULL, None
    ).review_id
    agent = flow.agents[0]  # a.petrova handled conversation 0
    seen = disputes.disputes_screen(_uow(flow), agent)
    assert [s.review_id for s in seen.reviews] == [review_id] and seen.deciding is None
    dispute_id = disputes.do_raise_dispute(_uow(flow), agent, review_id, "I greeted", "greeting")
    screen = disputes.disputes_screen(_uow(flow), flow.reviewers[0], deciding_id=999)
    assert screen.deciding.dispute_id == dispute_id  # unknown id: the first open one
    assert screen.deciding_review.review_id == review_id
    assert [d.status for d in screen.open_disputes] == ["open"]
    assert disputes.disputes_screen(_uow(flow), flow.agents[1]).reviews == []
    disputes.do_resolve_dispute(_uow(flow), flow.reviewers[0], dispute_id, False, "No")
    after = disputes.disputes_screen(_uow(flow), flow.reviewers[0])
    assert after.deciding is None and after.disputes[0].status == "rejected"


def test_calibration_screen_for_a_lead_and_a_reviewer(db_url):
    flow = seed_workflow(db_url, conversations=4, reviewers=2)
    lead = calibration.calibration_screen(_uow(flow), flow.lead)
    assert lead.sessions == [] and lead.selected is None
    assert [name for _id, name in lead.reviewer_choices] == ["lead", "rev1", "rev2"]
    assert [r.slug for r in lead.rubric_choices] == ["small-test"]
    refs = ["c-0", "c-1"]
    created = calibration.do_start_session(
        _uow(flow),
        flow.lead,
        "Week 1",
        ["rev1", "rev2"],
        refs,
        rubric_version_id=flow.rubric_version_id,
    )
    assert (created.total, created.conversations) == (4, 2)
    lead = calibration.calibration_screen(_uow(flow), flow.lead, session_id=999)
    assert lead.selected.session_id == created.session_id  # unknown id: the first listed
    assert lead.results is not None and lead.rubric is not None and lead.error is None
    reviewer = calibration.calibration_screen(_uow(flow), flow.reviewers[0], created.session_id)
    assert reviewer.results is None and reviewer.reviewer_choices is None
    assert len(reviewer.my_assignments) == 2
    calibration.do_close_session(_uow(flow), flow.lead, created.session_id, "done")
    closed = calibration.calibration_screen(_uow(flow), flow.reviewers[0], created.session_id)
    assert closed.selected.is_closed and closed.results is not None and closed.my_assignments == []


def test_rubrics_screen_falls_back_and_saves_versions(db_url):
    flow = seed_workflow(db_url, conversations=1)
    screen = rubrics.rubrics_screen(_uow(flow), flow.lead, slug="nope", version_id=999)
    assert screen.slug == "small-test" and screen.shown.version == 1
    assert screen.latest.version == 1  # leads edit
    text = screen.latest.yaml_text.replace("Small test rubric", "Small rubric")
    saved = rubrics.do_save_rubric(_uow(flow), flow.lead, text, "renamed")
    again = rubrics.rubrics_screen(
        _uow(flow), flow.reviewers[0], "small-test", screen.shown.version_id
    )
    assert [v.version for v in again.versions] == [saved.version, 1]
    assert again.shown.version == 1 and again.latest is None  # reviewers only read
    assert rubrics.rubrics_screen(_uow(flow), flow.lead, "small-test").shown.version == 2


def test_sampling_preview_writes_nothing_and_create_writes(db_url):
    flow = seed_workflow(db_url, conversations=6)
    screen = sampling.sampling_screen(_uow(flow), flow.lead)
    assert set(screen.options.reviewers) == {"lead", "rev1", "rev2"}
    assert [r.slug for r in screen.rubrics] == ["small-test"]
    request = sampling.SampleRequest(strategy="random", size=3, reviewers=("rev1",))
    plan = sampling.sample_preview(_uow(flow), flow.lead, request)
    assert len(plan.items) == 3
    with _uow(flow) as uow:
        assert uow.session.scalars(select(Assignment)).all() == []
    created = sampling.do_create_sample(_uow(flow), flow.lead, request)
    assert len(created.created_ids) == 3
    with pytest.raises(PermissionDenied):
        sampling.sampling_screen(_uow(flow), flow.reviewers[0])


def test_import_screen_and_import(db_url, tmp_path):
    record = {
        "conversation_id": "x-1", "channel": "chat", "language": "en",
        "started_at": "2026-03-02T09:15:00+00:00",
        "messages": [{"role": "customer", "text": "Hello", "sent_at": "2026-03-02T09:15:00+00:00"}],
    }  # fmt: skip
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert imports.import_screen(_uow(db_url), SYSTEM).history == []
    summary = imports.do_import_file(_uow(db_url), path, SYSTEM)
    assert summary.imported == 1
    (run,) = imports.import_screen(_uow(db_url), SYSTEM).history
    assert (run["file_name"], run["imported"]) == ("one.jsonl", 1)


def test_autoqa_and_overview_screens(db_url):
    flow = seed_workflow(db_url, conversations=4)
    screen = autoqa.autoqa_screen(_uow(flow), flow.lead, "v-test")
    assert screen.status.total == 4 and screen.distribution_stamp and screen.agreement_stamp
    assert autoqa.signal_distribution_screen(_uow(flow), signals=autoqa.KEY_SIGNALS).empty
    with pytest.raises(PermissionDenied):
        autoqa.autoqa_screen(_uow(flow), flow.agents[0], "v-test")
    agreement = autoqa.agreement_screen(_uow(flow))
    assert agreement.rubric_names["small-test"][0] == "Small test rubric"
    options = overview.filter_options_screen(_uow(flow), flow.lead)
    assert options.total == 4
    figures = overview.overview_screen(_uow(flow), flow.agents[0])
    assert figures.total == 2  # an agent sees only their own conversations


def test_sign_in_sign_out_and_user_admin(db_url):
    assert not accounts.sign_in_screen(_uow(db_url)).has_users
    _row, password = accounts.do_add_user(_uow(db_url), SYSTEM, "olga", "lead")
    assert accounts.sign_in_screen(_uow(db_url)).has_users
    actor, token = accounts.do_sign_in(_uow(db_url), "olga", password)
    assert accounts.do_refresh_actor(_uow(db_url), actor.user_id, token).username == "olga"
    accounts.do_sign_out(_uow(db_url), actor, token)
    with _uow(db_url) as uow:
        (stored,) = uow.session.scalars(select(SignInSession)).all()
        assert stored.revoked_at is not None
    accounts.do_deactivate(_uow(db_url), SYSTEM, "olga")
    assert accounts.do_refresh_actor(_uow(db_url), actor.user_id) is None
    assert [r.is_active for r in accounts.users_screen(_uow(db_url), SYSTEM)] == [False]
