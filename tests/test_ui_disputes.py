"""AppTest of the dispute forms: grades chosen from the scale, whole-review disputes that
change grades when accepted, refused submissions that keep the text, escaped reasons."""

from __future__ import annotations

import pytest
from review_fixtures import seed_workflow
from sqlalchemy import select
from ui_harness import run_page, visible_text

from qa_app.services.disputes import decisions as disputes
from qa_app.services.reviews import grading as reviews
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import Dispute, GradeChange, Review


def _submitted(url: str):
    flow = seed_workflow(url, conversations=2)
    with storage_db.unit_of_work(url) as session:
        assignment = sampling.assign_conversation(
            session, flow.lead, flow.conversation_ids[0], "rev1"
        )
    draft = reviews.ReviewDraft(
        grades={
            "politeness": reviews.GradeInput(2),
            "greeting": reviews.GradeInput(1),
            "correct_info": reviews.GradeInput(1),
        }
    )
    with storage_db.unit_of_work(url) as session:
        reviews.submit_review(session, flow.reviewers[0], assignment, draft, None)
        review_id = session.scalar(select(Review.id))
    return flow, review_id


def _submit_button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_agent_proposes_a_level_from_the_scale(sqlite_url):
    _flow, review_id = _submitted(sqlite_url)
    at = run_page("disputes", "agent", sqlite_url, username="a.petrova")
    at.selectbox(key=f"disputes.raise.{review_id}.target").set_value("politeness").run()
    proposed = at.selectbox(key=f"disputes.raise.{review_id}.proposed.politeness")
    assert proposed.options == ["—", "1", "3"]  # the scale without the current grade
    proposed.set_value(3)
    at.text_area(key=f"disputes.raise.{review_id}.reason").set_value("I thanked twice")
    _submit_button(at, "Raise dispute").click().run()
    assert not at.exception
    assert "Dispute sent" in visible_text(at)
    with storage_db.unit_of_work(sqlite_url) as session:
        dispute = session.scalars(select(Dispute)).one()
    assert (dispute.criterion_id, dispute.proposed_value) == ("politeness", 3.0)


def test_a_refused_dispute_keeps_the_typed_reason(sqlite_url):
    flow, review_id = _submitted(sqlite_url)
    with storage_db.unit_of_work(sqlite_url) as session:
        disputes.raise_dispute(session, flow.agents[0], review_id, "first", None)
    at = run_page("disputes", "agent", sqlite_url, username="a.petrova")
    reason = "A long explanation I do not want to type again"
    at.text_area(key=f"disputes.raise.{review_id}.reason").set_value(reason)
    _submit_button(at, "Raise dispute").click().run()
    assert not at.exception and at.error  # the same dispute is already open
    assert at.text_area(key=f"disputes.raise.{review_id}.reason").value == reason


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_whole_review_dispute_accepted_with_changed_grades(sqlite_url, lang):
    flow, review_id = _submitted(sqlite_url)
    with storage_db.unit_of_work(sqlite_url) as session:
        dispute_id = disputes.raise_dispute(
            session, flow.agents[0], review_id, "**The** whole thing [x](http://e)", None
        )
    at = run_page("disputes", "reviewer", sqlite_url, lang=lang, username="rev1")
    assert not at.exception
    # The reason in full beside the grades, as typed: no emphasis, no link (an invisible
    # word joiner keeps Markdown from linking the address by itself).
    shown = visible_text(at).replace("\u2060", "")
    assert "**The** whole thing [x](http://e)" in shown
    assert not any("**The" in m.value or "[x](" in m.value for m in at.markdown)
    at.multiselect(key=f"disputes.decide.{dispute_id}.criteria").set_value(
        ["politeness", "greeting"]
    ).run()
    at.selectbox(key=f"disputes.decide.{dispute_id}.politeness").set_value(3)
    # AppTest formats options in the test process (English), so N/A is picked in English only
    greeting = "__na__" if lang == "en" else 0
    at.selectbox(key=f"disputes.decide.{dispute_id}.greeting").set_value(greeting)
    at.text_area(key=f"disputes.answer.{dispute_id}").set_value("Agreed on both")
    _submit_button(at, "Accept and change" if lang == "en" else "Принять и изменить").click().run()
    assert not at.exception
    with storage_db.unit_of_work(sqlite_url) as session:
        review = session.get(Review, review_id)
        grades = {g.criterion_id: (g.value, g.not_applicable) for g in review.grades}
        changes = session.scalars(select(GradeChange).order_by(GradeChange.criterion_id)).all()
        assert review.status == "final"
    new_greeting = None if lang == "en" else 0.0
    assert grades["politeness"] == (3.0, False)
    assert grades["greeting"] == (new_greeting, lang == "en")
    assert [(c.criterion_id, c.old_value, c.new_value) for c in changes] == [
        ("greeting", 1.0, new_greeting),
        ("politeness", 2.0, 3.0),
    ]


def test_criterion_dispute_defaults_to_the_proposed_level(sqlite_url):
    flow, review_id = _submitted(sqlite_url)
    with storage_db.unit_of_work(sqlite_url) as session:
        dispute_id = disputes.raise_dispute(
            session, flow.agents[0], review_id, "unfair", "politeness", 1
        )
    at = run_page("disputes", "reviewer", sqlite_url, username="rev1")
    box = at.selectbox(key=f"disputes.decide.{dispute_id}.politeness")
    assert box.value == 1 and box.options == ["1", "3"]  # never the current grade (2)
    at.text_area(key=f"disputes.answer.{dispute_id}").set_value("Right, it was curt")
    _submit_button(at, "Accept and change").click().run()
    assert "Dispute accepted: the grade was changed and the score recomputed (88 → 75)." in (
        visible_text(at)
    )
    with storage_db.unit_of_work(sqlite_url) as session:
        grade = {g.criterion_id: g.value for g in session.get(Review, review_id).grades}
    assert grade["politeness"] == 1.0


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_agent_reads_a_long_reason_and_the_answer_in_full(sqlite_url, lang):
    flow, review_id = _submitted(sqlite_url)
    reason = "The customer thanked me twice and the greeting was there. " * 4
    answer = "Checked the transcript again: the greeting came after the first question. " * 3
    with storage_db.unit_of_work(sqlite_url) as session:
        dispute_id = disputes.raise_dispute(session, flow.agents[0], review_id, reason, "greeting")
        disputes.resolve_dispute(session, flow.reviewers[0], dispute_id, False, answer)
    at = run_page("disputes", "agent", sqlite_url, lang=lang, username="a.petrova")
    assert not at.exception
    table = next(df.value for df in at.dataframe if "#" in df.value.columns)
    # No column cuts a reason or an answer off: the table names the dispute ...
    assert not {"Reason", "Answer", "Причина", "Ответ"} & set(table.columns)
    # ... and the card under it has them in full, the answer included.
    shown = visible_text(at)
    assert reason.strip() in shown and answer.strip() in shown
    assert ("Answer from rev1" if lang == "en" else "Ответ — rev1") in shown
    # An agent comes for their grades: "My reviews" is the first tab.
    assert at.tabs[0].label == ("My reviews" if lang == "en" else "Мои оценки")


def test_agent_reads_the_reviewers_comments_in_full(sqlite_url):
    flow = seed_workflow(sqlite_url, conversations=2)
    comment = "Клиент был расстроен, но оператор ни разу не признал его чувства; " * 3
    with storage_db.unit_of_work(sqlite_url) as session:
        assignment = sampling.assign_conversation(
            session, flow.lead, flow.conversation_ids[0], "rev1"
        )
    draft = reviews.ReviewDraft(
        grades={
            "politeness": reviews.GradeInput(2, comment=comment),
            "greeting": reviews.GradeInput(1),
            "correct_info": reviews.GradeInput(1),
        }
    )
    with storage_db.unit_of_work(sqlite_url) as session:
        reviews.submit_review(session, flow.reviewers[0], assignment, draft, None)
    at = run_page("disputes", "agent", sqlite_url, lang="ru", username="a.petrova")
    assert not at.exception
    shown = visible_text(at)
    assert "Комментарии проверяющего" in shown and comment.strip() in shown
    # The review chooser says what the number is: "demo · балл 67 · 2026-03-02".
    assert " · балл " in at.selectbox(key="disputes.review").options[0]
