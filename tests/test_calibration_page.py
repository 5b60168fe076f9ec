"""The calibration page in AppTest: a lead reads results and creates a session, a reviewer
sees progress while grading is blind and everything once the session is closed."""

from __future__ import annotations

from test_calibration_service import _assignments, _grade, _setup
from ui_harness import reader_text, run_page, visible_text

from qa_app.services.calibration import grading as calibration
from qa_app.services.calibration.results import calibration_results
from qa_app.storage import db as storage_db


def _graded_session(url: str, comment: str = "<b>late</b> reply") -> tuple:
    flow, version_id = _setup(url, conversations=4, reviewers=3)
    names = [r.username for r in flow.reviewers]
    with storage_db.unit_of_work(url) as session:
        sid = calibration.create_session(
            session, flow.lead, "March <calibration>", names, list(flow.conversation_ids),
            rubric_version_id=version_id,
        )  # fmt: skip
    ids = _assignments(url, sid)
    for r, reviewer in enumerate(flow.reviewers):
        for j, conv_id in enumerate(flow.conversation_ids):
            values = {"objections": 1 + (r + j) % 5, "greeting": (r + j) % 2, "patience": 3}
            _grade(url, reviewer, ids[(reviewer.user_id, conv_id)], values, comment=comment)
    return flow, sid


def test_lead_reads_results_in_both_languages(sqlite_url):
    flow, _sid = _graded_session(sqlite_url)
    at = run_page("calibration", "lead", sqlite_url, username="lead")
    assert not at.exception
    text = visible_text(at)
    assert "Calibration" in text and "Conversations to discuss" in text
    assert "March <calibration>" in text  # the session name shows as typed
    table = at.dataframe[1].value
    patience = table[table["Criterion"] == "Patience"].iloc[0]
    assert patience["Krippendorff's α"] == "—"
    assert "— not defined (all reviewers gave the same value): Patience" in text
    assert len(at.get("plotly_chart")) == 2
    markdown = "\n".join(m.value for m in at.markdown)
    assert "<b>late</b> reply" in text and "<b>" not in markdown
    ru = run_page("calibration", "lead", sqlite_url, lang="ru", username="lead")
    assert not ru.exception
    ru_text = visible_text(ru)
    assert "Калибровка" in ru_text and "Диалоги для обсуждения" in ru_text
    assert "не определено (все проверяющие поставили одно и то же): Терпение" in ru_text


def test_lead_records_consensus_and_closes(sqlite_url):
    flow, sid = _graded_session(sqlite_url)
    at = run_page("calibration", "lead", sqlite_url, username="lead")
    forms = [b for b in at.button if b.label == "Record consensus"]
    forms[0].click().run()
    assert not at.exception and "Consensus recorded." in visible_text(at)
    close = next(b for b in at.button if b.label.startswith("Close the session"))
    close.click().run()
    assert not at.exception
    with storage_db.unit_of_work(sqlite_url) as session:
        summary = calibration.get_session(session, flow.lead, sid)
    assert summary.is_closed
    with storage_db.unit_of_work(sqlite_url) as session:
        assert calibration_results(session, flow.lead, sid).consensus_count == 1


def test_reviewer_sees_progress_then_results_after_close(sqlite_url):
    flow, sid = _graded_session(sqlite_url)
    reviewer = flow.reviewers[0].username
    at = run_page("calibration", "reviewer", sqlite_url, username=reviewer)
    assert not at.exception
    text = visible_text(at)
    assert "Grading is blind" in text and "Conversations to discuss" not in text
    assert "You have graded 4 of 4" in at.get("progress")[0].proto.text
    with storage_db.unit_of_work(sqlite_url) as session:
        calibration.close_session(session, flow.lead, sid, "Objections: grade the <offer>")
    at = run_page("calibration", "reviewer", sqlite_url, lang="ru", username=reviewer)
    assert not at.exception
    text = visible_text(at)
    assert "Диалоги для обсуждения" in text and "<offer>" in text


def test_lead_creates_a_session_from_the_form(sqlite_url):
    flow, _version_id = _setup(sqlite_url, conversations=6, reviewers=3)
    at = run_page("calibration", "lead", sqlite_url, username="lead")
    assert "No calibration sessions yet." in visible_text(at)
    at.text_input[0].input("Week 12")
    at.multiselect[0].select("rev1").select("rev2")
    at.number_input[0].set_value(3)
    at.button(key="FormSubmitter:calibration.create-Create session").click().run()
    assert not at.exception
    assert "6 blind assignments" in visible_text(at)
    with storage_db.unit_of_work(sqlite_url) as session:
        (summary,) = calibration.list_sessions(session, flow.lead)
    assert (summary.name, summary.total, summary.conversations) == ("Week 12", 6, 3)


def test_lead_picks_conversations_by_the_ids_shown_in_the_queue(sqlite_url):
    from qa_app.storage.models import Conversation

    flow, _version_id = _setup(sqlite_url, conversations=6, reviewers=3)
    with storage_db.unit_of_work(sqlite_url) as session:
        external = {c.id: c.external_id for c in session.query(Conversation)}
    first, second = flow.conversation_ids[:2]
    at = run_page("calibration", "lead", sqlite_url, username="lead")
    at.text_input[0].input("By id")
    at.multiselect[0].select("rev1").select("rev2")
    at.radio[0].set_value("ids")
    at.text_input[1].input(f"{external[first]}, {external[second]}")
    at.button(key="FormSubmitter:calibration.create-Create session").click().run()
    assert not at.exception
    assert "4 blind assignments" in visible_text(at)

    at.text_input[1].input("no-such-conversation")
    at.button(key="FormSubmitter:calibration.create-Create session").click().run()
    assert "no-such-conversation" in " ".join(reader_text(e.value) for e in at.error)


def test_notes_written_once_per_language_show_the_reader_s_side(sqlite_url):
    """Found by the lead's browser journey: the demo's closed sessions carry notes written
    as "English / Русский", and the page showed both sides to everyone."""
    flow, sid = _graded_session(sqlite_url)
    with storage_db.unit_of_work(sqlite_url) as session:
        calibration.close_session(session, flow.lead, sid, "Re-read empathy / Перечитали эмпатию")
    en = visible_text(run_page("calibration", "lead", sqlite_url, username="lead"))
    ru = visible_text(run_page("calibration", "lead", sqlite_url, lang="ru", username="lead"))
    assert "Re-read empathy" in en and "Перечитали" not in en
    assert "Перечитали эмпатию" in ru and "Re-read" not in ru
