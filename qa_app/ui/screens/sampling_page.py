"""Sampling for leads, in four sections: recurring plans, a one-off sample, the notable
conversations, and reviewers' goals. Only the chosen section is read and drawn, so a
click in one never waits for another's queries."""

from __future__ import annotations

import streamlit as st

from qa_app.services import rubrics
from qa_app.services.permissions import can
from qa_app.ui import context
from qa_app.ui.context import tr
from qa_app.ui.data_review import ensure_rubrics
from qa_app.ui.sampling import goals_view, notable_view, oneoff_view, plans_view
from qa_app.ui.sampling.filters_form import labels
from qa_app.ui.sampling.oneoff_view import PLAN
from qa_app.ui.sampling.words import reason_text, week_start

__all__ = ["ACTION", "PLAN", "SECTIONS", "reason_text", "render", "week_start"]

ACTION = "page.sampling"
SECTION = "sampling.section"
#: Section key -> (renderer, the action it needs).
SECTIONS = {
    "plans": (plans_view.render, "sampling.plan"),
    "oneoff": (oneoff_view.render, "sampling.run"),
    "notable": (notable_view.render, "sampling.notable"),
    "goals": (goals_view.render, "sampling.goals"),
}


def rubric_names_of(summaries: list[rubrics.RubricSummary]) -> dict[str, str]:
    """Active rubrics by slug, named in the reader's language with their newest version."""
    lang = context.current_lang()
    return {
        r.slug: f"{r.name_ru if lang == 'ru' else r.name_en} · v{r.latest_version}"
        for r in summaries
        if r.is_active
    }


def _section(actor) -> str:
    allowed = [key for key, (_render, action) in SECTIONS.items() if can(actor, action)]
    asked = st.query_params.get("section")
    if SECTION not in st.session_state and asked in allowed:
        st.session_state[SECTION] = asked
    if st.session_state.get(SECTION) not in allowed:
        st.session_state[SECTION] = allowed[0]
    chosen = st.radio(
        tr("sampling.section"),
        allowed,
        format_func=labels({key: tr(f"sampling.section.{key}") for key in allowed}),
        horizontal=True,
        key=SECTION,
        label_visibility="collapsed",
    )
    st.query_params["section"] = chosen
    return chosen


def render() -> None:
    actor = context.require_page(ACTION)
    ensure_rubrics(context.database_url())
    st.title(tr("sampling.title"))
    section = _section(actor)
    context.show_flash("sampling.flash")
    render_section, _action = SECTIONS[section]
    render_section(actor, rubric_names_of)
