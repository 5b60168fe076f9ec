"""The review page's grading speed-ups in AppTest: the form opens at its first ungraded
criterion and a refused submit jumps to the first missing one; the keyboard script is the
fixed one, in the user's language; draft saves no longer compute automatic values (the
submission records them)."""

from __future__ import annotations

import json

import pytest
from review_fixtures import seed_workflow
from ui_harness import run_page, whole_page

from qa_app.services.reviews import grading as reviews
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import AutoScore, AutoScoreRun, Review
from qa_app.ui.review_form import state_key


def _assigned(url: str) -> list[int]:
    flow = seed_workflow(url, conversations=2)
    with storage_db.unit_of_work(url) as session:
        return [
            sampling.assign_conversation(session, flow.lead, conv_id, "rev1")
            for conv_id in flow.conversation_ids
        ]


def _scripts(at) -> list[str]:
    return [el.proto.body for el in at.get("html")]


def _jumps(at) -> list[str]:
    return [body for body in _scripts(at) if "scrollIntoView({block: 'nearest'" in body]


@pytest.mark.parametrize(("lang", "na"), [("en", "N/A"), ("ru", "Неприменимо")])
def test_the_keyboard_script_is_installed_with_the_users_na_label(sqlite_url, lang, na):
    _assigned(sqlite_url)
    at = run_page("review", "reviewer", sqlite_url, lang=lang, username="rev1")
    assert not at.exception
    listeners = [body for body in _scripts(at) if "__qaGradingInstalled" in body]
    assert len(listeners) == 1
    assert f'"na": {json.dumps(na)}' in listeners[0]
    assert at.button(key="review.submit").proto.shortcut.lower() == "ctrl+enter"


def test_opens_at_the_first_ungraded_and_jumps_to_the_first_missing(sqlite_url):
    ids = _assigned(sqlite_url)
    at = run_page("review", "reviewer", sqlite_url, username="rev1")
    assert [".st-key-qa-crit-politeness" in j for j in _jumps(at)] == [True]
    at.radio(key=state_key(ids[0], "politeness", "v")).set_value(3).run()
    assert _jumps(at) == []  # a grade click does not move the form
    whole_page(at).button(key="review.submit").click().run()
    assert not at.exception and at.error
    jumps = _jumps(at)
    assert len(jumps) == 1 and ".st-key-qa-crit-greeting" in jumps[0]
    assert ":red[*]" in at.radio(key=state_key(ids[0], "greeting", "v")).label


def test_drafts_skip_automatic_values_and_the_submission_records_them(sqlite_url):
    flow = seed_workflow(sqlite_url, conversations=2)
    conv = flow.conversation_ids[0]
    with storage_db.unit_of_work(sqlite_url) as session:  # politeness has a signal to suggest
        session.add(AutoScore(conversation_id=conv, task="politeness", scorer_version="p-1",
                              label="polite", score=0.9, evidence=[]))  # fmt: skip
        session.add(AutoScoreRun(conversation_id=conv, pipeline_version="p1", content_hash="h"))
    with storage_db.unit_of_work(sqlite_url) as session:
        aid = sampling.assign_conversation(session, flow.lead, flow.conversation_ids[0], "rev1")
        draft = reviews.ReviewDraft(
            {
                "politeness": reviews.GradeInput(2),
                "greeting": reviews.GradeInput(1),
                "correct_info": reviews.GradeInput(1),
            }
        )
        saved = reviews.save_draft(session, flow.reviewers[0], aid, draft, None)
        stored = session.get(Review, saved.review_id)
        assert all(g.auto_value is None for g in stored.grades)
        reviews.submit_review(session, flow.reviewers[0], aid, draft, saved.lock_version)
        session.refresh(stored)
        autos = {g.criterion_id: g.auto_value for g in stored.grades}
        assert stored.status == "submitted"
        assert autos["politeness"] is not None and autos["greeting"] is None


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "This conversation is in another reviewer's queue"),
    ("ru", "Этот диалог в очереди другого проверяющего"),
])  # fmt: skip
def test_another_reviewers_assignment_is_refused_in_words_inside_the_fragment(
    sqlite_url, lang, said
):
    """The review is a fragment, whose errors never reach the page's guard: a refusal is
    still said in the user's language, with no traceback."""
    flow = seed_workflow(sqlite_url, conversations=2)
    with storage_db.unit_of_work(sqlite_url) as session:
        theirs = sampling.assign_conversation(session, flow.lead, flow.conversation_ids[0], "rev2")
    at = run_page("review", "reviewer", sqlite_url, lang=lang, username="rev1")
    at.session_state["review.assignment_id"] = theirs
    at.run()
    assert not at.exception
    assert at.error and said in at.error[0].value
