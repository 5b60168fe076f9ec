"""Rubric storage: every edit is a new immutable version, so old reviews keep their meaning.

The YAML text an admin wrote is kept as written (comments included) next to its parsed
definition; reviews and assignments point at a version id, never at "the rubric".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.permissions import require
from qa_app.storage.models import Rubric as RubricRow
from qa_app.storage.models import RubricVersion, User
from scoring.rubric.files import Rubric, RubricProblem, check_rubric_text, rubric_to_dict

RUBRICS_DIR = Path(__file__).resolve().parents[3] / "rubrics"
DEFAULT_SLUG = "support-default"
_VERSION_LINE = re.compile(r"^version:[^\n]*$", re.MULTILINE)


class RubricInvalid(InvalidInput):
    """The YAML does not describe a valid rubric; ``problems`` carry the YAML paths."""

    key = "rubrics.error.invalid"

    def __init__(self, problems: list[RubricProblem]) -> None:
        shown = "; ".join(str(p) for p in problems[:5])
        super().__init__(f"invalid rubric: {shown}", count=len(problems))
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class StoredRubric:
    """One stored version: its row id, number, parsed rubric and the YAML as written."""

    version_id: int
    slug: str
    version: int
    rubric: Rubric
    yaml_text: str
    change_note: str
    created_at: datetime
    created_by: str


@dataclass(frozen=True, slots=True)
class RubricSummary:
    slug: str
    name_en: str
    name_ru: str
    is_active: bool
    latest_version: int
    latest_version_id: int
    version_count: int


@dataclass(frozen=True, slots=True)
class VersionInfo:
    version_id: int
    version: int
    created_at: datetime
    created_by: str
    change_note: str


@lru_cache(maxsize=64)
def _parse(yaml_text: str) -> Rubric:
    """Versions are immutable, so parsing the same text once per process is enough."""
    rubric, problems = check_rubric_text(yaml_text)
    if rubric is None:
        raise RubricInvalid(problems)
    return rubric


def check_yaml(yaml_text: str) -> list[RubricProblem]:
    """Every problem of a rubric YAML text (empty when it can be saved)."""
    _rubric, problems = check_rubric_text(yaml_text)
    return problems


def _stored(session: Session, row: RubricVersion, slug: str) -> StoredRubric:
    author = "system"
    if row.created_by is not None:
        user = session.get(User, row.created_by)
        author = user.username if user else str(row.created_by)
    return StoredRubric(
        version_id=row.id,
        slug=slug,
        version=row.version,
        rubric=_parse(row.yaml_text),
        yaml_text=row.yaml_text,
        change_note=row.change_note,
        created_at=row.created_at,
        created_by=author,
    )


_VERSION_CACHE: dict[tuple[str, int], StoredRubric] = {}


def get_version(session: Session, version_id: int) -> StoredRubric:
    """A rubric version by its row id (what reviews and assignments store).

    Versions never change once saved, so they are cached per database and id: opening
    the next review then costs no rubric queries at all.
    """
    key = (str(session.get_bind().url), version_id)
    cached = _VERSION_CACHE.get(key)
    if cached is not None:
        return cached
    row = session.get(RubricVersion, version_id)
    if row is None:
        raise NotFound(f"rubric version {version_id} not found", key="rubrics.error.not_found")
    stored = _stored(session, row, row.rubric.slug)
    if len(_VERSION_CACHE) > 256:
        _VERSION_CACHE.clear()
    _VERSION_CACHE[key] = stored
    return stored


def _rubric_row(session: Session, slug: str) -> RubricRow:
    row = session.scalar(select(RubricRow).where(RubricRow.slug == slug))
    if row is None:
        raise NotFound(f"rubric '{slug}' not found", key="rubrics.error.not_found")
    return row


def active_version(session: Session, slug: str | None = None) -> StoredRubric:
    """The newest version of a rubric (by default the first active rubric)."""
    if slug is None:
        row = session.scalar(
            select(RubricRow).where(RubricRow.is_active.is_(True)).order_by(RubricRow.id)
        )
        if row is None:
            raise NotFound("no active rubric", key="rubrics.error.none_active")
    else:
        row = _rubric_row(session, slug)
    latest = session.scalar(
        select(RubricVersion)
        .where(RubricVersion.rubric_id == row.id)
        .order_by(RubricVersion.version.desc())
        .limit(1)
    )
    if latest is None:
        raise NotFound(f"rubric '{row.slug}' has no versions", key="rubrics.error.not_found")
    return _stored(session, latest, row.slug)


def list_rubrics(session: Session) -> list[RubricSummary]:
    """Every rubric with its newest version, for the Rubrics page and the sampling form."""
    counts = dict(
        session.execute(
            select(RubricVersion.rubric_id, func.count()).group_by(RubricVersion.rubric_id)
        ).all()
    )
    summaries = []
    for row in session.scalars(select(RubricRow).order_by(RubricRow.slug)):
        if not counts.get(row.id):
            continue
        latest = active_version(session, row.slug)
        summaries.append(
            RubricSummary(
                slug=row.slug,
                name_en=latest.rubric.name.en,
                name_ru=latest.rubric.name.ru,
                is_active=row.is_active,
                latest_version=latest.version,
                latest_version_id=latest.version_id,
                version_count=counts[row.id],
            )
        )
    return summaries


def list_versions(session: Session, slug: str) -> list[VersionInfo]:
    """Version history, newest first."""
    row = _rubric_row(session, slug)
    users = dict(session.execute(select(User.id, User.username)).all())
    versions = session.scalars(
        select(RubricVersion)
        .where(RubricVersion.rubric_id == row.id)
        .order_by(RubricVersion.version.desc())
    )
    return [
        VersionInfo(
            version_id=v.id,
            version=v.version,
            created_at=v.created_at,
            created_by=users.get(v.created_by, "system"),
            change_note=v.change_note,
        )
        for v in versions
    ]


def _with_version(yaml_text: str, version: int) -> str:
    """The admin's text with its top-level ``version:`` set to the stored number."""
    return _VERSION_LINE.sub(f"version: {version}", yaml_text, count=1)


def save_rubric(session: Session, actor: Actor, yaml_text: str, change_note: str) -> StoredRubric:
    """Validate and store a rubric as a new version (a new rubric when its id is new).

    The version number is assigned here (previous + 1) whatever the text says, so two
    edits can never claim the same number. Raises RubricInvalid with YAML paths.
    """
    require(actor, "rubric.edit")
    rubric, problems = check_rubric_text(yaml_text)
    if rubric is None:
        raise RubricInvalid(problems)
    if not change_note.strip():
        raise InvalidInput(
            "a change note is required", key="rubrics.error.note_required", detail=""
        )
    row, _created = _locked_rubric(session, rubric.id)
    return _add_version(session, actor, row, yaml_text, change_note, rubric.id)


def _locked_rubric(session: Session, slug: str) -> tuple[RubricRow, bool]:
    """The rubric ``slug``, locked until the transaction ends (created when missing);
    returns it and whether this call created it.

    Saves of one rubric queue on the lock, so each numbers its version after the one
    before (20 saves at once make 20 versions). Two first saves of a new rubric race on
    the slug: the loser's insert rolls back to a savepoint and it takes the winner's row.
    """
    query = select(RubricRow).where(RubricRow.slug == slug).with_for_update()
    row = session.scalar(query)
    if row is not None:
        return row, False
    try:
        with session.begin_nested():
            row = RubricRow(slug=slug, is_active=True)
            session.add(row)
    except IntegrityError:
        return session.scalars(query.execution_options(populate_existing=True)).one(), False
    return row, True


def _add_version(
    session: Session, actor: Actor, row: RubricRow, yaml_text: str, change_note: str, slug: str
) -> StoredRubric:
    latest = session.scalar(
        select(func.max(RubricVersion.version)).where(RubricVersion.rubric_id == row.id)
    )
    number = (latest or 0) + 1
    text = _with_version(yaml_text, number)
    parsed = _parse(text)
    version = RubricVersion(
        rubric_id=row.id,
        version=number,
        yaml_text=text,
        definition=rubric_to_dict(parsed),
        created_by=actor.user_id,
        change_note=change_note.strip(),
    )
    session.add(version)
    session.flush()
    record_event(
        session,
        actor,
        "rubric.version_saved",
        "rubric",
        slug,
        version=number,
        note=change_note.strip(),
    )
    return _stored(session, version, row.slug)


FROM_FILE = ("loaded from ", "updated from ")


def _same_content(a: Rubric, b: Rubric) -> bool:
    """Equal apart from the version number (which the store assigns)."""
    return {**rubric_to_dict(a), "version": 0} == {**rubric_to_dict(b), "version": 0}


def ensure_default_rubric(session: Session, directory: Path | None = None) -> list[str]:
    """Load every ``rubrics/*.yaml`` whose id is not in the database yet, and store a new
    version of a shipped rubric whose file changed (say, bug-report criteria that became
    conditional) as long as nobody edited it in the app since; returns the slugs stored.

    An edited rubric is never overwritten by its file, and older reviews keep pointing at
    the version they were graded against. Files that are not rubrics (checklists, topic
    catalogues) are skipped silently.
    """
    from qa_app.services.actor import SYSTEM

    loaded = []
    existing = set(session.scalars(select(RubricRow.slug)))
    for path in sorted((directory or RUBRICS_DIR).glob("*.yaml")):
        text = path.read_text(encoding="utf-8-sig")
        rubric, problems = check_rubric_text(text)
        if rubric is None:
            continue
        if rubric.id not in existing:
            row, created = _locked_rubric(session, rubric.id)
            existing.add(rubric.id)
            if created:  # otherwise another process loaded it a moment ago
                _add_version(session, SYSTEM, row, text, f"loaded from {path.name}", rubric.id)
                loaded.append(rubric.id)
            continue
        latest = active_version(session, rubric.id)
        if latest.change_note.startswith(FROM_FILE) and not _same_content(rubric, latest.rubric):
            note = f"updated from {path.name} (file version {rubric.version})"
            save_rubric(session, SYSTEM, text, note)
            loaded.append(rubric.id)
    return loaded
