"""What the sampling page reads and does, each in one unit of work.

The page has four sections (plans, one-off sample, notable conversations, goals; the
last is ``reviews.goals_screen``); each run of the page reads its section with one
``*_screen`` call and changes things with one
``do_*`` call. Previews change nothing and are never committed. Every function takes the
clock (``now``) from its caller: the page's clock, the command line's ``--now``, a test's
fixed date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.sampling.candidates import SampleOptions, SampleRequest, sample_options
from qa_app.services.sampling.filters import ConversationFilters
from qa_app.services.sampling.notable import NotablePage, notable_conversations, send_to_review
from qa_app.services.sampling.plans import SamplePlan, create_sample, preview_sample
from qa_app.services.sampling.recurring import (
    PlanSummary,
    list_plans,
    save_plan,
    set_plan_active,
)
from qa_app.services.sampling.runs import PlanRunResult, due_plans, run_plan
from qa_app.services.use_case import atomic
from qa_app.storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class SamplingScreen:
    options: SampleOptions
    #: The active rubrics a sample can be graded with.
    rubrics: list[rubrics.RubricSummary]


def _active_rubrics(session) -> list[rubrics.RubricSummary]:
    return [r for r in rubrics.list_rubrics(session) if r.is_active]


def sampling_screen(uow: UnitOfWork, actor: Actor) -> SamplingScreen:
    """The one-off sample form's choices: reviewers, period, channels, languages, teams,
    agents and the active rubrics."""
    with uow:
        options = sample_options(uow.session, actor)
        active = _active_rubrics(uow.session)
    return SamplingScreen(options, active)


def sample_preview(
    uow: UnitOfWork, actor: Actor, request: SampleRequest, *, now: datetime | None = None
) -> SamplePlan:
    """What a sample would assign, to whom and why; read only, never committed."""
    with uow:
        return preview_sample(uow.session, actor, request, now=now)


@dataclass(frozen=True, slots=True)
class PlansScreen:
    plans: list[PlanSummary]
    options: SampleOptions
    rubrics: list[rubrics.RubricSummary]
    #: Plans due now that the page is about to run (the cheap check).
    due: list[tuple[int, str]]


def plans_screen(uow: UnitOfWork, actor: Actor, now: datetime) -> PlansScreen:
    """Every plan with its next and last run, the form's choices, and which are due."""
    with uow:
        session = uow.session
        return PlansScreen(
            list_plans(session, actor, now),
            sample_options(session, actor),
            _active_rubrics(session),
            due_plans(session, actor, now),
        )


def plan_run_preview(
    uow: UnitOfWork, actor: Actor, plan_id: int, now: datetime, *, override: bool = False
) -> PlanRunResult:
    """What running ``plan_id`` now would assign; read only, never committed."""
    with uow:
        return run_plan(uow.session, actor, plan_id, now, override=override, preview=True)


#: The notable list's first view: the last two weeks of the data.
NOTABLE_DAYS = 14


@dataclass(frozen=True, slots=True)
class NotableScreen:
    page: NotablePage
    options: SampleOptions
    rubrics: list[rubrics.RubricSummary]
    #: The filters the page was read with (the default window when none were given).
    filters: ConversationFilters


def default_notable_filters(options: SampleOptions) -> ConversationFilters:
    """The last ``NOTABLE_DAYS`` days that have conversations (all time when empty)."""
    if options.last_day is None:
        return ConversationFilters()
    first = max(options.first_day, options.last_day - timedelta(days=NOTABLE_DAYS - 1))
    return ConversationFilters(date_from=first, date_to=options.last_day)


def notable_screen(
    uow: UnitOfWork,
    actor: Actor,
    filters: ConversationFilters | None = None,
    *,
    reason: str | None = None,
    page: int = 1,
) -> NotableScreen:
    """The filter form's choices and one page of the list (``filters`` None: the last
    two weeks of data)."""
    with uow:
        session = uow.session
        options = sample_options(session, actor)
        used = filters if filters is not None else default_notable_filters(options)
        found = notable_conversations(session, actor, used, reason=reason, page=page)
        return NotableScreen(found, options, _active_rubrics(session), used)


#: Create a sample's assignments (recomputed from the request) in one unit of work.
do_create_sample = atomic(create_sample)
#: Create or change a recurring plan.
do_save_plan = atomic(save_plan)
#: Pause or resume a plan.
do_set_plan_active = atomic(set_plan_active)
#: Run one plan for its latest period now (a no-op when that period already ran).
do_run_plan = atomic(run_plan)
#: Send chosen notable conversations to review.
do_send_to_review = atomic(send_to_review)
