"""Streamlit writes "Press Enter to submit form" under a text field in English whatever the
page's language; a Russian page shows the catalogue's hint instead (``widget_texts``), in
Debian's chromium on the real sign-in form."""

from __future__ import annotations

import pytest
from journeys import LANGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.flaky(reruns=1, reruns_delay=2, only_rerun=["TimeoutError"]),
]

HINT = """() => {
  const span = document.querySelector("[data-testid='InputInstructions'] > span");
  if (!span) return null;
  return {text: span.textContent, shown: getComputedStyle(span, "::after").content,
          size: getComputedStyle(span).fontSize};
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_the_keyboard_hint_under_a_text_field_is_in_the_page_language(journey, lang):
    walk = journey("hints", lang)
    walk.open()
    form_lang = walk.page.locator("[data-testid='stButtonGroup']").get_by_text(
        {"en": "English", "ru": "Русский"}[lang], exact=True
    )
    walk.click(form_lang)
    walk.page.get_by_text(walk.tr("signin.submit"), exact=True).wait_for()
    walk.page.locator("input[type='text']").first.fill("someone")
    walk.page.locator("[data-testid='InputInstructions'] > span").first.wait_for(state="attached")
    hint = walk.page.evaluate(HINT)
    assert hint["text"] == "Press Enter to submit form"  # Streamlit's own, always English
    if lang == "ru":
        assert hint["shown"] == '"Enter — отправить форму"' and hint["size"] == "0px"
    else:
        assert hint["shown"] in ("none", "normal") and hint["size"] != "0px"
    walk.step("hint")
