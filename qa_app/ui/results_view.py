"""One review on the agent's My results page: the transcript beside the grades, the
reviewer's comments in full, and the automatic figures set apart and labelled automatic.

Every piece of user text (comments, names, transcript) goes through the safe renderers.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import results
from qa_app.ui import user_text
from qa_app.ui.context import current_lang, tr
from qa_app.ui.transcript_view import render_transcript

AUTO = ":material/smart_toy:"
BADGE = {"open": "orange", "accepted": "green", "rejected": "red"}


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def score_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def headline(item: results.ResultItem) -> str:
    """The line a review is recognised by: conversation, date, score, state badges."""
    summary = item.summary
    when = summary.submitted_at.strftime("%Y-%m-%d") if summary.submitted_at else "—"
    parts = [
        f"**{user_text.inline(summary.external_id)}**",
        when,
        tr("results.score", score=score_text(summary.overall_score)),
    ]
    if item.acknowledged_at is None:
        parts.append(f":orange-badge[{tr('results.new')}]")
    else:
        day = item.acknowledged_at.strftime("%Y-%m-%d")
        parts.append(f":green-badge[{tr('results.acknowledged_on', date=day)}]")
    for d in item.disputes:
        colour = BADGE.get(d.status, "gray")
        parts.append(f":{colour}-badge[{tr(f'results.dispute.{d.status}')}]")
    return " · ".join(parts)


def grades_frame(item: results.ResultItem) -> pd.DataFrame:
    rows = []
    for g in item.summary.grades:
        grade = tr("review.na") if g.not_applicable else f"{_number(g.value)} {g.level_label}"
        rows.append(
            {
                tr("disputes.col.category"): g.category,
                tr("disputes.col.criterion"): g.name,
                tr("disputes.col.grade"): grade.strip(),
                tr("results.col.auto"): _number(item.auto_values.get(g.criterion_id)),
            }
        )
    return pd.DataFrame(rows)


def render_comments(item: results.ResultItem) -> None:
    commented = [g for g in item.summary.grades if g.comment.strip()]
    if not (commented or item.summary.comment.strip()):
        st.caption(tr("results.no_comments"))
        return
    st.markdown(f"**{tr('results.comments')}**")
    lines = [
        f"- **{user_text.inline(g.name)}:** {user_text.inline(' '.join(g.comment.split()))}"
        for g in commented
    ]
    if item.summary.comment.strip():
        overall = user_text.inline(" ".join(item.summary.comment.split()))
        lines.append(f"- **{tr('results.overall')}:** {overall}")
    st.markdown("\n".join(lines))


def render_signals(item: results.ResultItem) -> None:
    """The automatic scorers' figures, apart from the reviewer's and marked as automatic."""
    with st.container(border=True):
        st.markdown(f"{AUTO} **{tr('results.auto_title')}**")
        st.caption(tr("results.auto_help"))
        if not item.signals:
            st.caption(tr("results.no_signals"))
            return
        st.markdown(
            "\n".join(f"- {tr(f'autoqa.signal.{s.signal}')}: {s.value:.2f}" for s in item.signals)
        )


def render_disputes(item: results.ResultItem) -> None:
    for d in item.disputes:
        st.markdown(
            tr(
                "results.dispute_line",
                status=tr(f"disputes.status.{d.status}"),
                criterion=user_text.inline(d.criterion_name or tr("disputes.whole")),
                reason=user_text.inline(" ".join(d.reason.split())),
            )
        )
        if d.answer:
            st.caption(
                tr("results.dispute_answer", answer=user_text.inline(" ".join(d.answer.split())))
            )


def render_item_body(item: results.ResultItem) -> None:
    """The transcript on the left, grades, comments and automatic figures on the right."""
    left, right = st.columns(2, gap="medium")
    with left:
        render_transcript(item.transcript, current_lang(), 460, evidence=item.evidence)
    with right:
        st.dataframe(
            grades_frame(item),
            hide_index=True,
            width="stretch",
            column_config={
                tr("disputes.col.category"): st.column_config.TextColumn(width=90),
                tr("results.col.auto"): st.column_config.TextColumn(width=110),
            },
        )
        st.caption(tr("results.auto_column_help", mark=AUTO))
        render_comments(item)
        render_disputes(item)
        render_signals(item)
