"""AppTest of deciding a dispute as the lead and reading the decision as the agent, in both
languages: the conversation beside the grades, the disputed criterion highlighted, the full
reason, three decisions in words, and never a "grade changed" message for a kept grade."""

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

REASON = "I greeted the customer by name and thanked them twice; 1 of 3 is unfair. " * 3


def _disputed(url: str, criterion: str | None = "politeness") -> tuple[int, int]:
    flow = seed_workflow(url, conversations=2)
    with storage_db.unit_of_work(url) as session:
        aid = sampling.assign_conversation(session, flow.lead, flow.conversation_ids[0], "rev1")
        draft = reviews.ReviewDraft(
            grades={
                "politeness": reviews.GradeInput(2),
                "greeting": reviews.GradeInput(1),
                "correct_info": reviews.GradeInput(1),
            }
        )
        review_id = reviews.submit_review(session, flow.reviewers[0], aid, draft, None).review_id
        dispute_id = disputes.raise_dispute(session, flow.agents[0], review_id, REASON, criterion)
    return review_id, dispute_id


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_lead_decides_with_the_transcript_beside_the_highlighted_grade(sqlite_url, lang):
    _review_id, dispute_id = _disputed(sqlite_url)
    at = run_page("disputes", "lead", sqlite_url, lang=lang, username="lead")
    assert not at.exception, at.exception
    chat = [m.value for m in at.markdown if m.value.startswith('<div class="qa-chat')]
    assert chat and "order 0 is late" in chat[0]  # the conversation is on the card
    text = visible_text(at)
    assert REASON.strip() in text  # the whole reason, not a cut preview
    grades = next(df for df in at.dataframe if "⚑" in df.value.to_string())
    name = "Politeness" if lang == "en" else "Вежливость"
    assert f"⚑ {name}" in grades.value.iloc[:, 1].tolist()
    current = (
        "current grade: **2 Meets**" if lang == "en" else "текущая оценка: **2 Соответствует**"
    )
    assert any(current in m.value for m in at.markdown)
    decision = at.radio(key=f"disputes.decide.{dispute_id}.decision.{lang}")
    assert decision.options == (
        ["Accept and change the grade", "Accept, keep the grade", "Reject"]
        if lang == "en"
        else ["Принять и изменить оценку", "Принять, оставить оценку", "Отклонить"]
    )


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_accepted_grade_kept_says_so_and_the_agent_reads_it(sqlite_url, lang):
    review_id, dispute_id = _disputed(sqlite_url)
    at = run_page("disputes", "lead", sqlite_url, lang=lang, username="lead")
    keep = "Accept, keep the grade" if lang == "en" else "Принять, оставить оценку"
    at.radio(key=f"disputes.decide.{dispute_id}.decision.{lang}").set_value(keep).run()
    assert not at.selectbox or all(  # no new grade to pick when the grade is kept
        s.key != f"disputes.decide.{dispute_id}.politeness" for s in at.selectbox
    )
    at.text_area(key=f"disputes.answer.{dispute_id}").set_value("Fair, but 2 stands")
    _button(at, keep).click().run()
    assert not at.exception, at.exception
    text = visible_text(at)
    if lang == "en":
        assert "Dispute accepted, grade kept: the score stays 88" in text
        assert "the grade was changed" not in text
    else:
        assert "Спор принят, оценка сохранена: балл остаётся 88" in text
        assert "оценка изменена" not in text
    with storage_db.unit_of_work(sqlite_url) as session:
        assert session.get(Dispute, dispute_id).status == "accepted_kept"
        assert session.get(Review, review_id).overall_score == 87.5
        line = session.scalars(select(GradeChange)).one()
        assert (line.decision, line.old_value, line.new_value) == ("kept", 2.0, 2.0)
    agent = run_page("disputes", "agent", sqlite_url, lang=lang, username="a.petrova")
    assert not agent.exception
    status = "accepted, grade kept" if lang == "en" else "принят, оценка сохранена"
    table = next(df.value for df in agent.dataframe if "#" in df.value.columns)
    assert table.iloc[0, 1] == status
    assert "Fair, but 2 stands" in visible_text(agent)


def test_an_accept_that_changes_nothing_is_refused_and_keeps_the_answer(sqlite_url):
    review_id, dispute_id = _disputed(sqlite_url, criterion=None)
    at = run_page("disputes", "lead", sqlite_url, username="lead")
    at.text_area(key=f"disputes.answer.{dispute_id}").set_value("A long careful answer")
    _button(at, "Accept and change").click().run()  # no criterion picked to change
    assert not at.exception
    assert "This accept changes no grade" in " ".join(e.value for e in at.error)
    assert at.text_area(key=f"disputes.answer.{dispute_id}").value == "A long careful answer"
    with storage_db.unit_of_work(sqlite_url) as session:
        assert session.get(Dispute, dispute_id).status == "open"
        assert session.scalars(select(GradeChange)).all() == []


def test_a_rejection_writes_the_history_and_says_rejected(sqlite_url):
    review_id, dispute_id = _disputed(sqlite_url)
    at = run_page("disputes", "lead", sqlite_url, lang="ru", username="lead")
    at.radio(key=f"disputes.decide.{dispute_id}.decision.ru").set_value("Отклонить").run()
    at.text_area(key=f"disputes.answer.{dispute_id}").set_value("Оценка верна")
    _button(at, "Отклонить").click().run()
    assert "Спор отклонён" in visible_text(at)
    with storage_db.unit_of_work(sqlite_url) as session:
        line = session.scalars(select(GradeChange)).one()
        assert (line.decision, line.criterion_id) == ("rejected", "politeness")
