"""AppTest of the review workflow pages for each role, in both languages."""

from __future__ import annotations

import pytest
from review_fixtures import seed_workflow
from ui_harness import reader_text, run_page, visible_text, whole_page

from qa_app.services.conversations.transcript import load_transcript
from qa_app.services.reviews import grading as reviews
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import AutoScore, AutoScoreRun, Conversation, Message, Review
from qa_app.ui.review_form import state_key
from qa_app.ui.transcript_view import transcript_html


def _assigned(url: str, count: int = 2, *, evil: bool = False):
    flow = seed_workflow(url, conversations=max(count, 2))
    with storage_db.unit_of_work(url) as session:
        if evil:
            conv = session.get(Conversation, flow.conversation_ids[0])
            conv.messages.append(
                Message(seq=5, role="customer", text='<script>alert("x")</script> **bold**')
            )
            session.flush()
        ids = [
            sampling.assign_conversation(session, flow.lead, conv_id, "rev1")
            for conv_id in flow.conversation_ids[:count]
        ]
    return flow, ids


def test_transcript_html_escapes_script(sqlite_url):
    flow, _ids = _assigned(sqlite_url, evil=True)
    with storage_db.unit_of_work(sqlite_url) as session:
        transcript = load_transcript(session, flow.conversation_ids[0])
    rendered = transcript_html(transcript, "en")
    assert "<script>" not in rendered
    assert reader_text(rendered, allow_html=True).endswith('<script>alert("x")</script> **bold**')


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_queue_page_reviewer_sees_counts_and_own_items(sqlite_url, lang):
    _assigned(sqlite_url)
    at = run_page("queue", "reviewer", sqlite_url, lang=lang, username="rev1")
    assert not at.exception
    assert at.title[0].value == ("My queue" if lang == "en" else "Моя очередь")
    assert [m.value for m in at.metric] == ["2", "0", "0"]
    assert at.button(key="queue.open_next").disabled is False


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_empty_queue_lists_say_what_fills_them(sqlite_url, lang):
    _assigned(sqlite_url)
    at = run_page("queue", "reviewer", sqlite_url, lang=lang, username="rev1")
    captions = " ".join(c.value for c in at.caption)
    if lang == "en":
        assert "No review started. Open the next conversation" in captions
        assert "No reviews submitted yet." in captions
    else:
        assert "Начатых оценок нет." in captions and "Отправленных оценок пока нет." in captions


def test_queue_page_lead_sees_all_reviewers(sqlite_url):
    _assigned(sqlite_url)
    at = run_page("queue", "lead", sqlite_url, username="lead")
    assert not at.exception
    assert "All reviewers" in visible_text(at)
    assert "rev1" in at.dataframe[0].value.to_string()


def test_review_page_renders_escaped_transcript_and_autosaves(sqlite_url):
    flow, ids = _assigned(sqlite_url, evil=True)
    at = run_page("review", "reviewer", sqlite_url, username="rev1")
    assert not at.exception, at.exception
    html_blocks = [m.value for m in at.markdown if m.value.startswith('<div class="qa-chat')]
    assert html_blocks and "<script>" not in html_blocks[0]
    assert "&lt;script&gt;" in html_blocks[0]
    at.radio(key=state_key(ids[0], "politeness", "v")).set_value(2).run()
    assert not at.exception
    with storage_db.unit_of_work(sqlite_url) as session:
        review = session.query(Review).filter_by(assignment_id=ids[0]).one()
        assert {g.criterion_id: g.value for g in review.grades} == {"politeness": 2}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_suggestion_reads_in_words_and_score_shows_the_pass_mark(sqlite_url, lang):
    flow, ids = _assigned(sqlite_url)
    with storage_db.unit_of_work(sqlite_url) as session:
        session.add(
            AutoScore(
                conversation_id=flow.conversation_ids[0],
                task="politeness",
                scorer_version="polite-1",
                label="polite",
                score=0.9,
                evidence=[
                    {"text": "Let me check", "rule": "model_word"},
                    {"rule": "empathy.none_in_reply"},
                ],
            )
        )
        session.add(
            AutoScoreRun(
                conversation_id=flow.conversation_ids[0], pipeline_version="p1", content_hash="h"
            )
        )
    at = run_page("review", "reviewer", sqlite_url, lang=lang, username="rev1")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    if lang == "en":
        assert "from the automatic signal alone" in captions
        assert "“Let me check”" in captions and "no words of empathy" in captions
        assert "pass mark 80" in captions
    else:
        assert "только по автоматическому сигналу" in captions
        assert "«Let me check»" in captions and "нет слов сочувствия" in captions
        assert "проходной балл 80" in captions
    # Rule codes and scorer versions are in the tooltip only, never in the text.
    assert "model_word" not in captions and "empathy.none_in_reply" not in captions
    assert "polite-1" not in captions
    for key in ("politeness", "greeting"):
        at.radio(key=state_key(ids[0], key, "v")).set_value(1)
    at.radio(key=state_key(ids[0], "correct_info", "v")).set_value(1).run()
    result = " ".join(m.value for m in at.markdown)
    assert (":red-badge" in result) and ("Fail" in result if lang == "en" else "Незачёт" in result)
    # Category headers say what their number is out of.
    of_100 = "of 100" if lang == "en" else "из 100"
    assert any(of_100 in e.label for e in at.expander)


def test_review_submit_lists_missing_then_moves_to_next(sqlite_url):
    flow, ids = _assigned(sqlite_url)
    at = run_page("review", "reviewer", sqlite_url, username="rev1")
    at.button(key="review.submit").click().run()
    assert "Greeting" in visible_text(at) and not at.exception
    at.radio(key=state_key(ids[0], "politeness", "v")).set_value(3)
    at.radio(key=state_key(ids[0], "greeting", "v")).set_value("na")
    at.radio(key=state_key(ids[0], "correct_info", "v")).set_value(1).run()
    whole_page(at).button(key="review.submit").click().run()
    assert not at.exception
    assert "Review submitted: score 100" in visible_text(at)
    assert at.radio(key=state_key(ids[1], "politeness", "v")).value is None
    with storage_db.unit_of_work(sqlite_url) as session:
        assert session.query(Review).filter_by(assignment_id=ids[0]).one().status == "submitted"


def test_review_page_conflict_keeps_input(sqlite_url):
    flow, ids = _assigned(sqlite_url)
    at = run_page("review", "reviewer", sqlite_url, username="rev1", lang="ru")
    at.radio(key=state_key(ids[0], "politeness", "v")).set_value(2).run()
    with storage_db.unit_of_work(sqlite_url) as session:  # another tab saves meanwhile
        ctx = reviews.open_review(session, flow.reviewers[0], ids[0])
        draft = ctx.draft
        draft.comment = "other tab"
        reviews.save_draft(session, flow.reviewers[0], ids[0], draft, ctx.lock_version)
    whole_page(at).radio(key=state_key(ids[0], "politeness", "v")).set_value(3).run()
    assert not at.exception
    assert "Кто-то сохранил эту оценку" in visible_text(at)
    assert at.radio(key=state_key(ids[0], "politeness", "v")).value == 3
    at.button(key=f"rv{ids[0]}.mine").click().run()
    with storage_db.unit_of_work(sqlite_url) as session:
        review = session.query(Review).filter_by(assignment_id=ids[0]).one()
        assert {g.criterion_id: g.value for g in review.grades} == {"politeness": 3}


def test_review_page_denied_for_agents(sqlite_url):
    _assigned(sqlite_url)
    at = run_page("review", "agent", sqlite_url, username="a.petrova")
    assert not at.exception
    assert at.error and "not available" in at.error[0].value


def _submitted_review(url: str):
    flow, ids = _assigned(url, 1)
    draft = reviews.ReviewDraft(
        grades={
            "politeness": reviews.GradeInput(1),
            "greeting": reviews.GradeInput(1),
            "correct_info": reviews.GradeInput(1),
        }
    )
    with storage_db.unit_of_work(url) as session:
        reviews.submit_review(session, flow.reviewers[0], ids[0], draft, None)
    return flow


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_rubrics_page_shows_descriptors_in_the_user_language(sqlite_url, lang):
    _assigned(sqlite_url, 1)
    at = run_page("rubrics", "reviewer", sqlite_url, lang=lang, username="rev1")
    assert not at.exception
    assert ("Warm." if lang == "en" else "Тепло.") in visible_text(at)
    assert len(at.tabs) == 2  # reviewers cannot edit
    # The criterion's automatic signal is named in words, not as its code.
    signal = "automatic signal: politeness" if lang == "en" else "автоматический сигнал: вежливость"
    assert signal in visible_text(at)
    # Weights read as shares (two categories of weight 1 each; two criteria in the first).
    expanders = [e.label for e in at.expander]
    assert ("Manner · 50% of the score" if lang == "en" else "Манера · 50% итогового балла") in (
        expanders
    )
    assert ("50% of its category" if lang == "en" else "50% своей категории") in visible_text(at)


def test_signal_names_cover_every_signal_the_default_rubric_uses():
    from pathlib import Path

    import yaml

    from qa_app.i18n import catalogue

    used = set()
    for path in Path(__file__).resolve().parent.parent.glob("rubrics/*.yaml"):
        for category in yaml.safe_load(path.read_text(encoding="utf-8")).get("categories", []):
            used |= {c["auto_signal"] for c in category["criteria"] if c.get("auto_signal")}
    assert used and not {s for s in used if f"autoqa.sig.{s}" not in catalogue()}


def test_rubrics_page_lead_edit_reports_paths_then_saves_a_version(sqlite_url):
    _assigned(sqlite_url, 1)
    at = run_page("rubrics", "lead", sqlite_url, username="lead")
    assert not at.exception and len(at.tabs) == 3
    area = at.text_area(key="rubrics.yaml.small-test")
    good = area.value
    area.set_value(good.replace("weight: 1", "weight: zero", 1))
    at.text_input(key="rubrics.note.small-test").set_value("typo")
    at.button(key="rubrics.save").click().run()
    problems = " ".join(df.value.to_string() for df in at.dataframe)
    assert "categories[0].weight" in problems
    assert at.text_area(key="rubrics.yaml.small-test").value.count("weight: zero") == 1
    at.text_area(key="rubrics.yaml.small-test").set_value(good.replace("Small test", "Tiny"))
    at.button(key="rubrics.save").click().run()
    assert not at.exception
    assert "Saved as version 2" in visible_text(at)


def test_sampling_page_preview_then_create(sqlite_url):
    _assigned(sqlite_url, 0)
    at = run_page("sampling", "lead", sqlite_url, username="lead")
    assert not at.exception
    at.radio(key="sampling.section").set_value("oneoff").run()
    at.multiselect(key="oneoff.reviewers").set_value(["rev1", "rev2"])
    at.button(key="oneoff.preview").click().run()
    assert not at.exception
    table = at.dataframe[-1].value
    why = " ".join(table["Why sampled"])
    assert "quota of" in why and "for the week of 20" in why  # the Monday's date, not 2026-W13
    assert "to cover " in why and "stratum" not in why and "/" not in why
    assert " in English" in why or " in Russian" in why  # language names keep their capital
    assert all("-W" not in str(week) for week in table["Week of"])
    at.button(key="sampling.create").click().run()
    assert "assignments created" in visible_text(at)
    queue_page = run_page("queue", "reviewer", sqlite_url, lang="ru", username="rev1")
    why_ru = " ".join(queue_page.dataframe[0].value["Почему в выборке"])
    assert "квота" in why_ru and "для охвата:" in why_ru and "sampling.reason" not in why_ru


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_queue_says_why_in_words_for_hand_made_assignments(sqlite_url, lang):
    _assigned(sqlite_url)  # assign_conversation labels its assignments "manual"
    at = run_page("queue", "reviewer", sqlite_url, lang=lang, username="rev1")
    table = at.dataframe[0].value
    why = "Why sampled" if lang == "en" else "Почему в выборке"
    expected = "assigned by hand" if lang == "en" else "назначено вручную"
    assert set(table[why]) == {expected}
    # Nothing in the "due" list has a score yet, so there is no column of dashes.
    assert ("Score" if lang == "en" else "Балл") not in table.columns


def test_queue_describes_calibration_assignments():
    from qa_app.ui.screens.queue_page import describe_label

    assert describe_label("calibration: March / Март") == "calibration session “March”"
    assert describe_label("risk seed=1: weird_code") == "weird_code (Risk-weighted)"


def test_sampling_page_is_for_leads_only(sqlite_url):
    at = run_page("sampling", "reviewer", sqlite_url)
    assert at.error and not at.exception


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_disputes_page_agent_raises_on_own_review(sqlite_url, lang):
    _submitted_review(sqlite_url)
    at = run_page("disputes", "agent", sqlite_url, lang=lang, username="a.petrova")
    assert not at.exception
    at.text_area[0].set_value("I was polite")
    at.button[0].click().run()
    assert not at.exception
    at = run_page("disputes", "agent", sqlite_url, lang=lang, username="a.petrova")
    table = next(df.value for df in at.dataframe if "#" in df.value.columns)
    assert table.iloc[0, 1] == ("open" if lang == "en" else "открыт")
    assert "I was polite" in visible_text(at)  # the reason in full, in the card under it


def session_dispute_id(url: str) -> int:
    from qa_app.storage.models import Dispute

    with storage_db.unit_of_work(url) as session:
        return session.query(Dispute).one().id


def test_disputes_page_reviewer_rejects_and_agent_of_other_sees_nothing(sqlite_url):
    flow = _submitted_review(sqlite_url)
    with storage_db.unit_of_work(sqlite_url) as session:
        from qa_app.services.disputes import decisions as disputes

        review_id = session.query(Review).one().id
        disputes.raise_dispute(session, flow.agents[0], review_id, "unfair", "politeness", 3)
    at = run_page("disputes", "reviewer", sqlite_url, username="rev1")
    assert not at.exception
    dispute_id = session_dispute_id(sqlite_url)
    at.radio(key=f"disputes.decide.{dispute_id}.decision.en").set_value("Reject").run()
    at.text_area(key=f"disputes.answer.{dispute_id}").set_value("Grades stand")
    next(b for b in at.button if b.label == "Reject").click().run()
    assert not at.exception
    assert "Dispute rejected" in visible_text(at)
    other = run_page("disputes", "agent", sqlite_url, username="b.smith")
    assert "unfair" not in " ".join(df.value.to_string() for df in other.dataframe)


def test_lead_opens_a_reviewers_assignment_read_only(sqlite_url):
    _flow, ids = _assigned(sqlite_url)
    at = run_page("review", "lead", sqlite_url, username="lead")
    assert "Nothing is assigned to you. To read a reviewer's work" in visible_text(at)
    at.session_state["review.assignment_id"] = ids[1]
    at.run()
    assert not at.exception
    assert "Read only" in visible_text(at)
    assert at.metric[0].label == "Score"  # not "Score so far": nothing more will be graded
    assert at.radio(key=state_key(ids[1], "politeness", "v")).disabled


def test_open_next_from_the_queue_targets_the_oldest_assignment(sqlite_url):
    _flow, ids = _assigned(sqlite_url)
    at = run_page("queue", "reviewer", sqlite_url, username="rev1")
    at.button(key="queue.open_next").click().run()
    assert at.session_state["review.assignment_id"] == ids[0]


def test_calibration_offsets_use_the_russian_decimal_comma(sqlite_url):
    from test_calibration_page import _graded_session

    _graded_session(sqlite_url)
    at = run_page("calibration", "lead", sqlite_url, lang="ru", username="lead")
    assert not at.exception
    severity = next(
        df.value for df in at.dataframe if "Разброс (СО)" in df.value.columns
    )  # the reviewer-severity table
    offsets = list(severity["Смещение, баллов из 100"])
    assert offsets and all("." not in text for text in offsets)
    assert all(text[0] in "+−" or text == "0,0" for text in offsets)  # a real minus sign
