"""Every endpoint of the REST API called as every role, on a real SQLite file and a real
PostgreSQL schema: allowed exactly when the permissions registry says so.

The endpoints are enumerated from ``app.routes``; each must name its actions
(``openapi_extra`` ``x-qa-actions``: any one allows) and have a sample request in
``SAMPLES``, so a new endpoint fails here until it is declared and called as every role.
The samples ask for the role's own records (an agent's own scorecard, a reviewer's own
review), so a refusal can only come from the role.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.routing import APIRoute

from qa_app.api import ACTIONS_KEY, API_PREFIX
from qa_app.services import accounts
from qa_app.services import database as services_db
from qa_app.services.actor import SYSTEM
from qa_app.services.permissions import ACTIONS, ROLES, can
from tests.api_fixtures import ROLE_USERS, ApiWorld, build_world, conversation

PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}
Sample = Callable[[ApiWorld, str], dict]


def _own_token_id(world: ApiWorld, username: str) -> dict:
    row, _token = accounts.do_create_api_token(
        services_db.unit_of_work(world.op.url), SYSTEM, username, "to revoke"
    )
    return {"path": {"token_id": row.id}}


SAMPLES: dict[tuple[str, str], Sample] = {
    ("GET", "/me"): lambda w, u: {},
    ("GET", "/tokens"): lambda w, u: {},
    ("POST", "/tokens"): lambda w, u: {"json": {"name": "another"}},
    ("DELETE", "/tokens/{token_id}"): _own_token_id,
    ("POST", "/conversations"): lambda w, u: {"json": conversation(f"role-{u}")},
    ("POST", "/conversations/batch"): lambda w, u: {
        "json": {"conversations": [conversation(f"batch-{u}")]}},
    ("GET", "/conversations/{external_id}/scores"): lambda w, u: {
        "path": {"external_id": w.conversation_of_anna}, "params": {"source": "test"}},
    ("GET", "/reviews"): lambda w, u: {},
    ("GET", "/reviews/{review_id}"): lambda w, u: {"path": {"review_id": w.review_of_anna}},
    ("GET", "/agents/{agent_id}/scorecard"): lambda w, u: {
        "path": {"agent_id": w.op.agent_ids["anna"]}, "params": PERIOD},
    ("GET", "/agents/{agent_id}/scorecard/export"): lambda w, u: {
        "path": {"agent_id": w.op.agent_ids["anna"]}, "params": {**PERIOD, "format": "xlsx"}},
    ("GET", "/exports/reviews"): lambda w, u: {"params": {**PERIOD, "format": "csv"}},
}  # fmt: skip


def _walk(routes, prefix: str = ""):
    """``(full path, APIRoute)`` for the routes, descending into included routers (newer
    FastAPI keeps an included router as one entry of ``app.routes``)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            inner = prefix + getattr(route.include_context, "prefix", "")
            yield from _walk(route.original_router.routes, inner)


def api_routes(app) -> list[tuple[str, str, APIRoute]]:
    """(method, path below the prefix, route) for every endpoint of the API."""
    found = []
    for path, route in _walk(app.routes):
        if path.startswith(API_PREFIX):
            for method in sorted(route.methods):
                found.append((method, path.removeprefix(API_PREFIX), route))
    return found


@pytest.fixture
def world(db_url):
    return build_world(db_url)


def test_every_endpoint_names_registered_actions_and_has_a_sample(sqlite_url):
    world = build_world(sqlite_url)
    routes = api_routes(world.client.app)
    assert len(routes) >= 12
    for method, path, route in routes:
        actions = (route.openapi_extra or {}).get(ACTIONS_KEY)
        assert actions, f"{method} {path} does not name its actions"
        assert set(actions) <= set(ACTIONS), f"{method} {path}: unknown action in {actions}"
        assert (method, path) in SAMPLES, f"{method} {path} has no sample request"
    assert set(SAMPLES) == {(m, p) for m, p, _ in routes}  # no sample for a gone endpoint


def test_every_endpoint_as_every_role_follows_the_registry(world):
    outcomes, wrong = {}, {}
    for method, path, route in api_routes(world.client.app):
        actions = route.openapi_extra[ACTIONS_KEY]
        for role in ROLES:
            username = ROLE_USERS[role]
            request = SAMPLES[(method, path)](world, username)
            url = API_PREFIX + path.format(**request.get("path", {}))
            answer = world.client.request(
                method, url, params=request.get("params"), json=request.get("json"),
                headers=world.auth(username),
            )  # fmt: skip
            allowed = any(can(role, action) for action in actions)
            outcomes[(method, path, role)] = answer.status_code
            fits = 200 <= answer.status_code < 300 if allowed else answer.status_code == 403
            if not fits:
                wrong[(method, path, role)] = (answer.status_code, answer.text[:200])
            if answer.status_code == 403:
                assert answer.json()["error"] == "forbidden"
    assert wrong == {}
    # both answers occur: the test is not vacuous
    assert {code for code in outcomes.values()} >= {200, 201, 403}


def test_the_check_would_catch_a_wrongly_open_endpoint():
    """The comparison fails when a refused role gets a 200 or an allowed one a 403."""
    assert not any(can("agent", a) for a in ("import.run",))
    assert any(can("agent", a) for a in ("scorecard.read_team", "scorecard.read_own"))
