"""Holding CSV rows until their conversation is complete, with flat memory.

Why this design: a first pass over the file records, for each conversation id, the line
of its last row (a few dozen bytes per conversation). The second pass buffers rows only
for conversations still "open" and hands a conversation over the moment its last row is
read. Exports sorted by conversation, or by time with modest overlap, keep only a handful
of rows in memory and need no sorting. When a pathological file (rows of every
conversation spread from top to bottom) pushes the buffer past ``limit`` rows, the buffer
spills to an append-only temporary file and keeps only byte offsets per conversation in
memory — no sort, no database, and memory stays bounded by the number of conversations.
"""

from __future__ import annotations

import json
import tempfile
from array import array
from typing import IO

Row = tuple[int, list[str]]


class RowBuffer:
    """Rows grouped by conversation key; ``pop`` returns them in file order."""

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._rows: dict[str, list[Row]] = {}
        self._count = 0
        self._spill: IO[bytes] | None = None
        self._offsets: dict[str, array] = {}

    @property
    def spilled(self) -> bool:
        return self._spill is not None

    def add(self, key: str, line: int, cells: list[str]) -> None:
        if self._spill is not None:
            self._write(key, line, cells)
            return
        self._rows.setdefault(key, []).append((line, cells))
        self._count += 1
        if self._count > self.limit:
            self._start_spill()

    def pop(self, key: str) -> list[Row]:
        rows = self._rows.pop(key, [])
        self._count -= len(rows)
        offsets = self._offsets.pop(key, None)
        if offsets is not None and self._spill is not None:
            rows.extend(self._read(offsets))
        return rows

    def close(self) -> None:
        if self._spill is not None:
            self._spill.close()
            self._spill = None
        self._rows.clear()
        self._offsets.clear()

    def _start_spill(self) -> None:
        self._spill = tempfile.TemporaryFile(prefix="qa-import-rows-")  # noqa: SIM115 - closed in close()
        for key, rows in self._rows.items():
            for line, cells in rows:
                self._write(key, line, cells)
        self._rows.clear()
        self._count = 0

    def _write(self, key: str, line: int, cells: list[str]) -> None:
        assert self._spill is not None
        self._spill.seek(0, 2)
        self._offsets.setdefault(key, array("q")).append(self._spill.tell())
        record = json.dumps([line, cells], ensure_ascii=False).encode("utf-8")
        self._spill.write(record + b"\n")

    def _read(self, offsets: array) -> list[Row]:
        assert self._spill is not None
        rows = []
        for offset in offsets:
            self._spill.seek(offset)
            line, cells = json.loads(self._spill.readline())
            rows.append((line, cells))
        return rows
