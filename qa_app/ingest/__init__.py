"""Import file formats (CSV, JSONL, help-desk exports): reading, validation, normalisation
and optional masking of personal data; no database.

``inspect_file`` recognises a file (or raises ``UnreadableFile``); ``read_conversations``
streams ``ParsedConversation`` and ``Rejection`` items from it with flat memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from qa_app.ingest.csv_reader import read_csv
from qa_app.ingest.error_report import ErrorReport, safe_cell
from qa_app.ingest.guard import guard
from qa_app.ingest.jsonl_reader import read_jsonl
from qa_app.ingest.masking import Masker, MaskingConfig, MaskingConfigError
from qa_app.ingest.records import (
    Notice,
    ParsedConversation,
    ParsedMessage,
    Problem,
    Rejection,
    UnreadableFile,
)
from qa_app.ingest.source import SourceFile, inspect_file


def read_conversations(
    source: SourceFile, default_tz: tzinfo, masker: Masker | None = None
) -> Iterator[ParsedConversation | Rejection]:
    """Stream the file's conversations and rejections in file order (as far as grouping allows).

    With a ``masker`` personal data in the text is masked before anything is yielded.
    """
    if source.kind == "csv":
        return read_csv(source, default_tz, masker=masker)
    return read_jsonl(source, default_tz, masker)


def parse_timezone(name: str) -> tzinfo:
    """An IANA zone such as ``Europe/Moscow``; ValueError with a clear message otherwise."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name such as Europe/Moscow)"
        ) from None


__all__ = [
    "ErrorReport",
    "Masker",
    "MaskingConfig",
    "MaskingConfigError",
    "Notice",
    "ParsedConversation",
    "ParsedMessage",
    "Problem",
    "Rejection",
    "SourceFile",
    "UnreadableFile",
    "guard",
    "inspect_file",
    "parse_timezone",
    "read_conversations",
    "safe_cell",
]
