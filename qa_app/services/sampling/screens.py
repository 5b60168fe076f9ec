"""What the sampling page reads and does, each in one unit of work: the form's choices,
a preview (changes nothing, so it is never committed) and creating the assignments."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.sampling.candidates import SampleOptions, SampleRequest, sample_options
from qa_app.services.sampling.plans import SamplePlan, create_sample, preview_sample
from qa_app.services.use_case import atomic
from qa_app.storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class SamplingScreen:
    options: SampleOptions
    #: The active rubrics a sample can be graded with.
    rubrics: list[rubrics.RubricSummary]


def sampling_screen(uow: UnitOfWork, actor: Actor) -> SamplingScreen:
    """The sampling form's choices: reviewers, period, channels, languages, teams, agents
    and the active rubrics."""
    with uow:
        options = sample_options(uow.session, actor)
        active = [r for r in rubrics.list_rubrics(uow.session) if r.is_active]
    return SamplingScreen(options, active)


def sample_preview(uow: UnitOfWork, actor: Actor, request: SampleRequest) -> SamplePlan:
    """What a sample would assign, to whom and why; read only, never committed."""
    with uow:
        return preview_sample(uow.session, actor, request)


#: Create a sample's assignments (recomputed from the request) in one unit of work.
do_create_sample = atomic(create_sample)
