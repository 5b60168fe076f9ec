"""The demo's coaching: plans the demo trainer ran during the season, through the coaching
services, dated from the season (never the clock).

* the new hire (k.lebedeva) is coached on product knowledge in week 6 and week 8; her
  wrong answers fade over the season, so the before/after panel shows a real improvement;
* the curt agent (d.smirnov) is coached on greeting and closing etiquette at the same
  time; his one-line replies do not change, so the panel shows no distinguishable change
  (and how many more reviews a change of that size would need);
* the jargon agents (i.volkov, r.singh) get a group plan on plain language whose due
  date passes without a session: the lead's list shows it overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.demo.season import corpus_start, demo_reference
from qa_app.services import coaching
from qa_app.services.accounts import actor_for, find_user
from qa_app.storage.models import Agent

WEEK = timedelta(weeks=1)


@dataclass(frozen=True)
class DemoPlan:
    topic: str
    agents: tuple[str, ...]
    created_week: float  # weeks after the corpus's first day
    due_week: float
    notes: str
    sessions: tuple[tuple[float, tuple[str, ...], str], ...] = ()  # (week, exercises, notes)
    done_week: float | None = None


DEMO_PLANS = (
    DemoPlan(
        "product-knowledge",
        ("k.lebedeva",),
        4.4,
        8.0,
        "Wrong answers on refunds and delivery terms; work through the knowledge base. / "
        "Неверные ответы о возвратах и сроках доставки; разбираем базу знаний.",
        (
            (
                5.4,
                ("role_play", "quiz"),
                "Role-play of the double charge; checked every answer "
                "in the knowledge base before replying. / Ролевая игра про двойное списание; "
                "каждый ответ сверяли с базой знаний.",
            ),
            (
                7.4,
                ("simulation", "reading"),
                "Simulation of a delivery dispute; read the "
                "refund policy together. / Симуляция спора о доставке; вместе прочитали правила "
                "возврата.",
            ),
        ),
        done_week=8.0,
    ),
    DemoPlan(
        "etiquette",
        ("d.smirnov",),
        4.4,
        13.5,
        "Replies of one line, no greeting, no name, no thanks. / Ответы в одну строку, без "
        "приветствия, имени и благодарности.",
        (
            (
                5.4,
                ("role_play",),
                "Role-play of a first reply with greeting and name. / "
                "Ролевая игра: первый ответ с приветствием и обращением по имени.",
            ),
            (
                7.4,
                ("quiz", "reading"),
                "Quiz on closings; agreed a closing template. / Тест "
                "о завершении разговора; договорились о шаблоне.",
            ),
        ),
    ),
    DemoPlan(
        "plain-language",
        ("i.volkov", "r.singh"),
        9.0,
        11.6,
        "Group session on explaining without jargon. / Групповое занятие: объяснять без жаргона.",
    ),
)


def _agent_ids(session: Session, logins: tuple[str, ...]) -> list[int]:
    found = dict(
        session.execute(select(Agent.login, Agent.id).where(Agent.login.in_(logins))).all()
    )
    return [found[login] for login in logins if login in found]


def create_demo_plans(session: Session, reference: datetime | None = None) -> int:
    """The season's coaching plans (skipped when the demo trainer is missing); returns
    how many plans were created. The caller commits."""
    trainer_user = find_user(session, "trainer")
    if trainer_user is None:
        return 0
    trainer = actor_for(trainer_user)
    start = corpus_start(session, reference) + timedelta(hours=10)
    last = demo_reference(reference)
    created = 0
    for plan in DEMO_PLANS:
        agent_ids = _agent_ids(session, plan.agents)
        if not agent_ids:
            continue
        made = min(start + plan.created_week * WEEK, last)
        plan_id = coaching.create_plan(
            session,
            trainer,
            plan.topic,
            agent_ids,
            start + plan.due_week * WEEK,
            plan.notes,
            now=made,
        )
        version = 1
        for week, exercises, notes in plan.sessions:
            held = start + week * WEEK
            session_id = coaching.record_session(
                session,
                trainer,
                plan_id,
                version,
                held,
                exercises,
                notes,
                now=held + timedelta(hours=1),
            )
            version += 1
            _confirm(session, plan.agents, session_id, held + timedelta(hours=3))
        if plan.done_week is not None:
            coaching.update_plan(
                session, trainer, plan_id, version, status="done", now=start + plan.done_week * WEEK
            )
        created += 1
    return created


def _confirm(session: Session, logins: tuple[str, ...], session_id: int, at: datetime) -> None:
    for login in logins:
        user = find_user(session, login)
        if user is not None:
            coaching.confirm_session(session, actor_for(user), session_id, now=at)
