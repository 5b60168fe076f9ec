"""How long a reviewer waits while grading, measured in a real browser on the demo.

``measure_grading(url, ...)`` serves the app on the database at ``url`` (load the demo
there first: ``qa-studio demo``), creates a bench reviewer with a known password and a few
demo conversations in their queue, signs in through the real sign-in form in Debian's
chromium (Playwright, no browser download), and on the review page:

* clicks a level of every criterion in turn and times each click until the page shows it
  counted (the "graded n/N" figure moved and Streamlit finished its run);
* clicks "Submit" on the complete review and times it until the next conversation is on
  the screen, ready to grade.

Times are wall-clock milliseconds as the reviewer sees them, browser included; the machine's
load changes them, so the command prints the median and the 90th percentile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qa_app.services import accounts, reviews, sampling
from qa_app.services.actor import SYSTEM
from qa_app.services.database import unit_of_work, upgrade

BENCH_USER = "bench-grader"
BENCH_PASSWORD = "bench-grader-password-1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
SHOWN_JS = """([total, want]) => {
  const values = [...document.querySelectorAll("[data-testid='stMetricValue']")]
    .map(e => e.innerText.trim());
  return values.includes(`${want}/${total}`);
}"""
#: The next conversation is on the screen: nothing graded yet (its criteria count may
#: differ: criteria that do not apply to it are N/A automatically) and the run is over.
FRESH_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const values = [...document.querySelectorAll("[data-testid='stMetricValue']")]
    .map(e => e.innerText.trim());
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && values.some(v => v.startsWith('0/'));
}"""
FINISHED_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning';
}"""
TITLE_JS = """(before) => {
  const app = document.querySelector("[data-testid='stApp']");
  const title = document.querySelector('h1');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !!title && title.innerText.trim() !== before;
}"""


@dataclass(frozen=True, slots=True)
class GradingFigures:
    #: Click until the "graded n/N" figure counts it (what the reviewer sees).
    clicks: list[float]
    #: Click until Streamlit finished that run (the page takes the next click at once).
    settled: list[float]
    submits: list[float]
    criteria: int
    #: The reference, same run and machine: switching the sign-in form's language, a
    #: trivial page's full rerun (what any click costs here before the app does anything).
    reference: list[float]

    @staticmethod
    def _p90(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))] if ordered else 0.0

    @staticmethod
    def median(values: list[float]) -> float:
        return statistics.median(values) if values else 0.0

    @property
    def median_click_ms(self) -> float:
        return self.median(self.clicks)

    @property
    def p90_click_ms(self) -> float:
        return self._p90(self.clicks)

    @property
    def median_submit_ms(self) -> float:
        return statistics.median(self.submits) if self.submits else 0.0

    @property
    def p90_submit_ms(self) -> float:
        return self._p90(self.submits)


def _clear_drafts(session, reviewer) -> None:
    """Empty the drafts an interrupted earlier run left, so every review starts at 0/N."""
    for bucket in ("in_progress", "due"):
        for item in reviews.list_queue(session, reviewer, bucket):
            ctx = reviews.open_review(session, reviewer, item.assignment_id)
            if any(not g.is_empty for g in ctx.draft.grades.values()):
                empty = reviews.ReviewDraft({cid: reviews.GradeInput() for cid in ctx.draft.grades})
                reviews.save_draft(session, reviewer, item.assignment_id, empty, ctx.lock_version)


def prepare(url: str, conversations: int, lang: str) -> None:
    """The bench reviewer (known password) with ``conversations`` waiting in their queue."""
    upgrade(url)
    uow = unit_of_work(url)
    with uow:
        session = uow.session
        if accounts.find_user(session, BENCH_USER) is None:
            accounts.add_user(
                session, SYSTEM, BENCH_USER, "reviewer", password=BENCH_PASSWORD, language=lang
            )
        _clear_drafts(session, accounts.actor_for(accounts.find_user(session, BENCH_USER)))
        request = sampling.SampleRequest(
            strategy="random",
            size=conversations,
            reviewers=(BENCH_USER,),
            seed=int(time.time()),
            override_capacity=True,
        )
        sampling.create_sample(session, SYSTEM, request)
        uow.commit()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving_process(url: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """``qa-studio serve`` on a free port for the block; yields the base address and the
    server process (whose memory a load run reads)."""
    port = _free_port()
    env = {**os.environ, "QA_STUDIO_DATABASE_URL": url}
    command = [sys.executable, "-m", "qa_app.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"qa-studio serve exited with {process.returncode}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer,
            ):
                if answer.status == 200:
                    break
            time.sleep(0.5)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def serving(url: str) -> Iterator[str]:
    """``qa-studio serve`` on a free port for the block; yields the base address."""
    with serving_process(url) as (base, _process):
        yield base


def _idle(page) -> None:
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE, state="attached", timeout=60_000)


def _reference(page, rounds: int = 6) -> list[float]:
    """Switch the sign-in form's language back and forth, timing each until it is drawn."""
    times = []
    for index in range(rounds):
        target = page.locator("[data-testid='stButtonGroup'] button").nth((index + 1) % 2)
        before = page.locator("h1").first.inner_text().strip()
        began = time.perf_counter()
        target.click()
        page.wait_for_function(TITLE_JS, arg=before, timeout=60_000, polling=10)
        times.append((time.perf_counter() - began) * 1000)
    return times


def _sign_in(page, base: str, reference: list[float]) -> None:
    page.goto(base)
    _idle(page)
    page.wait_for_selector("[data-testid='stButtonGroup'] button")
    reference.extend(_reference(page))
    page.locator("input[type='text']").first.fill(BENCH_USER)
    page.locator("input[type='password']").first.fill(BENCH_PASSWORD)
    page.locator("[data-testid='stFormSubmitButton'] button").click()
    page.wait_for_selector("[data-testid='stSidebarNav']", timeout=120_000)
    _idle(page)


def _grade_all(page, clicks: list[float], settled: list[float]) -> int:
    """Click the first level of every criterion, timing each until it is counted and
    until the run it started has finished."""
    page.wait_for_selector("[data-testid='stRadioOption']", timeout=60_000)
    groups = page.locator("[data-testid='stRadio']")
    total = groups.count()
    for index in range(total):
        option = groups.nth(index).locator("[data-testid='stRadioOption']").first
        option.scroll_into_view_if_needed()
        began = time.perf_counter()
        option.click()
        page.wait_for_function(SHOWN_JS, arg=[total, index + 1], timeout=60_000, polling=10)
        clicks.append((time.perf_counter() - began) * 1000)
        page.wait_for_function(FINISHED_JS, timeout=60_000, polling=10)
        settled.append((time.perf_counter() - began) * 1000)
    return total


def _caption_ids(page) -> str:
    return " ".join(page.locator("[data-testid='stCaptionContainer']").all_inner_texts())


def measure_grading(url: str, reviews: int = 3, lang: str = "en") -> GradingFigures:
    """Grade ``reviews`` demo conversations criterion by criterion in chromium."""
    from playwright.sync_api import sync_playwright

    prepare(url, reviews + 1, lang)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    clicks: list[float] = []
    settled: list[float] = []
    submits: list[float] = []
    reference: list[float] = []
    total = 0
    with serving(url) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(60_000)
            _sign_in(page, base, reference)
            page.goto(f"{base}/review")
            _idle(page)
            for _ in range(reviews):
                total = _grade_all(page, clicks, settled)
                page.wait_for_timeout(300)  # the last autosave settles, as a person pauses
                _idle(page)
                before = _caption_ids(page)
                began = time.perf_counter()
                page.locator(".st-key-review-submit button:visible").first.click()
                page.wait_for_function(FRESH_JS, timeout=60_000, polling=10)
                submits.append((time.perf_counter() - began) * 1000)
                if _caption_ids(page) == before:
                    raise RuntimeError("the submit did not open the next conversation")
        finally:
            browser.close()
    return GradingFigures(clicks, settled, submits, total, reference)


def default_database(path: Path) -> str:
    return f"sqlite:///{path}"
