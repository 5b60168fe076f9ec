"""Visit attachments: screenshots and audio notes, checked by content and kept out of reach.

A file is accepted only when its first bytes say it is one of the allowed kinds (PNG,
JPEG, WebP, PDF, MP3, OGG, WAV, M4A): the name and the browser's content type are not
trusted, so ``invoice.png`` that is really an HTML page is refused. The bytes are written
to ``<data dir>/mystery-attachments/`` (``QA_STUDIO_DATA_DIR``, never the web root) under a
random name; the original name is kept only to show and to suggest on download. Reading a
file goes through ``visits.read_attachment``, which checks that the actor may see the visit.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qa_app.services.errors import InvalidInput
from qa_app.storage.settings import data_dir

#: 10 MB in the decimal megabytes the browser's upload box shows beside each file, so
#: the size it shows and the size a refusal names are the same number.
MB = 1_000_000
MAX_BYTES = 10 * MB
ATTACHMENTS_ENV = "QA_STUDIO_ATTACHMENTS_DIR"
FOLDER = "mystery-attachments"


@dataclass(frozen=True, slots=True)
class Kind:
    """An allowed kind of file: its content type and the extension used on download."""

    content_type: str
    extension: str


PNG = Kind("image/png", "png")
JPEG = Kind("image/jpeg", "jpg")
WEBP = Kind("image/webp", "webp")
PDF = Kind("application/pdf", "pdf")
MP3 = Kind("audio/mpeg", "mp3")
OGG = Kind("audio/ogg", "ogg")
WAV = Kind("audio/wav", "wav")
M4A = Kind("audio/mp4", "m4a")
ALLOWED = (PNG, JPEG, WEBP, PDF, MP3, OGG, WAV, M4A)
#: What the upload widget offers (a convenience only: the content decides).
EXTENSIONS = ("png", "jpg", "jpeg", "webp", "pdf", "mp3", "ogg", "oga", "wav", "m4a")


def sniff(data: bytes) -> Kind | None:
    """The allowed kind these bytes are, from their signature; None for anything else."""
    head = data[:16]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"ID3") or _mpeg_frame(head):
        return MP3
    if head[4:8] == b"ftyp" and head[8:11] in (b"M4A", b"mp4", b"iso", b"M4B"):
        return M4A
    return None


def _mpeg_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, then a layer that is not "reserved"."""
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x06)


def check_upload(name: str, data: bytes) -> Kind:
    """The kind of an upload, or InvalidInput saying which file and why it was refused."""
    shown = Path(name or "").name or "?"
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            f"{shown}: {len(data)} bytes is over the 10 MB limit",
            key="mystery.attachment.too_large",
            name=shown,
            # rounded up, so a file just over the limit never reads "10.0 MB"
            size_mb=f"{math.ceil(len(data) / MB * 10) / 10:.1f}",
            limit_mb=MAX_BYTES // MB,
        )
    if not data:
        raise InvalidInput(
            f"{shown}: the file is empty", key="mystery.attachment.empty", name=shown
        )
    kind = sniff(data)
    if kind is None:
        raise InvalidInput(
            f"{shown}: not an allowed kind of file",
            key="mystery.attachment.forbidden",
            name=shown,
        )
    return kind


def storage_dir() -> Path:
    """Where attachment bytes live: ``QA_STUDIO_ATTACHMENTS_DIR`` or the data folder's
    ``mystery-attachments``; created on first use, readable by the app's user only."""
    explicit = os.environ.get(ATTACHMENTS_ENV, "").strip()
    folder = Path(explicit).expanduser() if explicit else data_dir() / FOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def write_file(data: bytes, kind: Kind) -> tuple[str, str]:
    """Store bytes under a fresh random name; returns ``(stored_name, sha256)``."""
    stored = f"{secrets.token_hex(16)}.{kind.extension}"
    path = storage_dir() / stored
    with open(path, "xb") as handle:  # never overwrite: a clash would be a bug
        handle.write(data)
    os.chmod(path, 0o600)
    return stored, hashlib.sha256(data).hexdigest()


def read_file(stored_name: str) -> bytes:
    """The bytes of a stored attachment; the name comes from the database, never a user."""
    if "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        raise InvalidInput("bad stored attachment name", key="error.not_found")
    return (storage_dir() / stored_name).read_bytes()


def remove_file(stored_name: str) -> None:
    """Delete a stored file (after the transaction that referred to it rolled back)."""
    with contextlib.suppress(FileNotFoundError):
        (storage_dir() / stored_name).unlink()


def stored_names(session, attachment_ids: Iterable[int]) -> list[str]:
    """The stored file names of these attachment rows (read before the rows are deleted)."""
    from sqlalchemy import select

    from qa_app.storage.models import MysteryAttachment

    ids = sorted(attachment_ids)
    names: list[str] = []
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        query = select(MysteryAttachment.stored_name).where(MysteryAttachment.id.in_(batch))
        names.extend(session.scalars(query))
    return names


def remove_files(stored: Iterable[str]) -> None:
    """Delete stored files whose rows were erased or purged: the bytes are personal data
    too, and nothing would ever serve them again."""
    for name in stored:
        if "/" not in name and "\\" not in name and not name.startswith("."):
            remove_file(name)
