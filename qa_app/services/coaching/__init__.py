"""Coaching: the topic catalogue, recommendations ranked from evidence, coaching plans and
their measured effect, and what drives customer satisfaction.

The catalogue: ``load_coaching_catalogue`` reads ``rubrics/coaching-topics.yaml`` into
frozen dataclasses, ``check_coaching_catalogue_text`` validates text without raising,
``check_rubric_topics`` checks a rubric's topic slugs. Recommendations: ``ranking`` (pure
rules, hand-tested), ``evidence`` (the queries), ``recommendations`` (per agent and team).
The only other area it uses is ``mystery`` (failed checklist items of published visits,
through that package); the rubrics area reads its catalogue, so no arrow points back.
"""

from qa_app.services.coaching.actions import (
    do_confirm_session,
    do_create_plan,
    do_record_session,
    do_update_plan,
)
from qa_app.services.coaching.catalogue import (
    DEFAULT_CATALOGUE,
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
    load_coaching_catalogue,
    parse_coaching_catalogue,
)
from qa_app.services.coaching.catalogue_links import check_rubric_topics
from qa_app.services.coaching.catalogue_schema import (
    CATALOGUE_KIND,
    SIGNAL_NAMES,
    validate_coaching_catalogue,
)
from qa_app.services.coaching.drivers import (
    MAX_PAIRS,
    MIN_PAIRS,
    OUTCOMES,
    OVERALL,
    WEAK_R,
    Driver,
    DriversReport,
    repeat_flags,
)
from qa_app.services.coaching.effect import TOPIC_ROW, CriterionChange, PlanEffect
from qa_app.services.coaching.evidence import AgentInfo, Excerpt, Line, Window, criterion_scores
from qa_app.services.coaching.plans import (
    EXERCISES,
    PLAN_STATUSES,
    PlanView,
    SessionView,
    confirm_session,
    create_plan,
    list_plans,
    record_session,
    update_plan,
)
from qa_app.services.coaching.ranking import Gap, Ranking, ShopperItem, TopicNeed
from qa_app.services.coaching.recommendations import (
    RECOMMENDATION_WINDOW,
    AgentRecommendations,
    Evidence,
    ShopperFailure,
    TeamRecommendations,
    TeamTopic,
    catalogue,
)
from qa_app.services.coaching.screens import (
    CoachingScreen,
    DriversScreen,
    PlansScreen,
    agent_recommendations_screen,
    coaching_screen,
    drivers_screen,
    plans_screen,
    team_recommendations_screen,
)
from scoring.rubric.documents import CatalogueError, Problem

__all__ = [
    "Window",
    "criterion_scores",
    "MAX_PAIRS",
    "MIN_PAIRS",
    "OUTCOMES",
    "OVERALL",
    "WEAK_R",
    "Driver",
    "DriversReport",
    "DriversScreen",
    "drivers_screen",
    "repeat_flags",
    "EXERCISES",
    "PLAN_STATUSES",
    "TOPIC_ROW",
    "CriterionChange",
    "PlanEffect",
    "PlanView",
    "PlansScreen",
    "SessionView",
    "confirm_session",
    "create_plan",
    "do_confirm_session",
    "do_create_plan",
    "do_record_session",
    "do_update_plan",
    "list_plans",
    "plans_screen",
    "record_session",
    "update_plan",
    "RECOMMENDATION_WINDOW",
    "AgentInfo",
    "AgentRecommendations",
    "CoachingScreen",
    "Evidence",
    "Excerpt",
    "Gap",
    "Line",
    "Ranking",
    "ShopperFailure",
    "ShopperItem",
    "TeamRecommendations",
    "TeamTopic",
    "TopicNeed",
    "agent_recommendations_screen",
    "catalogue",
    "coaching_screen",
    "team_recommendations_screen",
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
