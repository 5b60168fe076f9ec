"""Review queue: what is due, in progress and done, and one click to the next conversation.

Leads also see every reviewer's counts and can open anyone's queue (read only).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.i18n import in_language
from qa_app.services import reviews
from qa_app.services.permissions import can
from qa_app.services.sampling import STRATEGIES
from qa_app.ui import context
from qa_app.ui.context import current_lang, tr, tr_or
from qa_app.ui.sampling.words import period_text, reason_text
from qa_app.ui.screens.review_page import TARGET

ACTION = "page.queue"
REVIEWER = "queue.reviewer"


def open_review(assignment_id: int) -> None:
    """Go to the review page showing ``assignment_id`` (the URL keeps it across reloads)."""
    st.session_state[TARGET] = assignment_id
    page = st.Page(lambda: None, title=tr("review.title"), url_path="review")
    st.switch_page(page, query_params={"assignment": str(assignment_id)})


def describe_label(label: str) -> str:
    """``"risk seed=42: low_csat, escalated"`` in the reader's words; so are the labels of
    calibration sessions (``"calibration: <name>"``) and hand-made assignments."""
    head, _, codes = label.partition(": ")
    if head == "calibration" and codes:
        return tr("queue.why.calibration", name=in_language(codes, current_lang()))
    if not codes:
        return tr("queue.why.manual") if label == "manual" else label
    if head == "notable":
        kinds = "; ".join(
            tr_or(f"sampling.notable.kind.{code}", code) for code in codes.split(", ")
        )
        return f"{kinds} ({tr('queue.why.notable')})"
    strategy, _, plan = head.partition(" plan=")
    strategy = strategy.split(" ")[0]
    words = "; ".join(reason_text(code) for code in codes.split(", "))
    name = tr(f"sampling.strategy.{strategy}") if strategy in STRATEGIES else head
    if plan:
        plan_name, _, period = plan.partition("|")
        name = tr("queue.why.plan", name=plan_name, period=period_text(period), strategy=name)
    return f"{words} ({name})"


def render_counts(counts: reviews.QueueCounts) -> None:
    cols = st.columns(3)
    cols[0].metric(tr("queue.due"), counts.due)
    cols[1].metric(tr("queue.in_progress"), counts.in_progress)
    cols[2].metric(tr("queue.done"), counts.done)


def _frame(items: list[reviews.QueueItem], with_reviewer: bool) -> pd.DataFrame:
    """One row per assignment; the score column only where some review has a score."""
    scored = any(item.score is not None for item in items)
    rows = []
    for item in items:
        row = {
            tr("queue.col.conversation"): item.external_id,
            tr("queue.col.channel"): tr(f"review.channel.{item.channel}"),
            tr("queue.col.language"): item.language.upper(),
            tr("queue.col.started"): item.started_at.strftime("%Y-%m-%d %H:%M"),
            tr("queue.col.agent"): item.agent or tr("queue.hidden"),
        }
        if with_reviewer:
            row[tr("queue.col.reviewer")] = item.reviewer
        if item.review_status:
            row[tr("queue.col.status")] = tr(f"review.status.{item.review_status}")
        if scored:
            row[tr("queue.col.score")] = "—" if item.score is None else f"{item.score:.0f}"
        row[tr("queue.col.why")] = describe_label(item.sample_label)
        rows.append(row)
    return pd.DataFrame(rows)


def render_bucket(actor, bucket: str, items: list[reviews.QueueItem], reviewer_id) -> None:
    if not items:  # say what fills this list, not only that it is empty
        lead = can(actor, "queue.view_any")
        key = f"queue.empty.{bucket}" + ("_lead" if lead and bucket == "due" else "")
        st.caption(tr(key))
        return
    st.dataframe(
        _frame(items, with_reviewer=reviewer_id is None and can(actor, "queue.view_any")),
        hide_index=True,
        width="stretch",
    )
    labels = {i.assignment_id: f"{i.external_id} · {i.started_at:%Y-%m-%d}" for i in items}
    cols = st.columns([3, 1], vertical_alignment="bottom")
    chosen = cols[0].selectbox(
        tr("queue.pick"), list(labels), format_func=labels.get, key=f"queue.pick.{bucket}"
    )
    if cols[1].button(tr("queue.open"), key=f"queue.open.{bucket}", icon=":material/open_in_new:"):
        open_review(chosen)


def render_lead_overview(screen: reviews.QueueScreen) -> None:
    """All reviewers' counts and a choice of whose queue to list (None = everyone)."""
    frame, options = screen.all_reviewers, screen.reviewer_options
    st.subheader(tr("queue.all_reviewers"))
    if frame.empty:
        st.caption(tr("queue.empty"))
    else:
        st.dataframe(
            frame.rename(
                columns={
                    "reviewer": tr("queue.col.reviewer"),
                    "due": tr("queue.due"),
                    "in_progress": tr("queue.in_progress"),
                    "done": tr("queue.done"),
                }
            ),
            hide_index=True,
        )
    names = {None: tr("queue.everyone")} | dict(options)
    st.session_state[REVIEWER] = screen.reviewer_id  # the choice the lists were read for
    st.selectbox(tr("queue.reviewer"), list(names), format_func=names.get, key=REVIEWER)


def render_goal(goal: reviews.GoalProgress | None) -> None:
    """This week's reviews against the reviewer's goal, with the open work beside it."""
    if goal is None or goal.goal is None:
        return
    share = min(1.0, goal.done / goal.goal) if goal.goal else 1.0
    st.progress(share, text=tr("queue.goal", done=goal.done, goal=goal.goal, open=goal.open))


def render_own_queue(actor, counts: reviews.QueueCounts, next_id: int | None) -> None:
    render_counts(counts)
    if st.button(
        tr("queue.open_next"),
        type="primary",
        icon=":material/play_arrow:",
        disabled=next_id is None,
        key="queue.open_next",
    ):
        open_review(next_id)


def render() -> None:
    actor = context.require_page(ACTION)
    is_lead = can(actor, "queue.view_any")
    screen = reviews.queue_screen(
        context.uow(), actor, st.session_state.get(REVIEWER), now=context.now()
    )
    counts, next_id = screen.counts, screen.next_assignment_id
    has_own = counts.open + counts.done > 0
    st.title(tr("queue.title_lead" if is_lead and not has_own else "queue.title"))
    if has_own or not is_lead:
        render_goal(screen.goal)
        render_own_queue(actor, counts, next_id)
    if is_lead:
        render_lead_overview(screen)
    tabs = st.tabs([tr("queue.due"), tr("queue.in_progress"), tr("queue.done")])
    for tab, bucket in zip(tabs, ("due", "in_progress", "done"), strict=True):
        with tab:
            render_bucket(actor, bucket, screen.buckets[bucket], screen.reviewer_id)
