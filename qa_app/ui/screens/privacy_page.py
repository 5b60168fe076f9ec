"""Personal data (admin): retention periods per source, the purge with its dry run, and
erasure of one customer on request. Every change goes through ``services.privacy``,
which checks the role again and writes the audit entry."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import permissions, privacy
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import tr

ACTION = "page.privacy"
FLASH = "privacy.flash"
ERASE_PREVIEW = "privacy.erase_preview"
PURGE_COLUMNS = ("conversations", "messages", "auto_scores", "reviews")


STARTED = "privacy.purge_checked"


def purge_due_at_start(actor) -> None:
    """Once per browser session of an admin: the scheduled purge, when it is due (no purge
    in the last day), with a toast saying what went."""
    if st.session_state.get(STARTED) or not permissions.can(actor, "privacy.retention"):
        return
    st.session_state[STARTED] = True
    try:
        report = privacy.do_purge_if_due(context.uow(), actor, now=context.now())
    except ServiceError as exc:
        context.show_error(exc)
        return
    if report is not None and report.conversations:
        st.toast(
            tr("privacy.purge.scheduled", count=report.conversations),
            icon=":material/auto_delete:",
        )


def _when(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def render_policies(screen: privacy.PrivacyScreen) -> None:
    st.subheader(tr("privacy.retention.header"), anchor=False)
    st.caption(tr("privacy.retention.caption"))
    if screen.policies:
        frame = pd.DataFrame(
            {
                tr("privacy.column.source"): [p.source for p in screen.policies],
                tr("privacy.column.days"): [
                    str(p.days) if p.days else tr("privacy.forever") for p in screen.policies
                ],
                tr("privacy.column.conversations"): [p.conversations for p in screen.policies],
            }
        )
        st.dataframe(frame, hide_index=True, width="stretch")
    sources = [p.source for p in screen.policies]
    with st.form("retention_policy"):
        left, middle, right = st.columns((2, 1, 2), vertical_alignment="bottom")
        source = left.selectbox(
            tr("privacy.form.source"),
            sources,
            accept_new_options=True,
            index=0 if sources else None,
            placeholder=tr("privacy.form.source_placeholder"),
        )
        days = middle.number_input(
            tr("privacy.form.days"), min_value=1, max_value=privacy.MAX_DAYS, value=365, step=1
        )
        forever = right.checkbox(tr("privacy.form.forever"))
        saved = st.form_submit_button(tr("privacy.form.save"))
    if saved:
        try:
            privacy.do_set_policy(
                context.uow(), context.current_actor(), source or "", None if forever else int(days),
                now=context.now(),
            )  # fmt: skip
        except ServiceError as exc:
            context.show_error(exc)
            return
        st.session_state[FLASH] = tr("privacy.saved", source=source)
        st.rerun()


def render_purge(screen: privacy.PrivacyScreen) -> None:
    st.subheader(tr("privacy.purge.header"), anchor=False)
    st.caption(tr("privacy.purge.caption"))
    last = screen.last_purge
    st.caption(
        tr("privacy.purge.last", at=_when(last.at), actor=last.actor, count=last.conversations)
        if last
        else tr("privacy.purge.never")
    )
    preview = screen.preview
    if not preview.sources:
        st.info(tr("privacy.purge.none"), icon=":material/info:")
        return
    st.write(tr("privacy.purge.preview"))
    rows = {
        tr("privacy.column.source"): [s.source for s in preview.sources],
        tr("privacy.column.days"): [s.days for s in preview.sources],
        tr("privacy.purge.column.cutoff"): [_when(s.cutoff) for s in preview.sources],
    }
    for name in PURGE_COLUMNS:
        rows[tr(f"privacy.purge.column.{name}")] = [s.deleted.get(name, 0) for s in preview.sources]
    rows[tr("privacy.purge.column.held")] = [s.held for s in preview.sources]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if not preview.conversations:
        return
    with st.form("purge"):
        confirmed = st.checkbox(tr("privacy.purge.confirm"))
        run = st.form_submit_button(tr("privacy.purge.run"), type="primary", disabled=False)
    if run and confirmed:
        try:
            report = privacy.do_purge(context.uow(), context.current_actor(), now=context.now())
        except ServiceError as exc:
            context.show_error(exc)
            return
        st.session_state[FLASH] = tr(
            "privacy.purge.done", count=report.conversations, aggregates=report.aggregates_written
        )
        st.rerun()


def _rows_frame(rows: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("privacy.column.table"): list(rows),
            tr("privacy.column.rows"): list(rows.values()),
        }
    )


def render_erase() -> None:
    st.subheader(tr("privacy.erase.header"), anchor=False)
    st.caption(tr("privacy.erase.caption"))
    with st.form("erase_preview"):
        customer = st.text_input(tr("privacy.erase.customer"))
        asked = st.form_submit_button(tr("privacy.erase.preview"))
    if asked:
        st.session_state.pop(ERASE_PREVIEW, None)
        try:
            report = privacy.do_erase_customer(
                context.uow(), context.current_actor(), customer, dry_run=True, now=context.now()
            )
        except ServiceError as exc:
            context.show_error(exc)
            return
        st.session_state[ERASE_PREVIEW] = (customer.strip(), report)
    pending = st.session_state.get(ERASE_PREVIEW)
    if not pending:
        return
    customer, report = pending
    st.warning(
        tr("privacy.erase.would", conversations=report.conversations, ref=report.customer_ref),
        icon=":material/warning:",
    )
    st.dataframe(_rows_frame(report.rows), hide_index=True)
    if st.button(tr("privacy.erase.confirm", ref=report.customer_ref), type="primary"):
        try:
            done = privacy.do_erase_customer(
                context.uow(), context.current_actor(), customer, now=context.now()
            )
        except ServiceError as exc:
            context.show_error(exc)
            return
        st.session_state.pop(ERASE_PREVIEW, None)
        st.session_state[FLASH] = tr(
            "privacy.erase.done", conversations=done.conversations, ref=done.customer_ref
        )
        st.rerun()


def render() -> None:
    context.require_page(ACTION)
    st.title(tr("privacy.title"))
    st.caption(tr("privacy.intro"))
    context.show_flash(FLASH)
    try:
        screen = privacy.privacy_screen(context.uow(), context.current_actor(), context.now())
    except ServiceError as exc:
        context.show_error(exc)
        return
    render_policies(screen)
    render_purge(screen)
    render_erase()
