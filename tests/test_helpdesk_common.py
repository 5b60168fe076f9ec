"""What the help-desk adapters share: HTML to plain text, reading the export file (JSON,
JSON lines, broken and oversized files), the entry point, warnings in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_app.ingest import MaskingConfig, ParsedConversation, UnreadableFile
from qa_app.ingest.helpdesk import HELPDESK_SOURCES, common, read_helpdesk_export
from qa_app.ingest.helpdesk.html_text import html_to_text

EXAMPLES = Path(__file__).resolve().parent.parent / "data/examples/helpdesk"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Hello</p><p>World</p>", "Hello\n\nWorld"),
        ("Line one<br>Line two<br/>Line three", "Line one\nLine two\nLine three"),
        ("<div class='zd-comment'><p dir='auto'>Тест &amp; проверка&nbsp;&mdash; ок</p></div>",
         "Тест & проверка — ок"),
        ("<ul><li>first</li><li>second</li></ul>", "first\nsecond"),
        ("<p>Hi <b>there</b>, <a href='https://x.example/?t=1'>click</a></p>", "Hi there, click"),
        ("<script>alert('x')</script><style>p{}</style><p>safe</p>", "safe"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
        ("<img src=x alt='photo'>", ""),
        ("plain text, no markup", "plain text, no markup"),
        ("<p>  spaced \n   out  </p>", "spaced out"),
    ],
)  # fmt: skip
def test_html_to_text(html, text):
    assert html_to_text(html) == text


def test_converted_text_carries_no_tags():
    html = "<table><tr><td>a</td><td>b</td></tr></table><iframe src=x></iframe><p onclick=x>c</p>"
    text = html_to_text(html)
    assert "<" not in text and ">" not in text
    assert text.split() == ["a", "b", "c"]


@pytest.mark.parametrize("source", HELPDESK_SOURCES)
def test_every_example_reads_without_rejections(source):
    name = {"zendesk": "zendesk-tickets", "intercom": "intercom-conversations",
            "freshdesk": "freshdesk-tickets"}[source]  # fmt: skip
    export = read_helpdesk_export(EXAMPLES / f"{name}.json", source)
    items = list(export)
    assert len(items) == 2 and all(isinstance(i, ParsedConversation) for i in items)
    languages = sorted(i.language for i in items)
    assert languages == ["en", "ru"]
    for item in items:
        roles = {m.role for m in item.messages}
        assert {"customer", "agent"} <= roles
    notes = [m for i in items for m in i.messages if m.internal]
    assert notes and all(m.role == "system" for m in notes)
    assert any("unknown field" in w.describe() for w in export.warnings)


def test_masking_through_the_entry_point():
    export = read_helpdesk_export(EXAMPLES / "zendesk-tickets.json", "zendesk",
                                  masking=MaskingConfig())  # fmt: skip
    first = next(iter(export))
    assert first.messages[0].text == (
        "Здравствуйте! С карты списали оплату за заказ №1234567890123 дважды. "
        "Мой телефон [phone], почта [email]"
    )
    assert first.customer_name is None
    assert first.masked_items == {"phone": 1, "email": 1, "customer_name": 1}


def test_warnings_in_russian():
    export = read_helpdesk_export(EXAMPLES / "intercom-conversations.json", "intercom")
    list(export)
    assert [w.describe("ru") for w in export.warnings] == [
        "intercom: неизвестное поле conversation.sentiment пропущено (встречено 1×)"
    ]


def test_unknown_help_desk_name():
    with pytest.raises(ValueError, match="unknown help desk 'zendsk'; accepted: zendesk, "):
        read_helpdesk_export(EXAMPLES / "zendesk-tickets.json", "zendsk")


def test_json_lines_with_a_broken_line(tmp_path):
    path = tmp_path / "tickets.jsonl"
    ticket = {"id": 1, "requester_id": 5, "via": {"channel": "web"},
              "comments": [{"id": 1, "author_id": 5, "body": "Hi"}]}  # fmt: skip
    path.write_text(json.dumps(ticket) + "\n\n{broken\n" + json.dumps(ticket | {"id": 2}) + "\n")
    items = list(read_helpdesk_export(path, "zendesk"))
    ids = [i.external_id if isinstance(i, ParsedConversation) else None for i in items]
    assert ids == [None, "1", "2"]
    assert items[0].describe()[0].startswith("tickets.jsonl:3: line: not valid JSON:")
    assert [i.line for i in items[1:]] == [1, 4]


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "empty"), (b"not json at all\nstill not\n", "no_json"), (b"\xff\xfe{\x00", "utf16"),
     (b"PK\x03\x04\x00\x00", "binary")],
)  # fmt: skip
def test_unreadable_files(tmp_path, content, code):
    path = tmp_path / "export.json"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as caught:
        list(read_helpdesk_export(path, "freshdesk"))
    assert caught.value.code == code


def test_oversized_export_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "WHOLE_FILE_LIMIT", 10)
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"id": 1, "status": 2}]))
    with pytest.raises(UnreadableFile) as caught:
        list(read_helpdesk_export(path, "freshdesk"))
    assert caught.value.describe() == (
        "big.json: help-desk exports larger than 0 MB are not read in one piece; split the export"
    )
