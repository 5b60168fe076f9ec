"""Mystery-shopper scenarios (``rubrics/mystery-scenarios.yaml``): schema, loader, checks.

A scenario is the brief a shopper takes into a staged contact: who to pretend to be, what
to say first and how to react, the answer a well-trained agent gives, what to watch for,
and the checklist (a rubric id) the visit is graded with. Each thing to watch names a
checklist criterion, so the visit form can show the hint next to the item it grades.
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
from scoring.rubric.files import LocalText, Rubric

SCENARIOS_KIND = "mystery-scenarios"
DEFAULT_SCENARIOS = RUBRICS_DIR / "mystery-scenarios.yaml"

ROOT_KEYS = {"kind": True, "version": True, "scenarios": True}
SCENARIO_KEYS = {
    "id": True,
    "name": True,
    "channel": True,
    "checklist": True,
    "purpose": True,
    "persona": True,
    "preparation": False,
    "script": True,
    "correct_answer": True,
    "observe": True,
}
PERSONA_KEYS = {"name": True, "profile": True}
SCRIPT_KEYS = {"opening": True, "follow_ups": True}
FOLLOW_UP_KEYS = {"when": True, "say": True}
OBSERVE_KEYS = {"criterion": True, "note": True}


@dataclass(frozen=True, slots=True)
class Persona:
    """Who the shopper pretends to be; the name tests whether the agent uses it."""

    name: LocalText
    profile: LocalText


@dataclass(frozen=True, slots=True)
class FollowUp:
    """What the shopper says next, and on which cue (``when``) from the agent."""

    when: LocalText
    say: LocalText


@dataclass(frozen=True, slots=True)
class Observation:
    """What to watch for during the visit, attached to the checklist item it grades."""

    criterion: str
    note: LocalText


@dataclass(frozen=True, slots=True)
class MysteryScenario:
    id: str
    name: LocalText
    channel: str
    checklist: str  # rubric id of the checklist the visit is graded with
    purpose: LocalText
    persona: Persona
    preparation: LocalText | None
    opening: LocalText
    follow_ups: tuple[FollowUp, ...]
    correct_answer: LocalText
    observe: tuple[Observation, ...]


@dataclass(frozen=True, slots=True)
class MysteryScenarioCatalogue:
    version: int
    scenarios: tuple[MysteryScenario, ...]

    def scenario(self, scenario_id: str) -> MysteryScenario:
        """The scenario with this id; KeyError when there is none."""
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise KeyError(scenario_id)

    def for_channel(self, channel: str) -> tuple[MysteryScenario, ...]:
        return tuple(s for s in self.scenarios if s.channel == channel)


# --- validation ----------------------------------------------------------------------------


def validate_mystery_scenarios(data: Any, rubrics: Iterable[Rubric] | None = None) -> list[Problem]:
    """Every problem of a parsed scenario file; with ``rubrics``, also each scenario's
    checklist id and the criterion ids it observes."""
    check = DocumentChecker()
    if not check.mapping(data, "", ROOT_KEYS):
        return check.problems
    check.kind(data, SCENARIOS_KIND)
    if "version" in data:
        check.whole_number(data["version"], "version", 1)
    seen: dict[str, str] = {}
    scenarios = check.items(data.get("scenarios"), "scenarios", "scenarios")
    for index, scenario in enumerate(scenarios):
        path = join_path("scenarios", index)
        if check.mapping(scenario, path, SCENARIO_KEYS):
            check.unique(scenario.get("id"), join_path(path, "id"), seen, "scenario id")
            _check_scenario(check, scenario, path)
    if rubrics is not None and not check.problems:
        known = {rubric.id: rubric for rubric in rubrics}
        for index, scenario in enumerate(scenarios):
            _check_references(check, scenario, join_path("scenarios", index), known)
    return check.problems


def _check_scenario(check: DocumentChecker, scenario: Mapping, path: str) -> None:
    for key in ("id", "checklist"):
        if key in scenario:
            check.slug(scenario[key], join_path(path, key))
    for key in ("name", "purpose", "preparation", "correct_answer"):
        if key in scenario:
            check.text(scenario[key], join_path(path, key))
    if "channel" in scenario:
        check.choice(scenario["channel"], join_path(path, "channel"), CHANNELS, "channel")
    persona, p_path = scenario.get("persona"), join_path(path, "persona")
    if "persona" in scenario and check.mapping(persona, p_path, PERSONA_KEYS):
        for key in PERSONA_KEYS:
            if key in persona:
                check.text(persona[key], join_path(p_path, key))
    if "script" in scenario:
        _check_script(check, scenario["script"], join_path(path, "script"))
    o_path = join_path(path, "observe")
    seen: dict[str, str] = {}
    for index, item in enumerate(check.items(scenario.get("observe"), o_path, "observations")):
        i_path = join_path(o_path, index)
        if check.mapping(item, i_path, OBSERVE_KEYS):
            if "criterion" in item and check.slug(
                item["criterion"], join_path(i_path, "criterion")
            ):
                check.unique(item["criterion"], join_path(i_path, "criterion"), seen, "criterion")
            if "note" in item:
                check.text(item["note"], join_path(i_path, "note"))


def _check_script(check: DocumentChecker, script: Any, path: str) -> None:
    if not check.mapping(script, path, SCRIPT_KEYS):
        return
    if "opening" in script:
        check.text(script["opening"], join_path(path, "opening"))
    f_path = join_path(path, "follow_ups")
    for index, line in enumerate(check.items(script.get("follow_ups"), f_path, "follow-ups")):
        l_path = join_path(f_path, index)
        if check.mapping(line, l_path, FOLLOW_UP_KEYS):
            for key in FOLLOW_UP_KEYS:
                if key in line:
                    check.text(line[key], join_path(l_path, key))


def _check_references(
    check: DocumentChecker, scenario: Mapping, path: str, rubrics: Mapping[str, Rubric]
) -> None:
    checklist = rubrics.get(scenario["checklist"])
    if checklist is None:
        known = ", ".join(sorted(rubrics)) or "none"
        hint = did_you_mean(scenario["checklist"], rubrics)
        message = f"unknown checklist '{scenario['checklist']}'{hint}; known: {known}"
        check.add(join_path(path, "checklist"), message)
        return
    criterion_ids = checklist.criterion_ids()
    for index, item in enumerate(scenario["observe"]):
        if item["criterion"] not in criterion_ids:
            hint = did_you_mean(item["criterion"], criterion_ids)
            check.add(
                join_path(join_path(join_path(path, "observe"), index), "criterion"),
                f"no criterion '{item['criterion']}' in checklist '{checklist.id}'{hint}",
            )


# --- parsing -------------------------------------------------------------------------------


def _scenario(data: Mapping) -> MysteryScenario:
    script = data["script"]
    return MysteryScenario(
        id=data["id"],
        name=local_text(data["name"]),
        channel=data["channel"],
        checklist=data["checklist"],
        purpose=local_text(data["purpose"]),
        persona=Persona(
            name=local_text(data["persona"]["name"]),
            profile=local_text(data["persona"]["profile"]),
        ),
        preparation=local_text(data["preparation"]) if "preparation" in data else None,
        opening=local_text(script["opening"]),
        follow_ups=tuple(
            FollowUp(local_text(line["when"]), local_text(line["say"]))
            for line in script["follow_ups"]
        ),
        correct_answer=local_text(data["correct_answer"]),
        observe=tuple(
            Observation(item["criterion"], local_text(item["note"])) for item in data["observe"]
        ),
    )


def parse_mystery_scenarios(
    data: Any, rubrics: Iterable[Rubric] | None = None
) -> MysteryScenarioCatalogue:
    """Build the scenarios from a parsed document; CatalogueError lists every problem."""
    problems = validate_mystery_scenarios(data, rubrics)
    if problems:
        raise CatalogueError("mystery scenarios", problems)
    return MysteryScenarioCatalogue(
        version=data["version"], scenarios=tuple(_scenario(s) for s in data["scenarios"])
    )


def check_mystery_scenarios_text(
    text: str, rubrics: Iterable[Rubric] | None = None
) -> tuple[MysteryScenarioCatalogue | None, list[Problem]]:
    """Parse and validate YAML text without raising: for editors and ``rubric check``."""
    data, problems = read_document(text)
    if problems:
        return None, problems
    problems = validate_mystery_scenarios(data, rubrics)
    if problems:
        return None, problems
    return parse_mystery_scenarios(data), []


def load_mystery_scenarios(
    source: str | Path = "", rubrics: Iterable[Rubric] | None = None
) -> MysteryScenarioCatalogue:
    """Load scenarios (the shipped file by default) from a path or YAML text; with
    ``rubrics``, checklist references are checked too. CatalogueError on any problem."""
    text = read_source(source, DEFAULT_SCENARIOS)
    catalogue, problems = check_mystery_scenarios_text(text, rubrics)
    if catalogue is None:
        raise CatalogueError("mystery scenarios", problems)
    return catalogue
