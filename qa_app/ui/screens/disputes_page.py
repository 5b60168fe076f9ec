"""Disputes: agents (their own reviews) and leads challenge a grade; the reviewer or a lead
accepts (the grade changes and the score is recomputed) or rejects with an answer."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import disputes
from qa_app.services.permissions import can
from qa_app.ui import context, dispute_forms, user_text
from qa_app.ui.context import tr

ACTION = "page.disputes"
DECIDING = "disputes.open"


def _value(value) -> str:
    return "—" if value is None else f"{value:g}"


#: Longer reasons and answers are cut in the table (so every column fits on the screen)
#: and read in full, with the proposed grade, in the card under it.
PREVIEW_CHARS = 45
STATUS_BADGE = {"open": "orange", "accepted": "green", "rejected": "red"}


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def render_disputes_table(items: list[disputes.DisputeInfo]) -> None:
    if not items:
        st.caption(tr("disputes.none"))
        return
    frame = pd.DataFrame(
        [
            {
                "#": d.dispute_id,
                tr("disputes.col.status"): tr(f"disputes.status.{d.status}"),
                tr("queue.col.conversation"): d.external_id,
                tr("disputes.col.criterion"): d.criterion_name or tr("disputes.whole"),
                tr("disputes.col.raised_by"): d.raised_by,
                tr("disputes.col.reason"): preview(d.reason),
                tr("disputes.col.answer"): preview(d.answer),
                tr("disputes.col.resolved_by"): d.resolved_by or "",
            }
            for d in items
        ]
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={  # fixed widths so the answer and who decided stay on screen
            "#": st.column_config.NumberColumn(width=40),
            tr("disputes.col.status"): st.column_config.TextColumn(width=80),
            tr("queue.col.conversation"): st.column_config.TextColumn(width=105),
            tr("disputes.col.criterion"): st.column_config.TextColumn(width=170),
            tr("disputes.col.raised_by"): st.column_config.TextColumn(width=100),
            tr("disputes.col.reason"): st.column_config.TextColumn(width=210),
            tr("disputes.col.answer"): st.column_config.TextColumn(width=170),
            tr("disputes.col.resolved_by"): st.column_config.TextColumn(width=90),
        },
    )
    render_dispute_card(items)


def render_dispute_card(items: list[disputes.DisputeInfo]) -> None:
    """One dispute in full: the reason, the proposed grade and the answer."""
    labels = {
        d.dispute_id: f"#{d.dispute_id} · {d.external_id} · "
        f"{d.criterion_name or tr('disputes.whole')} · {tr(f'disputes.status.{d.status}')}"
        for d in items
    }
    chosen = st.selectbox(
        tr("disputes.read"), list(labels), format_func=labels.get, key="disputes.read"
    )
    item = next(d for d in items if d.dispute_id == chosen)
    colour = STATUS_BADGE.get(item.status, "gray")
    with st.container(border=True):
        st.markdown(
            f":{colour}-badge[{tr(f'disputes.status.{item.status}')}] "
            f"**{user_text.inline(item.external_id)}** · "
            f"{user_text.inline(item.criterion_name or tr('disputes.whole'))}"
        )
        st.markdown(
            tr(
                "disputes.card.raised",
                who=user_text.inline(item.raised_by),
                when=_when(item.created_at),
                reason=user_text.inline(item.reason),
            )
        )
        if item.proposed_value is not None:
            st.caption(tr("disputes.card.proposed", value=_value(item.proposed_value)))
        if item.answer:
            st.markdown(
                tr(
                    "disputes.card.answer",
                    who=user_text.inline(item.resolved_by or ""),
                    when=_when(item.resolved_at),
                    answer=user_text.inline(item.answer),
                )
            )
        else:
            st.caption(tr("disputes.card.waiting"))


def render_review(summary: disputes.ReviewSummary) -> None:
    score = "—" if summary.overall_score is None else f"{summary.overall_score:.0f}"
    st.markdown(
        tr(
            "disputes.review_line",
            conversation=summary.external_id,
            score=score,
            status=tr(f"review.status.{summary.status}"),
            version=summary.rubric_version,
        )
    )
    frame = pd.DataFrame(
        [
            {
                tr("disputes.col.category"): g.category,
                tr("disputes.col.criterion"): g.name,
                tr("disputes.col.grade"): tr("review.na")
                if g.not_applicable
                else f"{_value(g.value)} {g.level_label}".strip(),
                tr("disputes.col.comment"): g.comment,
            }
            for g in summary.grades
        ]
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            tr("disputes.col.category"): st.column_config.TextColumn(width=110),
            tr("disputes.col.grade"): st.column_config.TextColumn(width=170),
        },
    )
    commented = [g for g in summary.grades if g.comment.strip()]
    if commented:  # a table cell cuts a comment off; here it is read in full
        st.markdown(f"**{tr('disputes.comments')}**")
        st.markdown(
            "\n".join(
                f"- **{user_text.inline(g.name)}:** {user_text.inline(' '.join(g.comment.split()))}"
                for g in commented
            )
        )
    if summary.comment:
        st.caption(tr("disputes.overall_comment", comment=user_text.inline(summary.comment)))


def render_reviews(actor, summaries: list[disputes.ReviewSummary]) -> None:
    if not summaries:
        st.caption(tr("disputes.no_reviews"))
        return
    labels = {
        s.review_id: tr(
            "disputes.review_option",
            conversation=s.external_id,
            score="—" if s.overall_score is None else round(s.overall_score),
            date=s.submitted_at.strftime("%Y-%m-%d") if s.submitted_at else "—",
        )
        for s in summaries
    }
    chosen = st.selectbox(
        tr("disputes.pick_review"), list(labels), format_func=labels.get, key="disputes.review"
    )
    summary = next(s for s in summaries if s.review_id == chosen)
    render_review(summary)
    if can(actor, "dispute.raise"):
        dispute_forms.render_raise_form(actor, summary)


def render_decide(actor, screen: disputes.DisputesScreen) -> None:
    """The reviewer or a lead answers an open dispute (the one the screen was read for)."""
    labels = {
        d.dispute_id: f"#{d.dispute_id} · {d.external_id} · {d.criterion_name or tr('disputes.whole')}"
        for d in screen.open_disputes
    }
    item, summary = screen.deciding, screen.deciding_review
    st.session_state[DECIDING] = item.dispute_id
    st.selectbox(tr("disputes.pick_open"), list(labels), format_func=labels.get, key=DECIDING)
    if item.reason:
        st.info(
            tr(
                "disputes.their_reason",
                who=user_text.inline(item.raised_by),
                reason=user_text.inline(item.reason),
            )
        )
    render_review(summary)
    dispute_forms.render_decide_form(actor, item, summary)


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("disputes.title"))
    context.show_flash(dispute_forms.FLASH)
    screen = disputes.disputes_screen(context.uow(), actor, st.session_state.get(DECIDING))
    items, open_items = screen.disputes, screen.open_disputes
    titles = [tr("disputes.tab.disputes", count=len(open_items)), tr("disputes.tab.reviews")]
    if actor.is_agent:  # an agent comes here for their grades: those come first
        tab_reviews, tab_list = st.tabs([tr("disputes.tab.my_reviews"), titles[0]])
    else:
        tab_list, tab_reviews = st.tabs(titles)
    with tab_list:
        render_disputes_table(items)
        if screen.deciding is not None:
            st.subheader(tr("disputes.decide"))
            render_decide(actor, screen)
    with tab_reviews:
        render_reviews(actor, screen.reviews)
