"""Conditional criteria and fair disputes in Debian's chromium, in English and Russian: the
reviewer sees the bug-report criteria N/A automatically on a refund over social media (with
the reason), the lead decides disputes with the conversation beside the grades, an accept
that keeps the grade says so, and the agent reads that decision.

Screenshots land in ``artifacts/screenshots`` (``rubric-disputes-<lang>-<page>.png``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import CHROMIUM, browser_page, running_app, sign_in, wait_for_app
from review_fixtures import actor_of, add_conversation
from sqlalchemy import select, update

from qa_app.services.accounts.auth import hash_password
from qa_app.services.disputes import decisions as disputes
from qa_app.services.reviews import grading as reviews
from qa_app.services.rubrics import store as rubrics
from qa_app.services.sampling import plans as sampling
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, Dispute, Team, User

pytestmark = pytest.mark.browser

PASSWORD = "rubric-disputes-e2e-7"
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
REFUND = [
    ("customer", "@ShopSupport I returned my jacket two weeks ago and still no refund."),
    ("agent", "Hi Emma, sorry for the wait! Please send your order number in direct messages."),
    ("customer", "Sent. It's order 58213, returned on 12 March."),
    ("agent", "Thank you! The refund was approved today; it reaches your card in 3 working days."),
]
CRASH = [
    ("customer", "Здравствуйте! Приложение вылетает, когда нажимаю «Оплатить» в корзине."),
    ("agent", "Здравствуйте, Ольга! Сочувствую. Подскажите модель телефона и версию приложения?"),
    ("customer", "Samsung A52, версия 4.12.0. Белый экран, и приложение закрывается."),
    ("agent", "Спасибо! Передал ошибку разработчикам, номер 7741. Пока можно заказать на сайте."),
]


def _seed(url: str) -> int:
    """A refund waiting for review, and a reviewed crash with two open disputes."""
    storage_db.upgrade(url)
    with storage_db.unit_of_work(url) as session:
        rubrics.ensure_default_rubric(session)
        team = Team(name="Tier 1")
        session.add(team)
        session.flush()
        agent = Agent(login="o.smirnova", display_name="Olga Smirnova", team_id=team.id)
        session.add(agent)
        session.flush()
        rows = [
            User(username="lead", role="lead", team_id=team.id),
            User(username="rev1", role="reviewer"),
            User(username="o.smirnova", role="agent", agent_id=agent.id, team_id=team.id),
        ]
        for row in rows:
            row.password_hash = hash_password(PASSWORD)
        session.add_all(rows)
        session.flush()
        lead, rev, agent_actor = (actor_of(r) for r in rows)
        refund = add_conversation(session, agent=agent, team=team, index=1, texts=REFUND,
                                  channel="social", tags=["refund"])  # fmt: skip
        crash = add_conversation(session, agent=agent, team=team, index=2, texts=CRASH,
                                 language="ru", tags=["bug"])  # fmt: skip
        session.flush()
        refund_aid = sampling.assign_conversation(session, lead, refund.id, "rev1")
        crash_aid = sampling.assign_conversation(session, lead, crash.id, "rev1")
        ctx = reviews.open_review(session, rev, crash_aid)
        grades = {
            c.id: reviews.GradeInput(c.scale.values[1])
            for c in ctx.rubric.rubric.criteria()
            if c.id not in ctx.auto_na
        }
        review_id = reviews.submit_review(
            session, rev, crash_aid, reviews.ReviewDraft(grades), None
        ).review_id
        for criterion in ("acknowledges_feelings", "positive_tone"):
            disputes.raise_dispute(
                session, agent_actor, review_id, f"Я была вежлива и внимательна ({criterion}).",
                criterion, None,
            )  # fmt: skip
    return refund_aid


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (make test installs Debian's chromium)")
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e-rubric') / 'qa.db'}"
    refund_aid = _seed(url)
    with running_app(url, log_path=tmp_path_factory.mktemp("log") / "server.log") as base:
        yield base, url, refund_aid


def _language(url: str, lang: str) -> None:
    with storage_db.unit_of_work(url) as session:
        session.execute(update(User).values(language=lang))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_reviewer_sees_bug_criteria_waived_on_a_refund(app, lang):
    base, url, refund_aid = app
    _language(url, lang)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page(1440, 900) as page:
        sign_in(page, base, "rev1", PASSWORD)
        page.goto(f"{base}/review?assignment={refund_aid}")
        wait_for_app(page)
        name = "Bug report: steps to reproduce" if lang == "en" else "Ошибка: шаги воспроизведения"
        page.get_by_text(name, exact=True).first.scroll_into_view_if_needed()
        wait_for_app(page)
        reason = (
            "Applies only when the customer reports a defect (automatic signal)"
            if lang == "en"
            else "Критерий действует, только если клиент сообщает об ошибке в продукте"
        )
        page.get_by_text("0/22").wait_for(timeout=30_000)  # 25 criteria, 3 not asked
        page.screenshot(path=str(SHOTS / f"rubric-disputes-{lang}-review.png"))
        assert page.get_by_text(reason).count() == 3


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_lead_accepts_keeping_the_grade_beside_the_transcript(app, lang):
    base, url, _aid = app
    _language(url, lang)
    keep = "Accept, keep the grade" if lang == "en" else "Принять, оставить оценку"
    with browser_page(1440, 1100) as page:
        sign_in(page, base, "lead", PASSWORD)
        page.goto(f"{base}/disputes")
        wait_for_app(page)
        page.get_by_text("Приложение вылетает, когда нажимаю").first.wait_for()  # transcript
        page.locator("[data-testid='stDataFrame']").nth(1).wait_for()  # list and grades
        page.get_by_text(keep, exact=True).first.click()
        wait_for_app(page)
        answer = "Answer (required)" if lang == "en" else "Ответ (обязательно)"
        page.get_by_label(answer).first.fill("Справедливо, но оценка остаётся.")
        page.get_by_role("button", name=keep).click()
        wait_for_app(page)
        said = (
            "Dispute accepted, grade kept: the score stays"
            if lang == "en"
            else "Спор принят, оценка сохранена: балл остаётся"
        )
        page.get_by_text(said).wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / f"rubric-disputes-{lang}-decided.png"), full_page=True)
    with storage_db.unit_of_work(url) as session:
        statuses = list(session.scalars(select(Dispute.status).order_by(Dispute.id)))
    assert statuses.count("accepted_kept") == (1 if lang == "en" else 2)
