"""Coaching: the topic catalogue trainers work from (issue #15 builds sessions on it).

Only the catalogue lives here so far: ``load_coaching_catalogue`` reads
``rubrics/coaching-topics.yaml`` into frozen dataclasses, ``check_coaching_catalogue_text``
validates text without raising, ``check_rubric_topics`` checks a rubric's topic slugs.
"""

from qa_app.services.coaching.catalogue import (
    CATALOGUE_KIND,
    DEFAULT_CATALOGUE,
    SIGNAL_NAMES,
    CoachingCatalogue,
    CoachingTopic,
    CriterionLink,
    DecisionPoint,
    QuizOption,
    QuizQuestion,
    Reading,
    RolePlay,
    Simulation,
    SimulationMessage,
    check_coaching_catalogue_text,
    check_rubric_topics,
    load_coaching_catalogue,
    parse_coaching_catalogue,
    validate_coaching_catalogue,
)
from scoring.rubric.documents import CatalogueError, Problem

__all__ = [
    "CATALOGUE_KIND",
    "DEFAULT_CATALOGUE",
    "SIGNAL_NAMES",
    "CatalogueError",
    "CoachingCatalogue",
    "CoachingTopic",
    "CriterionLink",
    "DecisionPoint",
    "Problem",
    "QuizOption",
    "QuizQuestion",
    "Reading",
    "RolePlay",
    "Simulation",
    "SimulationMessage",
    "check_coaching_catalogue_text",
    "check_rubric_topics",
    "load_coaching_catalogue",
    "parse_coaching_catalogue",
    "validate_coaching_catalogue",
]
