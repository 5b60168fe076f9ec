"""AppTest of the review page with a criterion N/A automatically: no grade asked, the reason
shown in the reviewer's language, and the page's score counting it as N/A."""

from __future__ import annotations

import pytest
from review_fixtures import seed_workflow
from test_review_conditions import CONDITIONAL_RUBRIC
from ui_harness import run_page, visible_text, whole_page

from qa_app.services.rubrics import store as rubrics
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import Conversation
from qa_app.ui.review_form import state_key

REASON = {
    "en": "Applies only when the customer reports a defect (automatic signal) or the "
    "conversation is tagged “bug”.",
    "ru": "Критерий действует, только если клиент сообщает об ошибке в продукте "
    "(автоматический сигнал) или у обращения есть метка «bug».",
}


def _assigned(url: str, tags: list[str]) -> int:
    flow = seed_workflow(url, conversations=2)
    with storage_db.unit_of_work(url) as session:
        rubrics.save_rubric(session, flow.lead, CONDITIONAL_RUBRIC, "bug steps")
        session.get(Conversation, flow.conversation_ids[0]).tags = tags
        return sampling.assign_conversation(session, flow.lead, flow.conversation_ids[0], "rev1")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_waived_criterion_shows_its_reason_and_asks_nothing(sqlite_url, lang):
    aid = _assigned(sqlite_url, ["refund"])
    at = run_page("review", "reviewer", sqlite_url, lang=lang, username="rev1")
    assert not at.exception, at.exception
    text = visible_text(at)
    assert REASON[lang] in text
    badge = "N/A automatically" if lang == "en" else "Неприменимо автоматически"
    assert ("Steps to reproduce" if lang == "en" else "Шаги воспроизведения") in text
    assert badge in text
    keys = {r.key for r in at.radio}
    assert state_key(aid, "steps", "v") not in keys
    assert state_key(aid, "politeness", "v") in keys
    assert at.metric[1].value == "0/3"  # graded/asked: the waived one is not asked
    at.radio(key=state_key(aid, "politeness", "v")).set_value(3).run()
    whole_page(at).radio(key=state_key(aid, "greeting", "v")).set_value(1).run()
    whole_page(at).radio(key=state_key(aid, "correct_info", "v")).set_value(1).run()
    assert at.metric[1].value == "3/3" and at.metric[0].value == "100"


def test_a_bug_conversation_asks_the_criterion(sqlite_url):
    aid = _assigned(sqlite_url, ["bug"])
    at = run_page("review", "reviewer", sqlite_url, username="rev1")
    assert not at.exception, at.exception
    assert state_key(aid, "steps", "v") in {r.key for r in at.radio}
    assert "N/A automatically" not in visible_text(at)
