"""HTML message bodies to plain text, keeping line structure and dropping every tag.

Help desks store what agents type in rich editors as HTML (Intercom ``body``, Zendesk
``html_body``, Freshdesk ``body``). QA Studio stores and scores plain text, and user text
is never rendered as HTML, so tags go, paragraph and line breaks stay, and entities are
decoded. The standard library's tolerant ``HTMLParser`` reads broken markup without error.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


BLOCK_TAGS = _names(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table tbody td th thead tr ul"
)
PARAGRAPH_TAGS = _names("blockquote h1 h2 h3 h4 h5 h6 ol p pre table ul")  # end: blank line
SKIPPED_TAGS = frozenset(("script", "style", "head", "title", "template", "noscript"))
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


class _TextCollector(HTMLParser):
    """Collects text; a block starts on a new line, a paragraph ends with a blank line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.trailing = 0  # line breaks at the end of what was collected

    def _ensure_breaks(self, count: int) -> None:
        if self.parts and self.trailing < count:
            self.parts.append("\n" * (count - self.trailing))
            self.trailing = count

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
            self.trailing += 1
        elif tag in BLOCK_TAGS:
            self._ensure_breaks(1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SKIPPED_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self._ensure_breaks(2 if tag in PARAGRAPH_TAGS else 1)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            text = data.replace("\n", " ")
            self.parts.append(text)
            if text.strip():
                self.trailing = 0


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: one line per paragraph or ``<br>``, no tags."""
    if "<" not in html and "&" not in html:
        return html.strip()
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(collector.parts).split("\n"))
    text = "\n".join(lines)
    return _BLANK_RUNS.sub("\n\n", text).strip()
