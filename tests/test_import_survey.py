"""Multi-attribute surveys in import files (JSONL ``survey`` object, CSV ``survey_*``
columns): parsed, checked value by value, stored per attribute, replaced on re-import."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from qa_app.ingest import ParsedConversation, Rejection, inspect_file, read_conversations
from qa_app.services.imports import ImportOptions, import_file
from qa_app.storage import db as storage_db
from qa_app.storage.models import Conversation, SurveyRating


def record(cid: str, survey: object = None, **extra) -> dict:
    found = {
        "conversation_id": cid, "channel": "chat", "team": "Tier 1", "customer_id": "u-1",
        **extra,
        "messages": [
            {"role": "customer", "text": "Where is my parcel?", "sent_at": "2026-03-02T09:00:00Z"},
            {"role": "agent", "author": "a.petrova", "text": "On its way.",
             "sent_at": "2026-03-02T09:01:00Z"},
        ],
    }  # fmt: skip
    if survey is not None:
        found["survey"] = survey
    return found


def write(path, records) -> object:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    return path


def read(path):
    items = list(read_conversations(inspect_file(path), ZoneInfo("UTC")))
    good = {i.external_id: i for i in items if isinstance(i, ParsedConversation)}
    return good, [i for i in items if isinstance(i, Rejection)]


GOOD = {"ratings": {"Speed": 4, "courtesy": "2", "competence": 5.0},
        "importance": {"speed": 5, "courtesy": "2,5"}}  # fmt: skip


def test_jsonl_survey_is_parsed_sorted_with_optional_importance(tmp_path) -> None:
    good, rejected = read(write(tmp_path / "a.jsonl", [record("c1", GOOD), record("c2")]))
    assert not rejected
    assert good["c1"].survey == (("competence", 5, None), ("courtesy", 2, 2.5), ("speed", 4, 5.0))
    assert good["c2"].survey == ()


@pytest.mark.parametrize(
    ("survey", "field", "reason"),
    [
        ({"ratings": {"speed": 6}}, "survey.ratings.speed", "must be an integer 1-5, got \"6\""),
        ({"ratings": {"speed": 4}, "importance": {"speed": 0}}, "survey.importance.speed",
         "importance must be a number above 0 and at most 100"),
        ({"ratings": {"speed": 4}, "importance": {"speed": "high"}}, "survey.importance.speed",
         "importance must be a number above 0"),
        ({"ratings": {"speed": 4}, "importance": {"tone": 3}}, "survey.importance.tone",
         "importance is given for an attribute the customer did not rate"),
        ({"importance": {"speed": 3}}, "survey.ratings", "the survey has no ratings"),
        ({"ratings": [4, 5]}, "survey.ratings", "must be a JSON object"),
        ("great", "survey", "must be a JSON object"),
        ({"ratings": {"a b!": 4}}, "survey.ratings", "survey attribute name \"a b!\""),
        ({"ratings": {f"q{i}": 3 for i in range(21)}}, "survey.ratings",
         "the survey rates 21 attributes, at most 20"),
    ],
)  # fmt: skip
def test_bad_survey_value_rejects_its_line_naming_field_and_reason(
    tmp_path, survey, field, reason
) -> None:
    good, rejected = read(write(tmp_path / "a.jsonl", [record("c1", survey), record("c2")]))
    assert list(good) == ["c2"]  # the rest of the file is imported
    (rejection,) = rejected
    lines = rejection.describe("en")
    assert any(f"a.jsonl:1: {field}: {reason}" in line for line in lines), lines


def test_bad_survey_reason_is_in_russian_too(tmp_path) -> None:
    _, (rejection,) = read(write(tmp_path / "a.jsonl", [record("c1", {"ratings": {"q": 9}})]))
    assert "должно быть целым числом от 1 до 5" in rejection.describe("ru")[0]


CSV_HEADER = ("conversation_id,role,author,text,sent_at,survey_speed,survey.courtesy,"
              "Survey Importance Speed\n")  # fmt: skip


def test_csv_survey_columns_are_read_and_blank_cells_mean_no_survey(tmp_path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        CSV_HEADER
        + "c1,customer,,Hi,2026-03-02T09:00:00Z,,,\n"
        + "c1,agent,a.petrova,Hello,2026-03-02T09:01:00Z,4,2,5\n"
        + "c2,customer,,Hi,2026-03-02T09:00:00Z,,,\n"
        + "c2,agent,a.petrova,Hello,2026-03-02T09:01:00Z,,,\n",
        encoding="utf-8",
    )
    good, rejected = read(path)
    assert not rejected
    assert good["c1"].survey == (("courtesy", 2, None), ("speed", 4, 5.0))
    assert good["c2"].survey == ()


def test_csv_bad_survey_cell_rejects_its_row_and_keeps_the_others(tmp_path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        CSV_HEADER
        + "c1,customer,,Hi,2026-03-02T09:00:00Z,,,\n"
        + "c1,agent,a.petrova,Hello,2026-03-02T09:01:00Z,7,2,\n"
        + "c1,agent,a.petrova,Anything else?,2026-03-02T09:02:00Z,,,\n",
        encoding="utf-8",
    )
    good, (rejection,) = read(path)
    assert rejection.line == 3 and rejection.whole is False
    assert rejection.describe("en") == [
        'a.csv:3: survey.ratings.speed: must be an integer 1-5, got "7"'
    ]
    assert len(good["c1"].messages) == 2 and good["c1"].survey == ()


def test_csv_rows_with_different_surveys_reject_the_conversation(tmp_path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        CSV_HEADER
        + "c1,customer,,Hi,2026-03-02T09:00:00Z,4,2,\n"
        + "c1,agent,a.petrova,Hello,2026-03-02T09:01:00Z,5,2,\n",
        encoding="utf-8",
    )
    good, (rejection,) = read(path)
    assert not good and rejection.whole
    assert "rows disagree" in rejection.describe("en")[0]


def _stored(db_url) -> dict[str, list[tuple]]:
    with storage_db.unit_of_work(db_url) as session:
        rows = session.execute(
            select(Conversation.external_id, SurveyRating.attribute, SurveyRating.satisfaction,
                   SurveyRating.importance)
            .join(Conversation, Conversation.id == SurveyRating.conversation_id)
            .order_by(Conversation.external_id, SurveyRating.attribute)
        ).all()  # fmt: skip
    found: dict[str, list[tuple]] = {}
    for external_id, *rest in rows:
        found.setdefault(external_id, []).append(tuple(rest))
    return found


def _run(db_url, path):
    with storage_db.unit_of_work(db_url) as session:
        return import_file(session, path, options=ImportOptions())


def test_survey_is_stored_per_attribute_and_replaced_on_reimport(db_url, tmp_path) -> None:
    first = _run(db_url, write(tmp_path / "v1.jsonl", [record("c1", GOOD), record("c2")]))
    assert (first.imported, first.exit_code) == (2, 0)
    assert _stored(db_url) == {
        "c1": [("competence", 5, None), ("courtesy", 2, 2.5), ("speed", 4, 5.0)]
    }
    again = _run(db_url, write(tmp_path / "v1b.jsonl", [record("c1", GOOD), record("c2")]))
    assert (again.unchanged, again.updated) == (2, 0)  # same survey: same content hash
    changed = {"ratings": {"speed": 2}}
    later = _run(db_url, write(tmp_path / "v2.jsonl", [record("c1", changed),
                                                        record("c2", {"ratings": {"speed": 5}})]))  # fmt: skip
    assert later.updated == 2
    assert _stored(db_url) == {"c1": [("speed", 2, None)], "c2": [("speed", 5, None)]}


def test_file_without_surveys_keeps_its_earlier_content_hash(tmp_path) -> None:
    good, _ = read(write(tmp_path / "a.jsonl", [record("c1")]))
    with_survey, _ = read(write(tmp_path / "b.jsonl", [record("c1", {"ratings": {"q": 3}})]))
    assert good["c1"].content_hash != with_survey["c1"].content_hash
    # the hash of a conversation without a survey is computed exactly as before the survey
    from qa_app.ingest.assemble import CONVERSATION_FIELDS, content_hash

    assert "survey" not in CONVERSATION_FIELDS
    fields = {"channel": "chat", "customer_id": "u-1", "team": "Tier 1"}
    assert content_hash("c1", fields, good["c1"].messages) == good["c1"].content_hash
