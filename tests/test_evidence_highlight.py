"""Evidence highlighting: every character escaped, overlapping spans, spans from the DB."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from qa_app.services.autoqa.queries import MessageEvidence, MessageLabel, Span, span_kind
from qa_app.ui.evidence_highlight import highlight_html, legend_html, message_html


def _span(start, end, kind="polite", rule="please", weight=0.5):
    return Span(start, end, kind, rule, weight, "politeness")


def _plain(markup: str) -> str:
    """The visible text of the markup: tags removed, entities decoded, <br> back to \\n."""
    return html.unescape(re.sub(r"<(?!br>)[^>]+>", "", markup).replace("<br>", "\n"))


def test_script_in_text_is_escaped_with_and_without_spans():
    text = "<script>alert(1)</script> please & thanks"
    plain = highlight_html(text, None)
    assert "<script>" not in plain and "&lt;script&gt;" in plain
    marked = highlight_html(text, [_span(26, 32), _span(0, 8, "rude", "command", -0.8)])
    assert "<script>" not in marked
    assert '<mark class="qa-ev qa-ev-rude" title="command (-0.80)">&lt;script&gt;</mark>' in marked
    assert '<mark class="qa-ev qa-ev-polite" title="please (+0.50)">please</mark>' in marked
    assert _plain(marked) == text


def test_span_around_special_characters_and_quotes_in_rule():
    text = "Say \"<b>\" & 'go'\nnow"
    spans = [Span(4, 9, "clarity", 'jargon"><script>', -0.15, "clarity")]
    marked = highlight_html(text, spans)
    assert "<b>" not in marked and "<script>" not in marked
    assert 'title="jargon&quot;&gt;&lt;script&gt; (-0.15)"' in marked
    assert ">&quot;&lt;b&gt;&quot;</mark>" in marked
    assert "<br>" in marked and _plain(marked) == text


def test_overlapping_spans_nest_cleanly_and_strongest_kind_wins():
    text = "Thank you so much for waiting"
    spans = [_span(0, 17, "polite", "gratitude", 1.0), _span(6, 29, "empathy", "x", 0.3)]
    marked = highlight_html(text, spans)
    assert marked.count("<mark") == marked.count("</mark>") == 3
    middle = re.search(
        r'<mark class="qa-ev qa-ev-(\w+)" title="([^"]+)">you so much</mark>', marked
    )
    assert middle and middle.group(1) == "polite" and "x (+0.30)" in middle.group(2)
    assert _plain(marked) == text


def test_invalid_spans_and_unknown_kinds_are_harmless():
    text = "short"
    marked = highlight_html(text, [_span(3, 99), _span(2, 2), Span(0, 2, 'evil"', "r", 1, "t")])
    assert "qa-ev-other" in marked and "evil" not in marked
    assert _plain(marked) == text


@given(
    st.text(alphabet=st.sampled_from(list("ab<>&\"' \nя")), max_size=30),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=6),
)
def test_any_text_and_spans_round_trip(text, pairs):
    spans = [_span(min(a, b), max(a, b)) for a, b in pairs]
    marked = highlight_html(text, spans)
    assert "<" not in re.sub(r"</?mark[^>]*>|<br>", "", marked)
    assert _plain(marked) == text


def test_labels_say_automatic_in_both_languages():
    evidence = MessageEvidence(0, "customer", [MessageLabel("sentiment", "negative", -0.7)], [])
    en, ru = message_html("x", evidence, "en"), message_html("x", evidence, "ru")
    assert "automatic · customer · sentiment: negative −0.70" in en
    assert "автоматически · клиент · настроение: негативное −0,70" in ru
    assert "Automatic highlights" in legend_html("en") and "Автоматические" in legend_html("ru")


def test_span_kinds():
    assert span_kind("politeness", "please", 0.5) == "polite"
    assert span_kind("politeness", "command", -0.8, "impolite") == "rude"
    # In a reply labelled polite or neutral a feature weighing against is no red mark
    # ("How can I help you?" was painted as rude while labelled polite 0.98).
    assert span_kind("politeness", "direct_question", -0.8, "polite") is None
    assert span_kind("politeness", "command", -0.8, "neutral") is None
    assert span_kind("politeness", "first_person", 0.1) is None
    assert span_kind("toxicity", "insult", 0.9) == "rude"
    assert span_kind("empathy", "acknowledgement", 0.45) == "empathy"
    assert span_kind("clarity", "clarity.jargon:api", -0.15) == "clarity"
    assert span_kind("defect_report", "defect:crash(?:es|ed|ing)?", 1.0) == "defect"
    assert span_kind("defect_report", "defect:the app", 0.3) is None  # context, not a symptom
    assert span_kind("clarity", "clarity.reading_ease", 0.4) is None
    assert span_kind("sentiment", "lexicon", -2.0) == "sentiment_neg"
    # sarcastic praise («отличный сервис, третий раз ...») and counted complaints are words a
    # reviewer can see: painted negative, not left bare
    assert span_kind("sentiment", "sarcasm", -2.4) == "sentiment_neg"
    assert span_kind("sentiment", "repeat_contact", -1.2) == "sentiment_neg"
    assert span_kind("sentiment", "model_word", -6.1) is None
