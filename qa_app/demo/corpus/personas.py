"""Teams, agents and the personas whose habits the demo corpus makes visible.

Each persona is a bundle of numeric traits. The generator reads them when it writes a
reply or picks a response delay, so scorers and scorecards later see the difference
(long empathetic replies, curt one-liners, jargon, typos that fade week by week...).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Persona:
    """How an agent writes and works; probabilities are per reply unless noted."""

    key: str
    summary: str
    speed: float  # multiplier on first-response and reply delays (>1 is slower)
    greets: float  # greeting and introduction
    uses_name: float  # addresses the customer by name
    empathy: float  # empathy sentence in a reply
    thanks: float  # thanks for contacting / closing formula
    sentences: int  # explanation sentences in a solution reply
    jargon: float  # share of explanations swapped for jargon
    asks_bug_details: float  # asks steps / expected / actual result on bug reports
    resolves: float  # chance the conversation ends resolved
    confirms: float  # confirms the resolution and gives next steps
    misses_point: float = 0.0  # answers a different question
    rude_when_angry: float = 0.0  # becomes blaming with angry customers
    escalates: float = 0.05
    learns: bool = False  # quality grows with the week index (new hire)


PERSONAS: dict[str, Persona] = {
    p.key: p
    for p in (
        Persona(
            "warm_slow",
            "Warm and thorough but slow: long empathetic replies, late answers.",
            speed=3.6,
            greets=1.0,
            uses_name=0.95,
            empathy=0.95,
            thanks=0.95,
            sentences=3,
            jargon=0.0,
            asks_bug_details=0.9,
            resolves=0.88,
            confirms=0.8,
        ),
        Persona(
            "fast_curt",
            "Fast but curt: very short replies, no greeting, name or thanks.",
            speed=0.3,
            greets=0.03,
            uses_name=0.0,
            empathy=0.0,
            thanks=0.03,
            sentences=1,
            jargon=0.0,
            asks_bug_details=0.2,
            resolves=0.62,
            confirms=0.05,
        ),
        Persona(
            "jargon",
            "Heavy on jargon: acronyms and internal terms, low clarity.",
            speed=1.0,
            greets=0.6,
            uses_name=0.3,
            empathy=0.1,
            thanks=0.4,
            sentences=2,
            jargon=0.85,
            asks_bug_details=0.5,
            resolves=0.58,
            confirms=0.2,
            escalates=0.22,
        ),
        Persona(
            "resolver",
            "Excellent resolver: clear steps, confirms the fix, high CSAT.",
            speed=0.8,
            greets=0.95,
            uses_name=0.8,
            empathy=0.55,
            thanks=0.85,
            sentences=2,
            jargon=0.0,
            asks_bug_details=0.95,
            resolves=0.96,
            confirms=0.97,
        ),
        Persona(
            "polite_misses",
            "Polite formulas galore but answers a different question.",
            speed=1.2,
            greets=1.0,
            uses_name=0.9,
            empathy=0.2,
            thanks=1.0,
            sentences=1,
            jargon=0.0,
            asks_bug_details=0.1,
            resolves=0.28,
            confirms=0.1,
            misses_point=0.8,
        ),
        Persona(
            "rude_under_pressure",
            "Fine with calm customers, blaming with angry ones.",
            speed=1.0,
            greets=0.7,
            uses_name=0.5,
            empathy=0.25,
            thanks=0.6,
            sentences=2,
            jargon=0.05,
            asks_bug_details=0.5,
            resolves=0.7,
            confirms=0.4,
            rude_when_angry=0.85,
            escalates=0.12,
        ),
        Persona(
            "new_hire",
            "New hire: typos and wrong answers early, better week by week.",
            speed=1.5,
            greets=0.8,
            uses_name=0.6,
            empathy=0.4,
            thanks=0.7,
            sentences=2,
            jargon=0.0,
            asks_bug_details=0.6,
            resolves=0.8,
            confirms=0.6,
            learns=True,
        ),
        Persona(
            "solid",
            "Solid average agent: polite, correct, unremarkable.",
            speed=1.0,
            greets=0.85,
            uses_name=0.6,
            empathy=0.4,
            thanks=0.75,
            sentences=2,
            jargon=0.03,
            asks_bug_details=0.7,
            resolves=0.78,
            confirms=0.55,
        ),
    )
}


@dataclass(frozen=True)
class Agent:
    """A support agent as they appear in message authors and scorecards."""

    login: str
    name: str
    gender: str  # "m" or "f": Russian past-tense verbs agree with it
    team: str
    languages: tuple[str, ...]
    persona: str
    load: float = 1.0  # relative share of conversations
    name_en: str = ""  # how a bilingual agent signs in English

    def name_for(self, language: str) -> str:
        """The name the customer sees: bilingual agents sign in the customer's script."""
        return self.name_en if language == "en" and self.name_en else self.name


TEAMS: dict[str, str] = {
    "Tier 1": "First line: orders, delivery, accounts, simple refunds.",
    "Billing": "Payments, refunds and subscriptions.",
    "Tech Support": "Login problems and bugs in the app and the website.",
    "International": "Bilingual desk for customers writing in Russian or English.",
}

TEAM_TOPICS: dict[str, tuple[str, ...]] = {
    "Tier 1": ("delivery", "account", "login", "refund", "delivery", "account"),
    "Billing": ("billing", "refund", "subscription", "billing"),
    "Tech Support": ("bug", "login", "bug", "account"),
    "International": ("delivery", "billing", "login", "bug", "refund", "account", "subscription"),
}

AGENTS: tuple[Agent, ...] = (
    Agent("a.petrova", "Анна Петрова", "f", "Tier 1", ("ru",), "warm_slow"),
    Agent("d.smirnov", "Дмитрий Смирнов", "m", "Tier 1", ("ru",), "fast_curt", 1.3),
    Agent("i.volkov", "Игорь Волков", "m", "Tech Support", ("ru",), "jargon"),
    Agent("e.kuznetsova", "Елена Кузнецова", "f", "Billing", ("ru",), "resolver"),
    Agent("m.sokolova", "Мария Соколова", "f", "Billing", ("ru",), "polite_misses"),
    Agent("s.orlov", "Сергей Орлов", "m", "Tech Support", ("ru",), "rude_under_pressure"),
    Agent("n.ivanova", "Наталья Иванова", "f", "Tier 1", ("ru",), "solid"),
    Agent(
        "k.lebedeva",
        "Ксения Лебедева",
        "f",
        "International",
        ("ru", "en"),
        "new_hire",
        1.2,
        name_en="Ksenia Lebedeva",
    ),
    Agent(
        "p.novak",
        "Павел Новак",
        "m",
        "International",
        ("ru", "en"),
        "solid",
        name_en="Pavel Novak",
    ),
    Agent("j.carter", "Jessica Carter", "f", "Tier 1", ("en",), "warm_slow"),
    Agent("t.baker", "Tom Baker", "m", "Tier 1", ("en",), "fast_curt", 1.3),
    Agent("r.singh", "Raj Singh", "m", "Tech Support", ("en",), "jargon"),
    Agent("l.morgan", "Laura Morgan", "f", "Billing", ("en",), "resolver"),
    Agent("o.hughes", "Oliver Hughes", "m", "Billing", ("en",), "polite_misses"),
    Agent("s.white", "Sarah White", "f", "Tech Support", ("en",), "rude_under_pressure"),
    Agent("m.reed", "Michael Reed", "m", "Tier 1", ("en",), "solid"),
)


def agents_for(language: str) -> list[Agent]:
    """Agents who answer conversations in this language, in a stable order."""
    return [a for a in AGENTS if language in a.languages]


def persona_of(agent: Agent) -> Persona:
    return PERSONAS[agent.persona]
