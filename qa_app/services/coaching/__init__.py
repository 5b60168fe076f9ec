"""Coaching: the topic catalogue, recommendations ranked from evidence, coaching plans and
their measured effect, and what drives customer satisfaction.

The catalogue: ``load_coaching_catalogue`` reads ``rubrics/coaching-topics.yaml`` into
frozen dataclasses, ``check_coaching_catalogue_text`` validates text without raising,
``check_rubric_topics`` checks a rubric's topic slugs. Recommendations: ``ranking`` (pure
rules, hand-tested), ``evidence`` (the queries), ``recommendations`` (per agent and team).
This area uses no other service area (the rubrics area reads its catalogue).
"""

from qa_app.services.coaching.actions import (
    do_confirm_session,
    do_create_plan,
    do_record_session,
    do_update_plan,
)
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
from qa_app.services.coaching.effect import TOPIC_ROW, CriterionChange, PlanEffect
from qa_app.services.coaching.evidence import AgentInfo, Excerpt, Line
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
from qa_app.services.coaching.ranking import Gap, Ranking, TopicNeed
from qa_app.services.coaching.recommendations import (
    RECOMMENDATION_WINDOW,
    AgentRecommendations,
    Evidence,
    TeamRecommendations,
    TeamTopic,
    catalogue,
)
from qa_app.services.coaching.screens import (
    CoachingScreen,
    PlansScreen,
    agent_recommendations_screen,
    coaching_screen,
    plans_screen,
    team_recommendations_screen,
)
from scoring.rubric.documents import CatalogueError, Problem

__all__ = [
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
