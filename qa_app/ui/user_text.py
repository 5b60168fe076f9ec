"""The one renderer for text people wrote: transcripts, comments, reasons, names, subjects.

Nothing in such text is ever interpreted, whatever it holds. Streamlit renders ``st.markdown``
(and captions, labels, alerts) as CommonMark plus its own directives (``:red[...]``,
``:material/x:``, ``$math$``), and raw HTML where a page allows it; an HTML block ends at a
blank line, and ``\\r\\r`` is a blank line to a Markdown parser. So user text is turned into
something with no structure left to find:

- ``visible(text)``: one string a person can read as typed. Every line break (CRLF, lone CR,
  LF, VT, FF, NEL, U+2028/9) becomes ``\\n``; other control characters become their visible
  Control Pictures (NUL shows as ``␀``); characters that hide or reorder text (zero-width
  spaces, bidi overrides and isolates, BOM) show as ``⟨U+202E⟩``; lone surrogates as ``�``.
- ``inline(text)``: ``visible`` as Markdown source that parses back to exactly that text:
  every ASCII punctuation character is a character reference (``&#42;``), which CommonMark
  renders literally and never reads as syntax; line breaks become `` ↵ ``; an invisible
  word joiner keeps GFM from linking ``http://``, ``www.`` and e-mail addresses by itself.
  Safe inside any Markdown string: ``st.markdown``, ``st.caption``, alerts, labels.
- ``block_html(text)``: ``visible`` as one line of HTML (the same references, which are
  also HTML's, so no ``<``, ``&`` or quote is left; ``<br>`` for line breaks,
  no newline at all, so it cannot end the HTML block it sits in) inside
  ``<span class="qa-user-text">`` that isolates its direction and breaks long words.
- ``render(text)``: a paragraph of user text on the page (``block_html`` in ``st.markdown``).
"""

from __future__ import annotations

import html
import re

import streamlit as st

#: Line breaks of every kind, CRLF first so it counts once.
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
#: Characters that hide text or reorder it: shown by code point, never applied.
HIDDEN = frozenset(
    "\u200b\u200c\u200e\u200f\u061c\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
)
_LEADING_SPACES = re.compile("^ +")
LINE_MARK = " \u21b5 "  # ↵ where a line break was, in one-line (Markdown) contexts

USER_TEXT_CSS = """
<style>
.qa-user-text {unicode-bidi: isolate; overflow-wrap: anywhere; word-break: break-word;
  white-space: pre-wrap;}
</style>
"""


def _visible_char(char: str) -> str:
    code = ord(char)
    if char in "\n\t":
        return char
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: ␀ ␁ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= code < 0xA0 or char in HIDDEN:
        return f"\u27e8U+{code:04X}\u27e9"
    if 0xD800 <= code < 0xE000:
        return "\ufffd"  # a lone surrogate cannot be sent to the browser
    return char


def visible(text: object) -> str:
    """``text`` as a person should read it: line breaks as ``\\n``, hidden and control
    characters made visible (see the module's docstring). ``None`` is empty."""
    if text is None:
        return ""
    raw = _LINE_BREAKS.sub("\n", str(text))
    if raw.isascii() and raw.isprintable():
        return raw
    return "".join(_visible_char(char) for char in raw)


_NAMED = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"}
#: Every ASCII punctuation character as a character reference (HTML's names where it has
#: them): valid in HTML and in CommonMark alike, where it is text and never syntax.
_REFERENCES = {
    chr(code): _NAMED.get(chr(code), f"&#{code};")
    for code in range(0x21, 0x7F)
    if not chr(code).isalnum()
}


def _references(text: str) -> str:
    return "".join(_REFERENCES.get(char, char) for char in text)


#: Where GitHub-flavoured Markdown would start a link of its own: it looks for
#: ``http(s)://``, ``www.`` and e-mail addresses in the text *after* parsing, so character
#: references do not hide them. An invisible WORD JOINER (U+2060) goes in between.
_AUTOLINK_STARTS = re.compile(r"(?<=http)(?=s?:)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def inline(text: object) -> str:
    """``text`` as Markdown source that displays exactly ``visible(text)`` on one line
    (with an invisible word joiner where Markdown would have made a link on its own)."""
    shown = _AUTOLINK_STARTS.sub(WORD_JOINER, visible(text))
    lines = (_references(line.replace("\t", " ")) for line in shown.split("\n"))
    return LINE_MARK.join(_LEADING_SPACES.sub(_space_references, line) for line in lines)


def _space_references(match: re.Match) -> str:
    return "&#32;" * len(match.group(0))  # indentation would make a code block


def plain_line(text: object) -> str:
    """``visible(text)`` on one line, for widgets that show plain text (select options)."""
    return LINE_MARK.join(visible(text).split("\n"))


def block_html(text: object) -> str:
    """``text`` as a one-line HTML fragment inside ``<span class="qa-user-text">``."""
    lines = visible(text).split("\n")
    return f'<span class="qa-user-text">{"<br>".join(_references(line) for line in lines)}</span>'


def fragment_html(text: object) -> str:
    """``text`` as escaped HTML without the wrapper (for a segment of a highlighted
    message, whose container carries the ``qa-user-text`` class)."""
    return "<br>".join(_references(line) for line in visible(text).split("\n"))


def render(text: object, *, label: str | None = None) -> None:
    """A paragraph of user text; ``label`` (catalogue text, not user text) goes before it."""
    prefix = f"<strong>{html.escape(label)}</strong> " if label else ""
    st.markdown(f"{USER_TEXT_CSS}<div>{prefix}{block_html(text)}</div>", unsafe_allow_html=True)
