"""One conversation's setting: who talks to whom, about what, and how it will end.

The plot is decided before any text is written, from the agent's persona and the
customer's mood, so text, timings, CSAT and status all tell the same story.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from qa_app.demo.corpus.customers import Customer
from qa_app.demo.corpus.personas import Agent, Persona, persona_of
from qa_app.demo.corpus.phrasebook import PhraseBook, render, spoken_date

RU_PRICES = (199, 349, 490, 790, 990, 1290, 1490, 1990, 2490, 2990, 3490, 4990, 7990, 12490)
EN_PRICES = ("4.99", "9.99", "14.99", "19.99", "24.50", "39.00", "49.99", "89.90", "129.00")
PLANS = {"ru": ("«Старт»", "«Стандарт»", "«Бизнес»", "«Премиум»"),
         "en": ("Basic", "Standard", "Business", "Premium")}  # fmt: skip
DEVICES = ("iPhone 13", "iPhone 15", "Samsung Galaxy A54", "Xiaomi Redmi Note 12", "Pixel 7")
BROWSERS = ("Chrome", "Firefox", "Safari", "Edge")
VERSIONS = ("4.11.2", "4.12.0", "4.12.1", "4.13.0", "5.0.3")


@dataclass(frozen=True)
class Plot:
    """How the conversation will go, decided up front."""

    resolved: bool
    escalated: bool
    misses_point: bool  # the agent answers a different question first
    rude: bool  # the agent loses patience with an angry customer
    wrong_info: bool  # the new hire gives a wrong answer and corrects it later
    asks_bug_details: bool
    turned_around: bool  # an angry customer ends calmer


@dataclass
class Scene:
    """Everything the writers need for one conversation."""

    rng: random.Random
    book: PhraseBook
    agent: Agent
    customer: Customer
    channel: str
    topic: str
    case: str  # the concrete problem within the topic (a key of the topic's cases)
    mood: str
    start: datetime
    week: int
    weeks: int
    previous: date | None = None
    slots: dict[str, str] = field(default_factory=dict)
    plot: Plot | None = None
    question: str = ""  # the customer's problem as first stated, restated when missed
    used: set[str] = field(default_factory=set)  # agent templates already used here

    @property
    def persona(self) -> Persona:
        return persona_of(self.agent)

    @property
    def language(self) -> str:
        return self.book.language

    @property
    def skill(self) -> float:
        """0 for a new hire's first week, 1 once they have learned; 1 for everyone else."""
        if not self.persona.learns:
            return 1.0
        return self.week / max(1, self.weeks - 1)

    def topic_lines(self, kind: str, mood: str = "") -> list[str]:
        return self.book.topic_options(self.topic, self.case, kind, mood)

    def say(self, template: str) -> str:
        """Render a template as the agent speaking to this customer."""
        return render(template, self.slots, self.agent.gender, self.customer.gender)

    def hear(self, template: str) -> str:
        """Render a template as the customer speaking."""
        return render(template, self.slots, self.customer.gender, self.agent.gender)


def fill_slots(scene: Scene) -> None:
    """Concrete facts (order number, amount, dates...) shared by both sides."""
    rng, lang = scene.rng, scene.language
    day = scene.start.date() - timedelta(days=rng.randint(1, 9))
    due = scene.start.date() + timedelta(days=rng.randint(1, 12))
    if lang == "ru":
        amount = f"{rng.choice(RU_PRICES):,} ₽".replace(",", " ")
        order = str(rng.randint(100000, 999999))
        tracking = f"RP{rng.randint(10**8, 10**9 - 1)}RU"
        days = f"{rng.choice((5, 7, 10, 14))} рабочих дней"
    else:
        amount = f"${rng.choice(EN_PRICES)}"
        order = f"#{rng.randint(100000, 999999)}"
        tracking = f"1Z{rng.randint(10**11, 10**12 - 1)}"
        days = f"{rng.choice((5, 7, 10, 14))} business days"
    scene.slots = {
        "customer": scene.customer.name,
        "agent": scene.agent.name_for(lang).split()[0],
        "agent_full": scene.agent.name_for(lang),
        "team": scene.agent.team,
        "order": order,
        "amount": amount,
        "date": spoken_date(day, lang),
        "due": spoken_date(due, lang),
        "days": days,
        "plan": rng.choice(PLANS[lang]),
        "last4": f"{rng.randint(0, 9999):04d}",
        "device": rng.choice(DEVICES),
        "browser": rng.choice(BROWSERS),
        "version": rng.choice(VERSIONS),
        "email": scene.customer.email,
        "tracking": tracking,
        "ticket": f"SR-{rng.randint(10000, 99999)}",
        "prev_date": spoken_date(scene.previous, lang) if scene.previous else "",
    }


def decide_plot(scene: Scene) -> Plot:
    """Resolution, escalation and the persona's quirks for this conversation."""
    rng, p = scene.rng, scene.persona
    angry = scene.mood == "angry"
    rude = angry and rng.random() < p.rude_when_angry
    misses = rng.random() < p.misses_point
    wrong = p.learns and rng.random() < 0.6 * (1.0 - scene.skill)
    resolve_chance = p.resolves
    if p.learns:
        resolve_chance = 0.42 + 0.46 * scene.skill
    if rude:
        resolve_chance *= 0.55
    if misses:
        resolve_chance = 0.2
    escalate_chance = p.escalates + (0.08 if scene.topic == "bug" else 0.0) + (0.3 if rude else 0.0)
    escalated = rng.random() < escalate_chance
    resolved = not escalated and rng.random() < resolve_chance
    gentle = p.key in ("warm_slow", "resolver", "solid", "new_hire")
    return Plot(
        resolved=resolved,
        escalated=escalated,
        misses_point=misses,
        rude=rude,
        wrong_info=wrong,
        asks_bug_details=scene.topic == "bug" and rng.random() < p.asks_bug_details,
        turned_around=angry and resolved and gentle and rng.random() < 0.75,
    )
