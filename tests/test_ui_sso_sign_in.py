"""The sign-in page with single sign-on configured (AppTest on the real entry point): the
company-account button above the password form, in the page's language only, and the
password form still signs a local account in. Without the configuration nothing changes.
The provider round trip itself is ``test_e2e_sso.py`` (a real browser and provider)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from ui_harness import TEST_PASSWORD, make_user, run_app, visible_text

from qa_app.i18n import t
from qa_app.ui import context, sso

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-cookie-secret-for-the-page-test",
    "sso": {"client_id": "qa-studio", "client_secret": "x",
            "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration"},
}  # fmt: skip


@pytest.fixture
def sso_on(tmp_path, monkeypatch):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("rules:\n  - groups: [qa]\n    role: reviewer\n", encoding="utf-8")
    monkeypatch.setenv(sso.MAPPING_ENV, str(mapping))


def _sign_in_page(url: str, lang: str) -> AppTest:
    from ui_harness import _app_script

    at = AppTest.from_function(_app_script, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.session_state[context.SESSION_DB] = url
    at.session_state[context.SESSION_FORM_LANG] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_both_ways_in_are_offered_in_the_page_language(sqlite_url, sso_on, lang):
    at = _sign_in_page(sqlite_url, lang)
    assert not at.exception, at.exception
    other = "ru" if lang == "en" else "en"
    # the company account first, then the password form's button
    assert [b.label for b in at.button] == [t("signin.sso_button", lang), t("signin.submit", lang)]
    text = visible_text(at)
    for key in ("signin.sso_caption", "signin.or_password"):
        assert t(key, lang) in text and t(key, other) not in text
    assert at.text_input(key="signin_password") is not None


def test_a_local_account_still_signs_in_with_its_password(sqlite_url, sso_on):
    make_user(sqlite_url, "reviewer", username="olga")
    at = _sign_in_page(sqlite_url, "en")
    at.text_input(key="signin_username").input("olga")
    at.text_input(key="signin_password").input(TEST_PASSWORD)
    at = at.form_submit_button[0].click().run()
    assert not at.exception
    assert at.session_state[context.SESSION_ROLE] == "reviewer"


def test_without_single_sign_on_the_page_is_unchanged(sqlite_url, monkeypatch):
    monkeypatch.delenv(sso.MAPPING_ENV, raising=False)
    at = run_app(sqlite_url, None, "en")
    assert not at.exception
    assert t("signin.sso_button", "en") not in [b.label for b in at.button]
    assert t("signin.or_password", "en") not in visible_text(at)
