"""``csv_lines``: the CSV parser sees the same rows as from the whole text, and a cut row
leaves every later row untouched whatever quotes and delimiters the cut part held."""

from __future__ import annotations

import csv
import io
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.ingest import csv_lines
from qa_app.ingest.csv_lines import CsvLines

PIECES = st.sampled_from(["a", "bb", '"', '""', ",", ";", "\n", "\r", "\r\n", "ж", "\x00", " "])
FILES = st.lists(PIECES, max_size=60).map("".join)


def parsed(data: bytes, delimiter: str = ",") -> list[tuple[int, list[str], bool]]:
    lines = CsvLines(io.BufferedReader(io.BytesIO(data)), delimiter)
    rows = []
    for cells in csv.reader(lines, delimiter=delimiter):
        rows.append((lines.line, cells, lines.cut))
        lines.start_row()
    return rows


def reference(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@settings(max_examples=300, deadline=None)
@given(text=FILES, chunk=st.sampled_from([1, 2, 3, 7, 1 << 20]), delimiter=st.sampled_from(",;"))
def test_rows_equal_the_csv_module_on_the_whole_text(text, chunk, delimiter):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_lines, "CHUNK", chunk)
        rows = parsed(text.encode(), delimiter)
    assert [cells for _, cells, _ in rows] == reference(text, delimiter)
    assert not any(cut for _, _, cut in rows)
    if rows:  # physical lines as an editor counts them
        breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
        assert rows[-1][0] == breaks + (0 if text.endswith(("\n", "\r")) else 1)


@settings(max_examples=300, deadline=None)
@given(text=FILES, limit=st.integers(1, 12), chunk=st.sampled_from([1, 3, 1 << 20]))
def test_cut_rows_leave_the_other_rows_as_they_were(text, limit, chunk):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_lines, "ROW_LIMIT", limit)
        patch.setattr(csv_lines, "CHUNK", chunk)
        rows = parsed(text.encode())
    expected = reference(text)
    assert len(rows) == len(expected)
    for (_, cells, cut), whole in zip(rows, expected, strict=True):
        assert cut or cells == whole


def test_a_50_mb_row_is_read_in_bounded_memory():
    data = b"id,text\n1,ok\n2," + b"q" * (50 << 20) + b"\n3,ok\n"
    tracemalloc.start()
    rows = parsed(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [(line, cells[0], cut) for line, cells, cut in rows] == [
        (1, "id", False),
        (2, "1", False),
        (3, "2", True),
        (4, "3", False),
    ]
    assert peak < 24 << 20  # the row limit and a chunk, not the 50 MB
