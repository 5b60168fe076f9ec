"""Mystery shopping: the scenario catalogue and checklists (issue #17 builds visits on them).

``load_mystery_scenarios`` reads ``rubrics/mystery-scenarios.yaml``; ``load_mystery_checklist``
reads a checklist (a rubric marked ``kind: mystery-checklist``) as a ``scoring.rubric.Rubric``,
so a visit is scored with the same maths as a review.
"""

from qa_app.services.mystery.checklist import (
    CHECKLIST_KIND,
    DEFAULT_CHECKLIST,
    check_mystery_checklist_text,
    load_mystery_checklist,
    validate_mystery_checklist,
)
from qa_app.services.mystery.scenario_catalogue import (
    DEFAULT_SCENARIOS,
    SCENARIOS_KIND,
    FollowUp,
    MysteryScenario,
    MysteryScenarioCatalogue,
    Observation,
    Persona,
    check_mystery_scenarios_text,
    load_mystery_scenarios,
    parse_mystery_scenarios,
    validate_mystery_scenarios,
)
from scoring.rubric.documents import CatalogueError, Problem

__all__ = [
    "CHECKLIST_KIND",
    "DEFAULT_CHECKLIST",
    "DEFAULT_SCENARIOS",
    "SCENARIOS_KIND",
    "CatalogueError",
    "FollowUp",
    "MysteryScenario",
    "MysteryScenarioCatalogue",
    "Observation",
    "Persona",
    "Problem",
    "check_mystery_checklist_text",
    "check_mystery_scenarios_text",
    "load_mystery_checklist",
    "load_mystery_scenarios",
    "parse_mystery_scenarios",
    "validate_mystery_checklist",
    "validate_mystery_scenarios",
]
