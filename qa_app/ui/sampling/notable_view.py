"""Notable conversations: outliers and risks with the reason each stands out, most notable
first, paged and filterable, sent to review in one step (to one reviewer, or spread over
several by capacity)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.i18n.numbers import decimal
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
    lang = context.current_lang()
    return pd.DataFrame(
        [
            {
                tr("queue.col.conversation"): item.external_id,
                tr("queue.col.started"): item.started_at.strftime("%Y-%m-%d %H:%M"),
                tr("queue.col.agent"): item.agent,
                tr("queue.col.channel"): f"{tr(f'review.channel.{item.channel}')} · "
                f"{item.language.upper()}",
                tr("sampling.notable.col.score"): decimal(item.score, lang, 1),
                tr("sampling.notable.col.why"): "; ".join(
                    notable_reason_text(r) for r in item.reasons
                ),
            }
            for item in items
        ]
    )


def render_table(items: tuple[sampling.NotableConversation, ...]) -> None:
    """The reasons get the room; the short columns stay narrow."""
    config = {tr("sampling.notable.col.score"): st.column_config.Column(width="small")}
    config[tr("sampling.notable.col.why")] = st.column_config.Column(width=640)
    st.dataframe(notable_frame(items), hide_index=True, width="stretch", column_config=config)


def _pick_key(page: sampling.NotablePage) -> str:
    """The conversation choice belongs to one page of one list."""
    return f"notable.pick.{page.page}.{st.session_state.get(REASON)}"


def render_pager(page: sampling.NotablePage) -> None:
    """Previous / next, choose all on this page, and where we are."""
    ids = [item.conversation_id for item in page.items]

    def pick_all() -> None:
        st.session_state[_pick_key(page)] = ids

    with st.container(horizontal=True, vertical_alignment="center"):
        previous = st.button(
            tr("sampling.notable.previous"),
            disabled=page.page <= 1,
            key="notable.prev",
            icon=":material/chevron_left:",
        )
        following = st.button(
            tr("sampling.notable.next"),
            disabled=page.page >= page.pages,
            key="notable.next",
            icon=":material/chevron_right:",
        )
        st.button(
            tr("sampling.notable.pick_all"),
            on_click=pick_all,
            key="notable.pick_all",
            icon=":material/select_all:",
        )
        st.caption(
            tr("sampling.notable.page_of", page=page.page, pages=page.pages, total=page.total)
        )
    if previous or following:
        st.session_state[PAGE] = page.page + (1 if following else -1)
        st.rerun()


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
    key = _pick_key(screen.page)
    with st.form("notable.send"):
        st.markdown(f"**{tr('sampling.notable.send_title')}**")
        picked = st.multiselect(
            tr("sampling.notable.pick"),
            list(items),
            key=key,
            format_func=lambda i: items[i].external_id,
            placeholder=tr("sampling.notable.pick_none"),
        )
        cols = st.columns([4, 3, 2, 3], vertical_alignment="bottom")
        form = {
            "reviewers": cols[0].multiselect(
                tr("sampling.notable.to"),
                screen.options.reviewers,
                help=tr("sampling.notable.to_help"),
                placeholder=tr("sampling.choose"),
            ),
            "rubric": cols[1].selectbox(
                tr("sampling.rubric_short"),
                list(rubric_names),
                format_func=rubric_names.get,
                help=tr("sampling.rubric"),
            ),
            "blind": cols[2].checkbox(tr("sampling.blind"), help=tr("sampling.blind_help")),
            "override": cols[3].checkbox(
                tr("sampling.override"), help=tr("sampling.override_help")
            ),
        }
        sent = st.form_submit_button(
            tr("sampling.notable.send"), type="primary", icon=":material/send:", key="notable.send"
        )
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
    render_table(found.items)
    render_pager(found)
    render_send(actor, screen, rubric_names_of(screen.rubrics))
