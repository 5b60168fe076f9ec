"""Hostile user text on every page that shows it, in AppTest (issue 12, item 5).

The corpus of ``hostile_text.py`` is stored as messages, subjects, tags, names, review and
grade comments, dispute reasons and answers, calibration names, notes and comments. Each
page that shows customer or agent text or reviewers' words is run for the roles that read
it; every Markdown source it produced is parsed the way the browser would, and must hold
no element or attribute the app did not write (no image, link, script, comment) while
every string it shows reads exactly as typed (``user_text.visible``).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hostile_text import (
    HOSTILE,
    check_not_interpreted,
    seed_hostile,
    shown_text,
    squeeze,
)
from ui_harness import run_page

from qa_app.ui import user_text

NAMES = [name for name, _text in HOSTILE]


def _comment_names(offset: int, count: int = 3) -> list[str]:
    return [NAMES[(i + offset) % len(NAMES)] for i in range(count)]


#: page, role, username, the corpus strings the page must show (by name).
CASES = [
    ("review", "reviewer", "rev1", NAMES),
    ("queue", "reviewer", "rev1", []),
    ("queue", "lead", "lead", []),
    ("disputes", "agent", "a.petrova", [*_comment_names(6), "html_comment", "close_div"]),
    ("disputes", "reviewer", "rev1", [*NAMES, "html_comment"]),  # the transcript beside it
    ("disputes", "lead", "lead", ["close_div"]),
    (
        "calibration",
        "lead",
        "lead",
        [
            *_comment_names(9, 2),
            *_comment_names(12, 2),
            "markdown_image",
            "zero_width",
            "headings_lists",
        ],
    ),  # fmt: skip
    (
        "calibration",
        "reviewer",
        "rev1",
        [*_comment_names(9, 2), *_comment_names(12, 2), "zero_width"],
    ),  # fmt: skip
]
CASES += [  # more pages that show conversations' or reviewers' words
    ("my_results", "agent", "a.petrova", [*_comment_names(6), "html_comment"]),
    ("scorecard", "agent", "a.petrova", []),
    ("scorecard", "lead", "lead", []),
    ("team", "lead", "lead", []),
    ("coaching", "lead", "lead", []),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from qa_app.storage import db as storage_db

    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'qa.db'}"
    storage_db.upgrade(url)
    yield seed_hostile(url)
    storage_db.dispose_engine(url)


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("page", "role", "username", "expected"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])  # fmt: skip
def test_hostile_text_is_shown_as_typed_and_never_interpreted(
    world, page, role, username, expected, lang
):
    at = run_page(page, role, world.url, lang=lang, username=username)
    assert not at.exception, at.exception
    assert check_not_interpreted(at) == []
    shown = squeeze(shown_text(at))
    missing = [
        name for name in expected if squeeze(user_text.visible(dict(HOSTILE)[name])) not in shown
    ]
    assert missing == []


def _run_of(body: str, allow_html: bool) -> SimpleNamespace:
    """A page run holding one Markdown element (what ``check_not_interpreted`` reads)."""
    element = SimpleNamespace(value=body, proto=SimpleNamespace(allow_html=allow_html))
    empty = {kind: [] for kind in ("caption", "info", "warning", "error", "success", "title",
                                   "header", "subheader", "expander")}  # fmt: skip
    return SimpleNamespace(markdown=[element], **empty)


def test_the_check_finds_text_that_was_interpreted():
    """The page check itself: user text that reached Markdown raw is found."""
    raw = "![x](http://evil.invalid/a.png) [l](http://evil.invalid/l)"
    problems = check_not_interpreted(_run_of(raw, False))
    assert any("<img>" in p for p in problems) and any("<a>" in p for p in problems)
    assert check_not_interpreted(_run_of("<!-- c --> <img src=x onerror=y>", True))
    cr = '<div class="qa-msg">one\r\rtwo ![p](http://evil.invalid/p.png)</div>'
    assert any("<img>" in p for p in check_not_interpreted(_run_of(cr, True)))
    safe = f'<div class="qa-msg">{user_text.block_html(cr)}</div>'
    assert check_not_interpreted(_run_of(safe, True)) == []


def test_visible_makes_every_hidden_character_visible():
    text = dict(HOSTILE)
    assert user_text.visible(text["nul"]) == "before\u2400after NUL"
    assert user_text.visible("a\r\nb\rc\nd\u2028e") == "a\nb\nc\nd\ne"
    assert "\u202e" not in user_text.visible(text["bidi_override"])
    assert "\u27e8U+202E\u27e9" in user_text.visible(text["bidi_override"])
    assert user_text.visible("\ud800x") == "\ufffdx"
    assert user_text.visible("emoji \U0001f468\u200d\U0001f469 stays") == (
        "emoji \U0001f468\u200d\U0001f469 stays"
    )
    html = user_text.block_html(text["cr_cr_image"])
    assert "\n" not in html and "\r" not in html and "![" not in html and "](" not in html


def test_inline_leaves_markdown_nothing_to_link_or_format():
    from hostile_text import Source, autolinks, rendered_html

    for name, text in HOSTILE:
        source = Source("markdown", f"**Label:** {user_text.inline(text)}", False)
        assert autolinks(source) == [], name
        assert "<a " not in rendered_html(source) and "<img" not in rendered_html(source), name
    assert autolinks(Source("markdown", "mail me@example.com or www.example.com", False))
