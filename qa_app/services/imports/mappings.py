"""Column-mapping imports: named presets, the preview with guessed columns, and the reader
that ``import_file`` runs (the same validation and row-level report as the standard
import; see ``qa_app/ingest/mapping.py``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.ingest import UnreadableFile
from qa_app.ingest.mapping import (
    FIELDS,
    ColumnMapping,
    MappedReader,
    MappingError,
    TablePreview,
    is_survey_field,
    preview_table,
    survey_attribute_for,
)
from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import InvalidInput, NotFound
from qa_app.services.permissions import require
from qa_app.storage.models import ImportMapping

MAPPING_FIELDS = FIELDS
__all__ = [
    "ColumnMapping",
    "TablePreview",
    "is_survey_field",
    "survey_attribute_for",
]  # re-exported by the package


def _invalid_input(key: str, params: dict, fallback: str) -> InvalidInput:
    """The error for the UI and CLI: a ``detail`` parameter travels as the message (the
    page fills ``{detail}`` from the message), every other parameter as itself."""
    rest = dict(params)
    detail = rest.pop("detail", None)
    return InvalidInput(fallback if detail is None else str(detail), key=key, **rest)


def _invalid(exc: MappingError) -> InvalidInput:
    return _invalid_input(f"mapping.error.{exc.code}", exc.params, exc.describe("en"))


def mapping_from_document(data: object) -> ColumnMapping:
    """A mapping from a document (a preset, a YAML file, the page's form), checked."""
    try:
        return ColumnMapping.from_document(data)
    except MappingError as exc:
        raise _invalid(exc) from None


def mapped_reader(mapping: ColumnMapping) -> MappedReader:
    """The reader to pass to ``do_import_file`` for a file read through ``mapping``."""
    try:
        return MappedReader(mapping)
    except MappingError as exc:
        raise _invalid(exc) from None


def preview_file(path: str | Path, name: str | None = None, rows: int = 10) -> TablePreview:
    """The first rows of a CSV/XLSX file, its headers and the guessed mapping."""
    try:
        return preview_table(path, name, rows)
    except UnreadableFile as exc:
        key = f"import.fatal.{exc.code}"
        raise _invalid_input(key, exc.params, exc.describe("en")) from None


def list_presets(session: Session, actor: Actor) -> dict[str, ColumnMapping]:
    require(actor, "import.run")
    rows = session.scalars(select(ImportMapping).order_by(ImportMapping.name))
    return {row.name: ColumnMapping.from_document(row.definition) for row in rows}


def get_preset(session: Session, actor: Actor, name: str) -> ColumnMapping:
    presets = list_presets(session, actor)
    if name not in presets:
        known = ", ".join(presets) or "-"
        raise NotFound(f"no mapping preset {name!r}", key="mapping.error.no_preset",
                       name=name, known=known)  # fmt: skip
    return presets[name]


def save_preset(
    session: Session, actor: Actor, name: str, mapping: ColumnMapping,
    *, now: datetime | None = None,
) -> None:  # fmt: skip
    """Save (or replace) the preset ``name``; audited as ``import.mapping_saved``."""
    require(actor, "import.run")
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise InvalidInput("a preset name has 1-120 characters", key="mapping.error.bad_name")
    mapping.check()
    at = utc_now(now)
    row = session.scalar(select(ImportMapping).where(ImportMapping.name == name))
    if row is None:
        row = ImportMapping(name=name)
        session.add(row)
    row.definition, row.updated_by, row.updated_at = mapping.to_document(), actor.user_id, at
    session.flush()
    record_event(session, actor, "import.mapping_saved", "import_mapping", row.id, now=at,
                 name=name, columns=mapping.columns)  # fmt: skip
