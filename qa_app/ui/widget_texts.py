"""Streamlit's own widget texts in the user's language, where CSS can reach them.

Text fields show "Press Enter to submit form" (or "Ctrl+Enter", "to apply") under them
while something typed is not yet applied, in English whatever the page's language; on a
page in another language the first part of that line is replaced the same way
(``input_hints_css``). A character counter after it ("12/500") is left as it is.

``st.file_uploader`` draws "Upload" on its button and "50MB per file • CSV, JSONL, JSON"
under it in English whatever the page's language, with no parameter to change them. This
hides those two texts and writes the catalogue's instead (CSS ``content``, so nothing the
user typed is involved; the strings are quoted and escaped for CSS). What CSS cannot reach stays
English: the "Drag and drop a file here" overlay while a file is dragged over the box, the
browser's own file dialog, the size of a chosen file ("1.2KB") and Streamlit's refusal of a
file that is too large or of the wrong type (the import page checks both itself and says
so in the user's language).
"""

from __future__ import annotations

import json

import streamlit as st

_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] button[data-testid^="stBaseButton"] {font-size: 0;}
[data-testid="stFileUploaderDropzone"] button[data-testid^="stBaseButton"] * {display: none;}
[data-testid="stFileUploaderDropzone"] button[data-testid^="stBaseButton"]::after {
  content: BUTTON; font-size: 1rem;}
[data-testid="stFileUploaderDropzoneInstructions"] > * {display: none;}
[data-testid="stFileUploaderDropzoneInstructions"]::after {
  content: LIMIT; font-size: .85rem; opacity: .75;}
</style>
"""


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: quoted, with quotes and backslashes escaped and
    nothing that could close the style block (``<``, ``>``, line breaks) left in."""
    clean = "".join(" " if ch in "<>\r\n" else ch for ch in text)
    return json.dumps(clean, ensure_ascii=False)


def file_uploader_css(button: str, limit: str) -> str:
    """The style block that replaces the uploader's button label and size-limit line."""
    return _CSS.replace("BUTTON", css_string(button)).replace("LIMIT", css_string(limit))


def translate_file_uploader(button: str, limit: str) -> None:
    """Put the translated uploader texts on the page (once, before the uploader)."""
    st.markdown(file_uploader_css(button, limit), unsafe_allow_html=True)


_HINT = '[data-testid="InputInstructions"] > span:first-child'
_HINTS_CSS = f"""
<style>
{_HINT} {{font-size: 0;}}
{_HINT}::after {{content: ENTER_APPLY; font-size: .75rem;}}
[data-testid="stTextArea"] {_HINT}::after {{content: CTRL_ENTER_APPLY;}}
[data-testid="stForm"] {_HINT}::after {{content: ENTER_SUBMIT;}}
[data-testid="stForm"] [data-testid="stTextArea"] {_HINT}::after {{content: CTRL_ENTER_SUBMIT;}}
</style>
"""


def input_hints_css(enter_submit: str, ctrl_submit: str, enter_apply: str, ctrl_apply: str) -> str:
    """The style block that writes the text fields' keyboard hints in the page's language
    (the more specific selector wins: a text area inside a form gets "Ctrl+Enter ... form")."""
    return (
        _HINTS_CSS.replace("CTRL_ENTER_SUBMIT", css_string(ctrl_submit))
        .replace("ENTER_SUBMIT", css_string(enter_submit))
        .replace("CTRL_ENTER_APPLY", css_string(ctrl_apply))
        .replace("ENTER_APPLY", css_string(enter_apply))
    )


def translate_input_hints(lang: str) -> None:
    """Put the translated keyboard hints on the page; English pages keep Streamlit's own
    (which also says ⌘ rather than Ctrl on a Mac)."""
    if lang == "en":
        return
    from qa_app.i18n import t

    keys = ("enter_submit", "ctrl_enter_submit", "enter_apply", "ctrl_enter_apply")
    texts = [t(f"shell.hint.{key}", lang) for key in keys]
    st.markdown(input_hints_css(*texts), unsafe_allow_html=True)
