"""Writing parsed conversations in batches with SQLAlchemy Core bulk statements.

One batch = a few thousand conversations = a handful of statements (multi-row inserts via
SQLAlchemy's insertmanyvalues, or COPY for messages on PostgreSQL): existing rows are
looked up by (source, external_id) in one query, unchanged ones (same content hash) are
skipped, changed ones are updated in place with their messages replaced, so reviews and
assignments that point at the conversation survive a re-import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from qa_app.ingest import ParsedConversation
from qa_app.services.imports.bulk_copy import bulk_insert, copy_rows, is_postgres, reserve_ids
from qa_app.storage.models import Agent, Conversation, Message, SurveyRating, Team

CONVERSATIONS = Conversation.__table__
MESSAGES = Message.__table__
SURVEY_RATINGS = SurveyRating.__table__
TEAMS = Team.__table__
AGENTS = Agent.__table__
#: Roles whose author is an agent of the team: a person, or a bot reported as its own agent.
AUTHORED_ROLES = ("agent", "bot")
MESSAGE_COLUMNS = ("conversation_id", "seq", "role", "author", "agent_id", "text", "sent_at")


@dataclass(slots=True)
class BatchCounts:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    messages: int = 0

    def add(self, other: BatchCounts) -> None:
        self.imported += other.imported
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.messages += other.messages


def _insert_ignoring_duplicates(connection: Connection, table, rows: list[dict]) -> None:
    """Insert rows, skipping ones another import created a moment ago (unique name/login)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing()
    else:
        statement = insert(table)
    connection.execute(statement, rows)


class BatchWriter:
    """Stores batches for one import run; caches team and agent ids across batches."""

    def __init__(self, connection_source, source: str, now: datetime) -> None:
        self._connection_source = connection_source
        self.source = source
        self.now = now
        self.team_ids: dict[str, int] = {}
        self.agent_ids: dict[str, int] = {}

    @property
    def connection(self) -> Connection:
        return self._connection_source()

    def snapshot(self) -> tuple[dict[str, int], dict[str, int]]:
        """The id caches, to restore when a savepoint that created teams or agents is
        rolled back (their ids no longer exist)."""
        return dict(self.team_ids), dict(self.agent_ids)

    def restore(self, cached: tuple[dict[str, int], dict[str, int]]) -> None:
        self.team_ids, self.agent_ids = dict(cached[0]), dict(cached[1])

    def write(self, batch: list[ParsedConversation]) -> BatchCounts:
        counts = BatchCounts()
        self._ensure_teams({c.team for c in batch if c.team})
        self._ensure_agents(batch)
        existing = self._existing([c.external_id for c in batch])
        new = [c for c in batch if c.external_id not in existing]
        changed = [
            (existing[c.external_id][0], c)
            for c in batch
            if c.external_id in existing and existing[c.external_id][1] != c.content_hash
        ]
        counts.unchanged = len(batch) - len(new) - len(changed)
        ids = self._insert_conversations(new)
        self._update_conversations(changed)
        pairs = [(ids[c.external_id], c) for c in new] + changed
        counts.imported, counts.updated = len(new), len(changed)
        counts.messages = self._insert_messages(pairs)
        self._insert_survey_ratings(pairs)
        return counts

    def _ensure_teams(self, names: set[str]) -> None:
        missing = names - self.team_ids.keys()
        if not missing:
            return
        self._load_teams(missing)
        still = missing - self.team_ids.keys()
        if still:
            rows = [{"name": name, "created_at": self.now} for name in sorted(still)]
            _insert_ignoring_duplicates(self.connection, TEAMS, rows)
            self._load_teams(still)

    def _load_teams(self, names: set[str]) -> None:
        query = select(TEAMS.c.name, TEAMS.c.id).where(TEAMS.c.name.in_(names))
        self.team_ids.update(dict(self.connection.execute(query).all()))

    def _ensure_agents(self, batch: list[ParsedConversation]) -> None:
        first_team: dict[str, str | None] = {}
        bots: set[str] = set()  # authors of bot messages: stored as agents flagged is_bot
        for conversation in batch:
            for message in conversation.messages:
                login = message.author
                if message.role in AUTHORED_ROLES and login and login not in self.agent_ids:
                    first_team.setdefault(login, conversation.team)
                    if message.role == "bot":
                        bots.add(login)
        if not first_team:
            return
        self._load_agents(set(first_team))
        missing = [login for login in first_team if login not in self.agent_ids]
        if missing:
            rows = [
                {
                    "login": login,
                    "display_name": login,
                    "team_id": self.team_ids.get(first_team[login] or ""),
                    "is_bot": login in bots,
                    "created_at": self.now,
                }
                for login in missing
            ]
            _insert_ignoring_duplicates(self.connection, AGENTS, rows)
            self._load_agents(set(missing))

    def _load_agents(self, logins: set[str]) -> None:
        query = select(AGENTS.c.login, AGENTS.c.id).where(AGENTS.c.login.in_(logins))
        self.agent_ids.update(dict(self.connection.execute(query).all()))

    def _existing(self, external_ids: list[str]) -> dict[str, tuple[int, str]]:
        query = select(
            CONVERSATIONS.c.external_id, CONVERSATIONS.c.id, CONVERSATIONS.c.content_hash
        ).where(
            CONVERSATIONS.c.source == self.source,
            CONVERSATIONS.c.external_id.in_(external_ids),
        )
        return {row[0]: (row[1], row[2]) for row in self.connection.execute(query)}

    def _values(self, conversation: ParsedConversation) -> dict:
        return {
            "channel": conversation.channel,
            "language": conversation.language,
            "started_at": conversation.started_at or self.now,
            "ended_at": conversation.ended_at,
            "customer_id": conversation.customer_id,
            "customer_name": conversation.customer_name,
            "csat": conversation.csat,
            "nps": conversation.nps,
            "status": conversation.status,
            "escalated": conversation.escalated,
            "subject": conversation.subject,
            "tags": conversation.tags,
            "team_id": self.team_ids.get(conversation.team or ""),
            "agent_id": self.agent_ids.get(conversation.agent_login or ""),
            "message_count": len(conversation.messages),
            "first_response_seconds": conversation.first_response_seconds,
            "content_hash": conversation.content_hash,
            "masked_items": conversation.masked_items,
            "updated_at": self.now,
        }

    def _insert_conversations(self, new: list[ParsedConversation]) -> dict[str, int]:
        """Insert new conversations; returns external_id -> id."""
        if not new:
            return {}
        rows = [
            {
                **self._values(c),
                "source": self.source,
                "external_id": c.external_id,
                "imported_at": self.now,
            }
            for c in new
        ]
        columns = list(rows[0])
        if is_postgres(self.connection):
            ids = reserve_ids(self.connection, CONVERSATIONS, len(rows))
            tuples = [(row_id, *row.values()) for row_id, row in zip(ids, rows, strict=True)]
            copy_rows(self.connection, CONVERSATIONS, ["id", *columns], tuples)
            return {c.external_id: row_id for c, row_id in zip(new, ids, strict=True)}
        bulk_insert(self.connection, CONVERSATIONS, columns, [tuple(r.values()) for r in rows])
        return {
            external_id: row_id
            for external_id, (row_id, _) in self._existing([c.external_id for c in new]).items()
        }

    def _update_conversations(self, changed: list[tuple[int, ParsedConversation]]) -> None:
        if not changed:
            return
        rows = [{"row_id": row_id, **self._values(c)} for row_id, c in changed]
        values = {name: bindparam(name) for name in rows[0] if name != "row_id"}
        statement = (
            update(CONVERSATIONS).where(CONVERSATIONS.c.id == bindparam("row_id")).values(values)
        )
        self.connection.execute(statement, rows)
        ids = [i for i, _ in changed]
        self.connection.execute(delete(MESSAGES).where(MESSAGES.c.conversation_id.in_(ids)))
        stale = delete(SURVEY_RATINGS).where(SURVEY_RATINGS.c.conversation_id.in_(ids))
        self.connection.execute(stale)

    def _message_rows(self, pairs: list[tuple[int, ParsedConversation]]) -> list[tuple]:
        rows = []
        for conversation_id, conversation in pairs:
            for seq, message in enumerate(conversation.messages, start=1):
                authored = message.role in AUTHORED_ROLES
                agent_id = self.agent_ids.get(message.author) if authored else None
                rows.append(
                    (
                        conversation_id,
                        seq,
                        message.role,
                        message.author,
                        agent_id,
                        message.text,
                        message.sent_at,
                    )
                )
        return rows

    def _insert_messages(self, pairs: list[tuple[int, ParsedConversation]]) -> int:
        rows = self._message_rows(pairs)
        if not rows:
            return 0
        bulk_insert(self.connection, MESSAGES, MESSAGE_COLUMNS, rows)
        return len(rows)

    def _insert_survey_ratings(self, pairs: list[tuple[int, ParsedConversation]]) -> None:
        """A conversation's survey answer, one row per rated attribute (the CSI's input)."""
        rows = [
            {"conversation_id": conversation_id, "attribute": attribute,
             "satisfaction": rating, "importance": importance}
            for conversation_id, conversation in pairs
            for attribute, rating, importance in conversation.survey
        ]  # fmt: skip
        if rows:
            self.connection.execute(insert(SURVEY_RATINGS), rows)
