"""Message text with the automatic scorers' evidence highlighted, always escaped.

The text is cut at every span boundary; each segment is escaped on its own and, when spans
cover it, wrapped in ``<mark title="rule (weight)">`` coloured by the strongest span's kind.
Overlapping spans therefore never produce broken HTML, and no character of the message
reaches the page unescaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Protocol

from qa_app.i18n import t, t_or
from qa_app.i18n.numbers import decimal, signed_decimal
from qa_app.ui import user_text

KIND_CLASSES = (
    "polite", "rude", "empathy", "clarity", "sentiment_pos", "sentiment_neg", "defect",
)  # fmt: skip

EVIDENCE_CSS = """
<style>
mark.qa-ev {padding: 0 .1em; border-radius: .2em; color: inherit;}
mark.qa-ev-polite {background: rgba(40,170,80,.28);}
mark.qa-ev-rude {background: rgba(220,50,50,.32);}
mark.qa-ev-empathy {background: rgba(50,120,230,.28);}
mark.qa-ev-clarity {background: rgba(240,170,20,.38);}
mark.qa-ev-sentiment_pos {background: rgba(20,170,170,.25); border-bottom: 2px solid rgb(20,150,150);}
mark.qa-ev-sentiment_neg {background: rgba(150,70,200,.25); border-bottom: 2px solid rgb(130,60,180);}
mark.qa-ev-defect {background: rgba(230,100,30,.22); border-bottom: 2px dashed rgb(200,80,20);}
mark.qa-ev-other {background: rgba(128,128,128,.25);}
.qa-ev-labels {font-size: .72rem; opacity: .8; margin-top: .2rem;}
.qa-ev-legend {font-size: .78rem; margin: .2rem 0 .4rem 0;}
.qa-ev-legend mark {margin-right: .5rem; white-space: nowrap; display: inline-block;}
</style>
"""


class SpanLike(Protocol):
    start: int
    end: int
    kind: str
    rule: str
    weight: float


class LabelLike(Protocol):
    task: str
    label: str | None
    score: float | None


def _escape(segment: str) -> str:
    """A piece of message text, never interpreted (``user_text.fragment_html``)."""
    return user_text.fragment_html(segment)


def _title(spans: Sequence[SpanLike]) -> str:
    return "; ".join(f"{s.rule} ({s.weight:+.2f})" for s in spans)


def highlight_html(text: str, spans: Sequence[SpanLike] | None) -> str:
    """``text`` as HTML with ``spans`` marked; spans outside the text are ignored."""
    valid = [s for s in spans or () if 0 <= s.start < s.end <= len(text)]
    if not valid:
        return _escape(text)
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    parts = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        segment = text[left:right]
        covering = [s for s in valid if s.start <= left and right <= s.end]
        if not covering:
            parts.append(_escape(segment))
            continue
        strongest = max(covering, key=lambda s: abs(s.weight))
        kind = strongest.kind if strongest.kind in KIND_CLASSES else "other"
        title = html.escape(_title(covering), quote=True)
        parts.append(f'<mark class="qa-ev qa-ev-{kind}" title="{title}">{_escape(segment)}</mark>')
    return "".join(parts)


def _number(score: float, signed: bool, lang: str) -> str:
    return signed_decimal(score, lang) if signed else decimal(score, lang)


def _label_text(label: str, lang: str) -> str:
    return t_or(f"autoqa.label.{label}", lang, label)


def labels_html(role: str, labels: Sequence[LabelLike], lang: str) -> str:
    """One small line: "customer: negative −0.70" / "agent · politeness: polite 0.83 · ..."."""
    if not labels:
        return ""
    items = []
    for item in labels:
        task = t(f"autoqa.task.{item.task}", lang)
        value = html.escape(_label_text(str(item.label or ""), lang))
        signed = item.task == "sentiment"  # -1..1; the other scores are 0..1
        score = "" if item.score is None else " " + _number(float(item.score), signed, lang)
        items.append(f"{html.escape(task)}: {value}{score}")
    who = html.escape(t(f"autoqa.role.{role}", lang))
    automatic = html.escape(t("autoqa.automatic", lang))
    return f'<div class="qa-ev-labels">{automatic} · {who} · {" · ".join(items)}</div>'


def message_html(text: str, evidence, lang: str) -> str:
    """The message body: highlighted text plus its automatic labels (or plain escaped text)."""
    if evidence is None:
        return _escape(text)
    return highlight_html(text, evidence.spans) + labels_html(evidence.role, evidence.labels, lang)


def legend_html(lang: str) -> str:
    """What each colour means; says plainly that the marks are automatic."""
    marks = "".join(
        f'<mark class="qa-ev qa-ev-{kind}">{html.escape(t(f"autoqa.kind.{kind}", lang))}</mark>'
        for kind in KIND_CLASSES
    )
    intro = html.escape(t("autoqa.legend", lang))
    return f'<div class="qa-ev-legend">{intro} {marks}</div>'
