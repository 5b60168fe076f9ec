"""A multi-attribute customer survey in an import file: ratings per attribute, importance.

JSONL: ``"survey": {"ratings": {"speed": 4, "courtesy": 2}, "importance": {"speed": 5}}``.
CSV: a column ``survey_<attribute>`` per rating and ``survey_importance_<attribute>`` per
weight (``survey.speed`` and ``survey importance speed`` read the same). Ratings are
integers 1-5 like CSAT; importance is a number above 0 and at most 100 (a design weight or
the customer's own "how important", either way only its proportions matter). The CSI is
computed from these (docs/statistics.md, "CSI"). A bad value rejects its CSV row or its
JSONL line, naming ``survey.ratings.<attribute>`` or ``survey.importance.<attribute>``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from qa_app.ingest import values as v
from qa_app.ingest.limits import FieldProblem, shown
from qa_app.ingest.records import Problem

#: One stored answer: (attribute, satisfaction 1-5, importance or None), sorted by attribute.
SurveyAnswer = tuple[tuple[str, int, float | None], ...]

MAX_ATTRIBUTES = 20
IMPORTANCE_MAX = 100.0
CSV_RATING_PREFIX = "survey_"
CSV_IMPORTANCE_PREFIX = "survey_importance_"
_ATTRIBUTE = re.compile(r"^[^\W_][\w-]{0,59}$")
#: The two kinds of survey field a column maps to: ``<kind>:<attribute>``.
SURVEY_KINDS = ("survey", "survey_importance")


def survey_field_attribute(name: str) -> str | None:
    """The attribute of a ``survey:<attribute>`` / ``survey_importance:<attribute>`` field
    name (lower case, as stored), or None when ``name`` is no such field."""
    kind, sep, attribute = name.partition(":")
    if not sep or kind not in SURVEY_KINDS or not _ATTRIBUTE.match(attribute.strip().lower()):
        return None
    return attribute.strip().lower()


def csv_survey_field(header: str) -> str | None:
    """``survey:<attribute>`` or ``survey_importance:<attribute>`` for a normalised CSV
    header naming a survey column, else None."""
    for prefix, kind in ((CSV_IMPORTANCE_PREFIX, "survey_importance"),
                         (CSV_RATING_PREFIX, "survey")):  # fmt: skip
        if header.startswith(prefix) and len(header) > len(prefix):
            return f"{kind}:{header[len(prefix) :]}"
    return None


def csv_survey(raw: Mapping[str, object]) -> dict[str, dict[str, object]] | None:
    """The survey of one CSV row in the JSONL shape, or None when its survey cells are blank."""
    ratings: dict[str, object] = {}
    importance: dict[str, object] = {}
    for key, value in raw.items():
        if v.is_blank(value):
            continue
        if key.startswith("survey:"):
            ratings[key.removeprefix("survey:")] = value
        elif key.startswith("survey_importance:"):
            importance[key.removeprefix("survey_importance:")] = value
    if not ratings and not importance:
        return None
    return {"ratings": ratings, "importance": importance}


def _attribute(name: object) -> str:
    text = str(name).strip().lower()
    if not _ATTRIBUTE.match(text):
        raise FieldProblem("bad_attribute", value=shown(name))
    return text


def _importance(raw: object) -> float:
    number = raw
    if isinstance(raw, str):
        text = raw.strip().replace(",", ".")
        number = float(text) if re.fullmatch(r"[0-9]{1,6}(\.[0-9]{1,6})?", text) else None
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise FieldProblem("bad_importance", value=shown(raw))
    if not (math.isfinite(number) and 0 < number <= IMPORTANCE_MAX):
        raise FieldProblem("bad_importance", value=shown(raw))
    return float(number)


def _section(raw: Mapping, name: str, problems: list[Problem]) -> dict[str, object]:
    """``ratings`` or ``importance`` as {attribute: raw value}; problems for bad names."""
    section = raw.get(name)
    if v.is_blank(section):
        return {}
    if not isinstance(section, Mapping):
        problems.append(Problem(f"survey.{name}", "not_object"))
        return {}
    found: dict[str, object] = {}
    for key, value in section.items():
        try:
            found[_attribute(key)] = value
        except FieldProblem as exc:
            problems.append(Problem(f"survey.{name}", exc.code, exc.params))
    return found


def parse_survey(raw: object) -> tuple[SurveyAnswer, list[Problem]]:
    """A survey object as stored rows, or the problems that reject it (empty = no survey)."""
    if v.is_blank(raw) or raw == {}:
        return (), []
    if not isinstance(raw, Mapping):
        return (), [Problem("survey", "not_object")]
    problems: list[Problem] = []
    ratings = _section(raw, "ratings", problems)
    weights = _section(raw, "importance", problems)
    if not ratings and not problems:
        problems.append(Problem("survey.ratings", "survey_no_ratings"))
    if len(ratings) > MAX_ATTRIBUTES:
        problems.append(Problem("survey.ratings", "survey_too_many",
                                {"found": len(ratings), "limit": MAX_ATTRIBUTES}))  # fmt: skip
    rows: list[tuple[str, int, float | None]] = []
    for attribute in sorted(ratings):
        try:
            rating = v.parse_score(ratings[attribute], 1, 5)
        except FieldProblem as exc:
            problems.append(Problem(f"survey.ratings.{attribute}", exc.code, exc.params))
            continue
        weight = None
        if attribute in weights:
            try:
                weight = _importance(weights[attribute])
            except FieldProblem as exc:
                problems.append(Problem(f"survey.importance.{attribute}", exc.code, exc.params))
        rows.append((attribute, rating, weight))
    for attribute in sorted(set(weights) - set(ratings)):
        problems.append(Problem(f"survey.importance.{attribute}", "survey_unrated"))
    return (tuple(rows), []) if not problems else ((), problems)


def describe_survey(answer: SurveyAnswer) -> str:
    """``courtesy=2, speed=4 (importance 5)``: how a conflict between CSV rows names it."""
    return ", ".join(
        f"{a}={r}" + (f" (importance {w:g})" if w is not None else "") for a, r, w in answer
    )
