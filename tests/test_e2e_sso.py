"""Single sign-on end to end: a real OpenID provider (``oidc-provider-mock``, started by the
test in a thread), ``qa-studio serve --sso-...`` and Debian's chromium.

A mapped user signs in with the company account and lands on their page with the role the
mapping gives; a user whose groups map to no role is refused with a clear message and gets
no account; signing out ends the QA Studio session and the provider's identity. Screenshots
of the sign-in page in both languages go to ``artifacts/screenshots``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from browser import CHROMIUM, browser_page, running_app, wait_for_app

from qa_app.storage import db as storage_db
from qa_app.storage.models import AuditEvent, SignInSession, User

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
MAPPING = """
groups_claim: groups
rules:
  - groups: [qa-admins]
    role: admin
  - groups: [support-leads]
    role: lead
    team: Billing
  - email_domains: [example.com]
    groups: [qa-reviewers]
    role: reviewer
"""


@pytest.fixture(scope="module")
def provider():
    """A local OpenID provider; returns its issuer URL."""
    oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def _person(issuer: str, sub: str, **claims) -> None:
    answer = httpx.put(f"{issuer}/users/{quote(sub)}", json=claims)
    assert answer.status_code == 204


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory, provider):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    folder = tmp_path_factory.mktemp("sso")
    db_url = f"sqlite:///{folder / 'sso.db'}"
    env = {**os.environ, "QA_STUDIO_DEMO_PASSWORD": "demo-password-sso-1"}
    subprocess.run([sys.executable, "-m", "qa_app.cli", "--db", db_url, "demo",
                    "--conversations", "60"], check=True, capture_output=True, env=env,
                   timeout=600)  # fmt: skip
    mapping = folder / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    args = ("--sso-issuer", provider, "--sso-client-id", "qa-studio", "--sso-mapping", str(mapping))
    secrets = {"QA_STUDIO_SSO_CLIENT_SECRET": "test-client-secret"}
    with running_app(db_url, folder / "server.log", args, secrets) as url:
        yield url, db_url


def _sign_in_with_provider(page, app_url: str, sub: str) -> None:
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("button", name="Sign in with your company account").click()
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app_url}/**")
    wait_for_app(page)


def test_the_sign_in_page_offers_the_company_account_and_the_password(sso_app):
    app_url, _ = sso_app
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page() as page:
        page.goto(app_url)
        wait_for_app(page)
        assert page.get_by_role("button", name="Sign in with your company account").count() == 1
        assert page.locator("input[type='password']").count() == 1
        page.screenshot(path=str(SHOTS / "sso-sign-in-en.png"))
        page.get_by_text("Русский", exact=True).click()
        wait_for_app(page)
        page.get_by_role("button", name="Войти через корпоративную учётную запись").wait_for()
        page.screenshot(path=str(SHOTS / "sso-sign-in-ru.png"))


def test_a_mapped_user_signs_in_lands_on_their_page_and_signs_out(sso_app, provider):
    app_url, db_url = sso_app
    _person(provider, "olga-1", email="olga@example.com", name="Olga Lead",
            groups=["support-leads", "staff"])  # fmt: skip
    with browser_page() as page:
        _sign_in_with_provider(page, app_url, "olga-1")
        page.wait_for_selector("[data-testid='stSidebarNav']", timeout=60_000)
        wait_for_app(page)
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        assert "olga@example.com" in sidebar and "Team lead" in sidebar
        assert page.locator("[data-testid='stException']").count() == 0
        page.screenshot(path=str(SHOTS / "sso-signed-in-lead.png"))
        with storage_db.unit_of_work(db_url) as session:
            user = session.query(User).filter_by(username="olga@example.com").one()
            assert user.role == "lead" and user.team_id is not None
            assert user.sso_subject.endswith("|olga-1")
        # a reload keeps the QA Studio session (its HttpOnly cookie)
        page.reload()
        wait_for_app(page)
        page.wait_for_selector("[data-testid='stSidebarNav']")
        # sign out: QA Studio's session ends, then the provider's end-session page
        page.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="End session").click()
        page.wait_for_url(f"{app_url}/**")
        wait_for_app(page)
        page.get_by_role("button", name="Sign in with your company account").wait_for()
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
        page.reload()  # neither the session cookie nor the identity signs the tab in again
        wait_for_app(page)
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
    with storage_db.unit_of_work(db_url) as session:
        rows = session.query(SignInSession).filter_by(user_id=user.id).all()
        assert rows and all(row.revoked_at is not None for row in rows)
        actions = [e.action for e in session.query(AuditEvent).filter_by(user_id=user.id)]
        assert "user.sso_created" in actions and "auth.signed_out" in actions


def test_a_user_whose_groups_map_to_no_role_is_refused(sso_app, provider):
    app_url, db_url = sso_app
    _person(provider, "guest-1", email="guest@elsewhere.net", name="Guest",
            groups=["marketing"], locale="ru")  # fmt: skip
    with browser_page() as page:
        _sign_in_with_provider(page, app_url, "guest-1")
        alert = page.locator("[data-testid='stAlert']").first
        alert.wait_for()
        # the provider says the person reads Russian: the refusal is in Russian
        text = alert.inner_text().replace("\u2060", "")  # user_text's joiner after @
        assert "не входит ни в одну группу" in text and "guest@elsewhere.net" in text
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
        page.screenshot(path=str(SHOTS / "sso-refused-ru.png"))
    with storage_db.unit_of_work(db_url) as session:
        assert session.query(User).filter_by(username="guest@elsewhere.net").count() == 0
        refused = session.query(AuditEvent).filter_by(action="auth.sso_refused").all()
        assert [e.details["reason"] for e in refused] == ["no_role"]
