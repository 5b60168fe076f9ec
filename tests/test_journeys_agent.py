"""Agent journey in Debian's chromium, in English and Russian: a demo agent signs in, opens
My results, acknowledges the newest review and disputes it; both are stored (the review
acknowledged, one more dispute).

Each run takes an agent who works in that language (the fast and curt Tom Baker in English,
Anna Petrova in Russian): reviewers comment in the agent's language, and a comment is
user text the one-language check cannot tell from the page's own words.
"""

from __future__ import annotations

import pytest
from journeys import LANGS
from sqlalchemy import func, select

from qa_app.storage import db as storage_db
from qa_app.storage.models import Dispute, Review

# A journey walks a whole role through a real browser on a 2-core machine: one retry of a
# step that timed out under load, never of a wrong text, a console error or a database check
# (those fail the same way twice).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.flaky(reruns=1, reruns_delay=2, only_rerun=["TimeoutError"]),
]

AGENT = {"en": "t.baker", "ru": "a.petrova"}


def _counts(db_url: str) -> tuple[int, int]:
    with storage_db.unit_of_work(db_url) as session:
        acknowledged = session.scalar(
            select(func.count()).select_from(Review).where(Review.acknowledged_at.is_not(None))
        )
        disputes = session.scalar(select(func.count()).select_from(Dispute))
        return acknowledged, disputes


@pytest.mark.parametrize("lang", LANGS)
def test_agent_acknowledges_and_disputes_a_review(journey, journey_server, lang):
    _url, db_url = journey_server(lang)
    acknowledged, disputes = _counts(db_url)
    walk = journey("agent", lang)
    page = walk.page
    walk.sign_in(AGENT[lang])
    walk.step("signed-in")
    walk.open("my-results")
    assert walk.tr("results.title") in walk.main_text()
    walk.step("my-results")
    walk.click(page.get_by_role("button", name=walk.tr("results.acknowledge")).first)
    walk.see(walk.tr("results.acknowledged"))
    walk.step("acknowledged", full_page=False)
    page.get_by_text(walk.tr("results.dispute"), exact=True).first.click()
    reason = page.get_by_label(walk.tr("disputes.reason")).first
    reason.wait_for()
    reason.fill("The customer's question was answered in full." if lang == "en"
                else "Клиент получил полный ответ на свой вопрос.")  # fmt: skip
    reason.scroll_into_view_if_needed()
    walk.step("dispute-form", full_page=False)
    walk.click(page.get_by_role("button", name=walk.tr("disputes.raise")).first)
    walk.see(walk.tr("disputes.raised"))
    walk.step("disputed", full_page=False)
    assert _counts(db_url) == (acknowledged + 1, disputes + 1)
    walk.finish()
