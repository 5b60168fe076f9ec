"""The scoring queue (leads): jobs waiting, running, done and failed with the reason, the
workers online, and a button to queue what is still unscored."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import scoring_queue
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import tr

ACTION = "page.scoring_queue"
#: The states shown as figures, in the order a job moves through them.
SHOWN = ("todo", "doing", "succeeded", "failed")


def render_not_installed(screen: scoring_queue.QueueScreen) -> None:
    key = "scoring_queue.not_installed" if screen.postgres else "scoring_queue.needs_postgres"
    st.info(tr(key))
    st.metric(tr("scoring_queue.unscored"), f"{screen.unscored_conversations:,}")


def render_figures(screen: scoring_queue.QueueScreen) -> None:
    columns = st.columns(len(SHOWN) + 1)
    for column, state in zip(columns, SHOWN, strict=False):
        column.metric(tr(f"scoring_queue.state.{state}"), f"{screen.jobs.get(state, 0):,}")
    columns[-1].metric(tr("scoring_queue.workers"), f"{screen.workers_online}")
    st.caption(
        tr(
            "scoring_queue.conversations",
            waiting=f"{screen.waiting_conversations:,}",
            unscored=f"{screen.unscored_conversations:,}",
            size=scoring_queue.JOB_SIZE,
        )
    )


def render_failures(screen: scoring_queue.QueueScreen) -> None:
    st.subheader(tr("scoring_queue.failures"))
    if not screen.failures:
        st.success(tr("scoring_queue.no_failures"))
        return
    frame = pd.DataFrame(
        {
            tr("scoring_queue.col.when"): [
                f.failed_at.strftime("%Y-%m-%d %H:%M") for f in screen.failures
            ],
            tr("scoring_queue.col.job"): [f.job_id for f in screen.failures],
            tr("scoring_queue.col.attempt"): [
                f"{f.attempt}/{scoring_queue.MAX_ATTEMPTS}" for f in screen.failures
            ],
            tr("scoring_queue.col.conversations"): [f.conversations for f in screen.failures],
            tr("scoring_queue.col.reason"): [f.reason for f in screen.failures],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("scoring_queue.title"))
    st.caption(tr("scoring_queue.intro"))
    try:
        screen = scoring_queue.queue_screen(context.uow(), actor, context.now())
    except ServiceError as exc:
        context.show_error(exc)
        return
    if not screen.installed:
        render_not_installed(screen)
        return
    render_figures(screen)
    left, right = st.columns(2)
    if left.button(tr("scoring_queue.enqueue"), key="scoring-queue-enqueue"):
        try:
            jobs = scoring_queue.do_enqueue_unscored(context.uow(), actor)
        except ServiceError as exc:
            context.show_error(exc)
        else:
            st.success(tr("scoring_queue.enqueued", jobs=jobs))
    if right.button(tr("scoring_queue.refresh"), key="scoring-queue-refresh"):
        st.rerun()
    render_failures(screen)
