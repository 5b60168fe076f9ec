"""Reviewers in real browsers against two app servers on one PostgreSQL database.

``measure_browsers`` loads a synthetic export into a fresh schema, gives each simulated
reviewer a known password and a queue, starts two ``qa-studio serve`` processes on
different ports, and drives one chromium page per reviewer (Playwright, Debian's chromium,
spread over the two servers): sign in, open the review page, click a level of every
criterion, submit, and on to the next conversation, until the time or the count runs out.

It reports what a reviewer waits for under that load (each grade click until the page
counts it, each submit until the next conversation is ready: median and p95), the servers'
memory per open browser session (resident memory with every session open, less before
any), and what the database holds afterwards against what the browsers submitted.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from qa_app.bench.grading import CHROMIUM_ARGS, FRESH_JS, IDLE, SHOWN_JS, serving_process
from qa_app.services import accounts, database, rubrics, sampling
from qa_app.services.actor import SYSTEM
from qa_app.storage import db as storage_db
from qa_app.storage.models import Conversation, Review
from qa_app.ui.cookie_handover import COOKIE_NAME

PASSWORD = "bench-browser-password-1"
#: A folder for a screenshot of each page where a run failed.
SHOTS_ENV = "QA_STUDIO_BENCH_SHOTS"


@dataclass
class BrowserFigures:
    browsers: int
    servers: int
    seconds: float = 0.0
    submitted: int = 0
    clicks_ms: list[float] = field(default_factory=list)
    submits_ms: list[float] = field(default_factory=list)
    memory_before_mb: float = 0.0
    memory_open_mb: float = 0.0
    stored_reviews: int = 0
    duplicated: int = 0
    console_errors: list[str] = field(default_factory=list)
    sign_in_retries: int = 0
    click_retries: int = 0

    @property
    def memory_per_session_mb(self) -> float:
        return (
            (self.memory_open_mb - self.memory_before_mb) / self.browsers if self.browsers else 0.0
        )


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (Streamlit runs in one process)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def prepare(url: str, export: Path, names: list[str], per_reviewer: int) -> None:
    """Import the export, add the reviewers with a known password, fill their queues."""
    from qa_app.services.imports import ImportOptions, import_file

    database.upgrade(url)
    with storage_db.unit_of_work(url) as session:
        import_file(session, str(export), options=ImportOptions(source="bench-browsers"))
    rubrics.do_ensure_default_rubric(database.unit_of_work(url))
    for name in names:
        accounts.do_add_user(database.unit_of_work(url), SYSTEM, name, "reviewer",
                             password=PASSWORD)  # fmt: skip
    with storage_db.unit_of_work(url) as session:
        ids = session.scalars(sa.select(Conversation.id).order_by(Conversation.id)).all()
        for k, conversation_id in enumerate(ids[: per_reviewer * len(names)]):
            sampling.assign_conversation(session, SYSTEM, conversation_id, names[k % len(names)])


async def _idle(page) -> None:
    await page.wait_for_timeout(150)
    await page.wait_for_selector(IDLE, state="attached", timeout=120_000)


async def _sign_in(page, base: str, username: str, figures: BrowserFigures) -> None:
    """The real sign-in form. A sign-in whose typed fields were lost to a rerun the page
    was still finishing (seen under heavy load) is typed again, and counted."""
    await page.goto(base)
    for attempt in range(3):
        await _idle(page)
        await page.locator("input[type='text']").first.fill(username)
        await page.locator("input[type='password']").first.fill(PASSWORD)
        await page.locator("[data-testid='stFormSubmitButton'] button").click()
        try:
            await page.wait_for_selector("[data-testid='stSidebarNav']", timeout=90_000)
            break
        except Exception:
            if attempt == 2:
                raise
            figures.sign_in_retries += 1
    await _idle(page)
    # The session cookie comes from a request the page makes after its run; a page opened
    # by address before it is set would start signed out.
    for _ in range(300):
        if any(c["name"] == COOKIE_NAME for c in await page.context.cookies()):
            break
        await page.wait_for_timeout(100)


async def _grade_all(page, figures: BrowserFigures) -> None:
    await page.wait_for_selector("[data-testid='stRadioOption']", timeout=120_000)
    groups = page.locator("[data-testid='stRadio']")
    total = await groups.count()
    for index in range(total):
        option = groups.nth(index).locator("[data-testid='stRadioOption']").first
        began = time.perf_counter()
        for attempt in range(3):
            await option.scroll_into_view_if_needed()
            await option.click()
            try:  # a click that landed while the page still moved is clicked again, counted
                await page.wait_for_function(SHOWN_JS, arg=[total, index + 1],
                                             timeout=40_000 * (attempt + 1), polling=20)  # fmt: skip
                break
            except Exception:
                if attempt == 2:
                    raise
                figures.click_retries += 1
        figures.clicks_ms.append((time.perf_counter() - began) * 1000)


async def _reviewer(browser, base: str, username: str, deadline: float, reviews: int,
                    figures: BrowserFigures, ready: asyncio.Barrier) -> None:  # fmt: skip
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda error: figures.console_errors.append(f"{username}: {error}"))
    try:
        await _sign_in(page, base, username, figures)
        await page.goto(f"{base}/review")
        await _idle(page)
        await ready.wait()  # every session is open: the servers' memory is read now
        await ready.wait()  # ... and the timed grading starts together
        for done in range(reviews):
            if time.monotonic() > deadline:
                break
            await _grade_all(page, figures)
            await page.wait_for_timeout(300)  # the last autosave settles, as a person pauses
            await _idle(page)
            began = time.perf_counter()
            await page.locator(".st-key-review-submit button:visible").first.click()
            if done + 1 < reviews:
                await page.wait_for_function(FRESH_JS, timeout=120_000, polling=20)
            else:
                await _idle(page)
            figures.submits_ms.append((time.perf_counter() - began) * 1000)
            figures.submitted += 1
    except Exception:
        if SHOTS_ENV in os.environ:  # where a failed run left the page, for a person to see
            folder = Path(os.environ[SHOTS_ENV])
            folder.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(folder / f"{username}-failed.png"), full_page=True)
        raise
    finally:
        await context.close()


async def _drive(bases: list[str], pids: list[int], names: list[str], seconds: float,
                 reviews: int, figures: BrowserFigures) -> None:  # fmt: skip
    from playwright.async_api import async_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        await _warm_up(browser, bases)
        figures.memory_before_mb = sum(_rss_mb(pid) for pid in pids)
        ready = asyncio.Barrier(len(names) + 1)
        deadline = time.monotonic() + seconds + 600  # sign-in time does not count
        tasks = [
            asyncio.create_task(_reviewer(browser, bases[k % len(bases)], name, deadline,
                                          reviews, figures, ready))
            for k, name in enumerate(names)
        ]  # fmt: skip
        try:
            await ready.wait()
            figures.memory_open_mb = sum(_rss_mb(pid) for pid in pids)
            began = time.perf_counter()
            await ready.wait()
            await asyncio.gather(*tasks)
            figures.seconds = time.perf_counter() - began
        finally:
            for task in tasks:
                task.cancel()
            await browser.close()


async def _warm_up(browser, bases: list[str]) -> None:
    """Open and close the sign-in page once per server: the app's modules are loaded once
    per process, a cost that is not any session's."""
    for base in bases:
        context = await browser.new_context()
        page = await context.new_page()
        await page.goto(base)
        await _idle(page)
        await context.close()


def check_database(url: str, figures: BrowserFigures) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        figures.stored_reviews = connection.execute(
            sa.select(sa.func.count()).select_from(Review).where(Review.status == "submitted")
        ).scalar_one()
        figures.duplicated = connection.execute(
            sa.select(sa.func.count()).select_from(
                sa.select(Review.assignment_id).group_by(Review.assignment_id)
                .having(sa.func.count() > 1).subquery()
            )
        ).scalar_one()  # fmt: skip
    engine.dispose()


def measure_browsers(url: str, export: Path, *, browsers: int = 5, servers: int = 2,
                     reviews: int = 4, seconds: float = 300) -> BrowserFigures:  # fmt: skip
    """Everything above on the migrated, empty database at ``url``."""
    names = [f"browser.rev{k + 1}" for k in range(browsers)]
    prepare(url, export, names, reviews + 1)
    figures = BrowserFigures(browsers=browsers, servers=servers)
    with contextlib.ExitStack() as stack:
        served = [stack.enter_context(serving_process(url)) for _ in range(servers)]
        bases = [base for base, _ in served]
        pids = [process.pid for _, process in served]
        asyncio.run(_drive(bases, pids, names, seconds, reviews, figures))
    check_database(url, figures)
    return figures
