"""Notable conversations: outliers and risks with the reason each stands out, most notable
first, paged and filterable, sent to review in one step (to one reviewer, or spread over
several by capacity)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import sampling
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import tr
from qa_app.ui.sampling.capacity_view import render_capacity
from qa_app.ui.sampling.filters_form import labels, render_filters
from qa_app.ui.sampling.words import notable_reason_text

FILTERS = "notable.filters"
REASON = "notable.reason"
PAGE = "notable.page"
SENT = "notable.sent"


def _reset_page() -> None:
    st.session_state[PAGE] = 1


def render_filter_form(screen: sampling.NotableScreen) -> None:
    used = screen.filters
    with st.form("notable.form"):
        filters = render_filters(
            screen.options,
            "notable",
            dates=(used.date_from, used.date_to) if used.date_from else (),
            start=used,
        )
        if st.form_submit_button(
            tr("sampling.notable.show"), icon=":material/filter_alt:", key="notable.show"
        ):
            st.session_state[FILTERS] = filters
            _reset_page()
            st.rerun()


def render_reason_choice(page: sampling.NotablePage) -> None:
    codes = [None, *(code for code in sampling.REASONS if page.reason_counts.get(code))]
    if st.session_state.get(REASON) not in codes:
        st.session_state[REASON] = None

    def label(code: str | None) -> str:
        if code is None:
            return tr("sampling.notable.all_reasons")
        return tr(
            "sampling.notable.reason_count",
            reason=tr(f"sampling.notable.kind.{code}"),
            count=page.reason_counts[code],
        )

    st.selectbox(
        tr("sampling.notable.reason"),
        codes,
        format_func=labels({c: label(c) for c in codes}),
        key=REASON,
        on_change=_reset_page,
    )


def notable_frame(items: tuple[sampling.NotableConversation, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                tr("queue.col.conversation"): item.external_id,
                tr("queue.col.started"): item.started_at.strftime("%Y-%m-%d %H:%M"),
                tr("queue.col.agent"): item.agent,
                tr("queue.col.channel"): tr(f"review.channel.{item.channel}"),
                tr("queue.col.language"): item.language.upper(),
                tr("sampling.notable.col.why"): "; ".join(
                    notable_reason_text(r) for r in item.reasons
                ),
                tr("sampling.notable.col.score"): item.score,
            }
            for item in items
        ]
    )


def render_pager(page: sampling.NotablePage) -> None:
    cols = st.columns([1, 1, 4], vertical_alignment="center")
    if cols[0].button(
        tr("sampling.notable.previous"),
        disabled=page.page <= 1,
        key="notable.prev",
        icon=":material/chevron_left:",
    ):
        st.session_state[PAGE] = page.page - 1
        st.rerun()
    if cols[1].button(
        tr("sampling.notable.next"),
        disabled=page.page >= page.pages,
        key="notable.next",
        icon=":material/chevron_right:",
    ):
        st.session_state[PAGE] = page.page + 1
        st.rerun()
    cols[2].caption(
        tr("sampling.notable.page_of", page=page.page, pages=page.pages, total=page.total)
    )


def _send(actor, ids: list[int], form: dict) -> None:
    try:
        result = sampling.do_send_to_review(
            context.uow(),
            actor,
            ids,
            tuple(form["reviewers"]),
            now=context.now(),
            override=form["override"],
            blind=form["blind"],
            rubric_slug=form["rubric"],
        )
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.session_state[SENT] = result
    st.rerun()


def render_send(actor, screen: sampling.NotableScreen, rubric_names: dict[str, str]) -> None:
    items = {item.conversation_id: item for item in screen.page.items}
    key = f"notable.pick.{screen.page.page}.{st.session_state.get(REASON)}"

    def pick_all() -> None:
        st.session_state[key] = list(items)

    with st.form("notable.send"):
        st.markdown(f"**{tr('sampling.notable.send_title')}**")
        picked = st.multiselect(
            tr("sampling.notable.pick"),
            list(items),
            key=key,
            format_func=lambda i: items[i].external_id,
            placeholder=tr("sampling.notable.pick_none"),
        )
        cols = st.columns([4, 3, 2, 2], vertical_alignment="bottom")
        form = {
            "reviewers": cols[0].multiselect(
                tr("sampling.notable.to"),
                screen.options.reviewers,
                help=tr("sampling.notable.to_help"),
                placeholder=tr("sampling.choose"),
            ),
            "rubric": cols[1].selectbox(
                tr("sampling.rubric"), list(rubric_names), format_func=rubric_names.get
            ),
            "blind": cols[2].checkbox(tr("sampling.blind_short")),
            "override": cols[3].checkbox(
                tr("sampling.override"), help=tr("sampling.override_help")
            ),
        }
        sent = st.form_submit_button(
            tr("sampling.notable.send"), type="primary", icon=":material/send:", key="notable.send"
        )
    st.button(tr("sampling.notable.pick_all"), on_click=pick_all, key="notable.pick_all")
    if sent:
        _send(actor, picked, form)


def render_sent() -> None:
    result: sampling.SendResult | None = st.session_state.pop(SENT, None)
    if result is None:
        return
    st.success(tr("sampling.notable.sent", count=result.created), icon=":material/send:")
    if result.taken:
        st.info(tr("sampling.notable.taken", count=result.taken))
    render_capacity(result.sample, override=result.sample.request.override_capacity)


def render(actor, rubric_names_of) -> None:
    """The notable section: one read (choices and one page of the list), then widgets."""
    st.caption(tr("sampling.notable.intro"))
    try:
        screen = sampling.notable_screen(
            context.uow(),
            actor,
            st.session_state.get(FILTERS),
            reason=st.session_state.get(REASON),
            page=st.session_state.get(PAGE, 1),
        )
    except ServiceError as exc:
        context.show_error(exc)
        st.session_state.pop(FILTERS, None)
        return
    render_filter_form(screen)
    render_sent()
    found = screen.page
    render_reason_choice(found)
    if not found.items and found.total and found.page > found.pages:  # fewer pages now
        st.session_state[PAGE] = found.pages
        st.rerun()
    if not found.items:
        st.info(tr("sampling.notable.none"))
        return
    st.dataframe(notable_frame(found.items), hide_index=True, width="stretch")
    render_pager(found)
    render_send(actor, screen, rubric_names_of(screen.rubrics))
