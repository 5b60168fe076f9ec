"""Survey columns through a column mapping: a help desk's own "Speed rating" columns feed
the CSI exactly as the standard ``survey_<attribute>`` columns do, a bad rating rejects only
its row and names the field, and the page lets a lead pick the columns, in both languages."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from test_import_survey import _stored as _ratings
from ui_harness import make_user, signed_in_entries

from qa_app.cli import cli
from qa_app.ingest.mapping import ColumnMapping, MappingError, guess_mapping
from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Conversation
from qa_app.ui import context

CSV = (
    "Chat;When;Who;Text body;Speed rating;Speed weight;Courtesy rating\n"
    "c1;2026-03-02 09:00;client;My card is blocked;4;5;2\n"
    "c1;2026-03-02 09:01;operator;Unblocking it now;;;\n"
    "c2;2026-03-02 10:00;client;Where is my parcel?;9;;3\n"
    "c2;2026-03-02 10:02;operator;It arrives tomorrow;;;\n"
    "c3;2026-03-02 11:00;client;Thanks for the help;5;1;5\n"
    "c3;2026-03-02 11:01;operator;You're welcome;;;\n"
)
MAPPING = (
    "columns: {conversation_id: Chat, sent_at: When, role: Who, text: Text body,\n"
    "  'survey:speed': Speed rating, 'survey_importance:speed': Speed weight,\n"
    "  'survey:courtesy': Courtesy rating}\n"
    "defaults: {channel: chat, language: en}\n"
)


def test_survey_columns_map_to_ratings_and_a_bad_rating_rejects_its_row(db_url, tmp_path):
    data, mapping = tmp_path / "export.csv", tmp_path / "m.yaml"
    data.write_text(CSV, encoding="utf-8")
    mapping.write_text(MAPPING, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--db", db_url, "import", "--mapping-file", str(mapping), str(data)]
    )
    assert "survey.ratings.speed" in result.output  # c2's rating 9 named, with its line
    assert "Traceback" not in result.output
    found = _ratings(db_url)
    assert found["c1"] == [("courtesy", 2, None), ("speed", 4, 5.0)]
    assert found["c3"] == [("courtesy", 5, None), ("speed", 5, 1.0)]
    assert "c2" not in found  # its first row rejected; the other rows stay without a survey
    with unit_of_work(db_url) as session:
        stored = session.scalars(select(Conversation.external_id)).all()
    assert sorted(stored) == ["c1", "c2", "c3"]


def test_survey_fields_are_checked_and_guessed():
    with pytest.raises(MappingError) as caught:
        ColumnMapping.from_document(
            {"columns": {"conversation_id": "A", "text": "B", "role": "C", "survey:": "D"}}
        )
    assert caught.value.code == "unknown_field"
    assert "survey:<attribute>" in caught.value.describe("en")
    guessed = guess_mapping(["Chat", "Survey speed", "survey_importance_speed"])
    assert guessed["survey:speed"] == "Survey speed"
    assert guessed["survey_importance:speed"] == "survey_importance_speed"


def _script(data: bytes) -> None:
    from qa_app.services import imports
    from qa_app.ui import context
    from qa_app.ui.screens import import_mapping_page

    actor = context.resolve_actor()
    presets = imports.do_list_presets(context.uow(), actor)
    import_mapping_page.render_mapping("export.csv", data, presets)


@pytest.mark.parametrize(
    ("lang", "title", "attribute_label"),
    [("en", "Customer survey (CSI)", 'Attribute rated in "Speed rating"'),
     ("ru", "Опрос клиентов (CSI)", "Параметр, оцененный в «Speed rating»")],
)  # fmt: skip
def test_lead_picks_survey_columns_on_the_page(sqlite_url, lang, title, attribute_label):
    data = CSV.replace("Who", "Role").encode("utf-8")
    actor = make_user(sqlite_url, "lead", lang=lang)
    at = AppTest.from_function(_script, args=(data,), default_timeout=60)
    at.session_state[context.SESSION_DB] = sqlite_url
    for key, value in signed_in_entries(sqlite_url, actor).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert title in [h.value for h in at.subheader]
    at.multiselect(key="mapping.survey").set_value(["Speed rating"]).run()
    attribute = at.text_input(key="mapping.survey.attribute.Speed rating")
    assert attribute.label == attribute_label and attribute.value == "speed_rating"
    attribute.set_value("speed").run()
    at.selectbox(key="mapping.survey.importance.Speed rating").set_value("Speed weight").run()
    at.selectbox(key="mapping.column.text").set_value("Text body").run()
    at.selectbox(key="mapping.column.conversation_id").set_value("Chat").run()
    at.selectbox(key="mapping.column.role").set_value("Role").run()
    next(b for b in at.button if b.label in ("Import with this mapping",
         "Импортировать с этим сопоставлением")).click().run()  # fmt: skip
    assert not at.exception
    found = _ratings(sqlite_url)
    assert found["c1"] == [("speed", 4, 5.0)] and found["c3"] == [("speed", 5, 1.0)]
