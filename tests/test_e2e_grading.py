"""In Debian's chromium against the real server: grading a whole review with the keyboard
alone (digits, N, Ctrl+Enter), the transcript staying in view beside the form, and an
agent's My results page (acknowledge) in both languages, with screenshots to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import CHROMIUM, browser_page, running_app, sign_in, wait_for_app
from review_fixtures import seed_workflow
from sqlalchemy import select
from ui_harness import TEST_PASSWORD, make_user

from qa_app.services.reviews import grading as reviews
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import Assignment, Review

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
COUNTED = """(want) => {
  const app = document.querySelector("[data-testid='stApp']");
  const values = [...document.querySelectorAll("[data-testid='stMetricValue']")]
    .map(e => e.innerText.trim());
  return values.includes(want) && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


@pytest.fixture
def app(tmp_path, sqlite_url):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    url = sqlite_url
    flow = seed_workflow(url, conversations=4)
    make_user(url, "reviewer", username="grader")
    make_user(url, "agent", username="anna", agent_login="a.petrova")
    with storage_db.unit_of_work(url) as session:
        for index in (1, 3):  # Bob's; Anna's conversation 0 is for My results
            sampling.assign_conversation(session, flow.lead, flow.conversation_ids[index], "grader")
    with running_app(url, log_path=tmp_path / "server.log") as base:
        yield url, base, flow


def _press(page, key: str, want: str) -> None:
    page.keyboard.press(key)
    page.wait_for_function(COUNTED, arg=want, timeout=60_000, polling=50)


def test_a_whole_review_graded_with_the_keyboard(app):
    url, base, _flow = app
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page(1440, 900) as page:
        sign_in(page, base, "grader", TEST_PASSWORD)
        page.goto(f"{base}/review")
        wait_for_app(page)
        page.wait_for_selector("[data-testid='stRadioOption']")
        page.locator("h1").first.click()  # the page has focus, no input does
        _press(page, "3", "1/3")
        _press(page, "n", "2/3")  # greeting: N/A
        _press(page, "1", "3/3")
        with storage_db.unit_of_work(url) as session:
            draft = session.scalars(select(Review)).one()
            saved = {g.criterion_id: (g.value, g.not_applicable) for g in draft.grades}
        assert saved == {
            "politeness": (3.0, False),
            "greeting": (None, True),
            "correct_info": (1.0, False),
        }
        column = page.locator("[data-testid='stColumn']:has(.st-key-qa-transcript)").first
        assert column.evaluate("e => getComputedStyle(e).position") == "sticky"
        page.screenshot(path=str(SHOTS / "review-keyboard-en.png"))
        page.keyboard.press("Control+Enter")
        page.wait_for_function(COUNTED, arg="0/3", timeout=60_000, polling=50)
        wait_for_app(page)
        with storage_db.unit_of_work(url) as session:
            done = session.scalars(select(Review).where(Review.status == "submitted")).one()
            open_now = session.scalars(select(Assignment).where(Assignment.status != "done")).all()
        assert done.overall_score is not None and len(open_now) == 1
        assert "c-3" in page.locator("[data-testid='stMain']").inner_text()


def _submitted(url: str, flow) -> int:
    draft = reviews.ReviewDraft(
        grades={
            "politeness": reviews.GradeInput(2, comment="Apologise <b>first</b>"),
            "greeting": reviews.GradeInput(1),
            "correct_info": reviews.GradeInput(1),
        }
    )
    with storage_db.unit_of_work(url) as session:
        assignment = sampling.assign_conversation(
            session, flow.lead, flow.conversation_ids[0], "rev1"
        )
        return reviews.submit_review(session, flow.reviewers[0], assignment, draft, None).review_id


def test_agent_reads_and_acknowledges_on_my_results(app):
    url, base, flow = app
    review_id = _submitted(url, flow)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page(1440, 900) as page:
        sign_in(page, base, "anna", TEST_PASSWORD)
        page.goto(f"{base}/my-results")
        wait_for_app(page)
        page.wait_for_selector(".st-key-qa-transcript, [data-testid='stExpander']")
        assert page.locator("[data-testid='stException']").count() == 0
        main = page.locator("[data-testid='stMain']")
        assert "Apologise <b>first</b>" in main.inner_text()  # shown as text, not HTML
        page.screenshot(path=str(SHOTS / "my-results-en.png"), full_page=True)
        page.locator(f".st-key-results-ack-{review_id} button:visible").first.click()
        page.wait_for_selector("text=Marked as read.")
        with storage_db.unit_of_work(url) as session:
            assert session.get(Review, review_id).acknowledged_at is not None
        page.locator("[data-testid='stSidebar']").get_by_text("Русский", exact=True).click()
        wait_for_app(page)
        page.wait_for_selector("text=Мои результаты")
        page.screenshot(path=str(SHOTS / "my-results-ru.png"), full_page=True)
