"""Rubrics: read any version in your language; admins and leads edit the YAML (checked with
precise paths before saving) and every save becomes a new version with a change note."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import rubrics
from qa_app.services.errors import ServiceError
from qa_app.ui import context, user_text
from qa_app.ui.autoqa_view import signal_name
from qa_app.ui.context import current_lang, tr
from qa_app.ui.data_review import ensure_rubrics
from scoring.rubric.files import Criterion, Rubric

ACTION = "page.rubrics"
SLUG = "rubrics.slug"
VERSION = "rubrics.version"


def _share(weight: float, total: float) -> str:
    """A weight as its share of the whole: 20 of 100 -> "20%" (a bare "weight 20" said
    nothing without the others)."""
    return f"{weight / total:.0%}" if total > 0 else "—"


def _flags(criterion: Criterion, category_total: float = 0.0) -> list[str]:
    flags = [tr("rubrics.weight_in_category", share=_share(criterion.weight, category_total))]
    if criterion.na_allowed:
        flags.append(tr("rubrics.na_allowed"))
    if criterion.critical:
        flags.append(tr(f"rubrics.critical.{criterion.critical}"))
    if criterion.auto_signal:
        flags.append(tr("rubrics.auto_signal", signal=signal_name(criterion.auto_signal)))
    return flags


def render_criterion(criterion: Criterion, lang: str, category_total: float = 0.0) -> None:
    st.markdown(
        f"**{user_text.inline(criterion.name.get(lang))}** · "
        + " · ".join(_flags(criterion, category_total))
    )
    st.caption(user_text.inline(criterion.description.get(lang)))
    lines = [
        f"- **{level.value:g} · {user_text.inline(level.label.get(lang))}** — {user_text.inline(level.descriptor.get(lang))}"
        for level in criterion.scale.levels
    ]
    st.markdown("\n".join(lines))


def render_rubric(rubric: Rubric) -> None:
    """Categories, criteria, scales and level descriptors in the user's language."""
    lang = current_lang()
    st.markdown(user_text.inline(rubric.description.get(lang)))
    if rubric.settings.passing_score is not None:
        st.caption(tr("rubrics.passing", score=f"{rubric.settings.passing_score:g}"))
    total = sum(c.weight for c in rubric.categories)
    for category in rubric.categories:
        share = tr("rubrics.weight_in_score", share=_share(category.weight, total))
        with st.expander(f"{category.name.get(lang)} · {share}", expanded=False):
            if category.description is not None:
                st.caption(user_text.inline(category.description.get(lang)))
            in_category = sum(c.weight for c in category.criteria)
            for criterion in category.criteria:
                render_criterion(criterion, lang, in_category)


def render_history(versions: list[rubrics.VersionInfo]) -> None:
    frame = pd.DataFrame(
        [
            {
                tr("rubrics.col.version"): v.version,
                tr("rubrics.col.saved"): v.created_at.strftime("%Y-%m-%d %H:%M"),
                tr("rubrics.col.by"): v.created_by,
                tr("rubrics.col.note"): v.change_note,
            }
            for v in versions
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _problems_table(problems) -> None:
    st.error(tr("rubrics.error.invalid", count=len(problems)), icon=":material/error:")
    st.dataframe(
        pd.DataFrame(
            [
                {tr("rubrics.col.path"): p.path or "—", tr("rubrics.col.problem"): p.message}
                for p in problems
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def render_editor(actor, stored: rubrics.StoredRubric) -> None:
    """YAML editor: check first, save as a new version; input is kept when saving fails."""
    key = f"rubrics.yaml.{stored.slug}"
    if key not in st.session_state:
        st.session_state[key] = stored.yaml_text
    st.caption(tr("rubrics.edit_hint"))
    text = st.text_area(tr("rubrics.yaml"), key=key, height=420)
    note = st.text_input(tr("rubrics.change_note"), key=f"rubrics.note.{stored.slug}")
    cols = st.columns(2)
    if cols[0].button(tr("rubrics.check"), key="rubrics.check", icon=":material/rule:"):
        problems = rubrics.check_yaml(text)
        if problems:
            _problems_table(problems)
        else:
            st.success(tr("rubrics.valid"), icon=":material/check_circle:")
    if cols[1].button(tr("rubrics.save"), key="rubrics.save", type="primary"):
        try:
            saved = rubrics.do_save_rubric(context.uow(), actor, text, note)
        except rubrics.RubricInvalid as exc:
            _problems_table(exc.problems)
            return
        except ServiceError as exc:  # shown translated; the text stays in the editor
            context.show_error(exc)
            return
        st.session_state.pop(key, None)
        st.session_state["rubrics.flash"] = tr("rubrics.saved", version=saved.version)
        st.rerun()


def render() -> None:
    actor = context.require_page(ACTION)
    ensure_rubrics(context.database_url())
    st.title(tr("rubrics.title"))
    context.show_flash("rubrics.flash")
    screen = rubrics.rubrics_screen(
        context.uow(), actor, st.session_state.get(SLUG), st.session_state.get(VERSION)
    )
    if not screen.rubrics:
        st.info(tr("rubrics.none"))
        return
    lang = current_lang()
    names = {
        s.slug: f"{s.name_ru if lang == 'ru' else s.name_en} ({s.slug})" for s in screen.rubrics
    }
    st.session_state[SLUG] = screen.slug  # what the screen was read for
    st.selectbox(tr("rubrics.choose"), list(names), format_func=names.get, key=SLUG)
    tabs = [tr("rubrics.tab.view"), tr("rubrics.tab.history")]
    if screen.latest is not None:
        tabs.append(tr("rubrics.tab.edit"))
    view, history, *edit = st.tabs(tabs)
    with history:
        render_history(screen.versions)
    with view:
        numbers = {v.version_id: tr("rubrics.version", version=v.version) for v in screen.versions}
        st.session_state[VERSION] = screen.shown.version_id
        st.selectbox(tr("rubrics.col.version"), list(numbers), format_func=numbers.get, key=VERSION)
        render_rubric(screen.shown.rubric)
    if edit:
        with edit[0]:
            render_editor(actor, screen.latest)
