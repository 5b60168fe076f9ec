"""The REST API through FastAPI's TestClient on the real app and a real database (SQLite
file and PostgreSQL schema): tokens, each endpoint, and its errors as JSON."""

from __future__ import annotations

import io

import openpyxl
import pytest

from qa_app.services import accounts
from qa_app.services import database as services_db
from qa_app.services.actor import SYSTEM
from qa_app.services.errors import InvalidInput
from tests.api_fixtures import build_world, conversation

PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def world(db_url):
    return build_world(db_url)


def test_a_call_without_a_valid_token_is_refused_with_401(world):
    client = world.client
    for headers, reason in (
        ({}, "Authorization: Bearer"),
        ({"Authorization": "Bearer qas_nonsense"}, "not known"),
        ({"Authorization": "Basic abc"}, "Authorization: Bearer"),
    ):
        answer = client.get("/api/v1/me", headers=headers)
        assert answer.status_code == 401
        assert answer.json()["error"] == "unauthorized"
        assert reason in answer.json()["message"]
        assert answer.headers["www-authenticate"] == "Bearer"


def test_the_token_acts_as_its_user_and_only_its_hash_is_stored(world, db_url):
    answer = world.client.get("/api/v1/me", headers=world.auth("anna"))
    assert answer.status_code == 200
    assert answer.json()["username"] == "anna" and answer.json()["role"] == "agent"
    assert answer.json()["agent_id"] == world.op.agent_ids["anna"]
    from qa_app.storage import db as storage_db
    from qa_app.storage.models import ApiToken

    with storage_db.unit_of_work(db_url) as session:
        stored = [row.token_hash for row in session.query(ApiToken)]
    assert world.tokens["anna"] not in stored
    assert all(len(h) == 64 for h in stored)


def test_a_revoked_token_and_a_deactivated_users_token_are_refused(world, db_url):
    rows = accounts.do_list_api_tokens(services_db.unit_of_work(db_url), SYSTEM, "boris")
    accounts.do_revoke_api_token(services_db.unit_of_work(db_url), SYSTEM, rows[0].id)
    answer = world.client.get("/api/v1/me", headers=world.auth("boris"))
    assert answer.status_code == 401 and "revoked" in answer.json()["message"]

    accounts.do_deactivate(services_db.unit_of_work(db_url), SYSTEM, "rev")
    answer = world.client.get("/api/v1/me", headers=world.auth("rev"))
    assert answer.status_code == 401 and "deactivated" in answer.json()["message"]


def test_a_user_creates_lists_and_revokes_their_own_tokens(world):
    client, headers = world.client, world.auth("trainer")
    created = client.post("/api/v1/tokens", json={"name": "ci"}, headers=headers)
    assert created.status_code == 201
    new_token = created.json()["token"]
    assert new_token.startswith("qas_") and created.json()["name"] == "ci"
    listed = client.get("/api/v1/tokens", headers=headers).json()["tokens"]
    assert {t["name"] for t in listed} == {"ci", "tests"}
    assert all("token" not in t for t in listed)
    own = {"Authorization": f"Bearer {new_token}"}
    assert client.get("/api/v1/me", headers=own).json()["username"] == "trainer"
    assert client.delete(f"/api/v1/tokens/{created.json()['id']}", headers=own).status_code == 200
    assert client.get("/api/v1/me", headers=own).status_code == 401
    # another user's token is not found for a non-admin
    anna_tokens = client.get("/api/v1/tokens", headers=world.auth("anna")).json()["tokens"]
    refused = client.delete(f"/api/v1/tokens/{anna_tokens[0]['id']}", headers=headers)
    assert refused.status_code == 404


def test_pushing_one_conversation_is_idempotent_on_its_id(world):
    client, headers = world.client, world.auth("lead")
    first = client.post("/api/v1/conversations", json=conversation("api-1"), headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "created" and first.json()["external_id"] == "api-1"
    again = client.post("/api/v1/conversations", json=conversation("api-1"), headers=headers)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    changed = client.post(
        "/api/v1/conversations", json=conversation("api-1", "Charged three times!"),
        headers=headers,
    )  # fmt: skip
    assert changed.status_code == 200 and changed.json()["status"] == "updated"


def test_a_rejected_conversation_comes_back_with_field_and_reason(world):
    bad = conversation("api-bad")
    bad["started_at"] = "yesterday-ish"
    answer = world.client.post("/api/v1/conversations", json=bad, headers=world.auth("lead"))
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "rejected"
    assert body["problems"][0]["field"] == "started_at"
    assert body["problems"][0]["reason"]


def test_a_batch_imports_the_good_and_lists_the_bad_by_index(world):
    bad = conversation("b-2")
    bad["messages"][0]["role"] = "martian"
    no_messages = {"conversation_id": "b-3", "messages": []}
    batch = {"conversations": [conversation("b-1"), bad, no_messages, conversation("b-1")]}
    answer = world.client.post("/api/v1/conversations/batch", json=batch,
                               headers=world.auth("lead"))  # fmt: skip
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["imported"] == 2  # b-1, and b-2 without its bad message
    by_index = {item["index"]: item for item in body["rejections"]}
    assert by_index[1]["problems"][0]["field"] == "messages[0].role"
    assert by_index[2]["whole"] and by_index[2]["problems"][0]["field"] == "messages"
    assert by_index[3]["problems"][0]["field"] == "conversation_id"  # the duplicate
    again = world.client.post("/api/v1/conversations/batch",
                              json={"conversations": [conversation("b-1")]},
                              headers=world.auth("lead")).json()  # fmt: skip
    assert again["unchanged"] == 1 and again["imported"] == 0


def test_a_malformed_request_is_a_422_naming_the_field(world):
    answer = world.client.post("/api/v1/conversations/batch", json={"conversations": "x"},
                               headers=world.auth("lead"))  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "conversations"
    answer = world.client.get("/api/v1/reviews/abc", headers=world.auth("lead"))
    assert answer.status_code == 422 and answer.json()["problems"][0]["field"] == "path.review_id"


def test_reviews_are_scoped_to_what_the_reader_may_see(world):
    client = world.client
    lead = client.get("/api/v1/reviews", headers=world.auth("lead")).json()["reviews"]
    assert len(lead) == 7
    anna = client.get("/api/v1/reviews", headers=world.auth("anna")).json()["reviews"]
    assert len(anna) == 4 and {r["agent_id"] for r in anna} == {world.op.agent_ids["anna"]}
    one = client.get(f"/api/v1/reviews/{world.review_of_anna}", headers=world.auth("anna"))
    assert one.status_code == 200
    assert {g["criterion_id"] for g in one.json()["grades"]} == {
        "politeness", "greeting", "correct_info"}  # fmt: skip
    other = client.get(f"/api/v1/reviews/{world.review_of_anna}", headers=world.auth("boris"))
    assert other.status_code == 404
    assert client.get("/api/v1/reviews", headers=world.auth("trainer")).status_code == 403
    filtered = client.get("/api/v1/reviews", params={"external_id": "c-0"},
                          headers=world.auth("lead")).json()["reviews"]  # fmt: skip
    assert [r["external_id"] for r in filtered] == ["c-0"]


def test_automatic_scores_of_a_conversation(world):
    path = f"/api/v1/conversations/{world.conversation_of_anna}/scores"
    answer = world.client.get(path, params={"source": "test"}, headers=world.auth("trainer"))
    assert answer.status_code == 200, answer.text
    scores = answer.json()["scores"]
    assert {(s["task"], s["message_seq"] is None) for s in scores} == {
        ("politeness", True), ("toxicity", False)}  # fmt: skip
    missing = world.client.get("/api/v1/conversations/nope/scores", headers=world.auth("lead"))
    assert missing.status_code == 404 and "nope" in missing.json()["message"]
    refused = world.client.get(path, params={"source": "test"}, headers=world.auth("anna"))
    assert refused.status_code == 403


def test_scorecard_for_staff_and_for_the_agent_only_their_own(world):
    anna, boris = world.op.agent_ids["anna"], world.op.agent_ids["boris"]
    card = world.client.get(f"/api/v1/agents/{anna}/scorecard", params=PERIOD,
                            headers=world.auth("anna"))  # fmt: skip
    assert card.status_code == 200, card.text
    body = card.json()
    assert body["reviews"] == 4 and body["quality"]["n"] == 4
    assert body["quality"]["estimate"] == pytest.approx(75.0)
    # the CSI beside CSAT and NPS, with its responses and attributes (as on the page)
    csi = body["csi"]
    assert csi["estimate"]["estimate"] == pytest.approx(181.25 / 3)
    assert (csi["responses"], csi["contacts"]) == (3, 4)
    assert [w["code"] for w in csi["warnings"]] == ["too_few_responses"]
    assert {a["attribute"]: a["n"] for a in csi["attributes"]} == {"courtesy": 3, "speed": 3}
    refused = world.client.get(f"/api/v1/agents/{boris}/scorecard", params=PERIOD,
                               headers=world.auth("anna"))  # fmt: skip
    assert refused.status_code == 403
    lead2 = world.client.get(f"/api/v1/agents/{anna}/scorecard", params=PERIOD,
                             headers=world.auth("lead2"))  # fmt: skip
    assert lead2.status_code == 403  # another team's lead
    backwards = world.client.get(f"/api/v1/agents/{anna}/scorecard",
                                 params={"start": "2026-03-31", "end": "2026-03-01"},
                                 headers=world.auth("lead"))  # fmt: skip
    assert backwards.status_code == 422 and "after" in backwards.json()["message"]
    assert world.client.get("/api/v1/agents/99999/scorecard", params=PERIOD,
                            headers=world.auth("lead")).status_code == 404  # fmt: skip


def test_exports_are_csv_or_xlsx_and_formula_safe(world):
    anna = world.op.agent_ids["anna"]
    csv = world.client.get("/api/v1/exports/reviews", params={**PERIOD, "format": "csv"},
                           headers=world.auth("lead"))  # fmt: skip
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    text = csv.content.decode("utf-8-sig")
    assert "c-0" in text or "60" in text
    xlsx = world.client.get(f"/api/v1/agents/{anna}/scorecard/export",
                            params={**PERIOD, "format": "xlsx"},
                            headers=world.auth("anna"))  # fmt: skip
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert world.client.get("/api/v1/exports/reviews", params={**PERIOD, "format": "pdf"},
                            headers=world.auth("lead")).status_code == 422  # fmt: skip


def test_unknown_routes_and_methods_answer_json(world):
    answer = world.client.get("/api/v1/nothing-here", headers=world.auth("lead"))
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"
    answer = world.client.put("/api/v1/me", headers=world.auth("lead"))
    assert answer.status_code == 405 and answer.json()["error"] == "method_not_allowed"


def test_the_openapi_document_is_served(world):
    answer = world.client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    assert "/api/v1/conversations/batch" in document["paths"]
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_concurrent_pushes_of_one_id_create_it_once(world):
    """Four clients push the same new conversation at the same moment: one creates it,
    the others find it unchanged; none fails."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(4)

    def push(_index: int):
        barrier.wait()
        return world.client.post("/api/v1/conversations", json=conversation("same-id"),
                                 headers=world.auth("lead"))  # fmt: skip

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(push, range(4)))
    assert sorted(a.json()["status"] for a in answers) == ["created"] + ["unchanged"] * 3
    reviews_of_it = world.client.get("/api/v1/reviews", params={"external_id": "same-id"},
                                     headers=world.auth("lead")).json()["reviews"]  # fmt: skip
    assert reviews_of_it == []


def test_an_unreachable_database_is_a_503_without_sql():
    from fastapi.testclient import TestClient

    from qa_app.api import create_app

    client = TestClient(create_app("postgresql+psycopg://qa:secret@127.0.0.1:1/nowhere"),
                        raise_server_exceptions=False)  # fmt: skip
    answer = client.get("/api/v1/me", headers={"Authorization": "Bearer qas_anything"})
    assert answer.status_code == 503
    body = answer.json()
    assert body["error"] == "database_unavailable" and body["message"]
    for leak in ("SELECT", "api_tokens", "secret", "Traceback", "psycopg"):
        assert leak not in answer.text


def test_a_push_is_masked_as_the_deployment_configures_imports(world, db_url, monkeypatch):
    monkeypatch.setenv("QA_STUDIO_MASK", "1")
    text = "Пишите на olga.petrova@example.ru или звоните +7 916 123-45-67"
    answer = world.client.post("/api/v1/conversations", json=conversation("masked-1", text),
                               headers=world.auth("lead"))  # fmt: skip
    assert answer.status_code == 201, answer.text
    from qa_app.storage import db as storage_db
    from qa_app.storage.models import Conversation, Message

    with storage_db.unit_of_work(db_url) as session:
        stored = (session.query(Message.text).join(Conversation)
                  .filter(Conversation.external_id == "masked-1", Message.seq == 1).scalar())  # fmt: skip
    assert "olga.petrova@example.ru" not in stored and "916" not in stored
    assert stored.startswith("Пишите на ")


def test_a_token_expires_after_its_days_with_a_clear_401(world, db_url):
    from datetime import UTC, datetime, timedelta

    made = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    row, token = accounts.do_create_api_token(
        services_db.unit_of_work(db_url), SYSTEM, "lead", "short", days=3, now=made
    )
    assert row.expires_at == made + timedelta(days=3)
    assert row.state(made + timedelta(days=2)) == "active"
    assert row.state(made + timedelta(days=3)) == "expired"
    answer = world.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401
    assert answer.json()["error"] == "unauthorized"
    assert "expired" in answer.json()["message"]
    check = accounts.do_check_api_token(
        services_db.unit_of_work(db_url), token, now=made + timedelta(days=2)
    )
    assert check.actor is not None and check.actor.username == "lead"


def test_a_token_lifetime_outside_1_to_365_days_is_refused(world, db_url):
    for days in (0, 366, -5):
        with pytest.raises(InvalidInput) as caught:
            accounts.do_create_api_token(
                services_db.unit_of_work(db_url), SYSTEM, "lead", "x", days=days
            )
        assert caught.value.key == "api_tokens.bad_lifetime"
    answer = world.client.post("/api/v1/tokens", json={"name": "ci", "days": 400},
                               headers=world.auth("lead"))  # fmt: skip
    assert answer.status_code == 422 and answer.json()["problems"][0]["field"] == "days"
    made = world.client.post("/api/v1/tokens", json={"name": "ci", "days": 7},
                             headers=world.auth("lead")).json()  # fmt: skip
    assert made["expires_at"][:10] > made["created_at"][:10]


def test_each_token_is_limited_per_window_with_429_and_retry_after(db_url):
    from fastapi.testclient import TestClient

    from qa_app.api import create_app
    from qa_app.api.rate_limit import FixedWindowLimiter

    world = build_world(db_url)
    clock = [1000.0]
    limiter = FixedWindowLimiter(limit=3, window=60, clock=lambda: clock[0])
    client = TestClient(create_app(db_url, limiter=limiter), raise_server_exceptions=False)
    for _ in range(3):
        assert client.get("/api/v1/me", headers=world.auth("lead")).status_code == 200
    refused = client.get("/api/v1/me", headers=world.auth("lead"))
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert refused.headers["retry-after"] == "20"  # the window 960..1020 turns in 20 s
    assert refused.json()["retry_after"] == 20
    # another token has its own count
    assert client.get("/api/v1/me", headers=world.auth("anna")).status_code == 200
    clock[0] = 1020.0  # the next window
    assert client.get("/api/v1/me", headers=world.auth("lead")).status_code == 200
