"""Field parsers of the import formats: aliases, ranges, time zones."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from qa_app.ingest import values as v

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Telegram", "messenger"),
        ("WhatsApp", "messenger"),
        ("viber", "messenger"),
        ("WeChat", "messenger"),
        ("VK", "social"),
        ("twitter", "social"),
        ("X", "social"),
        ("Facebook", "social"),
        ("instagram", "social"),
        ("E-mail", "email"),
        ("mail", "email"),
        ("Почта", "email"),
        ("LiveChat", "chat"),
        ("Чат", "chat"),
        ("Web Chat", "chat"),
        ("call", "phone"),
        ("Voice", "phone"),
        ("Телефон", "phone"),
        ("звонок", "phone"),
        ("chat", "chat"),
    ],
)
def test_channel_names_are_normalised(raw, expected):
    assert v.parse_channel(raw) == expected


def test_unknown_channel_lists_accepted_values():
    with pytest.raises(v.FieldProblem) as caught:
        v.parse_channel("pigeon post")
    assert caught.value.code == "bad_channel"
    assert caught.value.params["accepted"] == "phone, email, chat, messenger, social"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-02T09:15:00+03:00", datetime(2026, 3, 2, 6, 15, tzinfo=UTC)),
        ("2026-03-02T06:15:00Z", datetime(2026, 3, 2, 6, 15, tzinfo=UTC)),
        ("2026-03-02T09:15:00", datetime(2026, 3, 2, 6, 15, tzinfo=UTC)),
        ("2026-03-02 09:15:00", datetime(2026, 3, 2, 6, 15, tzinfo=UTC)),
        ("02.03.2026 09:15", datetime(2026, 3, 2, 6, 15, tzinfo=UTC)),
        ("2.3.2026 09:15:30", datetime(2026, 3, 2, 6, 15, 30, tzinfo=UTC)),
    ],
)
def test_timestamps_become_aware_utc_with_default_zone(raw, expected):
    parsed = v.parse_timestamp(raw, MOSCOW)
    assert parsed == expected
    assert parsed.tzinfo is UTC


def test_zone_less_time_uses_the_given_default_zone():
    assert v.parse_timestamp("2026-03-02 09:15", UTC) == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)


@pytest.mark.parametrize("raw", ["yesterday", "31.02.2026 10:00", "2026-13-01"])
def test_bad_timestamps_are_refused(raw):
    with pytest.raises(v.FieldProblem) as caught:
        v.parse_timestamp(raw, UTC)
    assert caught.value.code == "bad_timestamp"


def test_scores_accept_excel_floats_and_refuse_out_of_range():
    assert v.parse_score("4", 1, 5) == 4
    assert v.parse_score("4.0", 1, 5) == 4
    assert v.parse_score(0, 0, 10) == 0
    for bad in ("7", "4.5", "four", True):
        with pytest.raises(v.FieldProblem) as caught:
            v.parse_score(bad, 1, 5)
        assert caught.value.code == "bad_range_1_5"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("billing|card", ["billing", "card"]),
        ("billing; card", ["billing", "card"]),
        ("billing,card,billing", ["billing", "card"]),
        ('["a", "b"]', ["a", "b"]),
        (["x", " y ", ""], ["x", "y"]),
        ("single", ["single"]),
    ],
)
def test_tags_split_on_pipe_semicolon_or_comma(raw, expected):
    assert v.parse_tags(raw) == expected


def test_roles_status_language_and_bool_aliases():
    assert v.parse_role("Оператор") == "agent"
    assert v.parse_role("client") == "customer"
    assert v.parse_status("Closed") == "resolved"
    assert v.parse_language("Русский") == "ru"
    assert v.parse_bool("да") is True
    assert v.parse_bool("FALSE") is False
    with pytest.raises(v.FieldProblem):
        v.parse_bool("maybe")
    assert v.parse_language("de") == "de"  # stored as what it is (issue 18), scored or not
    assert v.parse_language("Deutsch") == "de" and v.parse_language("pl") == "pl"
    with pytest.raises(v.FieldProblem):
        v.parse_language("klingon")
