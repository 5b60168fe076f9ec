"""Which conversations get reviewed, by whom, and when: one-off samples, recurring plans
spread by reviewers' capacity (their weekly goals live in ``reviews``), the
notable-conversations list.

The names below are the area's public surface: code outside the package imports
them from here, never from its modules.
"""

from qa_app.services.sampling.candidates import (
    SampleOptions,
    SampleRequest,
    sample_options,
)
from qa_app.services.sampling.filters import FLAGS, ConversationFilters
from qa_app.services.sampling.notable import (
    PAGE_SIZE,
    REASONS,
    NotableConversation,
    NotablePage,
    SendResult,
    notable_conversations,
    send_to_review,
)
from qa_app.services.sampling.outliers import WEIGHTS as NOTABLE_WEIGHTS
from qa_app.services.sampling.outliers import Reason
from qa_app.services.sampling.plans import (
    CapacityRow,
    SamplePlan,
    assign_conversation,
    create_sample,
    preview_sample,
)
from qa_app.services.sampling.productivity import (
    ProductivityScreen,
    productivity_screen,
    quota_coverage,
    reviewer_weeks,
)
from qa_app.services.sampling.recurring import (
    PlanInput,
    PlanSummary,
    list_plans,
    save_plan,
    set_plan_active,
)
from qa_app.services.sampling.runs import (
    PlanRunResult,
    do_run_due_plans,
    due_plans,
    run_plan,
)
from qa_app.services.sampling.schedule import WEEKDAY_NAMES, WORKING_DAYS
from qa_app.services.sampling.screens import (
    NotableScreen,
    PlansScreen,
    SamplingScreen,
    do_create_sample,
    do_run_plan,
    do_save_plan,
    do_send_to_review,
    do_set_plan_active,
    notable_screen,
    plan_run_preview,
    plans_screen,
    sample_preview,
    sampling_screen,
)
from qa_app.services.sampling.simulation import SimulatedWeek, simulate_plan
from qa_app.services.sampling.strategies import (
    RISK_WEIGHTS,
    STRATEGIES,
)

__all__ = [
    "ProductivityScreen",
    "productivity_screen",
    "quota_coverage",
    "reviewer_weeks",
    "FLAGS",
    "NOTABLE_WEIGHTS",
    "PAGE_SIZE",
    "REASONS",
    "RISK_WEIGHTS",
    "STRATEGIES",
    "WEEKDAY_NAMES",
    "WORKING_DAYS",
    "CapacityRow",
    "ConversationFilters",
    "NotableConversation",
    "NotablePage",
    "NotableScreen",
    "PlanInput",
    "PlanRunResult",
    "PlanSummary",
    "PlansScreen",
    "Reason",
    "SampleOptions",
    "SamplePlan",
    "SampleRequest",
    "SamplingScreen",
    "SendResult",
    "SimulatedWeek",
    "assign_conversation",
    "create_sample",
    "do_create_sample",
    "do_run_due_plans",
    "do_run_plan",
    "do_save_plan",
    "do_send_to_review",
    "do_set_plan_active",
    "due_plans",
    "list_plans",
    "notable_conversations",
    "notable_screen",
    "plan_run_preview",
    "plans_screen",
    "preview_sample",
    "run_plan",
    "sample_options",
    "sample_preview",
    "sampling_screen",
    "save_plan",
    "send_to_review",
    "set_plan_active",
    "simulate_plan",
]
