"""The Import page in AppTest. AppTest cannot drive ``st.file_uploader``, so the upload is
simulated by calling the page's own ``import_upload`` helper with the file's bytes inside
an AppTest script (everything after the uploader runs exactly as on the page)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from ui_harness import make_user, run_page, signed_in_entries, visible_text

from qa_app.ui import context

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def _upload_script(name: str, data: bytes, tz: str, source: str) -> None:
    from qa_app.ui import context
    from qa_app.ui.screens import import_page

    context.resolve_actor()
    result = import_page.import_upload(name, data, tz, source)
    if result is not None:
        import_page.render_result(result)
    import_page.render_history()


def upload(db_url: str, name: str, data: bytes, lang: str = "en", tz: str = "Europe/Moscow"):
    actor = make_user(db_url, "lead", lang=lang)
    at = AppTest.from_function(_upload_script, args=(name, data, tz, "import"), default_timeout=60)
    at.session_state[context.SESSION_DB] = db_url
    for key, value in signed_in_entries(db_url, actor).items():
        at.session_state[key] = value
    return at.run()


def test_page_renders_for_a_lead_with_empty_history(sqlite_url):
    at = run_page("import", "lead", sqlite_url)
    assert not at.exception
    text = visible_text(at)
    assert "Import conversations" in text
    assert "Nothing has been imported yet." in text
    assert at.selectbox[0].value == "UTC"


def test_reviewer_may_not_open_the_page(sqlite_url):
    at = run_page("import", "reviewer", sqlite_url)
    assert not at.exception
    assert at.error and "Import conversations" not in visible_text(at)


def test_uploading_broken_csv_shows_counts_rejected_rows_and_history(sqlite_url):
    at = upload(sqlite_url, "broken.csv", (EXAMPLES / "broken.csv").read_bytes())
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Imported": "5", "Updated": "0", "Unchanged": "0", "Rejected rows": "7"}
    rejected = at.dataframe[0].value
    assert list(rejected["line"])[:3] == [4, 7, 11]
    assert 'must be an integer 1-5, got "7"' in set(rejected["reason"])
    history = at.dataframe[1].value
    assert list(history["File"]) == ["broken.csv"]
    assert at.get("download_button")


def test_russian_user_sees_russian_reasons_and_second_upload_is_unchanged(sqlite_url):
    data = (EXAMPLES / "excel_export_cp1251.csv").read_bytes()
    first = upload(sqlite_url, "excel_export_cp1251.csv", data, lang="ru")
    assert not first.exception
    assert {m.label: m.value for m in first.metric}["Добавлено"] == "12"
    assert "Все строки импортированы." in visible_text(first)
    again = upload(sqlite_url, "excel_export_cp1251.csv", data, lang="ru")
    assert {m.label: m.value for m in again.metric}["Без изменений"] == "12"
    bad = upload(sqlite_url, "broken.csv", (EXAMPLES / "broken.csv").read_bytes(), lang="ru")
    assert "должно быть целым числом от 1 до 5" in " ".join(bad.dataframe[0].value["причина"])


def test_unreadable_upload_shows_one_clear_error(sqlite_url):
    at = upload(sqlite_url, "workbook.csv", b"PK\x03\x04\x00\x00\x00binary")
    assert not at.exception
    assert "not a text file" in at.error[0].value
    assert not at.metric


def test_upload_over_the_limit_is_refused(sqlite_url, monkeypatch):
    monkeypatch.setenv("QA_STUDIO_UPLOAD_LIMIT_MB", "1")
    at = upload(sqlite_url, "big.csv", b"conversation_id,role,text\n" + b"x" * 1_200_000)
    assert not at.exception
    assert "the limit is 1 MB" in at.error[0].value


def test_upload_mixing_utf8_and_cp1251_says_which_lines_were_cp1251(sqlite_url):
    data = (
        "conversation_id,role,text\nm1,customer,Где мой заказ?\n".encode()
        + "m1,agent,Сейчас проверю\n".encode("cp1251")
    )
    at = upload(sqlite_url, "mixed.csv", data, lang="ru")
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Добавлено"] == "1"
    (note,) = at.info
    assert "строки: 3 (всего 1) не в UTF-8 и прочитаны как cp1251" in note.value


def test_upload_of_hostile_values_lists_each_bad_row(sqlite_url):
    at = upload(sqlite_url, "hostile_values.csv", (EXAMPLES / "hostile_values.csv").read_bytes())
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Rejected rows"] == "7"
    rejected = at.dataframe[0].value
    assert list(rejected["line"]) == [4, 6, 8, 10, 12, 15, 19]
    assert "U+0000 (NUL)" in " ".join(rejected["reason"])
