"""Mystery-shopper checklists: ordinary rubrics marked ``kind: mystery-checklist``.

A checklist has the rubric's schema and score maths, so it is validated by the rubric
checker itself. The marker keeps it apart from review rubrics: the app loads every plain
rubric in ``rubrics/`` into the review queue and runs AutoQA with it on real conversations,
which would be wrong for a checklist that a shopper fills in after a staged visit.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scoring.rubric.documents import (
    RUBRICS_DIR,
    CatalogueError,
    Problem,
    read_document,
    read_source,
)
from scoring.rubric.files import Rubric, parse_rubric, validate_rubric

CHECKLIST_KIND = "mystery-checklist"
DEFAULT_CHECKLIST = RUBRICS_DIR / "mystery-shopper-default.yaml"


def _without_kind(data: Mapping) -> dict:
    return {key: value for key, value in data.items() if key != "kind"}


def validate_mystery_checklist(data: Any) -> list[Problem]:
    """Every problem of a parsed checklist: the marker, then the rubric schema."""
    if not isinstance(data, Mapping):
        return validate_rubric(data)
    problems = []
    if "kind" not in data:
        problems.append(Problem("kind", f"is required ('{CHECKLIST_KIND}')"))
    elif data["kind"] != CHECKLIST_KIND:
        problems.append(Problem("kind", f"must be '{CHECKLIST_KIND}', got '{data['kind']}'"))
    return problems + validate_rubric(_without_kind(data))


def check_mystery_checklist_text(text: str) -> tuple[Rubric | None, list[Problem]]:
    """Parse and validate YAML text without raising: for editors and ``rubric check``."""
    data, problems = read_document(text)
    if problems:
        return None, problems
    problems = validate_mystery_checklist(data)
    if problems:
        return None, problems
    return parse_rubric(_without_kind(data)), []


def load_mystery_checklist(source: str | Path = "") -> Rubric:
    """Load a checklist (the shipped default when ``source`` is empty) as a Rubric, scored
    exactly like a review; CatalogueError on any problem."""
    rubric, problems = check_mystery_checklist_text(read_source(source, DEFAULT_CHECKLIST))
    if rubric is None:
        raise CatalogueError("mystery checklist", problems)
    return rubric


@functools.cache
def _checklists_in(folder: Path) -> dict[str, Rubric]:
    found: dict[str, Rubric] = {}
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if CHECKLIST_KIND not in text:
            continue
        rubric, problems = check_mystery_checklist_text(text)
        if rubric is not None and not problems:
            found[rubric.id] = rubric
    return found


def available_checklists(folder: Path = RUBRICS_DIR) -> dict[str, Rubric]:
    """Every valid mystery checklist in ``rubrics/`` by id (read once per process)."""
    return _checklists_in(folder)


def checklist_by_id(checklist_id: str, folder: Path = RUBRICS_DIR) -> Rubric:
    """The checklist a scenario names; CatalogueError when no valid file has that id."""
    found = _checklists_in(folder)
    if checklist_id not in found:
        known = ", ".join(sorted(found)) or "none"
        raise CatalogueError(
            "mystery checklist", [Problem("checklist", f"unknown '{checklist_id}'; known: {known}")]
        )
    return found[checklist_id]
