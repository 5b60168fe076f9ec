"""Correcting a saved visit on the visits page: the recording form, filled from the visit.

The form is keyed by the visit and the version it was opened at, and filled once, so a
refused save (an oversized file, a missing answer, a correction saved meanwhile in another
tab) keeps every typed value. A conflict says what happened and offers to start again
from the saved visit; only that, a cancel or a successful save empties the form.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from qa_app.services import mystery
from qa_app.services.errors import Conflict, ServiceError
from qa_app.ui import context, user_text
from qa_app.ui import data as data_cache
from qa_app.ui.context import tr
from qa_app.ui.mystery_visit_form import (
    FLASH,
    NA,
    seed,
    team_zone,
    uploads_of,
    visit_fields,
    visit_input,
)

#: ``(visit id, version)`` of the correction being typed, else absent.
EDITING = "mystery.edit.open"
#: ``(visit id, version)`` of a correction refused because the visit was saved meanwhile.
CONFLICT = "mystery.edit.conflict"
PREFIX = "mystery.edit."


def _key_for(visit_id: int, version: int):
    return lambda name: f"{PREFIX}{visit_id}.{version}.{name}"


def editing(visit_id: int) -> bool:
    opened = st.session_state.get(EDITING)
    return bool(opened) and opened[0] == visit_id


def _forget_typed() -> None:
    for name in [k for k in st.session_state if str(k).startswith(PREFIX)]:
        del st.session_state[name]


def start(visit_id: int, version: int) -> None:
    """Open the correction form at ``version`` (a previous, unsaved one is dropped)."""
    stop()
    st.session_state[EDITING] = (visit_id, version)


def render_start(visit_id: int, version: int) -> None:
    """The button that opens the correction form of the visit shown."""
    if st.button(tr("mystery.edit.start"), key=f"mystery.edit.start.{visit_id}",
                 icon=":material/edit:"):  # fmt: skip
        start(visit_id, version)
        st.rerun()


def stop() -> None:
    _forget_typed()
    st.session_state.pop(EDITING, None)
    st.session_state.pop(CONFLICT, None)


def _minutes_after(start_at: datetime, moment: datetime | None) -> str:
    return "" if moment is None else f"{(moment - start_at).total_seconds() / 60:g}"


def _starting_values(visit: mystery.EditableVisit) -> dict[str, object]:
    local = visit.contacted_at.astimezone(team_zone())
    values: dict[str, object] = {
        "shopper": visit.shopper, "date": local.date(), "time": local.time().replace(second=0, microsecond=0),
        "first": _minutes_after(visit.contacted_at, visit.first_response_at),
        "resolved": _minutes_after(visit.contacted_at, visit.resolved_at),
        "agent": visit.agent_login, "team": visit.team, "summary": visit.summary,
        "transcript": visit.transcript, "conversation": visit.conversation,
    }  # fmt: skip
    for item in visit.items:
        value, not_applicable, comment = visit.answers.get(item.criterion_id, (None, False, ""))
        values[f"item.{item.criterion_id}"] = NA if not_applicable else value
        values[f"comment.{item.criterion_id}"] = comment
    return values


def render_edit(actor, screen: mystery.VisitsScreen, visit_id: int) -> None:
    """The correction form of the open visit, with save and cancel."""
    visit = screen.detail.editable
    opened_at = st.session_state[EDITING][1]
    key = _key_for(visit_id, opened_at)
    seed(key, _starting_values(visit))
    shoppers = []
    if screen.may_record_any:
        shoppers = [visit.shopper, *[u for u in screen.shoppers if u != visit.shopper]]
    with st.container(border=True):
        st.subheader(tr("mystery.edit.heading", id=visit_id))
        st.caption(tr("mystery.edit.scenario", scenario=user_text.inline(visit.scenario)))
        with st.form(key("form"), clear_on_submit=False, border=False):
            typed = visit_fields(key, screen, visit.items, shoppers)
            with st.container(horizontal=True):
                submitted = st.form_submit_button(tr("mystery.edit.save"), type="primary")
                cancelled = st.form_submit_button(tr("mystery.edit.cancel"))
        if cancelled:
            stop()
            st.rerun()
    if submitted:
        _save(actor, visit_id, opened_at, visit, typed)
    if st.session_state.get(CONFLICT) == (visit_id, opened_at):
        st.info(tr("mystery.edit.kept_conflict"))
        if st.button(tr("mystery.edit.reload"), key=f"mystery.reload.{visit_id}"):
            start(visit_id, visit.lock_version)
            st.rerun()


def _save(actor, visit_id: int, opened_at: int, visit, typed) -> None:
    try:
        data = visit_input(typed, visit.scenario_id, team_zone())
        mystery.do_update_visit(
            context.uow(), actor, visit_id, opened_at, data, uploads_of(typed), now=context.now()
        )
    except Conflict as exc:
        context.show_error(exc)
        st.session_state[CONFLICT] = (visit_id, opened_at)
        return
    except ServiceError as exc:
        context.show_error(exc)
        st.info(tr("mystery.form.kept"))
        return
    stop()
    data_cache.forget_mystery()
    st.session_state[FLASH] = tr("mystery.edit.saved", id=visit_id)
    st.rerun()
