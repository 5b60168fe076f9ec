"""The scorecard test operation plus an admin, each user with a personal API token, and
the API app on that database (a real SQLite file or PostgreSQL schema)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from qa_app.api import create_app
from qa_app.services import accounts
from qa_app.services import database as services_db
from qa_app.services.actor import SYSTEM
from qa_app.services.permissions import ROLES
from qa_app.storage import db as storage_db
from qa_app.storage.models import AutoScore, Conversation, Message, Review, User
from tests.scorecard_fixtures import Operation, seed_operation

#: The user acting as each role in the role test (the scorecard operation's names).
ROLE_USERS = {"admin": "admin", "lead": "lead", "reviewer": "rev", "trainer": "trainer",
              "agent": "anna"}  # fmt: skip
#: Roles without a user in the scorecard operation get one of their own, named as the role.
EXTRA_ROLES = tuple(role for role in ROLES if role not in ROLE_USERS)
ROLE_USERS.update({role: role for role in EXTRA_ROLES})


@dataclass
class ApiWorld:
    op: Operation
    tokens: dict[str, str]  # username -> token
    review_of_anna: int
    conversation_of_anna: str  # external id (source "test")
    client: TestClient

    def auth(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}


def build_world(url: str) -> ApiWorld:
    op = seed_operation(url)
    with storage_db.unit_of_work(url) as session:
        session.add(User(username="admin", password_hash="x", role="admin"))
        session.add_all(User(username=role, password_hash="x", role=role) for role in EXTRA_ROLES)
        anna_conv = session.query(Conversation).filter_by(agent_id=op.agent_ids["anna"]).first()
        review = session.query(Review).filter_by(conversation_id=anna_conv.id).one()
        first = session.query(Message).filter_by(conversation_id=anna_conv.id).first()
        session.add_all([
            AutoScore(conversation_id=anna_conv.id, message_id=None, task="politeness",
                      scorer_version="1", label=None, score=0.8, evidence=[]),
            AutoScore(conversation_id=anna_conv.id, message_id=first.id if first else None,
                      task="toxicity", scorer_version="1", label="clean", score=0.01,
                      evidence=[]),
        ])  # fmt: skip
        session.commit()
        review_id, external_id = review.id, anna_conv.external_id
    tokens = {}
    for username in ("lead2", "boris", *ROLE_USERS.values()):
        _row, token = accounts.do_create_api_token(
            services_db.unit_of_work(url), SYSTEM, username, "tests"
        )
        tokens[username] = token
    client = TestClient(create_app(url), raise_server_exceptions=False)
    return ApiWorld(op, tokens, review_id, external_id, client)


def conversation(external_id: str, text: str = "My card was charged twice.") -> dict:
    """A valid conversation in the JSONL import format."""
    return {
        "conversation_id": external_id,
        "channel": "chat",
        "language": "en",
        "started_at": "2026-03-04T10:00:00+00:00",
        "messages": [
            {"role": "customer", "text": text, "sent_at": "2026-03-04T10:00:00+00:00"},
            {"role": "agent", "text": "Sorry about that, I will refund the second charge.",
             "sent_at": "2026-03-04T10:01:00+00:00"},
        ],
    }  # fmt: skip
