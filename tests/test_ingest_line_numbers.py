"""Every reported line number is the physical line where the bad row starts, per reader.

Physical lines are counted as an editor counts them (LF, CRLF or a lone CR ends a line),
independently of the readers, from the bytes written before each row. A ``.json`` list
used to report the item's position in the list instead of its line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_app.ingest import Rejection, inspect_file, read_conversations

BREAKS = re.compile(rb"\r\n|\r|\n")
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def physical_line(data: bytes, offset: int) -> int:
    return 1 + len(BREAKS.findall(data, 0, offset))


def rejected_lines(path) -> list[int]:
    items = read_conversations(inspect_file(path), UTC)
    return sorted(item.line for item in items if isinstance(item, Rejection) and item.rows)


texts = st.lists(
    st.sampled_from(["word", "\n", "\r\n", "\r", '"', ",", ";", " ", "ё"]), min_size=1, max_size=8
).map("".join)
rows = st.lists(st.tuples(st.booleans(), texts), min_size=1, max_size=12)


@SETTINGS
@given(rows=rows, terminator=st.sampled_from(["\n", "\r\n", "\r"]))
def test_csv_lines_point_at_the_row_start_with_multiline_quoted_fields(tmp_path, rows, terminator):
    data = bytearray(f"conversation_id,role,text{terminator}".encode())
    expected = []
    for index, (bad, text) in enumerate(rows):
        buffer = io.StringIO(newline="")
        cells = [f"c{index}", "robot" if bad else "customer", f"x{text}"]
        csv.writer(buffer, lineterminator=terminator, quoting=csv.QUOTE_NONNUMERIC).writerow(cells)
        if bad:
            expected.append(physical_line(bytes(data), len(data)))
        data += buffer.getvalue().encode()
    path = tmp_path / "lines.csv"
    path.write_bytes(bytes(data))
    assert rejected_lines(path) == expected


def test_csv_lines_of_cut_unclosed_and_extra_column_rows(tmp_path):
    data = (
        (
            'conversation_id,role,text\r\nok,customer,"a\r\nb"\r\n'  # lines 1-3
            "wide,customer,hi,extra\r\n"  # line 4: too many columns
            'big,customer,"' + "\n".join(["q" * 1_000_000] * 3) + '"\n'  # lines 5-7: over 2 MB
            'ok,customer,"c\rd"\n'  # lines 8-9
            'open,customer,"never closed\nmore\n'  # lines 10-11: quote never closed
        ).encode()
    )
    path = tmp_path / "trouble.csv"
    path.write_bytes(data)
    items = list(read_conversations(inspect_file(path), UTC))
    found = {(r.line, r.problems[0].code) for r in items if isinstance(r, Rejection) and r.rows}
    assert found == {(4, "extra_columns"), (5, "row_too_long"), (10, "unclosed_quote")}


@SETTINGS
@given(
    layout=st.lists(st.sampled_from(["good", "bad", "blank", "broken"]), min_size=1, max_size=10),
    terminator=st.sampled_from(["\n", "\r\n"]),
)
def test_jsonl_lines_point_at_the_physical_line(tmp_path, layout, terminator):
    lines, expected = [], []
    for index, kind in enumerate(layout, start=1):
        record = {"conversation_id": f"c{index}", "messages": [{"role": "customer", "text": "x"}]}
        if kind == "bad":
            record["csat"] = 9
        lines.append({"good": json.dumps(record), "bad": json.dumps(record), "blank": "  "}.get(
            kind, "{not json"))  # fmt: skip
        if kind in ("bad", "broken"):
            expected.append(index)
    path = tmp_path / "lines.jsonl"
    path.write_bytes((terminator.join(lines) + terminator).encode())
    if all(kind in ("blank", "broken") for kind in layout):
        return  # no JSON at all: the whole file is unreadable (tested elsewhere)
    assert rejected_lines(path) == expected


def test_json_list_items_are_reported_at_the_line_they_start_on(tmp_path):
    records = [
        {"conversation_id": f"c{i}", "csat": 9 if i in (2, 5) else 4,
         "messages": [{"role": "customer", "text": "line one\nline two"}]}
        for i in range(1, 7)
    ]  # fmt: skip
    text = json.dumps(records, indent=2, ensure_ascii=False)
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    data = text.encode()
    starts = [m.start() for m in re.finditer(rb"\n  \{", data)]
    expected = [physical_line(data, starts[i - 1] + 1) for i in (2, 5)]
    assert expected[0] > 2  # a line number, not the item's position in the list
    assert rejected_lines(path) == expected
