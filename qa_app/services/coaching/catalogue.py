"""The coaching-topic catalogue (``rubrics/coaching-topics.yaml``): its values and loader.

A low grade on a criterion points to a coaching topic (``coaching_topic`` in the rubric);
the catalogue says what the topic is, why customers care, which criteria and automatic
signals show it, and gives the trainer four ready exercises. Trainers edit it by hand, so
it is validated like a rubric: every problem with its YAML path, including references that
point into rubrics (criterion ids) and into the scorers' output (signal names). The
checks live in ``catalogue_schema`` and ``catalogue_links``; this module turns a valid
document into frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_app.services.coaching.catalogue_schema import validate_coaching_catalogue
from scoring.rubric.documents import (
    RUBRICS_DIR,
    CatalogueError,
    Problem,
    local_text,
    read_document,
    read_source,
)
from scoring.rubric.files import LocalText, Rubric

DEFAULT_CATALOGUE = RUBRICS_DIR / "coaching-topics.yaml"


@dataclass(frozen=True, slots=True)
class CriterionLink:
    """A rubric criterion that shows this topic: where a low grade sends the agent here."""

    rubric: str
    criterion: str


@dataclass(frozen=True, slots=True)
class RolePlay:
    """The trainer reads the customer's lines; the agent answers live."""

    situation: LocalText
    customer_lines: tuple[LocalText, ...]
    good_answer: tuple[LocalText, ...]  # checklist the trainer ticks off


@dataclass(frozen=True, slots=True)
class SimulationMessage:
    role: str  # customer | agent
    text: LocalText


@dataclass(frozen=True, slots=True)
class DecisionPoint:
    """A pause in the transcript: ``after`` is the 1-based number of the last message read."""

    after: int
    question: LocalText
    guidance: LocalText


@dataclass(frozen=True, slots=True)
class Simulation:
    """A written conversation excerpt the agent works through, stopping at decisions."""

    channel: str
    context: LocalText
    messages: tuple[SimulationMessage, ...]
    decision_points: tuple[DecisionPoint, ...]


@dataclass(frozen=True, slots=True)
class QuizOption:
    id: str
    text: LocalText


@dataclass(frozen=True, slots=True)
class QuizQuestion:
    question: LocalText
    options: tuple[QuizOption, ...]
    answer: str  # id of the correct option
    explanation: LocalText

    def correct_option(self) -> QuizOption:
        return next(option for option in self.options if option.id == self.answer)


@dataclass(frozen=True, slots=True)
class Reading:
    title: LocalText
    text: LocalText
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CoachingTopic:
    id: str
    name: LocalText
    description: LocalText
    why_it_matters: LocalText
    criteria: tuple[CriterionLink, ...]
    signals: tuple[str, ...]
    role_play: RolePlay
    simulation: Simulation
    quiz: tuple[QuizQuestion, ...]
    reading: Reading

    def criterion_ids(self, rubric_id: str) -> tuple[str, ...]:
        return tuple(link.criterion for link in self.criteria if link.rubric == rubric_id)


@dataclass(frozen=True, slots=True)
class CoachingCatalogue:
    version: int
    topics: tuple[CoachingTopic, ...]

    def topic_ids(self) -> tuple[str, ...]:
        return tuple(topic.id for topic in self.topics)

    def topic(self, topic_id: str) -> CoachingTopic:
        """The topic with this id; KeyError when the catalogue has none."""
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)

    def topics_for_criterion(self, rubric_id: str, criterion_id: str) -> tuple[CoachingTopic, ...]:
        link = CriterionLink(rubric_id, criterion_id)
        return tuple(topic for topic in self.topics if link in topic.criteria)


# --- parsing -------------------------------------------------------------------------------


def _texts(items: list) -> tuple[LocalText, ...]:
    return tuple(local_text(item) for item in items)


def _topic(data: Mapping) -> CoachingTopic:
    exercises = data["exercises"]
    role_play, simulation = exercises["role_play"], exercises["simulation"]
    reading = exercises["reading"]
    return CoachingTopic(
        id=data["id"],
        name=local_text(data["name"]),
        description=local_text(data["description"]),
        why_it_matters=local_text(data["why_it_matters"]),
        criteria=tuple(
            CriterionLink(rubric_id, criterion_id)
            for rubric_id, ids in data["criteria"].items()
            for criterion_id in ids
        ),
        signals=tuple(data.get("signals", ())),
        role_play=RolePlay(
            situation=local_text(role_play["situation"]),
            customer_lines=_texts(role_play["customer_lines"]),
            good_answer=_texts(role_play["good_answer"]),
        ),
        simulation=Simulation(
            channel=simulation["channel"],
            context=local_text(simulation["context"]),
            messages=tuple(
                SimulationMessage(m["role"], local_text(m["text"])) for m in simulation["messages"]
            ),
            decision_points=tuple(
                DecisionPoint(p["after"], local_text(p["question"]), local_text(p["guidance"]))
                for p in simulation["decision_points"]
            ),
        ),
        quiz=tuple(_question(q) for q in exercises["quiz"]),
        reading=Reading(
            title=local_text(reading["title"]),
            text=local_text(reading["text"]),
            sources=tuple(s.strip() for s in reading.get("sources", ())),
        ),
    )


def _question(data: Mapping) -> QuizQuestion:
    return QuizQuestion(
        question=local_text(data["question"]),
        options=tuple(QuizOption(o["id"], local_text(o["text"])) for o in data["options"]),
        answer=data["answer"],
        explanation=local_text(data["explanation"]),
    )


def parse_coaching_catalogue(
    data: Any, rubrics: Iterable[Rubric] | None = None
) -> CoachingCatalogue:
    """Build the catalogue from a parsed document; CatalogueError lists every problem."""
    problems = validate_coaching_catalogue(data, rubrics)
    if problems:
        raise CatalogueError("coaching catalogue", problems)
    return CoachingCatalogue(
        version=data["version"], topics=tuple(_topic(t) for t in data["topics"])
    )


def check_coaching_catalogue_text(
    text: str, rubrics: Iterable[Rubric] | None = None
) -> tuple[CoachingCatalogue | None, list[Problem]]:
    """Parse and validate YAML text without raising: for editors and ``rubric check``."""
    data, problems = read_document(text)
    if problems:
        return None, problems
    problems = validate_coaching_catalogue(data, rubrics)
    if problems:
        return None, problems
    return parse_coaching_catalogue(data), []


def load_coaching_catalogue(
    source: str | Path = "", rubrics: Iterable[Rubric] | None = None
) -> CoachingCatalogue:
    """Load the catalogue (the shipped one by default) from a path or YAML text; with
    ``rubrics``, criterion references are checked too. CatalogueError on any problem."""
    text = read_source(source, DEFAULT_CATALOGUE)
    catalogue, problems = check_coaching_catalogue_text(text, rubrics)
    if catalogue is None:
        raise CatalogueError("coaching catalogue", problems)
    return catalogue
