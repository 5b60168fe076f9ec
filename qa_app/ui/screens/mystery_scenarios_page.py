"""Mystery-shopper scenarios (lead, admin): the list, the shipped examples, a new scenario
and changes to an existing one. Texts are saved in the language of the interface."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import mystery
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.context import tr

ACTION = "page.mystery_scenarios"
FLASH = "mystery.scenarios.flash"
CHANNELS = ("chat", "email", "messenger", "social", "phone")


def _channel(code: str) -> str:
    return tr(f"overview.channel.{code}")


def render_table(scenarios: list[mystery.ScenarioInfo]) -> None:
    if not scenarios:
        st.info(tr("mystery.scenarios.none"))
        return
    frame = pd.DataFrame(
        {
            tr("mystery.col.name"): [s.name for s in scenarios],
            tr("mystery.field.channel"): [_channel(s.channel) for s in scenarios],
            tr("mystery.field.checklist"): [s.checklist for s in scenarios],
            tr("mystery.col.visits"): [s.visits for s in scenarios],
            tr("mystery.col.active"): [s.is_active for s in scenarios],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _fields(prefix: str, checklists: list[str], current: mystery.ScenarioInfo | None = None):
    """The scenario's inputs (inside a form); returns a ScenarioInput."""
    name = st.text_input(tr("mystery.field.name"), value=current.name if current else "",
                         key=f"{prefix}.name", max_chars=200)  # fmt: skip
    left, right = st.columns(2)
    channel = left.selectbox(
        tr("mystery.field.channel"), CHANNELS, key=f"{prefix}.channel",
        format_func={c: _channel(c) for c in CHANNELS}.get,
        index=CHANNELS.index(current.channel) if current else 0,
    )  # fmt: skip
    checklist = right.selectbox(
        tr("mystery.field.checklist"), checklists, key=f"{prefix}.checklist",
        index=checklists.index(current.checklist) if current and current.checklist in checklists else 0,
    )  # fmt: skip
    persona = st.text_area(tr("mystery.field.persona"), value=current.persona if current else "",
                           key=f"{prefix}.persona", height=80)  # fmt: skip
    request = st.text_area(tr("mystery.field.request"), value=current.request if current else "",
                           key=f"{prefix}.request", height=80)  # fmt: skip
    answer = st.text_area(
        tr("mystery.field.correct_answer"), value=current.correct_answer if current else "",
        key=f"{prefix}.answer", height=80,
    )  # fmt: skip
    return mystery.ScenarioInput(
        name, channel, persona, request, answer, checklist, lang=context.current_lang()
    )


def render_new(actor, checklists: list[str]) -> None:
    with st.expander(tr("mystery.scenarios.new"), expanded=False):
        with st.form("mystery.scenario.new", clear_on_submit=False):
            data = _fields("mystery.new", checklists)
            submitted = st.form_submit_button(tr("mystery.scenarios.create"), type="primary")
        if submitted:
            try:
                mystery.do_create_scenario(context.uow(), actor, data, now=context.now())
            except ServiceError as exc:
                context.show_error(exc)
                return
            st.session_state[FLASH] = tr("mystery.scenarios.created", name=data.name.strip())
            st.rerun()


def render_edit(actor, scenarios: list[mystery.ScenarioInfo], checklists: list[str]) -> None:
    if not scenarios:
        return
    with st.expander(tr("mystery.scenarios.edit"), expanded=False):
        by_id = {s.id: s for s in scenarios}
        chosen = st.selectbox(
            tr("mystery.scenarios.pick"), list(by_id), format_func=lambda i: by_id[i].name,
            key="mystery.edit.pick",
        )  # fmt: skip
        current = by_id[chosen]
        with st.form(f"mystery.scenario.edit.{chosen}"):
            data = _fields(f"mystery.edit.{chosen}", checklists, current)
            active = st.checkbox(tr("mystery.scenarios.active"), value=current.is_active)
            submitted = st.form_submit_button(tr("mystery.scenarios.save"), type="primary")
        if submitted:
            try:
                mystery.do_update_scenario(
                    context.uow(), actor, chosen, data, is_active=active, now=context.now()
                )
            except ServiceError as exc:
                context.show_error(exc)
                return
            st.session_state[FLASH] = tr("mystery.scenarios.updated", name=data.name.strip())
            st.rerun()


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("mystery.scenarios.title"))
    st.caption(tr("mystery.scenarios.intro"))
    context.show_flash(FLASH)
    screen = mystery.scenarios_screen(context.uow(), actor, context.current_lang())
    if st.button(tr("mystery.scenarios.install"), key="mystery.install"):
        added = mystery.do_install_catalogue(context.uow(), actor, now=context.now())
        st.session_state[FLASH] = tr("mystery.scenarios.installed", count=added)
        st.rerun()
    render_table(screen.scenarios)
    render_new(actor, screen.checklists)
    render_edit(actor, screen.scenarios, screen.checklists)
