"""Recognising an input file: which format, which encoding, and whether it is text at all.

Encodings: each line is decoded on its own (UTF-8, else cp1251 — what Russian Excel writes
for "CSV"; see ``decoding``); the label found here from a 1 MB sample (``utf-8``,
``utf-8-sig``, ``cp1251`` or ``mixed``) only describes the file. UTF-16 and binary files
(a workbook, an archive, random bytes) are refused up front with one clear reason, so
nothing half-imports. A stray NUL byte inside a message does not make a file binary: that
row is rejected, the rest imported.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

from qa_app.ingest.decoding import LineDecoder
from qa_app.ingest.records import UnreadableFile

SAMPLE_BYTES = 1 << 20
JSON_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


@dataclass(slots=True)
class SourceFile:
    """An input file recognised as importable; readers update ``position`` (bytes read)
    and leave the decoding record of their (last) pass in ``decoding``."""

    path: Path
    name: str
    kind: str  # "csv" | "jsonl" | "json"
    encoding: str
    size: int
    position: int = 0
    decoding: LineDecoder | None = None  # set by the reader: which lines were cp1251


#: File signatures of formats people upload by mistake (workbooks, archives, PDFs, images).
BINARY_SIGNATURES = (
    b"PK\x03\x04",  # zip: xlsx, docx, ods
    b"PK\x05\x06",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: xls, doc
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!",
    b"%PDF-",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"SQLite format 3\x00",
)
#: Control bytes text never holds in quantity (tab, line breaks and form feed excluded).
_CONTROL = bytes(range(0, 9)) + bytes(range(14, 32)) + b"\x7f"
CONTROL_SHARE = 0.05
CONTROL_MIN = 16


def _looks_utf16(sample: bytes) -> bool:
    """UTF-16 without a BOM: many NULs, nearly all on even (BE) or odd (LE) positions."""
    nuls = sample.count(0)
    if nuls < 0.2 * len(sample):
        return False
    odd = sample[1::2].count(0)
    return max(odd, nuls - odd) >= 0.9 * nuls


def _looks_binary(sample: bytes) -> bool:
    if sample.startswith(BINARY_SIGNATURES):
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls >= CONTROL_MIN and controls > CONTROL_SHARE * len(sample)


def _label(sample: bytes, whole: bool) -> str:
    """``utf-8``, ``cp1251`` or ``mixed`` (UTF-8 lines and cp1251 lines both present)."""
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=whole)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    lines = sample.splitlines()
    if not whole and len(lines) > 1:
        lines.pop()  # the sample may end in the middle of a character
    for line in lines:
        if not line.isascii():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            return "mixed"
    return "cp1251"


def _detect_encoding(sample: bytes, whole: bool, name: str) -> str:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(sample):
        raise UnreadableFile(name, "utf16")
    if _looks_binary(sample):
        raise UnreadableFile(name, "binary")
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return _label(sample, whole)


def _detect_kind(path: Path, sample: bytes, encoding: str) -> str:
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return JSON_SUFFIXES[suffix]
    if suffix in CSV_SUFFIXES:
        return "csv"
    head = sample.decode("utf-8", errors="ignore").lstrip().lstrip("\ufeff")
    if head.startswith("["):
        return "json"
    return "jsonl" if head.startswith("{") else "csv"


def inspect_file(path: str | os.PathLike[str], name: str | None = None) -> SourceFile:
    """Recognise ``path`` or raise ``UnreadableFile`` with the reason (nothing is read twice)."""
    file_path = Path(path)
    # the name is shown in messages and stored: no control characters, no lone surrogates
    display = "".join(ch for ch in (name or file_path.name) if ch.isprintable())[:500] or "-"
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
