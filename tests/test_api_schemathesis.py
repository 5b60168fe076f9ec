"""Schemathesis against the running API (uvicorn on a free port, in a thread) on a real
SQLite file and a real PostgreSQL schema: for every operation of the OpenAPI document,
generated requests (valid and invalid) as a lead and as an agent must never get a server
error, and every answer must match the document (status codes, content types, bodies).

Example counts are small so the run stays under a minute per database.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from qa_app.api import create_app
from tests.api_fixtures import build_world

EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def running_api(db_url):
    """The API on ``db_url`` served by uvicorn in a thread; its base URL and the world."""
    world = build_world(db_url)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db_url), host="127.0.0.1", port=port,
                                           log_level="warning"))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", world
    server.should_exit = True
    thread.join(timeout=10)


def _exercise(operation, base_url: str, headers: dict[str, str], seen: Counter) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    def run(case):
        response = case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)
        seen[response.status_code] += 1

    run()


def test_every_operation_holds_to_the_document(running_api):
    base_url, world = running_api
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    seen: Counter = Counter()
    for username in ("lead", "anna"):
        for operation in operations:
            _exercise(operation, base_url, world.auth(username), seen)
    # the generated requests reached the endpoints: accepted, refused and invalid ones
    print("schemathesis status codes:", dict(sorted(seen.items())))
    assert seen[200] and seen[403] and seen[422], seen
