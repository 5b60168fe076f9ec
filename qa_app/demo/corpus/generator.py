"""The demo corpus: a deterministic stream of bilingual support conversations.

Everything flows from one ``random.Random(seed)``; nothing reads the clock, the machine's
time-zone database or Python's hash seed, so a seed always gives the same bytes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from qa_app.demo.corpus import feedback, traffic
from qa_app.demo.corpus.customers import Customer, build_customers, pick_customer, pick_mood
from qa_app.demo.corpus.dialogue import write_messages
from qa_app.demo.corpus.personas import TEAM_TOPICS, Agent, agents_for
from qa_app.demo.corpus.phrasebook import PhraseBook
from qa_app.demo.corpus.scene import Scene, decide_plot, fill_slots

DEFAULT_SEED = 20260301
DEFAULT_END = date(2026, 3, 29)  # a Sunday: twelve whole weeks from Monday 5 January 2026
CHANNEL_WEIGHTS = {"chat": 0.34, "email": 0.23, "phone": 0.15, "messenger": 0.18, "social": 0.10}
REPEAT_CHANCE = 0.55  # an unresolved customer comes back within days


@dataclass(frozen=True)
class Calendar:
    """The corpus window: whole weeks ending on ``end``."""

    end: date
    weeks: int

    @property
    def first_day(self) -> date:
        return self.end - timedelta(days=7 * self.weeks - 1)

    def week_of(self, moment: datetime) -> int:
        return (moment.date() - self.first_day).days // 7


def pick_agent(rng: random.Random, language: str, topic: str | None = None) -> Agent:
    """Weighted by workload; bilingual agents split their time between languages."""
    agents = [a for a in agents_for(language) if topic is None or topic in TEAM_TOPICS[a.team]]
    weights = [a.load / len(a.languages) * 1.6 if len(a.languages) > 1 else a.load for a in agents]
    return rng.choices(agents, weights)[0]


def write_conversation(
    rng: random.Random,
    calendar: Calendar,
    customer: Customer,
    channel: str,
    issue: tuple[str, str],
    agent: Agent,
    start: datetime,
    previous: date | None,
) -> tuple[Scene, dict]:
    """One conversation record (without its id) and the scene that produced it."""
    scene = Scene(
        rng=random.Random(rng.getrandbits(64)),
        book=PhraseBook(customer.language),
        agent=agent,
        customer=customer,
        channel=channel,
        topic=issue[0],
        case=issue[1],
        mood=pick_mood(rng, customer),
        start=start,
        week=calendar.week_of(start),
        weeks=calendar.weeks,
        previous=previous,
    )
    fill_slots(scene)
    scene.plot = decide_plot(scene)
    return scene, conversation_record(scene, write_messages(scene))


def conversation_record(scene: Scene, messages: list[dict]) -> dict:
    """The import-format dict (without its id, assigned once the corpus is sorted)."""
    customer = scene.customer
    csat, nps = feedback.survey(scene, messages)
    record: dict = {
        "conversation_id": "",
        "channel": scene.channel,
        "language": customer.language,
        "started_at": messages[0]["sent_at"],
        "customer_id": customer.customer_id,
    }
    if customer.shares_name:
        record["customer_name"] = customer.name
    if csat is not None:
        record["csat"] = csat
    if nps is not None:
        record["nps"] = nps
    survey = feedback.attribute_survey(scene, messages, csat)
    if survey is not None:
        record["survey"] = survey
    record |= {
        "tags": feedback.tags(scene),
        "team": scene.agent.team,
        "escalated": scene.plot.escalated,
        "status": feedback.status(scene),
    }
    if scene.channel == "email":
        record["subject"] = scene.hear(scene.rng.choice(scene.topic_lines("subject")))
    record["messages"] = messages
    return record


@dataclass
class _Run:
    rng: random.Random
    calendar: Calendar
    pools: dict[str, list[Customer]]
    records: list[dict] = field(default_factory=list)

    def first_contact(self) -> tuple[Scene, dict]:
        rng = self.rng
        language = "ru" if rng.random() < 0.5 else "en"
        customer = pick_customer(rng, self.pools[language])
        agent = pick_agent(rng, language)
        topic = rng.choice(TEAM_TOPICS[agent.team])
        issue = (topic, rng.choice(PhraseBook(language).cases(topic)))
        channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
        cal = self.calendar
        start = traffic.pick_start(rng, cal.first_day, 7 * cal.weeks, customer.zone)
        return write_conversation(rng, cal, customer, channel, issue, agent, start, None)

    def repeat_contact(self, scene: Scene) -> tuple[Scene, dict] | None:
        """The same customer, the same problem, a few days later (if still in the window)."""
        rng = self.rng
        day = scene.start.date() + timedelta(days=rng.randint(1, 5))
        if day > self.calendar.end:
            return None
        hour = rng.choices(range(24), traffic.HOUR_WEIGHTS)[0]
        naive = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
        start = naive.replace(tzinfo=traffic.utc_offset(scene.customer.zone, day))
        channel = scene.channel if rng.random() < 0.6 else rng.choice(list(CHANNEL_WEIGHTS))
        agent = pick_agent(rng, scene.customer.language, scene.topic)
        return write_conversation(
            rng, self.calendar, scene.customer, channel, (scene.topic, scene.case), agent, start,
            scene.start.date(),
        )  # fmt: skip


def generate_corpus(
    seed: int = DEFAULT_SEED,
    n_conversations: int = 2400,
    weeks: int = 12,
    end: date | None = None,
) -> Iterator[dict]:
    """Yield ``n_conversations`` conversation dicts in the JSONL import format, oldest first."""
    rng = random.Random(seed)
    calendar = Calendar(end or DEFAULT_END, weeks)
    pool_size = max(10, n_conversations // 5)
    pools = {
        "ru": build_customers(rng, "ru", pool_size, 1),
        "en": build_customers(rng, "en", pool_size, pool_size + 1),
    }
    run = _Run(rng, calendar, pools)
    while len(run.records) < n_conversations:
        scene, record = run.first_contact()
        run.records.append(record)
        while not scene.plot.resolved and rng.random() < REPEAT_CHANCE:
            follow_up = run.repeat_contact(scene)
            if follow_up is None or len(run.records) >= n_conversations:
                break
            scene, record = follow_up
            run.records.append(record)
    order = sorted(
        range(len(run.records)),
        key=lambda i: (
            datetime.fromisoformat(run.records[i]["started_at"]).astimezone(UTC),
            i,
        ),
    )
    for number, index in enumerate(order, start=1):
        record = run.records[index]
        record["conversation_id"] = f"demo-{number:06d}"
        yield record


def to_json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def write_jsonl(path: str | Path, **kwargs) -> int:
    """Write the corpus (arguments as for ``generate_corpus``) to ``path``; return the count."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as handle:
        for record in generate_corpus(**kwargs):
            handle.write(to_json_line(record) + "\n")
            count += 1
    return count


@dataclass
class DemoCorpus:
    """A generated corpus kept in memory, with its summary (used by tests and the README)."""

    seed: int = DEFAULT_SEED
    n_conversations: int = 2400
    weeks: int = 12
    end: date = DEFAULT_END
    records: list[dict] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.records:
            self.records = list(
                generate_corpus(self.seed, self.n_conversations, self.weeks, self.end)
            )

    def summary(self) -> dict:
        from qa_app.demo.corpus.describe import describe

        return describe(self.records, first_day=self.end - timedelta(days=7 * self.weeks - 1))


@lru_cache(maxsize=1)
def default_records() -> tuple[dict, ...]:
    """The default corpus, generated once per process; treat the dicts as read-only."""
    return tuple(generate_corpus())
