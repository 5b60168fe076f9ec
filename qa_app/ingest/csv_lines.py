"""Physical lines of a CSV file for ``csv.reader``: decoded one by one, over-long rows cut.

Why not ``open(path, encoding=...)``: a text stream decodes the whole file with one
encoding and hands over each line whole, however long, so one 50 MB cell either filled
memory or hit the csv module's field limit, which stopped the whole file. Here each
physical line (ended by LF, CRLF or a lone CR, as editors count them) is decoded on its own
(``decoding``), and once a row has used ``ROW_LIMIT`` bytes the rest of it is not kept: it
is replaced by the shortest string that leaves the CSV parser in the same state (inside or
outside quotes, at the start of a field or in one), so every later row parses exactly as
it would have, and memory stays bounded whatever the file holds. The reader learns that
the row was cut and rejects it.
"""

from __future__ import annotations

import codecs
import re
from collections import deque
from collections.abc import Iterator
from typing import BinaryIO

from qa_app.ingest.decoding import LineDecoder

CHUNK = 1 << 20
#: Bytes one CSV row may hold (every cell within its limit in ``limits`` fits many times).
ROW_LIMIT = 2 << 20
_LINE_BREAK = re.compile(rb"(\r\n|\r|\n)")

# The csv module's states that matter for what follows: start of a field, in a plain
# field, in a quoted field, just after a quote inside a quoted field. Each kind of byte run
# maps every state to the next (csv.reader's defaults: doublequote, not strict).
S, F, Q, E = range(4)
_STEPS = {
    "x": (F, F, Q, F),  # ordinary characters
    "d": (S, S, Q, S),  # a run ending with the delimiter
    "q": (Q, F, E, Q),  # a quote
}


def _shortest_strings() -> dict[tuple[int, ...], str]:
    """Shortest string over x/d/q for every state mapping some string produces (BFS)."""
    found = {(S, F, Q, E): ""}
    queue = deque(found)
    while queue:
        mapping = queue.popleft()
        for symbol, step in _STEPS.items():
            after = tuple(step[state] for state in mapping)
            if after not in found:
                found[after] = found[mapping] + symbol
                queue.append(after)
    return found


_SHORTEST = _shortest_strings()


class _Structure:
    """What a cut-off stretch of bytes does to the parser's state, in any starting state."""

    _RUNS = re.compile(rb'"+|[^"]+')

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter
        self.end = delimiter.encode("ascii", "replace")
        self.mapping = (S, F, Q, E)

    def feed(self, data: bytes) -> None:
        mapping = self.mapping
        for run in self._RUNS.findall(data):
            if run[:1] == b'"':  # "" inside quotes is an escaped quote: parity is enough
                symbols = "q" if len(run) % 2 else "qq"
            else:
                symbols = "d" if run.endswith(self.end) else "x"
            for symbol in symbols:
                step = _STEPS[symbol]
                mapping = (step[mapping[0]], step[mapping[1]], step[mapping[2]], step[mapping[3]])
        self.mapping = mapping

    def replacement(self) -> str:
        symbols = _SHORTEST[self.mapping]
        return symbols.replace("d", self.delimiter).replace("q", '"')


def _decode_head(data: bytes) -> str:
    """The kept start of a cut line; a character split by the cut is dropped."""
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


class CsvLines:
    """Iterate decoded physical lines; ``line`` counts them. The consumer calls
    ``start_row`` before each row and reads ``cut``/``bad_bytes`` after it."""

    def __init__(self, handle: BinaryIO, delimiter: str = ",") -> None:
        self.handle = handle
        self.delimiter = delimiter
        self.decoder = LineDecoder()
        self.line = 0
        self.bytes_read = 0  # cheaper than asking the file for its position per row
        self.exhausted = False
        self.row_bytes = 0
        self.cut = False
        self.bad_bytes = False
        self._kept: list[bytes] = []  # the start of a line that goes on in the next chunk
        self._structure: _Structure | None = None  # what the cut part of this line did
        if handle.peek(3)[:3] == codecs.BOM_UTF8:
            self.bytes_read += len(handle.read(3))

    def start_row(self) -> None:
        self.row_bytes, self.cut, self.bad_bytes = 0, False, False

    def __iter__(self) -> Iterator[str]:
        read = self.handle.readline
        decode = self.decoder.decode
        while raw := read(CHUNK):
            size = len(raw)
            self.bytes_read += size
            if (  # the usual line: whole, one line break at its end, room left in the row
                raw[-1:] == b"\n"
                and raw.find(b"\r", 0, size - 2) < 0
                and not self._kept
                and self._structure is None
                and not self.cut
                and self.row_bytes + size <= ROW_LIMIT
            ):
                self.row_bytes += size
                self.line += 1
                text, ok = decode(raw, self.line)
                self.bad_bytes |= not ok
                yield text
            else:
                yield from self._split(raw)
        if self._kept or self._structure is not None:  # no line break at the end of the file
            yield self._end_line(b"")
        self.exhausted = True

    def _split(self, raw: bytes) -> Iterator[str]:
        """The slow path: lone CRs, lines longer than a chunk, rows over the limit."""
        if raw.endswith(b"\r") and self.handle.peek(1)[:1] == b"\n":
            raw += self.handle.read(1)
            self.bytes_read += 1
        parts = _LINE_BREAK.split(raw)  # content, break, content, break, ..., content
        for index in range(0, len(parts) - 1, 2):
            self._take(parts[index])
            yield self._end_line(parts[index + 1])
        if parts[-1]:
            self._take(parts[-1])  # the line goes on in the next chunk (or ends the file)

    def _take(self, content: bytes) -> None:
        room = 0 if self.cut else ROW_LIMIT - self.row_bytes
        self.row_bytes += len(content)
        if len(content) <= room:
            self._kept.append(content)
            return
        if room > 0:
            self._kept.append(content[:room])
        if self._structure is None:
            self._structure = _Structure(self.delimiter)
        self._structure.feed(content[max(room, 0) :])
        self.cut = True

    def _end_line(self, line_break: bytes) -> str:
        self.line += 1
        head = b"".join(self._kept)
        structure, self._kept, self._structure = self._structure, [], None
        if structure is None:
            text, ok = self.decoder.decode(head + line_break, self.line)
            self.bad_bytes |= not ok
            return text
        return _decode_head(head) + structure.replacement() + line_break.decode("ascii")
