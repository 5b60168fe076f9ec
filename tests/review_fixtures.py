"""Small, explicit test data for the review workflow: users, conversations, a rubric.

Built straight from the models so the review tests do not depend on the import service or
the demo corpus. ``seed_workflow`` returns the ids the tests need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from qa_app.services.actor import Actor
from qa_app.services.rubrics import store as rubrics
from qa_app.storage import db as storage_db
from qa_app.storage.models import Agent, Conversation, Message, Team, User

SMALL_RUBRIC = """\
id: small-test
version: 1
name: {en: Small test rubric, ru: Маленькая тестовая форма}
description: {en: Two categories for tests., ru: Две категории для тестов.}
settings: {critical_default: conversation, passing_score: 80}
categories:
  - id: manner
    name: {en: Manner, ru: Манера}
    weight: 1
    criteria:
      - id: politeness
        name: {en: Politeness, ru: Вежливость}
        description: {en: Polite throughout., ru: Вежлив на протяжении всего разговора.}
        scale:
          type: 1-3
          levels:
            - {value: 1, descriptor: {en: Rude., ru: Грубо.}}
            - {value: 2, descriptor: {en: Neutral., ru: Нейтрально.}}
            - {value: 3, descriptor: {en: Warm., ru: Тепло.}}
        coaching_topic: tone
        auto_signal: politeness
      - id: greeting
        name: {en: Greeting, ru: Приветствие}
        description: {en: Greets the customer., ru: Здоровается с клиентом.}
        scale:
          type: pass_fail
          levels:
            - {value: 0, descriptor: {en: No greeting., ru: Нет приветствия.}}
            - {value: 1, descriptor: {en: Greets., ru: Здоровается.}}
        na_allowed: true
        coaching_topic: greeting
  - id: result
    name: {en: Result, ru: Результат}
    weight: 1
    criteria:
      - id: correct_info
        name: {en: Correct information, ru: Верная информация}
        description: {en: Facts are right., ru: Факты верны.}
        scale:
          type: pass_fail
          levels:
            - {value: 0, descriptor: {en: Wrong facts., ru: Неверные факты.}}
            - {value: 1, descriptor: {en: Correct., ru: Верно.}}
        critical: true
        coaching_topic: accuracy
"""

BASE_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


@dataclass(frozen=True)
class Workflow:
    url: str
    lead: Actor
    reviewers: tuple[Actor, ...]
    agents: tuple[Actor, ...]
    agent_logins: tuple[str, ...]
    conversation_ids: tuple[int, ...]
    rubric_version_id: int


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.username, user.role, user.agent_id, user.team_id, user.language)


def add_conversation(session, *, agent: Agent, team: Team, index: int, **fields) -> Conversation:
    """One conversation with a customer message and a reply 90 s later (unless given)."""
    started = fields.pop("started_at", BASE_TIME + timedelta(hours=index))
    texts = fields.pop("texts", None) or [
        ("customer", f"Hello, my order {index} is late"),
        ("agent", f"Hi! Let me check order {index}."),
    ]
    conv = Conversation(
        source="test",
        external_id=f"c-{index}",
        channel=fields.pop("channel", "chat"),
        language=fields.pop("language", "en"),
        started_at=started,
        customer_id=fields.pop("customer_id", f"u-{index}"),
        team_id=team.id,
        agent_id=agent.id,
        content_hash=f"h{index}",
        message_count=len(texts),
        **fields,
    )
    for seq, (role, text) in enumerate(texts):
        conv.messages.append(
            Message(
                seq=seq,
                role=role,
                author=agent.login if role == "agent" else None,
                agent_id=agent.id if role == "agent" else None,
                text=text,
                sent_at=started + timedelta(seconds=90 * seq),
            )
        )
    session.add(conv)
    return conv


def seed_workflow(url: str, conversations: int = 12, reviewers: int = 2) -> Workflow:
    """A team, two agents, ``reviewers`` reviewers, a lead, conversations over two weeks."""
    with storage_db.unit_of_work(url) as session:
        team = Team(name="Tier 1")
        session.add(team)
        session.flush()
        agents = [
            Agent(login=login, display_name=name, team_id=team.id)
            for login, name in (("a.petrova", "Anna Petrova"), ("b.smith", "Bob Smith"))
        ]
        session.add_all(agents)
        session.flush()
        users = [User(username="lead", password_hash="x", role="lead", team_id=team.id)]
        users += [
            User(username=f"rev{i + 1}", password_hash="x", role="reviewer")
            for i in range(reviewers)
        ]
        users += [
            User(username=a.login, password_hash="x", role="agent", agent_id=a.id, team_id=team.id)
            for a in agents
        ]
        session.add_all(users)
        session.flush()
        ids = []
        for index in range(conversations):
            agent = agents[index % 2]
            started = BASE_TIME + timedelta(days=(index // 2) % 10, hours=index)
            conv = add_conversation(
                session,
                agent=agent,
                team=team,
                index=index,
                started_at=started,
                channel=("chat", "email")[index % 3 == 0],
                language=("en", "ru")[index % 4 == 0],
                csat=(index % 5) + 1,
            )
            session.flush()
            ids.append(conv.id)
        lead = actor_of(users[0])
        stored = rubrics.save_rubric(session, lead, SMALL_RUBRIC, "test rubric")
        return Workflow(
            url=url,
            lead=lead,
            reviewers=tuple(actor_of(u) for u in users[1 : 1 + reviewers]),
            agents=tuple(actor_of(u) for u in users[1 + reviewers :]),
            agent_logins=tuple(a.login for a in agents),
            conversation_ids=tuple(ids),
            rubric_version_id=stored.version_id,
        )
