"""A real QA Studio server and Debian's chromium, for end-to-end tests and screenshots.

``running_app(db_url, extra_env=...)`` starts ``qa-studio serve`` on a free port and waits
until it answers; ``demo_app(...)`` does so on a demo database built once per test run (shared by the
xdist workers) and copied for each server, with the page clock at the demo season's day;
``browser()`` / ``browser_page()`` launch Debian's chromium through Playwright (no browser
download); ``sign_in(page, base_url, username, password)`` fills the real sign-in form.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
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
    ``extra_args`` go to ``qa-studio serve`` (e.g. the single sign-on options); ``extra_env``
    adds variables for the server only (the page clock, the attachments folder)."""
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


def require_chromium() -> None:
    """Skip, with the reason, where Debian's chromium is not installed."""
    import pytest

    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (make test installs Debian's chromium)")


#: The demo season's own "today" (``qa_app.demo.season.demo_reference``): pages read the
#: demo's weeks as current, whatever day the tests run (the demo itself never reads a clock).
DEMO_NOW = "2026-04-02T18:00:00+00:00"
#: Every demo account's password in browser tests.
DEMO_PASSWORD = "demo-password-e2e"
DEMO_DIR_ENV = "QA_STUDIO_E2E_DEMO_DIR"


def _build_demo(path: Path, conversations: int) -> None:
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, "-m", "qa_app.cli", "--db", f"sqlite:///{partial}", "demo",
         "--conversations", str(conversations), "--password", DEMO_PASSWORD],
        check=True, capture_output=True, cwd=REPO_ROOT, timeout=1200,
    )  # fmt: skip
    partial.rename(path)


def demo_database(tmp_path_factory, conversations: int) -> Path:
    """A demo SQLite file built once per test run and size: the first xdist worker to ask
    builds it under a lock, the others wait and reuse it. Copy it before serving it.
    ``QA_STUDIO_E2E_DEMO_DIR`` names a folder that keeps them between runs (local work)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by every worker of this run
    if os.environ.get(DEMO_DIR_ENV):
        root = Path(os.environ[DEMO_DIR_ENV])
        root.mkdir(parents=True, exist_ok=True)
    path = root / f"demo-{conversations}.db"
    with open(root / f"{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _build_demo(path, conversations)
    return path


@contextlib.contextmanager
def demo_app(
    tmp_path_factory,
    conversations: int,
    *,
    now: str = DEMO_NOW,
    env: dict[str, str] | None = None,
    prepare: Callable[[str], None] | None = None,
) -> Iterator[tuple[str, str]]:
    """A server on a fresh copy of the demo database (accounts' password ``DEMO_PASSWORD``),
    its pages clocked at ``now``; yields ``(base_url, db_url)``. ``prepare(db_url)`` runs on
    the copy before the server starts."""
    require_chromium()
    folder = tmp_path_factory.mktemp("demo-app")
    shutil.copy(demo_database(tmp_path_factory, conversations), folder / "qa.db")
    db_url = f"sqlite:///{folder / 'qa.db'}"
    if prepare is not None:
        prepare(db_url)
    server_env = {"QA_STUDIO_NOW": now, **(env or {})}
    with running_app(db_url, log_path=folder / "server.log", extra_env=server_env) as url:
        yield url, db_url


@contextlib.contextmanager
def browser():
    """One chromium for a module's tests (each opens its own context: fresh cookies)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def browser_page(width: int = 1440, height: int = 1000):
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": width, "height": height})
        page.set_default_timeout(60_000)
        yield page


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished its run (the app marks its script state)."""
    page.wait_for_timeout(300)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']",
        state="attached",
        timeout=timeout,
    )
    page.wait_for_timeout(300)


def sign_in(page, base_url: str, username: str, password: str, timeout: float = 120_000) -> None:
    """The real sign-in form; ``timeout`` (ms) is the patience a loaded machine needs."""
    page.set_default_timeout(max(timeout, 60_000))
    page.goto(base_url)
    wait_for_app(page, timeout)
    page.locator("input[type='text']").first.fill(username)
    page.locator("input[type='password']").first.fill(password)
    page.locator("[data-testid='stFormSubmitButton'] button").click()
    page.wait_for_selector("[data-testid='stSidebarNav']", timeout=timeout)
    wait_for_app(page, timeout)
