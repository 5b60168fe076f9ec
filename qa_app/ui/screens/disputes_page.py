"""Disputes: agents (their own reviews) and leads challenge a grade; the reviewer or a lead
decides with the conversation beside the grades: accept and change the grade (the score is
recomputed), accept and keep it, or reject, always with an answer."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import disputes
from qa_app.services.permissions import can
from qa_app.ui import context, dispute_forms, user_text
from qa_app.ui.context import current_lang, tr
from qa_app.ui.transcript_view import render_transcript

ACTION = "page.disputes"
DECIDING = "disputes.open"


def _value(value) -> str:
    return "—" if value is None else f"{value:g}"


#: The table lists who disputed what and how it ended; reasons and answers are read in
#: full in the card under it (a table cell would cut them off).
STATUS_BADGE = {"open": "orange", "accepted": "green", "accepted_kept": "blue", "rejected": "red"}
HIGHLIGHT = "background-color: rgba(255, 164, 33, 0.22); font-weight: 600"


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
                tr("disputes.col.resolved_by"): d.resolved_by or "",
            }
            for d in items
        ]
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={"#": st.column_config.NumberColumn(width=40)},
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


def _grade_text(g: disputes.GradeLine) -> str:
    if g.auto_na:
        return tr("disputes.auto_na")
    if g.not_applicable:
        return tr("review.na")
    return f"{_value(g.value)} {g.level_label}".strip()


def render_review(summary: disputes.ReviewSummary, disputed: str | None = None) -> None:
    """The review's grades; ``disputed`` (a criterion id) is marked and highlighted."""
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
                tr("disputes.col.criterion"): ("⚑ " if g.criterion_id == disputed else "") + g.name,
                tr("disputes.col.grade"): _grade_text(g),
                tr("disputes.col.comment"): g.comment,
            }
            for g in summary.grades
        ]
    )
    if disputed is not None:  # beside the transcript: the comments are listed in full below
        frame = frame.drop(columns=[tr("disputes.col.comment")])
    rows = [i for i, g in enumerate(summary.grades) if g.criterion_id == disputed]
    shown = frame.style.apply(
        lambda row: [HIGHLIGHT if row.name in rows else ""] * len(row), axis=1
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            tr("disputes.col.category"): st.column_config.TextColumn(width=100),
            tr("disputes.col.criterion"): st.column_config.TextColumn(width=230),
            tr("disputes.col.grade"): st.column_config.TextColumn(width=130),
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
    """The reviewer or a lead answers an open dispute (the one the screen was read for):
    the conversation on the left, the full reason, the grades with the disputed one
    highlighted and the decision on the right."""
    labels = {
        d.dispute_id: f"#{d.dispute_id} · {d.external_id} · {d.criterion_name or tr('disputes.whole')}"
        for d in screen.open_disputes
    }
    item, summary = screen.deciding, screen.deciding_review
    st.session_state[DECIDING] = item.dispute_id
    st.selectbox(tr("disputes.pick_open"), list(labels), format_func=labels.get, key=DECIDING)
    left, right = st.columns([1, 1], gap="medium")
    with left:
        st.markdown(f"**{tr('disputes.transcript')}**")
        render_transcript(screen.deciding_transcript, current_lang(), height=560)
    with right:
        with st.container(border=True):
            st.markdown(
                tr(
                    "disputes.full_reason",
                    who=user_text.inline(item.raised_by),
                    what=user_text.inline(item.criterion_name or tr("disputes.whole")),
                    when=_when(item.created_at),
                )
            )
            user_text.render(item.reason)  # in full, as written, never as Markdown
            line = next((g for g in summary.grades if g.criterion_id == item.criterion_id), None)
            if line is not None:
                st.markdown(
                    f":orange-badge[⚑ {tr('disputes.disputed_mark')}] "
                    + tr("disputes.current_grade", grade=user_text.inline(_grade_text(line)))
                )
            if item.proposed_value is not None:
                st.caption(tr("disputes.card.proposed", value=_value(item.proposed_value)))
        st.markdown(f"**{tr('disputes.grades')}**")
        render_review(summary, disputed=item.criterion_id)
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
