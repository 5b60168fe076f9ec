"""Agent scorecards and the team dashboard: agent-level statistics with n and intervals.

The names below are the area's public surface: code outside the package imports them
from here. The coaching area builds on the frames (``review_frame``, ``grade_counts``,
``conversation_frame``) and the figures (``quality``, ``criterion_scores``, ``trend`` ...).
"""

from qa_app.services.scorecards.access import (
    readable_agent_ids,
    require_agent,
)
from qa_app.services.scorecards.exports import (
    FORMATS,
    KINDS,
    MIME,
    ExportFile,
    do_export_as_user,
    do_export_reviews,
    do_export_scorecard,
    do_export_team,
    export_reviews,
    export_scorecard,
    export_team,
)
from qa_app.services.scorecards.figures import (
    FCR_WINDOW,
    SIGNALS,
    CsiFigure,
    SurveyFigure,
    category_scores,
    channel_consistency,
    criterion_scores,
    csat_figure,
    csi_figure,
    first_contact_resolution,
    nps_figure,
    quality,
    score_distribution,
    service_by_channel,
    signal_summary,
    trend,
)
from qa_app.services.scorecards.frame_queries import COUNTED_STATUSES
from qa_app.services.scorecards.frames import (
    conversation_frame,
    grade_counts,
    review_frame,
    survey_frame,
)
from qa_app.services.scorecards.lookups import agent_directory
from qa_app.services.scorecards.period import Period, Scope
from qa_app.services.scorecards.purged import PURGED_COLUMNS, first_purged_day, purged_weeks
from qa_app.services.scorecards.ranking_check import (
    MeanWithInterval,
    RankingCheck,
    check_ranking,
    ranking_check_screen,
)
from qa_app.services.scorecards.scorecard import (
    Example,
    Finding,
    Scorecard,
    build_scorecard,
)
from qa_app.services.scorecards.screens import (
    ScorecardChoices,
    TeamChoices,
    scorecard_choices_screen,
    scorecard_screen,
    team_choices_screen,
    team_screen,
)
from qa_app.services.scorecards.tables import attribute_name, purged_table
from qa_app.services.scorecards.team import (
    TeamDashboard,
    TeamFilters,
    build_team_dashboard,
)

MIME_XLSX = MIME["xlsx"]

__all__ = [
    "MIME",
    "MIME_XLSX",
    "PURGED_COLUMNS",
    "COUNTED_STATUSES",
    "FCR_WINDOW",
    "SIGNALS",
    "FORMATS",
    "KINDS",
    "Example",
    "ExportFile",
    "Finding",
    "Period",
    "MeanWithInterval",
    "RankingCheck",
    "Scope",
    "Scorecard",
    "ScorecardChoices",
    "CsiFigure",
    "SurveyFigure",
    "TeamChoices",
    "TeamDashboard",
    "TeamFilters",
    "agent_directory",
    "attribute_name",
    "first_purged_day",
    "purged_table",
    "purged_weeks",
    "build_scorecard",
    "build_team_dashboard",
    "category_scores",
    "channel_consistency",
    "check_ranking",
    "conversation_frame",
    "do_export_as_user",
    "do_export_reviews",
    "do_export_scorecard",
    "do_export_team",
    "export_reviews",
    "export_scorecard",
    "export_team",
    "criterion_scores",
    "csat_figure",
    "csi_figure",
    "first_contact_resolution",
    "grade_counts",
    "nps_figure",
    "quality",
    "ranking_check_screen",
    "readable_agent_ids",
    "require_agent",
    "review_frame",
    "score_distribution",
    "scorecard_choices_screen",
    "scorecard_screen",
    "service_by_channel",
    "survey_frame",
    "signal_summary",
    "team_choices_screen",
    "team_screen",
    "trend",
]
