"""A visit's attachments: storing uploads as rows beside their files, and reading them
back for someone who may see the visit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from qa_app.services.actor import Actor
from qa_app.services.audit import record_event
from qa_app.services.clock import utc_now
from qa_app.services.errors import NotFound
from qa_app.services.mystery import attachments as files
from qa_app.services.mystery.visibility import _editable, visible_visit
from qa_app.services.mystery.visit_inputs import Upload
from qa_app.storage.models import MysteryAttachment


def _attach(
    session: Session, actor: Actor, visit_id: int, upload: Upload, kind, now: datetime | None
) -> str:
    stored, digest = files.write_file(upload.data, kind)
    session.add(
        MysteryAttachment(
            visit_id=visit_id,
            stored_name=stored,
            original_name=(upload.name or "")[-255:],
            content_type=kind.content_type,
            size_bytes=len(upload.data),
            sha256=digest,
            uploaded_by=actor.user_id,
            created_at=utc_now(now),
        )
    )
    return stored


def attach_uploads(
    session: Session,
    actor: Actor,
    visit_id: int,
    uploads: Sequence[Upload],
    kinds: Sequence,
    now: datetime | None,
) -> list[str]:
    """Store checked uploads as the visit's attachments; if any write or the flush fails,
    the files already written are removed, so a failed save leaves no stray file."""
    stored: list[str] = []
    try:
        for upload, kind in zip(uploads, kinds, strict=True):
            stored.append(_attach(session, actor, visit_id, upload, kind, now))
        session.flush()
    except Exception:
        files.remove_files(stored)
        raise
    return stored


def add_attachments(
    session: Session,
    actor: Actor,
    visit_id: int,
    uploads: Sequence[Upload],
    *,
    now: datetime | None = None,
) -> int:
    """Attach more files to a visit one may change; all are checked before any is stored."""
    visit = _editable(session, actor, visit_id)
    kinds = [files.check_upload(u.name, u.data) for u in uploads]
    stored = [
        _attach(session, actor, visit.id, u, k, now) for u, k in zip(uploads, kinds, strict=True)
    ]
    session.flush()
    record_event(
        session,
        actor,
        "mystery.attachments_added",
        "mystery_visit",
        visit.id,
        now=now,
        count=len(stored),
    )
    return len(stored)


@dataclass(frozen=True, slots=True)
class AttachmentFile:
    name: str
    content_type: str
    data: bytes = field(repr=False)


def read_attachment(session: Session, actor: Actor, attachment_id: int) -> AttachmentFile:
    """An attachment's bytes, only for someone who may see its visit (NotFound otherwise)."""
    row = session.get(MysteryAttachment, attachment_id)
    if row is None:
        raise NotFound(f"no attachment {attachment_id}", key="mystery.attachment.not_found")
    visible_visit(session, actor, row.visit_id)
    try:
        data = files.read_file(row.stored_name)
    except FileNotFoundError:
        raise NotFound("attachment file missing", key="mystery.attachment.missing") from None
    return AttachmentFile(row.original_name or row.stored_name, row.content_type, data)
