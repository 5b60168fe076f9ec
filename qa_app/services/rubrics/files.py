"""The YAML files in ``rubrics/``, told apart by their ``kind`` key and checked together.

Four kinds live side by side: review rubrics (no ``kind``), mystery-shopper checklists,
the coaching-topic catalogue and the mystery scenarios. They point at each other (a
criterion's ``coaching_topic``, a topic's criterion ids, a scenario's checklist), so a file
is checked with its own schema and then against the valid files next to it: checking one
file alone still catches a dangling reference, as long as its neighbours are in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_app.services.coaching import (
    CATALOGUE_KIND,
    check_rubric_topics,
    parse_coaching_catalogue,
    validate_coaching_catalogue,
)
from qa_app.services.mystery import (
    CHECKLIST_KIND,
    SCENARIOS_KIND,
    parse_mystery_scenarios,
    validate_mystery_checklist,
    validate_mystery_scenarios,
)
from scoring.rubric.documents import Problem, did_you_mean, read_document
from scoring.rubric.files import Rubric, parse_rubric, validate_rubric

RUBRIC_KIND = "rubric"  # a file without ``kind``: a review rubric
MARKED_KINDS = (CATALOGUE_KIND, CHECKLIST_KIND, SCENARIOS_KIND)


@dataclass(frozen=True, slots=True)
class FileCheck:
    """The verdict on one file: its kind, a one-line summary when valid, else problems."""

    path: str
    kind: str | None
    summary: str
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(slots=True)
class _Document:
    kind: str | None
    data: Any = None
    value: Any = None  # Rubric / CoachingCatalogue / MysteryScenarioCatalogue when valid
    problems: tuple[Problem, ...] = ()


def _read(path: Path) -> _Document:
    """Read, parse and check one file on its own (no references to other files yet)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return _Document(None, problems=(Problem("", f"cannot read file: {reason}"),))
    data, problems = read_document(text)
    if problems:
        return _Document(None, problems=tuple(problems))
    kind = data.get("kind", RUBRIC_KIND) if isinstance(data, dict) else RUBRIC_KIND
    if kind != RUBRIC_KIND and kind not in MARKED_KINDS:
        message = (
            f"unknown kind '{kind}'{did_you_mean(kind, MARKED_KINDS)}; known: "
            f"{', '.join(MARKED_KINDS)} (a review rubric has no kind)"
        )
        return _Document(None, data, problems=(Problem("kind", message),))
    validate, parse = _SCHEMAS[kind]
    problems = validate(data)
    value = None if problems else parse(data)
    return _Document(kind, data, value, tuple(problems))


def _parse_checklist(data: dict) -> Rubric:
    return parse_rubric({key: value for key, value in data.items() if key != "kind"})


_SCHEMAS = {
    RUBRIC_KIND: (validate_rubric, parse_rubric),
    CHECKLIST_KIND: (validate_mystery_checklist, _parse_checklist),
    CATALOGUE_KIND: (validate_coaching_catalogue, parse_coaching_catalogue),
    SCENARIOS_KIND: (validate_mystery_scenarios, parse_mystery_scenarios),
}


def _summary(kind: str, value: Any) -> str:
    if kind in (RUBRIC_KIND, CHECKLIST_KIND):
        label = " (mystery checklist)" if kind == CHECKLIST_KIND else ""
        conditional = len(value.conditional_criteria())
        extra = f" ({conditional} conditional)" if conditional else ""
        return (
            f"{value.id} v{value.version}{label}: {len(value.categories)} categories, "
            f"{len(value.criterion_ids())} criteria{extra}"
        )
    if kind == CATALOGUE_KIND:
        questions = sum(len(topic.quiz) for topic in value.topics)
        return f"coaching topics v{value.version}: {len(value.topics)} topics, {questions} quiz questions"
    channels = ", ".join(sorted({s.channel for s in value.scenarios}))
    return f"mystery scenarios v{value.version}: {len(value.scenarios)} scenarios ({channels})"


def _neighbours(paths: Iterable[Path]) -> list[Path]:
    """The other YAML files in the directories of ``paths``: the references' context."""
    given = {path.resolve() for path in paths}
    found: dict[Path, Path] = {}
    for directory in sorted({path.resolve().parent for path in paths}):
        for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
            if path.resolve() not in given:
                found.setdefault(path.resolve(), path)
    return list(found.values())


def _cross_check(document: _Document, rubrics: list[Rubric], topic_ids: list[str] | None) -> list:
    if document.kind in (RUBRIC_KIND, CHECKLIST_KIND):
        return [] if topic_ids is None else check_rubric_topics(document.value, topic_ids)
    if document.kind == CATALOGUE_KIND:
        return validate_coaching_catalogue(document.data, rubrics)
    return validate_mystery_scenarios(document.data, rubrics)


def check_rubric_files(paths: Sequence[str | Path]) -> list[FileCheck]:
    """Check each file with its kind's schema, then its references against the valid files
    among ``paths`` and their neighbours (a rubric's topics, a catalogue's criteria, a
    scenario's checklist). One FileCheck per path, in order."""
    files = [Path(path) for path in paths]
    given = [_read(path) for path in files]
    context = given + [_read(path) for path in _neighbours(files)]
    rubrics: dict[str, Rubric] = {}
    topic_ids: list[str] | None = None
    for document in context:
        if document.value is None:
            continue
        if document.kind in (RUBRIC_KIND, CHECKLIST_KIND):
            rubrics.setdefault(document.value.id, document.value)
        elif document.kind == CATALOGUE_KIND:
            topic_ids = [*(topic_ids or []), *document.value.topic_ids()]
    checks = []
    for path, document in zip(paths, given, strict=True):
        problems = document.problems
        if document.value is not None:
            problems = tuple(_cross_check(document, list(rubrics.values()), topic_ids))
        summary = _summary(document.kind, document.value) if not problems else ""
        checks.append(FileCheck(str(path), document.kind, summary, problems))
    return checks


def read_rubric_file(path: str | Path) -> tuple[Rubric | None, list[Problem]]:
    """A review rubric or a mystery checklist from a file (for ``rubric show``); any other
    kind of file is one clear problem rather than a list of unknown keys."""
    document = _read(Path(path))
    if document.kind in (CATALOGUE_KIND, SCENARIOS_KIND):
        return None, [Problem("kind", f"this is a {document.kind} file, not a rubric")]
    return document.value, list(document.problems)
