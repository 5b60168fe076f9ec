"""The coaching-topic catalogue (``rubrics/coaching-topics.yaml``): schema, loader, checks.

A low grade on a criterion points to a coaching topic (``coaching_topic`` in the rubric);
the catalogue says what the topic is, why customers care, which criteria and automatic
signals show it, and gives the trainer four ready exercises. Trainers edit it by hand, so
it is validated like a rubric: every problem with its YAML path, including references that
point into rubrics (criterion ids) and into the scorers' output (signal names).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring.pipeline.conversation import CHANNELS
from scoring.rubric.documents import (
    RUBRICS_DIR,
    CatalogueError,
    DocumentChecker,
    Problem,
    did_you_mean,
    join_path,
    local_text,
    read_document,
    read_source,
)
from scoring.rubric.files import AUTO_SIGNALS, LocalText, Rubric

CATALOGUE_KIND = "coaching-topics"
DEFAULT_CATALOGUE = RUBRICS_DIR / "coaching-topics.yaml"

#: Every conversation-level signal the AutoQA pipeline reports (``scoring.signals``,
#: ``docs/autoqa.md``): the rubric's ``AUTO_SIGNALS`` plus the ones no criterion grades
#: directly but a trainer still reads (timings, trajectory, escalation).
SIGNAL_NAMES: tuple[str, ...] = (
    *AUTO_SIGNALS,
    "sentiment_start",
    "sentiment_trajectory",
    "politeness_min",
    "unresolved",
    "escalation",
    "first_response_time",
    "avg_response_time",
    "longest_response_time",
    "handle_time",
    "handle_time_sla",
    "defect_report",
)
MESSAGE_ROLES = ("customer", "agent")

ROOT_KEYS = {"kind": True, "version": True, "topics": True}
TOPIC_KEYS = {
    "id": True,
    "name": True,
    "description": True,
    "why_it_matters": True,
    "criteria": True,
    "signals": False,
    "exercises": True,
}
EXERCISE_KEYS = {"role_play": True, "simulation": True, "quiz": True, "reading": True}
ROLE_PLAY_KEYS = {"situation": True, "customer_lines": True, "good_answer": True}
SIMULATION_KEYS = {"channel": True, "context": True, "messages": True, "decision_points": True}
MESSAGE_KEYS = {"role": True, "text": True}
DECISION_KEYS = {"after": True, "question": True, "guidance": True}
QUIZ_KEYS = {"question": True, "options": True, "answer": True, "explanation": True}
OPTION_KEYS = {"id": True, "text": True}
READING_KEYS = {"title": True, "text": True, "sources": False}


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


# --- validation ----------------------------------------------------------------------------


def validate_coaching_catalogue(
    data: Any, rubrics: Iterable[Rubric] | None = None
) -> list[Problem]:
    """Every problem of a parsed catalogue; with ``rubrics``, also its criterion references."""
    check = DocumentChecker()
    if not check.mapping(data, "", ROOT_KEYS):
        return check.problems
    check.kind(data, CATALOGUE_KIND)
    if "version" in data:
        check.whole_number(data["version"], "version", 1)
    seen: dict[str, str] = {}
    for index, topic in enumerate(check.items(data.get("topics"), "topics", "topics")):
        path = join_path("topics", index)
        if check.mapping(topic, path, TOPIC_KEYS):
            check.unique(topic.get("id"), join_path(path, "id"), seen, "topic id")
            _check_topic(check, topic, path)
    if rubrics is not None and not check.problems:
        _check_references(check, data, {rubric.id: rubric for rubric in rubrics})
    return check.problems


def _check_topic(check: DocumentChecker, topic: Mapping, path: str) -> None:
    if "id" in topic:
        check.slug(topic["id"], join_path(path, "id"))
    for key in ("name", "description", "why_it_matters"):
        if key in topic:
            check.text(topic[key], join_path(path, key))
    if "criteria" in topic:
        _check_links(check, topic["criteria"], join_path(path, "criteria"))
    if "signals" in topic:
        _check_signals(check, topic["signals"], join_path(path, "signals"))
    exercises = topic.get("exercises")
    e_path = join_path(path, "exercises")
    if "exercises" in topic and check.mapping(exercises, e_path, EXERCISE_KEYS):
        _check_role_play(check, exercises.get("role_play"), join_path(e_path, "role_play"))
        _check_simulation(check, exercises.get("simulation"), join_path(e_path, "simulation"))
        _check_quiz(check, exercises.get("quiz"), join_path(e_path, "quiz"))
        _check_reading(check, exercises.get("reading"), join_path(e_path, "reading"))


def _check_links(check: DocumentChecker, criteria: Any, path: str) -> None:
    """``criteria`` maps a rubric id to the criterion ids of that rubric."""
    if not isinstance(criteria, Mapping) or not criteria:
        check.add(path, "must map rubric ids to lists of criterion ids (support-default: [...])")
        return
    for rubric_id, ids in criteria.items():
        r_path = join_path(path, str(rubric_id))
        check.slug(rubric_id, r_path)
        seen: dict[str, str] = {}
        for index, criterion_id in enumerate(check.items(ids, r_path, "criterion ids")):
            c_path = join_path(r_path, index)
            if check.slug(criterion_id, c_path):
                check.unique(criterion_id, c_path, seen, "criterion")


def _check_signals(check: DocumentChecker, signals: Any, path: str) -> None:
    if not isinstance(signals, list):
        check.add(path, "must be a list of signal names (may be empty)")
        return
    seen: dict[str, str] = {}
    for index, name in enumerate(signals):
        s_path = join_path(path, index)
        if check.choice(name, s_path, SIGNAL_NAMES, "signal"):
            check.unique(name, s_path, seen, "signal")


def _check_texts(check: DocumentChecker, value: Any, path: str, what: str) -> None:
    for index, item in enumerate(check.items(value, path, what)):
        check.text(item, join_path(path, index))


def _check_role_play(check: DocumentChecker, role_play: Any, path: str) -> None:
    if role_play is None or not check.mapping(role_play, path, ROLE_PLAY_KEYS):
        return
    if "situation" in role_play:
        check.text(role_play["situation"], join_path(path, "situation"))
    for key, what in (("customer_lines", "customer lines"), ("good_answer", "checklist items")):
        if key in role_play:
            _check_texts(check, role_play[key], join_path(path, key), what)


def _check_simulation(check: DocumentChecker, simulation: Any, path: str) -> None:
    if simulation is None or not check.mapping(simulation, path, SIMULATION_KEYS):
        return
    if "channel" in simulation:
        check.choice(simulation["channel"], join_path(path, "channel"), CHANNELS, "channel")
    if "context" in simulation:
        check.text(simulation["context"], join_path(path, "context"))
    messages = check.items(simulation.get("messages"), join_path(path, "messages"), "messages")
    for index, message in enumerate(messages):
        m_path = join_path(join_path(path, "messages"), index)
        if check.mapping(message, m_path, MESSAGE_KEYS):
            if "role" in message:
                check.choice(message["role"], join_path(m_path, "role"), MESSAGE_ROLES, "role")
            if "text" in message:
                check.text(message["text"], join_path(m_path, "text"))
    d_base = join_path(path, "decision_points")
    seen: dict[str, str] = {}
    for index, point in enumerate(check.items(simulation.get("decision_points"), d_base, "points")):
        d_path = join_path(d_base, index)
        if not check.mapping(point, d_path, DECISION_KEYS):
            continue
        for key in ("question", "guidance"):
            if key in point:
                check.text(point[key], join_path(d_path, key))
        a_path = join_path(d_path, "after")
        if "after" in point and check.whole_number(point["after"], a_path, 1):
            if messages and point["after"] > len(messages):
                check.add(a_path, f"there are only {len(messages)} messages")
            check.unique(str(point["after"]), a_path, seen, "decision point after message")


def _check_quiz(check: DocumentChecker, quiz: Any, path: str) -> None:
    for index, question in enumerate(check.items(quiz, path, "questions")):
        q_path = join_path(path, index)
        if not check.mapping(question, q_path, QUIZ_KEYS):
            continue
        for key in ("question", "explanation"):
            if key in question:
                check.text(question[key], join_path(q_path, key))
        option_ids = _check_options(check, question.get("options"), join_path(q_path, "options"))
        if "answer" in question and option_ids:
            check.choice(question["answer"], join_path(q_path, "answer"), option_ids, "option")


def _check_options(check: DocumentChecker, options: Any, path: str) -> list[str]:
    """Validate the options; returns their ids for the answer check."""
    if options is None:
        return []
    if not isinstance(options, list) or len(options) < 2:
        check.add(path, "must be a list of at least 2 options")
        return []
    seen: dict[str, str] = {}
    for index, option in enumerate(options):
        o_path = join_path(path, index)
        if check.mapping(option, o_path, OPTION_KEYS):
            if "id" in option and check.slug(option["id"], join_path(o_path, "id")):
                check.unique(option["id"], join_path(o_path, "id"), seen, "option id")
            if "text" in option:
                check.text(option["text"], join_path(o_path, "text"))
    return list(seen)


def _check_reading(check: DocumentChecker, reading: Any, path: str) -> None:
    if reading is None or not check.mapping(reading, path, READING_KEYS):
        return
    for key in ("title", "text"):
        if key in reading:
            check.text(reading[key], join_path(path, key))
    sources = reading.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) and s.strip() for s in sources):
        check.add(join_path(path, "sources"), "must be a list of citations (text)")


def _check_references(check: DocumentChecker, data: Mapping, rubrics: Mapping[str, Rubric]) -> None:
    """Criterion ids exist in their rubric, and every criterion of a referenced rubric is
    listed by the topic its ``coaching_topic`` names, so the links work both ways."""
    for index, topic in enumerate(data["topics"]):
        for rubric_id, ids in topic["criteria"].items():
            _check_link_targets(check, _links_path(index, rubric_id), rubric_id, ids, rubrics)
    referenced = {r for topic in data["topics"] for r in topic["criteria"] if r in rubrics}
    positions = {topic["id"]: index for index, topic in enumerate(data["topics"])}
    for rubric_id in sorted(referenced):
        for criterion in rubrics[rubric_id].criteria():
            where = positions.get(criterion.coaching_topic)
            if where is None:
                continue  # reported on the rubric itself by check_rubric_topics
            if criterion.id not in data["topics"][where]["criteria"].get(rubric_id, ()):
                check.add(
                    _links_path(where, rubric_id),
                    f"misses '{criterion.id}': its coaching_topic in rubric '{rubric_id}' "
                    f"is '{criterion.coaching_topic}'",
                )


def _links_path(topic_index: int, rubric_id: str) -> str:
    return f"topics[{topic_index}].criteria.{rubric_id}"


def _check_link_targets(
    check: DocumentChecker, path: str, rubric_id: str, ids: list, rubrics: Mapping[str, Rubric]
) -> None:
    rubric = rubrics.get(rubric_id)
    if rubric is None:
        known = ", ".join(sorted(rubrics)) or "none"
        hint = did_you_mean(rubric_id, rubrics)
        check.add(path, f"unknown rubric '{rubric_id}'{hint}; known: {known}")
        return
    known_ids = rubric.criterion_ids()
    for index, criterion_id in enumerate(ids):
        if criterion_id not in known_ids:
            hint = did_you_mean(criterion_id, known_ids)
            message = f"no criterion '{criterion_id}' in rubric '{rubric_id}'{hint}"
            check.add(join_path(path, index), message)


def check_rubric_topics(rubric: Rubric, topic_ids: Iterable[str]) -> list[Problem]:
    """Problems of a rubric whose ``coaching_topic`` slugs are not in the catalogue, at the
    criterion's YAML path in the rubric file (categories[i].criteria[j].coaching_topic)."""
    known = tuple(topic_ids)
    problems = []
    for c_index, category in enumerate(rubric.categories):
        for k_index, criterion in enumerate(category.criteria):
            if criterion.coaching_topic not in known:
                path = f"categories[{c_index}].criteria[{k_index}].coaching_topic"
                hint = did_you_mean(criterion.coaching_topic, known)
                message = f"no coaching topic '{criterion.coaching_topic}' in the catalogue{hint}"
                problems.append(Problem(path, message))
    return problems


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
