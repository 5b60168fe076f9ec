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

from qa_app.services import accounts, sampling
from qa_app.services.actor import SYSTEM
from qa_app.services.database import unit_of_work, upgrade

BENCH_USER = "bench-grader"
BENCH_PASSWORD = "bench-grader-password-1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
GRADED_JS = """([total, want]) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const values = [...document.querySelectorAll("[data-testid='stMetricValue']")]
    .map(e => e.innerText.trim());
  return values.includes(`${want}/${total}`);
}"""


@dataclass(frozen=True, slots=True)
class GradingFigures:
    clicks: list[float]
    submits: list[float]
    criteria: int

    @staticmethod
    def _p90(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))] if ordered else 0.0

    @property
    def median_click_ms(self) -> float:
        return statistics.median(self.clicks) if self.clicks else 0.0

    @property
    def p90_click_ms(self) -> float:
        return self._p90(self.clicks)

    @property
    def median_submit_ms(self) -> float:
        return statistics.median(self.submits) if self.submits else 0.0

    @property
    def p90_submit_ms(self) -> float:
        return self._p90(self.submits)


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
def serving(url: str) -> Iterator[str]:
    """``qa-studio serve`` on a free port for the block; yields the base address."""
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
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _idle(page) -> None:
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE, state="attached", timeout=60_000)


def _sign_in(page, base: str) -> None:
    page.goto(base)
    _idle(page)
    page.locator("input[type='text']").first.fill(BENCH_USER)
    page.locator("input[type='password']").first.fill(BENCH_PASSWORD)
    page.locator("[data-testid='stFormSubmitButton'] button").click()
    page.wait_for_selector("[data-testid='stSidebarNav']", timeout=120_000)
    _idle(page)


def _grade_all(page, clicks: list[float]) -> int:
    """Click the first level of every criterion, timing each until it is counted."""
    page.wait_for_selector("[data-testid='stRadioOption']", timeout=60_000)
    groups = page.locator("[data-testid='stRadio']")
    total = groups.count()
    for index in range(total):
        option = groups.nth(index).locator("[data-testid='stRadioOption']").first
        option.scroll_into_view_if_needed()
        began = time.perf_counter()
        option.click()
        page.wait_for_function(GRADED_JS, arg=[total, index + 1], timeout=60_000, polling=10)
        clicks.append((time.perf_counter() - began) * 1000)
    return total


def _caption_ids(page) -> str:
    return " ".join(page.locator("[data-testid='stCaptionContainer']").all_inner_texts())


def measure_grading(url: str, reviews: int = 3, lang: str = "en") -> GradingFigures:
    """Grade ``reviews`` demo conversations criterion by criterion in chromium."""
    from playwright.sync_api import sync_playwright

    prepare(url, reviews + 1, lang)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    clicks: list[float] = []
    submits: list[float] = []
    total = 0
    with serving(url) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(60_000)
            _sign_in(page, base)
            page.goto(f"{base}/review")
            _idle(page)
            for _ in range(reviews):
                total = _grade_all(page, clicks)
                page.wait_for_timeout(300)  # the last autosave settles, as a person pauses
                _idle(page)
                before = _caption_ids(page)
                began = time.perf_counter()
                page.locator(".st-key-review-submit button").click()
                page.wait_for_function(GRADED_JS, arg=[total, 0], timeout=60_000, polling=10)
                submits.append((time.perf_counter() - began) * 1000)
                if _caption_ids(page) == before:
                    raise RuntimeError("the submit did not open the next conversation")
        finally:
            browser.close()
    return GradingFigures(clicks, submits, total)


def default_database(path: Path) -> str:
    return f"sqlite:///{path}"
