"""The schema of the coaching catalogue and its validation: every problem of a parsed document
with its YAML path, the way a rubric is checked, because trainers edit the file by hand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from qa_app.services.coaching.catalogue_links import check_references
from scoring.pipeline.conversation import CHANNELS
from scoring.rubric.documents import DocumentChecker, Problem, join_path
from scoring.rubric.files import AUTO_SIGNALS, Rubric

CATALOGUE_KIND = "coaching-topics"


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
        check_references(check, data, {rubric.id: rubric for rubric in rubrics})
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
