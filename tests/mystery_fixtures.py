"""Shared set-up for mystery-shopper tests: users of each role, agents, the catalogue, and
complete checklist answers (every item at its top level unless told otherwise)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ui_harness import make_user, seed

from qa_app.services import mystery
from qa_app.services.actor import Actor
from qa_app.storage.models import Agent, Team

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()
PDF = b"%PDF-1.4\n%test\n"


@dataclass
class Programme:
    url: str
    lead: Actor
    shopper: Actor
    other_shopper: Actor
    agent: Actor
    trainer: Actor
    scenario_id: int


def answers(fail: tuple[str, ...] = (), comments: dict[str, str] | None = None):
    """Every item of the default checklist answered: top level, or lowest for ``fail``."""
    rubric = mystery.checklist_by_id("mystery-shopper-default")
    comments = comments or {}
    result = {}
    for criterion in rubric.criteria():
        value = criterion.scale.min_value if criterion.id in fail else criterion.scale.max_value
        result[criterion.id] = mystery.AnswerInput(value, False, comments.get(criterion.id, ""))
    return result


def visit(scenario, *, days: int = 0, agent: str = "a.petrova", fail=(), comments=None, **extra):
    contacted = NOW - timedelta(days=days + 1)
    return mystery.VisitInput(
        scenario=scenario,
        contacted_at=contacted,
        first_response_at=contacted + timedelta(minutes=5),
        resolved_at=contacted + timedelta(minutes=30),
        agent_login=agent,
        answers=answers(fail, comments),
        **extra,
    )


def programme(url: str) -> Programme:
    def base(session):
        team = Team(name="Tier 1")
        session.add(team)
        session.flush()
        session.add_all(
            [
                Agent(login="a.petrova", display_name="Anna Petrova", team_id=team.id),
                Agent(login="i.ivanov", display_name="Ivan Ivanov", team_id=team.id),
            ]
        )

    seed(url, base)
    lead = make_user(url, "lead", username="lead")
    actors = dict(
        lead=lead,
        shopper=make_user(url, "shopper", username="shopper1"),
        other_shopper=make_user(url, "shopper", username="shopper2"),
        agent=make_user(url, "agent", username="anna", agent_login="a.petrova"),
        trainer=make_user(url, "trainer", username="trainer"),
    )
    seed(url, lambda s: mystery.install_catalogue(s, lead, now=NOW))
    scenario_id = seed(
        url,
        lambda s: mystery.create_scenario(
            s,
            lead,
            mystery.ScenarioInput(
                name="Refund by chat",
                channel="chat",
                persona="Oleg, 40, impatient",
                request="I want my money back",
                correct_answer="Refund within 7 days",
                checklist="mystery-shopper-default",
            ),
            now=NOW,
        ),
    )
    return Programme(url=url, scenario_id=scenario_id, **actors)
