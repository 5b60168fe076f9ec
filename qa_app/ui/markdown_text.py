"""User text inside Streamlit markdown, shown as typed.

Transcript fields, comments, dispute reasons and rubric names are written by people (or
imported): HTML is escaped and markdown punctuation backslashed, so "**", links, images,
colour directives such as ``:red[...]`` or raw tags render as plain characters.
"""

from __future__ import annotations

import html

MARKDOWN_PUNCTUATION = "\\`*_[]#<>|~$"


def escape_markdown(text: str | None) -> str:
    # Quotes stay as typed: this is text, not an attribute, and their entity (&#x27;) would
    # lose its "#" to the backslashing below and show on the page as "&\#x27;".
    escaped = html.escape(text or "", quote=False)
    for char in MARKDOWN_PUNCTUATION:
        escaped = escaped.replace(char, "\\" + char)
    return escaped
