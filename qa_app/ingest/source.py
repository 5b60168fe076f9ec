"""Recognising an input file: which format, which encoding, and whether it is text at all.

Encodings: UTF-8 (with or without BOM) is tried strictly on a 1 MB sample, then cp1251 —
the encoding Russian Excel uses for "CSV". UTF-16 and binary files are refused up front
with one clear reason, so nothing half-imports.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

from qa_app.ingest.records import UnreadableFile

SAMPLE_BYTES = 1 << 20
JSON_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


@dataclass(slots=True)
class SourceFile:
    """An input file recognised as importable; readers update ``position`` (bytes read)."""

    path: Path
    name: str
    kind: str  # "csv" | "jsonl" | "json"
    encoding: str
    size: int
    position: int = 0


def _detect_encoding(sample: bytes, whole: bool, name: str) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile(name, "utf16")
    if b"\x00" in sample:
        raise UnreadableFile(name, "binary")
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=whole)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1251")
    except UnicodeDecodeError:
        raise UnreadableFile(name, "encoding") from None
    return "cp1251"


def _detect_kind(path: Path, sample: bytes, encoding: str) -> str:
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return JSON_SUFFIXES[suffix]
    if suffix in CSV_SUFFIXES:
        return "csv"
    head = sample.decode(encoding, errors="ignore").lstrip()
    if head.startswith("["):
        return "json"
    return "jsonl" if head.startswith("{") else "csv"


def inspect_file(path: str | os.PathLike[str], name: str | None = None) -> SourceFile:
    """Recognise ``path`` or raise ``UnreadableFile`` with the reason (nothing is read twice)."""
    file_path = Path(path)
    display = name or file_path.name
    if not file_path.is_file():
        raise UnreadableFile(display, "missing", path=str(file_path))
    try:
        size = file_path.stat().st_size
        with file_path.open("rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise UnreadableFile(display, "os_error", detail=exc.strerror or str(exc)) from None
    if not sample.strip():
        raise UnreadableFile(display, "empty")
    encoding = _detect_encoding(sample, len(sample) >= size, display)
    kind = _detect_kind(file_path, sample, encoding)
    return SourceFile(file_path, display, kind, encoding, size)
