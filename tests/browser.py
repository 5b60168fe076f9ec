"""A real QA Studio server and Debian's chromium, for end-to-end tests and screenshots.

``running_app(db_url)`` starts ``qa-studio serve`` on a free port and waits until it answers;
``browser_page()`` launches /usr/bin/chromium through Playwright (no browser download);
``sign_in(page, username, password)`` fills the real sign-in form.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"qa-studio serve exited with {process.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up in {timeout} s")


@contextlib.contextmanager
def running_app(
    db_url: str,
    log_path: Path | None = None,
    extra_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Serve the app on a free port for the duration of the block; yields its base URL.
    ``extra_args`` go to ``qa-studio serve`` (e.g. the single sign-on options)."""
    port = free_port()
    env = {**os.environ, "QA_STUDIO_DATABASE_URL": db_url, **(extra_env or {})}
    command = [sys.executable, "-m", "qa_app.cli", "serve", "--port", str(port), *extra_args]
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        if log is not subprocess.DEVNULL:
            log.close()


@contextlib.contextmanager
def browser_page(width: int = 1440, height: int = 1000):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished its run (the app marks its script state)."""
    page.wait_for_timeout(300)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']",
        state="attached",
        timeout=timeout,
    )
    page.wait_for_timeout(300)


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url)
    wait_for_app(page)
    page.locator("input[type='text']").first.fill(username)
    page.locator("input[type='password']").first.fill(password)
    page.locator("[data-testid='stFormSubmitButton'] button").click()
    page.wait_for_selector("[data-testid='stSidebarNav']", timeout=120_000)
    wait_for_app(page)
