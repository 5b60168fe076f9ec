"""Names and titles written once per language, and the file uploader's texts replaced."""

from __future__ import annotations

import pytest

from qa_app.i18n import in_language
from qa_app.ui.widget_texts import file_uploader_css


@pytest.mark.parametrize(
    ("text", "lang", "shown"),
    [
        ("Olga Lead / Ольга Лидова", "ru", "Ольга Лидова"),
        ("Olga Lead / Ольга Лидова", "en", "Olga Lead"),
        ("Калибровка 2: недели 6–9 / Calibration 2: weeks 6-9", "en", "Calibration 2: weeks 6-9"),
        ("Рита", "en", "Рита"),  # one name only: shown as written
        ("Billing / Refunds", "ru", "Billing / Refunds"),  # not a language pair
        ("Ксения / Ksenia / K.", "en", "Ксения / Ksenia / K."),
        ("", "ru", ""),
    ],
)
def test_in_language_picks_the_side_of_a_pair(text, lang, shown):
    assert in_language(text, lang) == shown


def test_uploader_texts_are_escaped_for_css():
    css = file_uploader_css('Выбрать "файл"</style>', "до 50 МБ на файл · CSV")
    assert 'content: "Выбрать \\"файл\\" /style ";' in css  # quotes escaped, no tag
    assert 'content: "до 50 МБ на файл · CSV";' in css
    assert css.count("</style>") == 1


def test_input_hints_css_puts_each_hint_on_its_own_selector():
    from qa_app.ui.widget_texts import input_hints_css

    css = input_hints_css("A", "B", "C", 'D"</style>')
    assert (
        'stTextArea"] [data-testid="InputInstructions"] > span:first-child::after {content: "D\\" /style ";}'
        in css
    )
    assert '[data-testid="stForm"] [data-testid="stTextArea"]' in css and 'content: "B";' in css
    assert 'content: "A";' in css and 'content: "C";' in css and css.count("</style>") == 1
