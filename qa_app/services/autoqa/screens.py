"""What the AutoQA page reads and does, each in one unit of work.

The agreement with reviewers is the same for every staff member and slow to compute, so
it has a screen of its own (``agreement_screen``), read as the system, and so do the
per-agent distributions (``signal_distribution_screen``); the app keeps each until its data
stamp, read on every load by ``autoqa_screen`` (which checks the actor), changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from qa_app.services import rubrics
from qa_app.services.actor import SYSTEM, Actor
from qa_app.services.autoqa.agreement import AgreementReport, agreement_reports
from qa_app.services.autoqa.distributions import agreement_stamp, distribution_stamp
from qa_app.services.autoqa.queries import ScoringStatus, handover_summary, scoring_status
from qa_app.services.autoqa.scoring_runs import score_conversations
from qa_app.services.use_case import atomic
from qa_app.storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class AutoqaScreen:
    status: ScoringStatus
    #: Changes whenever the per-agent distributions would: the key under which the app
    #: keeps ``signal_distribution_screen`` (see ``distributions``).
    distribution_stamp: str
    #: The same for the agreement with reviewers (``agreement_screen``).
    agreement_stamp: str


def autoqa_screen(uow: UnitOfWork, actor: Actor, pipeline_version: str | None) -> AutoqaScreen:
    """Scoring status against ``pipeline_version`` and the stamp of the distributions (the
    distributions themselves are read once per stamp: ``signal_distribution_screen``)."""
    with uow:
        session = uow.session
        status = scoring_status(session, actor, pipeline_version)
        stamps = distribution_stamp(session), agreement_stamp(session)
        agreement_reports(session, actor, check_only=True)  # may the actor read agreement?
    return AutoqaScreen(status, *stamps)


def handover_screen(uow: UnitOfWork, actor: Actor = SYSTEM) -> pd.DataFrame:
    """Per bot: hand-overs to a person and customers repeating themselves. The same for
    every staff member and a scan of the stored signals, so the app reads it as the system
    and caches it like the agreement (``autoqa_screen`` checks the actor)."""
    with uow:
        return handover_summary(uow.session, actor)


@dataclass(frozen=True, slots=True)
class AgreementScreen:
    reports: list[AgreementReport]
    #: Rubric names by slug (``(name_en, name_ru)``), for the report headings.
    rubric_names: dict[str, tuple[str, str]]


def agreement_screen(
    uow: UnitOfWork, actor: Actor = SYSTEM, slug: str | None = None
) -> AgreementScreen:
    """AutoQA's agreement with the team's reviewers per criterion, for rubric ``slug`` or
    every active one. The same for every staff member, so the app reads it as the system
    and caches it (``autoqa_screen`` checks the actor)."""
    with uow:
        reports = agreement_reports(uow.session, actor, slug=slug)
        names = {r.slug: (r.name_en, r.name_ru) for r in rubrics.list_rubrics(uow.session)}
    return AgreementScreen(reports, names)


#: Score new and changed conversations (commits after every batch, and at the end).
do_score_conversations = atomic(score_conversations)
