"""Audit log (admin): who did what and when, filtered by user, kind of action and period,
exported as CSV or XLSX. The log is read-only here; preparing an export is itself logged."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from qa_app.services import auditlog
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import tr

ACTION = "page.audit"
FILTERS = "audit.filters"
PREPARED = "audit.prepared"
COLUMNS = ("at", "actor", "action", "entity", "details")


def _kind_label(kind: str) -> str:
    return context.tr_or(f"audit.kind.{kind}", kind)


def render_filters(screen: auditlog.AuditScreen | None) -> auditlog.AuditFilters:
    """The filter form; the filters in force stay in the session across reruns."""
    current: auditlog.AuditFilters = st.session_state.get(FILTERS) or auditlog.AuditFilters(
        since=(context.now() - timedelta(days=30)).date()
    )
    users = sorted(set(screen.users if screen else []) | set(current.users))
    kinds = sorted(set(screen.kinds if screen else []) | set(current.kinds))
    labels = {kind: _kind_label(kind) for kind in kinds}  # translated once, for this run
    with st.form("audit_filters"):
        left, middle, right = st.columns(3)
        chosen_users = left.multiselect(
            tr("audit.filter.users"), users, default=list(current.users),
            placeholder=tr("audit.filter.everyone"),
        )  # fmt: skip
        chosen_kinds = middle.multiselect(
            tr("audit.filter.kinds"), kinds, default=list(current.kinds),
            format_func=labels.__getitem__, placeholder=tr("audit.filter.every_kind"),
        )  # fmt: skip
        period = right.date_input(
            tr("audit.filter.period"),
            value=(current.since, current.until) if current.until else (current.since,),
            format="YYYY-MM-DD",
        )
        applied = st.form_submit_button(tr("audit.filter.apply"))
    if applied:
        days = tuple(period) if isinstance(period, list | tuple) else (period,)
        filters = auditlog.AuditFilters(
            users=tuple(chosen_users), kinds=tuple(chosen_kinds),
            since=days[0] if days else None, until=days[1] if len(days) > 1 else None,
        )  # fmt: skip
        st.session_state[FILTERS] = filters
        st.session_state.pop(PREPARED, None)
        st.rerun()
    return current


def render_table(screen: auditlog.AuditScreen) -> None:
    if not screen.rows:
        st.info(tr("audit.empty"), icon=":material/info:")
        return
    if screen.total > len(screen.rows):
        st.caption(tr("audit.shown_of", shown=len(screen.rows), total=screen.total))
    else:
        st.caption(tr("audit.count", total=screen.total))
    frame = pd.DataFrame(
        {
            tr("audit.column.at"): [f"{r.at:%Y-%m-%d %H:%M:%S}" for r in screen.rows],
            tr("audit.column.actor"): [r.actor for r in screen.rows],
            tr("audit.column.action"): [
                context.tr_or(f"audit.action.{r.action}", r.action) for r in screen.rows
            ],
            tr("audit.column.entity"): [r.entity for r in screen.rows],
            tr("audit.column.details"): [r.details for r in screen.rows],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def render_export(filters: auditlog.AuditFilters) -> None:
    left, right, _ = st.columns((1, 1, 3))
    for column, fmt in ((left, "csv"), (right, "xlsx")):
        if column.button(tr(f"audit.prepare.{fmt}"), icon=":material/description:"):
            try:
                prepared = auditlog.do_export_audit_log(
                    context.uow(), context.current_actor(), filters, fmt, context.current_lang(),
                    now=context.now(),
                )  # fmt: skip
            except ServiceError as exc:
                context.show_error(exc)
                return
            st.session_state[PREPARED] = prepared
    prepared = st.session_state.get(PREPARED)
    if prepared is not None:
        st.download_button(
            tr("audit.download", name=prepared.name, rows=prepared.rows),
            prepared.data,
            file_name=prepared.name,
            mime=prepared.mime,
            icon=":material/download:",
        )


def render() -> None:
    context.require_page(ACTION)
    st.title(tr("audit.title"))
    st.caption(tr("audit.intro"))
    filters = st.session_state.get(FILTERS) or auditlog.AuditFilters(
        since=(context.now() - timedelta(days=30)).date()
    )
    try:
        screen = auditlog.audit_screen(context.uow(), context.current_actor(), filters)
    except ServiceError as exc:
        context.show_error(exc)
        screen = None
    render_filters(screen)
    if screen is None:
        return
    render_table(screen)
    render_export(filters)
