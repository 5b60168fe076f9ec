"""My results: an agent's own reviews, newest first, each with the transcript, grades,
comments and the automatic figures marked as automatic; acknowledge or dispute in place;
the weekly trend of their score with the number of reviews behind each point.

Disputes go through the disputes area's own form and action (nothing is duplicated here).
"""

from __future__ import annotations

import streamlit as st

from qa_app.services import results
from qa_app.services.errors import ServiceError
from qa_app.services.permissions import can
from qa_app.ui import charts, context, dispute_forms, results_view
from qa_app.ui.context import tr

ACTION = "page.my_results"
PAGE = "results.page"
FLASH = "results.flash"


def render_trend(screen: results.ResultsPage) -> None:
    trend = screen.trend
    if trend.empty or int(trend["n"].sum()) == 0:
        st.caption(tr("results.trend_empty"))
        return
    fig = charts.weekly_score(
        trend,
        title=tr("results.trend_title"),
        x_title=tr("results.trend_week"),
        y_title=tr("results.trend_score"),
        n_label=tr("results.trend_n"),
    )
    st.plotly_chart(fig, width="stretch", config={"displayModeBar": False})
    st.caption(tr("results.trend_help"))


def render_summary(screen: results.ResultsPage) -> None:
    cols = st.columns(3)
    cols[0].metric(tr("results.metric.reviews"), screen.total)
    cols[1].metric(tr("results.metric.unacknowledged"), screen.unacknowledged)
    scored = screen.trend[screen.trend["n"] > 0] if not screen.trend.empty else screen.trend
    latest = "—"
    if not scored.empty:
        row = scored.iloc[-1]
        latest = tr("results.metric.week_value", score=f"{row['mean']:.0f}", n=int(row["n"]))
    cols[2].metric(tr("results.metric.latest_week"), latest)


def acknowledge(actor, item: results.ResultItem) -> None:
    try:
        results.do_acknowledge_review(context.uow(), actor, item.review_id, context.now())
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.session_state[FLASH] = tr("results.acknowledged")
    st.rerun()


def render_actions(actor, item: results.ResultItem) -> None:
    """Acknowledge (once) and dispute (through the disputes form) one review."""
    if item.acknowledged_at is None and st.button(
        tr("results.acknowledge"),
        key=f"results.ack.{item.review_id}",
        type="primary",
        icon=":material/done:",
        help=tr("results.acknowledge_help"),
    ):
        acknowledge(actor, item)
    if not can(actor, "dispute.raise"):
        return
    if item.open_dispute:
        st.caption(tr("results.dispute_open"))
        return
    with st.expander(tr("results.dispute"), icon=":material/gavel:"):
        dispute_forms.render_raise_form(actor, item.summary)


def render_item(actor, item: results.ResultItem, expanded: bool) -> None:
    with st.container(border=True):
        st.markdown(results_view.headline(item))
        with st.expander(tr("results.details"), expanded=expanded):
            results_view.render_item_body(item)
        render_actions(actor, item)


def render_pager(screen: results.ResultsPage) -> None:
    if screen.pages <= 1:
        return
    st.number_input(
        tr("results.page_of", pages=screen.pages),
        min_value=1,
        max_value=screen.pages,
        step=1,
        key=PAGE,
    )


def current_page() -> int:
    chosen = st.session_state.get(PAGE)
    return int(chosen) - 1 if isinstance(chosen, int | float) else 0


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("results.title"))
    context.show_flash(FLASH)
    context.show_flash(dispute_forms.FLASH)
    screen = results.my_results_screen(context.uow(), actor, context.now(), current_page())
    if screen.total == 0:
        st.info(tr("results.none"), icon=":material/inbox:")
        return
    render_summary(screen)
    render_trend(screen)
    st.subheader(
        tr(
            "results.reviews",
            first=screen.page * screen.page_size + 1,
            last=screen.page * screen.page_size + len(screen.items),
            total=screen.total,
        )
    )
    for index, item in enumerate(screen.items):
        render_item(actor, item, expanded=index == 0)
    render_pager(screen)
