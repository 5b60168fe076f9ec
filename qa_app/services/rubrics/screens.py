"""What the rubrics page draws, read in one unit of work: the rubrics, the chosen one's
history, the version being read and, for editors, the newest version to edit."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.services.actor import Actor
from qa_app.services.permissions import can
from qa_app.services.rubrics.store import (
    RubricSummary,
    StoredRubric,
    VersionInfo,
    active_version,
    ensure_default_rubric,
    get_version,
    list_rubrics,
    list_versions,
    save_rubric,
)
from qa_app.services.use_case import atomic
from qa_app.storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class RubricsScreen:
    rubrics: list[RubricSummary]
    slug: str | None = None
    #: The chosen rubric's versions, newest first, and the one being read.
    versions: list[VersionInfo] | None = None
    shown: StoredRubric | None = None
    #: The newest version, for the editor (None when the actor may not edit).
    latest: StoredRubric | None = None


def rubrics_screen(
    uow: UnitOfWork, actor: Actor, slug: str | None = None, version_id: int | None = None
) -> RubricsScreen:
    """The rubrics page for ``slug`` (else the first rubric) at ``version_id`` (else its
    newest version)."""
    with uow:
        session = uow.session
        summaries = list_rubrics(session)
        if not summaries:
            return RubricsScreen(summaries)
        slugs = [s.slug for s in summaries]
        slug = slug if slug in slugs else slugs[0]
        versions = list_versions(session, slug)
        ids = [v.version_id for v in versions]
        shown = get_version(session, version_id if version_id in ids else ids[0])
        latest = active_version(session, slug) if can(actor, "rubric.edit") else None
    return RubricsScreen(summaries, slug, versions, shown, latest)


#: Save an edited rubric as its next version (RubricInvalid lists the YAML paths).
do_save_rubric = atomic(save_rubric)
#: Load the bundled ``rubrics/*.yaml`` missing from the database (run once per process).
do_ensure_default_rubric = atomic(ensure_default_rubric)
