"""Help-desk exports (Zendesk, Intercom, Freshdesk) read into the import's records.

``read_helpdesk_export(path, "zendesk")`` yields ``ParsedConversation`` and ``Rejection``
exactly like the CSV/JSONL readers, so the import service stores them the same way; its
``warnings`` list, complete once iteration ends, says what was ignored (unknown fields,
unmapped codes, messages without text) and how often. ``helpdesk_reader`` gives the same
as a reader function for ``import_file``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, tzinfo

from qa_app.ingest.helpdesk import freshdesk, intercom, zendesk
from qa_app.ingest.helpdesk.common import Document, FieldReport, Notice, load_documents
from qa_app.ingest.masking import Masker, MaskingConfig
from qa_app.ingest.records import ParsedConversation, Rejection
from qa_app.ingest.source import SourceFile, inspect_file

Adapter = Callable[
    [list[Document], str, tzinfo, Masker | None, FieldReport],
    Iterator[ParsedConversation | Rejection],
]
ADAPTERS: dict[str, Adapter] = {
    "zendesk": zendesk.read,
    "intercom": intercom.read,
    "freshdesk": freshdesk.read,
}
HELPDESK_SOURCES = tuple(ADAPTERS)


class HelpdeskReader:
    """A reader for ``import_file``: call it with the recognised file; after iterating,
    ``warnings`` holds what the adapter ignored."""

    def __init__(self, helpdesk: str) -> None:
        if helpdesk not in ADAPTERS:
            accepted = ", ".join(HELPDESK_SOURCES)
            raise ValueError(f"unknown help desk {helpdesk!r}; accepted: {accepted}")
        self.helpdesk = helpdesk
        self.warnings: list[Notice] = []

    def __call__(
        self, source: SourceFile, default_tz: tzinfo, masker: Masker | None = None
    ) -> Iterator[ParsedConversation | Rejection]:
        documents, rejections = load_documents(source)  # unreadable: raises before anything
        return self._items(source.name, documents, rejections, default_tz, masker)

    def _items(self, name, documents, rejections, default_tz, masker):
        report = FieldReport(self.helpdesk)
        yield from rejections
        yield from ADAPTERS[self.helpdesk](documents, name, default_tz, masker, report)
        self.warnings = report.notices()


class HelpdeskExport:
    """The records of one export file; iterate once, then read ``warnings``."""

    def __init__(self, reader: HelpdeskReader, source: SourceFile, default_tz, masker) -> None:
        self._reader = reader
        self._items = reader(source, default_tz, masker)

    def __iter__(self) -> Iterator[ParsedConversation | Rejection]:
        return self._items

    @property
    def warnings(self) -> list[Notice]:
        return self._reader.warnings


def helpdesk_reader(helpdesk: str) -> HelpdeskReader:
    return HelpdeskReader(helpdesk)


def read_helpdesk_export(
    path: str | os.PathLike[str],
    source: str,
    default_tz: tzinfo = UTC,
    masking: MaskingConfig | Masker | None = None,
) -> HelpdeskExport:
    """Read a Zendesk, Intercom or Freshdesk export file; ``UnreadableFile`` if it cannot
    be read at all, ``ValueError`` for an unknown ``source``."""
    reader = HelpdeskReader(source)
    masker = Masker(masking) if isinstance(masking, MaskingConfig) else masking
    return HelpdeskExport(reader, inspect_file(path), default_tz, masker)


__all__ = [
    "HELPDESK_SOURCES",
    "HelpdeskExport",
    "HelpdeskReader",
    "Notice",
    "helpdesk_reader",
    "read_helpdesk_export",
]
