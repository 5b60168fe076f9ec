"""Property-based tests of both importers (issue 12 item 9), on a real SQLite file and the
real PostgreSQL server.

Two kinds of property:

* with an oracle: files built from values known to be good or known to be bad (calendar
  edges with offsets, numbers of any size, NUL and surrogates, deep JSON, over-long text,
  unknown roles, duplicated ids, rows pasted in cp1251), where every good row must be
  stored exactly as written and every bad one reported at its own line;
* without one: arbitrary bytes, arbitrary text, timestamps in odd formats, numbers of any
  size, where the run must never stop on anything but ``UnreadableFile`` for a file that
  is not a conversation file at all, and every row must be either stored or reported.

Each example imports under a source of its own, so examples share one database.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from qa_app.services.imports import ImportFailed, ImportOptions, import_file
from qa_app.storage import db as storage_db
from qa_app.storage.models import Conversation, Message

FAST = settings(
    max_examples=int(os.environ.get("QA_STUDIO_PROPERTY_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SLOW = settings(FAST, max_examples=150)
#: Whole-file refusals ``UnreadableFile`` documents; anything else must not stop a run.
WHOLE_FILE_CODES = {"binary", "utf16", "empty", "missing_columns", "no_json"}
_SOURCES = itertools.count()

# ---- values -------------------------------------------------------------------------

GOOD_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
).filter(lambda s: s.strip())
RUSSIAN = ["Здравствуйте, где мой заказ?", "Спасибо, всё решилось", "Не проходит оплата картой"]
GOOD_TIMES = st.sampled_from(
    ["2026-03-02T09:15:00+03:00", "02.03.2026 09:15", "2026-03-02 09:15:00", "1970-01-01T00:00Z",
     "2199-12-31T23:00:00+00:00", "2026-03-02T09:15:00.123456-11:30", ""]
)  # fmt: skip
EDGE_TIMES = st.sampled_from(
    ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+03:00", "9999-12-31T23:30:00",
     "0001-01-01", "1969-12-31T23:59:59Z", "2200-01-01T00:00:00Z", "2026-02-30 10:00",
     "32.13.2026 09:15", "yesterday", "2026-03-02T09:15:00+25:00"]
)  # fmt: skip
BAD_NUMBERS = st.one_of(
    st.integers(min_value=6),
    st.integers(max_value=0),
    st.integers(min_value=10**30, max_value=10**400),
    st.sampled_from([4.5, float("inf"), float("nan"), -0.5, 1e400]),
)
BAD_NPS = st.one_of(
    st.integers(min_value=11),
    st.integers(max_value=-1),
    st.integers(min_value=10**30, max_value=10**400),
    st.sampled_from([7.5, float("-inf"), float("nan"), 1e400]),
)
DEEP = st.integers(min_value=1100, max_value=20_000).map(lambda n: "[" * n + "]" * n)


def _with(text: str, char: str) -> str:
    return text[: len(text) // 2] + char + text[len(text) // 2 :]


# A bad CSV row: (column, value, field reported, reason code).
BAD_CSV = st.one_of(
    EDGE_TIMES.map(lambda v: ("sent_at", v, "sent_at", None)),
    BAD_NUMBERS.map(lambda v: ("csat", str(v), "csat", "bad_range_1_5")),
    st.integers(min_value=10**50, max_value=10**400).map(lambda v: ("csat", str(v), "csat", None)),
    GOOD_TEXT.map(lambda v: ("text", _with(v, "\x00"), "text", "bad_character")),
    st.just(("text", "x" * 100_001, "text", "too_long")),
    st.just(("text", "   ", "text", "required")),
    DEEP.map(lambda v: ("tags", v, "tags", None)),  # too_deep, or not_text if it parses
    st.just(("role", "robot", "role", "bad_role")),
    st.just(("conversation_id", "id\x00nul", "conversation_id", "bad_character")),
    st.just(("team", "T" * 121, "team", "too_long")),
)
CSV_COLUMNS = ["conversation_id", "channel", "sent_at", "role", "author", "text", "csat", "tags",
               "team"]  # fmt: skip


@st.composite
def csv_files(draw):
    """Rows of several conversations, shuffled (ids repeat across the file), some bad,
    some pasted in cp1251; returns (rows, expected stored texts, expected bad lines)."""
    conversations = draw(st.integers(1, 5))
    rows = []
    for number in range(conversations):
        shared = {"conversation_id": f"c{number}", "channel": draw(st.sampled_from(
            ["chat", "E-mail", "Telegram", ""])), "csat": draw(st.sampled_from(["", "4", "5.0"])),
            "tags": draw(st.sampled_from(["", "billing|refund", '["a", 1]'])), "team": "Tier 1"}  # fmt: skip
        for _ in range(draw(st.integers(1, 4))):
            row = dict(shared, sent_at=draw(GOOD_TIMES), author="a.petrova")
            row["role"] = draw(st.sampled_from(["customer", "agent", "Клиент", "operator"]))
            cp1251 = draw(st.booleans())
            row["text"] = draw(st.sampled_from(RUSSIAN)) if cp1251 else draw(GOOD_TEXT)
            bad = draw(st.none() | BAD_CSV)
            if bad:
                row[bad[0]] = bad[1]
            rows.append((row, bad, cp1251 and not bad))
    return draw(st.permutations(rows))


def write_csv(path, rows) -> tuple[list[str], dict[int, tuple]]:
    """The file, and the physical line where each bad row starts."""
    data = bytearray(",".join(CSV_COLUMNS).encode() + b"\n")
    line, bad_lines, good_texts = 2, {}, []
    for row, bad, cp1251 in rows:
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow(
            [row[name] for name in CSV_COLUMNS]
        )
        text = buffer.getvalue()
        data += text.encode("cp1251" if cp1251 else "utf-8")
        if bad:
            bad_lines[line] = bad
        else:
            good_texts.append(row["text"].strip())
        line += text.count("\n") + text.count("\r") - text.count("\r\n")
    path.write_bytes(bytes(data))
    return good_texts, bad_lines


def run_import(db_url, path, tmp_path):
    source = f"p{next(_SOURCES)}"
    with storage_db.unit_of_work(db_url) as session:
        options = ImportOptions(source=source, errors_dir=tmp_path, default_tz="Europe/Moscow")
        summary = import_file(session, path, options=options)
    with storage_db.unit_of_work(db_url) as session:
        query = select(Message.text).join(Conversation).where(Conversation.source == source)
        stored = list(session.scalars(query))
    assert len(stored) == summary.messages
    for rejection in summary.rejections:
        assert rejection.file == path.name and rejection.line >= 1
        for problem in rejection.problems:
            assert problem.field and problem.reason("en") and problem.reason("ru")
    return summary, stored


def check_csv(db_url, tmp_path, rows) -> None:
    path = tmp_path / "prop.csv"
    good_texts, bad_lines = write_csv(path, rows)
    summary, stored = run_import(db_url, path, tmp_path)
    assert sorted(stored) == sorted(good_texts)  # every good row, exactly as written
    reported = {r.line: r.problems[0] for r in summary.rejections if r.rows}
    assert set(reported) == set(bad_lines)  # every bad row, at its own line
    for line, (_, _, field, code) in bad_lines.items():
        assert reported[line].field == field
        assert code is None or reported[line].code == code
    assert summary.messages + summary.rejected_rows == len(rows)


@FAST
@given(rows=csv_files())
def test_csv_every_good_row_is_stored_and_every_bad_one_reported(db_url, tmp_path, rows):
    check_csv(db_url, tmp_path, rows)


@pytest.mark.slow
@SLOW
@given(rows=csv_files())
def test_csv_every_good_row_is_stored_and_every_bad_one_reported_slow(db_url, tmp_path, rows):
    check_csv(db_url, tmp_path, rows)


# ---- JSONL ----------------------------------------------------------------------------

BAD_MESSAGE = st.one_of(
    EDGE_TIMES.map(lambda v: ("sent_at", v, None)),
    GOOD_TEXT.map(lambda v: ("text", _with(v, "\x00"), "bad_character")),
    GOOD_TEXT.map(lambda v: ("text", _with(v, "\ud83d"), "bad_character")),
    st.just(("text", {"html": "<p>x</p>"}, "not_text")),
    st.just(("text", "y" * 100_001, "too_long")),
    st.just(("role", "robot", "bad_role")),
    st.just(("author", "a" * 121, "too_long")),
)
BAD_CONVERSATION = st.one_of(
    EDGE_TIMES.map(lambda v: ("started_at", v, None)),
    BAD_NUMBERS.map(lambda v: ("csat", v, "bad_range_1_5")),
    BAD_NPS.map(lambda v: ("nps", v, "bad_range_0_10")),
    st.just(("customer_id", [[["nested"]]], "not_text")),
    st.just(("tags", ["ok", "t\x00g"], "bad_character")),
    st.just(("tags", [f"t{i}" for i in range(60)], "too_many_tags")),
    st.just(("channel", "pigeon", "bad_channel")),
)


@st.composite
def jsonl_files(draw):
    """Lines: (json text, expected) where expected is "good", ("line", code) for a line
    rejected whole, or a list of (message index, code) for rejected messages."""
    lines, first_kind = [], None
    for number in range(draw(st.integers(1, 6))):
        messages = [
            {"role": draw(st.sampled_from(["customer", "agent"])), "text": draw(GOOD_TEXT),
             "sent_at": draw(GOOD_TIMES), "author": "b.ivanov"}
            for _ in range(draw(st.integers(2, 4)))
        ]  # fmt: skip
        record = {"conversation_id": f"j{number}", "channel": "chat", "messages": messages}
        kind = draw(st.sampled_from(["good", "message", "conversation", "deep", "duplicate"]))
        first_kind = first_kind or kind
        expected: object = "good"
        if kind == "message":
            field, value, code = draw(BAD_MESSAGE)
            messages[0][field] = value
            expected = [(0, f"messages[0].{field}", code)]
        elif kind == "conversation":
            field, value, code = draw(BAD_CONVERSATION)
            record[field] = value
            expected = ("line", field, code)
        elif kind == "deep":
            record["customer_id"] = "DEEP"
            # too_deep, or not_text on customer_id where the parser's depth allows it
            expected = ("line", None, None)
        elif kind == "duplicate" and lines and first_kind != "deep":  # j0 was read
            record["conversation_id"] = "j0"
            expected = ("line", "conversation_id", "duplicate_in_file")
        text = json.dumps(record).replace('"DEEP"', draw(DEEP))
        lines.append((text, expected, record))
    return lines


def check_jsonl(db_url, tmp_path, lines) -> None:
    path = tmp_path / "prop.jsonl"
    path.write_text("\n".join(text for text, _, _ in lines) + "\n", encoding="utf-8")
    summary, stored = run_import(db_url, path, tmp_path)
    expected_texts, whole, partial = [], {}, {}
    for number, (_, expected, record) in enumerate(lines, start=1):
        if isinstance(expected, tuple):
            whole[number] = expected[1:]
            continue
        skipped = {index for index, _, _ in expected} if isinstance(expected, list) else set()
        partial.update({number: expected} if skipped else {})
        expected_texts += [m["text"].strip() for i, m in enumerate(record["messages"])
                           if i not in skipped]  # fmt: skip
    assert sorted(stored) == sorted(expected_texts)
    found_whole = {r.line: r.problems[0] for r in summary.rejections if r.whole}
    assert set(found_whole) == set(whole)
    for line, (field, code) in whole.items():
        assert field is None or found_whole[line].field == field
        assert code is None or found_whole[line].code == code
    found_partial = {r.line: r.problems[0] for r in summary.rejections if not r.whole}
    assert set(found_partial) == set(partial)
    for line, ((_, field, code),) in partial.items():
        assert found_partial[line].field == field
        assert code is None or found_partial[line].code == code


@FAST
@given(lines=jsonl_files())
def test_jsonl_every_good_line_is_stored_and_every_bad_one_reported(db_url, tmp_path, lines):
    check_jsonl(db_url, tmp_path, lines)


@pytest.mark.slow
@SLOW
@given(lines=jsonl_files())
def test_jsonl_every_good_line_is_stored_and_every_bad_one_reported_slow(db_url, tmp_path, lines):
    check_jsonl(db_url, tmp_path, lines)


# ---- no oracle: anything at all -------------------------------------------------------


def import_anything(db_url, tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    try:
        return run_import(db_url, path, tmp_path)
    except ImportFailed as exc:
        assert exc.key.removeprefix("import.fatal.") in WHOLE_FILE_CODES, exc.key
        return None


@FAST
@given(data=st.binary(max_size=3000), name=st.sampled_from(["x.csv", "x.jsonl", "x.json"]))
def test_random_bytes_never_stop_a_run_but_as_an_unreadable_file(db_url, tmp_path, data, name):
    import_anything(db_url, tmp_path, name, data)


ODD_TIMES = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.builds("{:02d}.{:02d}.{:04d} {:02d}:{:02d}".format, st.integers(0, 99),
              st.integers(0, 99), st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99)),
    st.from_regex(r"\A[0-9T:+\-Z. ]{1,30}\Z"),
    st.integers().map(str),
)  # fmt: skip
ANY_CELL = st.one_of(
    st.text(max_size=30), ODD_TIMES, st.integers().map(str), st.floats().map(str),
    st.sampled_from(["\x00", "\r", "\r\n", '"', '""', ",", ";", "\ufeff", "\u2028", "\x85"]),
)  # fmt: skip


@FAST
@given(
    cells=st.lists(st.lists(ANY_CELL, min_size=3, max_size=10), max_size=12),
    encodings=st.lists(st.sampled_from(["utf-8", "cp1251"]), min_size=12, max_size=12),
)
def test_any_csv_body_is_stored_or_reported_row_by_row(db_url, tmp_path, cells, encodings):
    header = "conversation_id,role,text,sent_at,csat,nps,tags,channel,author,started_at\n"
    data = bytearray(header.encode())
    for row, encoding in zip(cells, encodings, strict=False):
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\n").writerow(row)
        data += buffer.getvalue().encode(encoding, errors="replace")
    result = import_anything(db_url, tmp_path, "any.csv", bytes(data))
    if result is None:
        return
    summary, _ = result
    text_rows = _rows_of(bytes(data))
    assert summary.messages + summary.rejected_rows == text_rows


def _rows_of(data: bytes) -> int:
    """Rows with any content, counted by the csv module on the text decoded line by line."""
    lines = [_decode(raw) for raw in data.splitlines(keepends=True)]
    records = list(csv.reader(io.StringIO("".join(lines), newline="")))[1:]
    return sum(1 for record in records if any(cell.strip() for cell in record))


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1251", errors="replace")


@FAST
@given(
    values=st.lists(
        st.fixed_dictionaries({}, optional={
            "conversation_id": st.one_of(st.text(max_size=8), st.integers()),
            "csat": st.one_of(st.integers(), st.floats(), st.text(max_size=5)),
            "nps": st.one_of(st.integers(), st.floats()),
            "started_at": ODD_TIMES, "tags": st.lists(st.text(max_size=5), max_size=3),
            "messages": st.lists(st.fixed_dictionaries({}, optional={
                "role": st.sampled_from(["customer", "agent", "?"]), "text": st.text(max_size=20),
                "sent_at": ODD_TIMES}), max_size=3),
        }),
        min_size=1, max_size=8,
    )
)  # fmt: skip
def test_any_jsonl_values_are_stored_or_reported(db_url, tmp_path, values):
    data = "\n".join(json.dumps(v) for v in values).encode("utf-8", "surrogatepass")
    result = import_anything(db_url, tmp_path, "any.jsonl", data + b"\n")
    if result is None:
        return
    summary, _ = result
    stored = summary.imported
    rejected_lines = {r.line for r in summary.rejections if r.whole}
    assert stored + len(rejected_lines) == len(values)
