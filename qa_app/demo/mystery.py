"""The demo's mystery-shopper programme: the shipped scenarios, two shoppers, and a few
months of visits over every channel, graded from the demo personas' own habits.

An agent who rarely greets in the corpus (``fast_curt``) also fails "greeted properly" when
a shopper calls; the slow, warm one (``warm_slow``) passes the courtesy items and misses
the response-time SLA; the jargon persona fails "no jargon". So the reports tell the same
story as the internal reviews, and where they differ it is by chance, as in real life.
Visits are dated back from the season's reference (never the clock) and go through the
real service (``mystery.build_visit``), so every rule of a recorded visit holds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from qa_app.demo.corpus.personas import AGENTS, Agent, Persona, persona_of
from qa_app.services import accounts, mystery
from qa_app.services.actor import SYSTEM, Actor

#: The demo's shoppers: username, name (one per language) and interface language. They are
#: demo accounts like the staff (``create_demo_accounts``), so a visitor can sign in as one.
DEMO_SHOPPERS = (
    ("shopper", "Sam Shopper / Семён Покупателев", "en"),
    ("shopper.2", "Polina Proverkina / Полина Проверкина", "ru"),
)
DEFAULT_VISITS = 240
DAYS = 84  # twelve weeks, the length of the demo season
PUBLISH_AFTER = timedelta(days=14)  # leads publish results a fortnight after the visit
#: Channel first-response scale in minutes (a shopper waits on the line far less).
CHANNEL_MINUTES = {"chat": 4.0, "messenger": 15.0, "social": 30.0, "email": 90.0, "phone": 1.5}
FAIL_COMMENTS = {
    "greeting": ("Answered with a bare “Yes?”.", "Ответил просто «Да?» без приветствия."),
    "introduction": ("Never said their name.", "Не представился."),
    "customer_name": ("Did not use my name although I gave it.", "Не обратился по имени, хотя я представилась."),
    "thanks": ("No thanks for contacting.", "Не поблагодарил за обращение."),
    "clarifying_questions": ("Guessed instead of asking what happened.", "Не уточнил детали, отвечал наугад."),
    "plain_language": ("Talked about “cache” and “tokens”.", "Говорил про «кэш» и «токены»."),
    "acknowledges_feelings": ("Ignored that I was upset.", "Не отреагировал на то, что я расстроена."),
    "polite_throughout": ("Said it was my own fault.", "Сказал, что я сама виновата."),
    "first_response_sla": ("Waited far longer than promised.", "Ждала ответа гораздо дольше обещанного."),
    "next_step": ("Did not say what happens next.", "Не сказал, что будет дальше."),
    "further_help": ("Closed without asking if I needed anything else.", "Закрыл, не спросив, нужна ли ещё помощь."),
    "correct_information": ("Answered a different question.", "Ответил не на тот вопрос."),
}  # fmt: skip


@dataclass
class DemoMysterySummary:
    scenarios: int
    visits: int
    published: int


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < max(0.0, min(1.0, p))


def _probabilities(persona: Persona, week: int) -> dict[str, float]:
    """How likely each yes/no item is met for this persona (a new hire learns weekly)."""
    growth = min(week / 12, 1.0) * 0.4 if persona.learns else 0.0
    return {
        "greeting": persona.greets + growth,
        "introduction": persona.greets * 0.95 + growth,
        "customer_name": persona.uses_name + growth,
        "thanks": persona.thanks + growth,
        "clarifying_questions": 0.5 + persona.asks_bug_details / 2,
        "no_repeat_requests": 0.9 - persona.misses_point,
        "identity_verification": 0.93,
        "data_minimisation": 0.97,
        "public_privacy": 0.95,
        "plain_language": 1.0 - persona.jargon,
        "acknowledges_feelings": 0.35 + persona.empathy * 0.6,
        "polite_throughout": 1.0 - persona.rude_when_angry * 0.8,
        "hold_etiquette": 0.85,
        "next_step": 0.3 + persona.confirms * 0.65,
        "further_help": 0.3 + persona.thanks * 0.65,
    }


def _level(rng: random.Random, criterion, persona: Persona) -> float:
    """A level of a 1-3 item: the top one as often as the persona resolves things."""
    if criterion.id == "correct_information" and _chance(rng, persona.misses_point * 0.6):
        return 1
    return 3 if _chance(rng, 0.45 + persona.resolves * 0.5) else 2


def _answers(rng, scenario, persona: Persona, week: int, minutes: float, target: float | None):
    rubric = mystery.checklist_by_id(scenario.checklist)
    observed = {o.criterion for o in scenario.observe}
    odds = _probabilities(persona, week)
    answers = {}
    for c in rubric.criteria():
        if c.na_allowed and c.id not in observed:
            answers[c.id] = mystery.AnswerInput(None, True)
            continue
        if c.id == "first_response_sla":
            met = target is None or minutes <= target
        elif len(c.scale.values) > 2:
            value = _level(rng, c, persona)
            note = FAIL_COMMENTS.get(c.id) if value == c.scale.min_value else None
            answers[c.id] = mystery.AnswerInput(value, False, _comment(rng, note))
            continue
        else:
            met = _chance(rng, odds.get(c.id, 0.9))
        value = c.scale.max_value if met else c.scale.min_value
        note = None if met else FAIL_COMMENTS.get(c.id)
        answers[c.id] = mystery.AnswerInput(value, False, _comment(rng, note))
    return answers


def _comment(rng: random.Random, note: tuple[str, str] | None) -> str:
    if not note:
        return ""
    return note[1] if rng.random() < 0.6 else note[0]


def _agent_for(rng: random.Random, scenario) -> Agent:
    english = scenario.id in ("delivery-tracking", "bug-app-photo-upload") and rng.random() < 0.4
    pool = [a for a in AGENTS if ("en" if english else "ru") in a.languages] or list(AGENTS)
    return rng.choices(pool, weights=[a.load for a in pool])[0]


def _shoppers(session: Session, reference: datetime) -> list[Actor]:
    actors = []
    for username, name, language in DEMO_SHOPPERS:
        user = accounts.find_user(session, username)
        if user is None:
            row, _ = accounts.add_user(
                session, SYSTEM, username, "shopper", display_name=name, language=language,
                now=reference,
            )  # fmt: skip
            user = accounts.find_user(session, row.username)
        actors.append(accounts.actor_for(user))
    return actors


def visit_inputs(rng: random.Random, count: int, reference: datetime, catalogue, start: int = 0):
    """``count`` demo visits (scenario, agent, times, answers) spread over the season."""
    from scoring.pipeline.conversation import SlaTargets

    targets = SlaTargets()
    for index in range(start, start + count):
        scenario = catalogue.scenarios[index % len(catalogue.scenarios)]
        agent = _agent_for(rng, scenario)
        persona = persona_of(agent)
        day = rng.randrange(DAYS)
        contacted = (reference - timedelta(days=DAYS - day)).replace(
            hour=rng.choice((9, 10, 11, 12, 14, 15, 16, 17, 19)), minute=rng.randrange(60)
        )
        minutes = CHANNEL_MINUTES[scenario.channel] * persona.speed * rng.lognormvariate(0, 0.5)
        target = targets.for_channel(scenario.channel).first_response
        target_min = None if target is None else target / 60
        resolved = minutes + CHANNEL_MINUTES[scenario.channel] * rng.uniform(2, 8)
        yield mystery.VisitInput(
            scenario=scenario.id,
            contacted_at=contacted,
            first_response_at=contacted + timedelta(minutes=minutes),
            resolved_at=contacted + timedelta(minutes=resolved) if _chance(rng, persona.resolves) else None,
            agent_login=agent.login,
            answers=_answers(rng, scenario, persona, day // 7, minutes, target_min),
            summary=scenario.name.ru if rng.random() < 0.6 else scenario.name.en,
            external_ref=f"demo-{index + 1:05d}",
        )  # fmt: skip


def create_demo_mystery(
    session: Session,
    reference: datetime,
    *,
    seed: int = 17,
    visits: int = DEFAULT_VISITS,
    lead: Actor = SYSTEM,
) -> DemoMysterySummary:
    """Install the scenarios, the shoppers and ``visits`` graded visits (idempotent: a
    second run adds nothing); visits older than a fortnight are published to the agents."""
    from qa_app.storage.models import MysteryVisit

    if session.query(MysteryVisit.id).filter(MysteryVisit.external_ref.like("demo-%")).first():
        return DemoMysterySummary(0, 0, 0)
    scenarios = mystery.install_catalogue(session, lead, now=reference)
    shoppers = _shoppers(session, reference)
    catalogue = mystery.load_mystery_scenarios()
    rng = random.Random(seed)
    ids = []
    for index, data in enumerate(visit_inputs(rng, visits, reference, catalogue)):
        recorded = data.resolved_at or data.first_response_at or data.contacted_at
        row = mystery.build_visit(
            session, shoppers[index % len(shoppers)], data, now=recorded + timedelta(hours=2)
        )
        session.flush()
        ids.append((row.id, data.contacted_at))
    old = [visit_id for visit_id, when in ids if when < reference - PUBLISH_AFTER]
    published = mystery.set_published(session, lead, old, True, now=reference) if old else 0
    return DemoMysterySummary(scenarios, len(ids), published)
