"""The column-mapping import page in AppTest: refused to every role but leads and admins,
an Excel file previewed, guessed, saved as a preset and imported, in both languages."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from test_import_mapping import _xlsx
from ui_harness import make_user, run_page, signed_in_entries, visible_text

from qa_app.storage.db import unit_of_work
from qa_app.storage.models import Conversation, ImportMapping
from qa_app.ui import context


def _script(data: bytes) -> None:
    from qa_app.services import imports
    from qa_app.ui import context
    from qa_app.ui.screens import import_mapping_page

    actor = context.resolve_actor()
    presets = imports.do_list_presets(context.uow(), actor)
    import_mapping_page.render_mapping("выгрузка.xlsx", data, presets)


def _workbook(tmp_path) -> bytes:
    path = tmp_path / "book.xlsx"
    _xlsx(path)
    return path.read_bytes()


def open_mapping(url: str, data: bytes, lang: str) -> AppTest:
    actor = make_user(url, "lead", lang=lang)
    at = AppTest.from_function(_script, args=(data,), default_timeout=60)
    at.session_state[context.SESSION_DB] = url
    for key, value in signed_in_entries(url, actor).items():
        at.session_state[key] = value
    return at.run()


@pytest.mark.parametrize("role", ["reviewer", "trainer", "agent"])
def test_other_roles_may_not_open_the_page(sqlite_url, role):
    at = run_page("import_mapping", role, sqlite_url)
    assert not at.exception and at.error


@pytest.mark.parametrize(
    ("role", "title"), [("lead", "Import any table"), ("admin", "Import any table")]
)
def test_lead_and_admin_see_the_upload(sqlite_url, role, title):
    at = run_page("import_mapping", role, sqlite_url)
    assert not at.exception and at.title[0].value == title


@pytest.mark.parametrize(
    ("lang", "caption", "imported"),
    [("en", "First rows of выгрузка.xlsx", "Imported"), ("ru", "Первые строки", "Добавлено")],
)
def test_preview_guess_save_and_import(sqlite_url, tmp_path, lang, caption, imported):
    at = open_mapping(sqlite_url, _workbook(tmp_path), lang)
    assert not at.exception
    assert caption in visible_text(at)
    preview = at.dataframe[0].value
    assert list(preview.columns)[:2] == ["Номер обращения", "Дата"] and len(preview) == 5
    assert at.selectbox(key="mapping.column.conversation_id").value == "Номер обращения"
    assert at.selectbox(key="mapping.column.role").value == ""
    at.text_input[0].set_value(r"^op\.")
    at.text_input(key="mapping.preset_name").set_value("excel")
    [b for b in at.button if b.label in ("Save preset", "Сохранить набор")][0].click().run()
    assert not at.exception
    at.button[1].click().run()  # import
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[imported] == "2"
    rejected = at.dataframe[1].value
    assert list(rejected.iloc[:, 0])[:2] == [4, 4]
    with unit_of_work(sqlite_url) as session:
        assert session.scalars(select(ImportMapping.name)).all() == ["excel"]
        assert len(session.scalars(select(Conversation)).all()) == 2


def test_a_mapping_without_a_role_rule_is_refused_before_importing(sqlite_url, tmp_path):
    at = open_mapping(sqlite_url, _workbook(tmp_path), "en")
    at.button[1].click().run()
    assert not at.exception
    assert "map the author column and say which authors are agents" in visible_text(at)
    with unit_of_work(sqlite_url) as session:
        assert session.scalars(select(Conversation)).all() == []


def test_a_file_that_is_no_workbook_says_so(sqlite_url):
    at = open_mapping(sqlite_url, io.BytesIO(b"PK\x03\x04broken").getvalue(), "en")
    assert not at.exception
    assert "not a readable Excel workbook" in visible_text(at)
