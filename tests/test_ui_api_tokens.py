"""The account page's API tokens in Streamlit's AppTest on a real SQLite file: a user
creates a token (shown once), it calls the API as them, and revoking it stops it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from ui_harness import run_page

from qa_app.api import create_app
from qa_app.i18n import t


def _token(at) -> str:
    codes = [c.value for c in at.code]
    assert len(codes) == 1
    return codes[0]


def test_a_user_creates_and_revokes_their_own_token(sqlite_url):
    at = run_page("account", "trainer", sqlite_url)
    assert not at.exception
    assert t("api_tokens.none", "en") in [i.value for i in at.info]
    at.text_input[-1].input("reports")
    at.button(key="FormSubmitter:api_token_create-" + t("api_tokens.create", "en")).click().run()
    assert not at.exception, at.exception
    token = _token(at)
    assert token.startswith("qas_")
    client = TestClient(create_app(sqlite_url))
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["role"] == "trainer"
    at.run()
    assert [c.value for c in at.code] == []  # shown once
    at.button(key="FormSubmitter:api_token_revoke-" + t("api_tokens.revoke", "en")).click().run()
    assert not at.exception, at.exception
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_the_section_speaks_russian(sqlite_url):
    at = run_page("account", "trainer", sqlite_url, "ru")
    assert not at.exception
    assert t("api_tokens.title", "ru") in [s.value for s in at.subheader]
