"""Reviewer journey in Debian's chromium, in English and Russian: sign in, open the queue,
open the next conversation, grade every criterion with the keyboard and submit with
Ctrl+Enter; the review is stored as submitted with its score.

The demo's lenient reviewer has two conversations waiting (``qa-studio demo``).
"""

from __future__ import annotations

import pytest
from journeys import LANGS
from sqlalchemy import select

from qa_app.storage import db as storage_db
from qa_app.storage.models import Assignment, Review, User

# A journey walks a whole role through a real browser on a 2-core machine: one retry of a
# step that timed out under load, never of a wrong text, a console error or a database check
# (those fail the same way twice).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.flaky(reruns=1, reruns_delay=2, only_rerun=["TimeoutError"]),
]

REVIEWER = "reviewer.lenient"
GRADED = """(labels) => {
  const metric = [...document.querySelectorAll("[data-testid='stMetric']")]
    .find(m => labels.includes(m.querySelector("[data-testid='stMetricLabel']")?.innerText.trim()));
  return metric ? metric.querySelector("[data-testid='stMetricValue']").innerText.trim() : null;
}"""


def _graded(walk) -> tuple[int, int]:
    value = walk.page.evaluate(GRADED, [walk.tr("review.graded")])
    done, total = value.split("/")
    return int(done), int(total)


def _submitted_reviews(db_url: str) -> list[Review]:
    with storage_db.unit_of_work(db_url) as session:
        reviewer = session.scalar(select(User.id).where(User.username == REVIEWER))
        rows = session.scalars(
            select(Review)
            .join(Assignment, Review.assignment_id == Assignment.id)
            .where(Assignment.reviewer_id == reviewer, Review.status == "submitted")
        ).all()
        session.expunge_all()
        return rows


@pytest.mark.parametrize("lang", LANGS)
def test_reviewer_grades_a_conversation_with_the_keyboard(journey, journey_server, lang):
    _url, db_url = journey_server(lang)
    before = len(_submitted_reviews(db_url))
    walk = journey("reviewer", lang)
    page = walk.page
    walk.sign_in(REVIEWER)
    walk.step("signed-in")
    walk.open("queue")
    assert walk.tr("queue.title") in walk.main_text()
    walk.step("queue")
    walk.click(page.get_by_role("button", name=walk.tr("queue.open_next")))
    page.locator(".st-key-qa-form [data-testid='stRadio']").first.wait_for()
    walk.step("review-opened")
    page.locator("h1").first.click()  # the page has the focus, no input does
    page.locator(".st-key-qa-form .qa-active").wait_for()  # the keys' script is listening
    done, total = _graded(walk)
    for _ in range(total):
        if done == total:
            break
        walk.rerun(lambda: page.keyboard.press("1"))
        done, total = _graded(walk)
    assert done == total, f"graded {done} of {total} criteria with the keyboard"
    walk.step("graded")
    walk.rerun(lambda: page.keyboard.press("Control+Enter"))
    walk.see(walk.tr("review.submitted", score="")[:20])
    walk.step("submitted")
    after = _submitted_reviews(db_url)
    assert len(after) == before + 1
    assert all(review.overall_score is not None for review in after)
    walk.finish()
