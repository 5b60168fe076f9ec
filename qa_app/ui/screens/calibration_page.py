"""Calibration: leads create sessions, read agreement and record the consensus; reviewers
see their sessions, their progress, and everyone's grades once the session is closed."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from qa_app.i18n import in_language
from qa_app.services import calibration
from qa_app.services.calibration import CalibrationResults, DiscussionItem
from qa_app.services.errors import ServiceError
from qa_app.services.permissions import can
from qa_app.ui import calibration_view as view
from qa_app.ui import context
from qa_app.ui.calibration_counts import render_counts
from qa_app.ui.context import current_lang, tr
from qa_app.ui.screens.queue_page import open_review
from scoring.rubric.files import Rubric

ACTION = "page.calibration"
CHOOSER = "calibration.chooser"
FLASH = "calibration.flash"


def _sessions_frame(items: list[calibration.SessionSummary], mine: bool) -> pd.DataFrame:
    rows = []
    for s in items:
        row = {
            tr("calibration.col.name"): in_language(s.name, current_lang()),
            tr("calibration.col.status"): tr(f"calibration.status.{s.status}"),
        }
        if mine and s.my_total is not None:
            row[tr("calibration.col.mine")] = tr(
                "calibration.progress", graded=s.my_graded, total=s.my_total
            )
        row |= {
            tr("calibration.col.progress"): tr(
                "calibration.progress", graded=s.graded, total=s.total
            ),
            tr("calibration.col.conversations"): s.conversations,
            tr("calibration.col.created"): s.created_at.strftime("%Y-%m-%d"),
            tr("calibration.col.rubric"): f"{s.rubric_slug} · v{s.rubric_version}",
            # Last: the longest cell; the short ones stay on screen when it is cut.
            tr("calibration.col.reviewers"): ", ".join(s.reviewers),
        }
        rows.append(row)
    return pd.DataFrame(rows)


def render_sessions(actor, screen: calibration.CalibrationScreen) -> None:
    """The sessions table and a chooser showing the session the screen was read for."""
    items = screen.sessions
    if not items:
        key = (
            "calibration.no_sessions_reviewer"
            if not can(actor, "calibration.manage")
            else "calibration.no_sessions"
        )
        st.info(tr(key), icon=":material/groups:")
        return
    st.dataframe(
        _sessions_frame(items, not can(actor, "calibration.manage")),
        hide_index=True,
        width="stretch",
    )
    labels = {
        s.session_id: f"{in_language(s.name, current_lang())} · {tr(f'calibration.status.{s.status}')}"
        for s in items
    }
    if screen.selected is not None:
        st.session_state[CHOOSER] = screen.selected.session_id
    st.selectbox(
        tr("calibration.choose_session"), list(labels), format_func=labels.get, key=CHOOSER
    )


def _id_tokens(text: str) -> list[str]:
    """What the lead typed, split on commas, semicolons and spaces."""
    return [p for p in re.split(r"[\s,;]+", text.strip()) if p]


def render_create_form(actor, screen: calibration.CalibrationScreen) -> None:
    people, versions = screen.reviewer_choices or [], screen.rubric_choices or []
    lang = current_lang()
    with st.form("calibration.create"):
        name = st.text_input(
            tr("calibration.form.name"), placeholder=tr("calibration.form.name_help")
        )
        version = st.selectbox(
            tr("calibration.form.rubric"),
            [v.latest_version_id for v in versions],
            format_func=lambda vid: next(
                f"{v.name_ru if lang == 'ru' else v.name_en} v{v.latest_version}"
                for v in versions
                if v.latest_version_id == vid
            ),
        )
        chosen = st.multiselect(
            tr("calibration.form.reviewers"),
            [u for _, u in people],
            placeholder=tr("sampling.choose"),
        )
        how = st.radio(
            tr("calibration.form.how"),
            ("sample", "ids"),
            format_func=lambda k: tr(f"calibration.form.how.{k}"),
            horizontal=True,
        )
        cols = st.columns(2)
        size = cols[0].number_input(
            tr("calibration.form.size"), 2, calibration.MAX_CONVERSATIONS, 8
        )
        seed = cols[1].number_input(tr("calibration.form.seed"), 0, 10**9, 42)
        ids_text = st.text_input(tr("calibration.form.ids"))
        notes = st.text_area(tr("calibration.form.notes"))
        submitted = st.form_submit_button(tr("calibration.form.create"), type="primary")
    if not submitted:
        return
    refs = _id_tokens(ids_text) if how == "ids" else None
    try:
        created = calibration.do_start_session(
            context.uow(), actor, name, chosen, refs, sample_size=int(size), seed=int(seed),
            rubric_version_id=version, notes=notes,
        )  # fmt: skip
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.session_state[CHOOSER] = created.session_id  # the list opens on the new session
    st.session_state[FLASH] = tr("calibration.created", n=created.total)
    st.rerun()


def _value_label(rubric: Rubric, item: DiscussionItem, value: float | None) -> str:
    if value is None:
        return tr("calibration.grade.na")
    level = rubric.criterion(item.criterion_id).scale.level(value)
    return f"{view.number(value, 0)} {level.label.get(current_lang())}"


def render_consensus_form(actor, sid: int, rubric: Rubric, item: DiscussionItem) -> None:
    criterion = rubric.criterion(item.criterion_id)
    options: list[float | None] = list(criterion.scale.values)
    if criterion.na_allowed:
        options.append(None)
    key = f"cal{sid}.{item.conversation_id}.{item.criterion_id}"
    with st.form(key):
        current = (
            options.index(item.consensus) if item.consensus_set and item.consensus in options else 0
        )
        value = st.selectbox(
            tr("calibration.consensus.value"),
            options,
            index=current,
            format_func=lambda v: _value_label(rubric, item, v),
        )
        notes = st.text_input(tr("calibration.consensus.notes"), value=item.consensus_notes)
        if st.form_submit_button(tr("calibration.consensus.save")):
            try:
                calibration.do_record_consensus(
                    context.uow(), actor, sid, item.conversation_id, item.criterion_id, value, notes
                )
            except ServiceError as exc:
                context.show_error(exc)
                return
            st.session_state[FLASH] = tr("calibration.consensus.saved")
            st.rerun()


def render_discussion(actor, results: CalibrationResults, rubric: Rubric, editable: bool) -> None:
    st.subheader(tr("calibration.header.discussion"))
    st.caption(tr("calibration.discussion.help"))
    if not results.discussion:
        st.caption(tr("calibration.no_disagreement"))
    lang = current_lang()
    for item in results.discussion:
        title = tr(
            "calibration.discussion.item",
            conversation=view.md(item.external_id),
            criterion=view.md(item.criterion_name),
            gap=view.number(item.disagreement, 0),
            n=item.n,
        )
        if item.critical_split:
            title = f":red[{tr('calibration.discussion.critical_badge')}] {title}"
        if item.consensus_set:
            title += f" · :green[{tr('calibration.discussion.agreed_badge')}]"
        with st.expander(title, expanded=False):
            labels = {
                lv.value: lv.label.get(lang)
                for lv in rubric.criterion(item.criterion_id).scale.levels
            }
            if item.critical_split:
                st.caption(tr("calibration.discussion.critical_split"))
            if item.na_split:
                st.caption(tr("calibration.discussion.na_split"))
            st.markdown("\n".join(view.grade_text(g, labels) for g in item.grades))
            if item.consensus_set:
                value = _value_label(rubric, item, item.consensus)
                note = f" — {view.md(item.consensus_notes)}" if item.consensus_notes else ""
                st.markdown(
                    f"**{tr('calibration.consensus.current', value=view.md(value))}**{note}"
                )
            elif not editable:
                st.caption(tr("calibration.consensus.none"))
            assignment = results.assignment_for.get(item.conversation_id)
            if assignment is not None and st.button(
                tr("calibration.discussion.open"),
                key=f"calopen.{item.conversation_id}.{item.criterion_id}",
            ):
                open_review(assignment)
            if editable:
                render_consensus_form(actor, results.summary.session_id, rubric, item)


def render_close(actor, results: CalibrationResults) -> None:
    summary = results.summary
    st.subheader(tr("calibration.header.close"))
    pending = summary.total - summary.graded
    if pending:
        st.warning(tr("calibration.close.pending", n=pending), icon=":material/pending:")
    with st.form(f"calibration.close.{summary.session_id}"):
        notes = st.text_area(tr("calibration.close.notes"), value=summary.notes)
        if st.form_submit_button(tr("calibration.close.button"), type="primary"):
            try:
                calibration.do_close_session(context.uow(), actor, summary.session_id, notes)
            except ServiceError as exc:
                context.show_error(exc)
                return
            st.session_state[FLASH] = tr("calibration.close.done")
            st.rerun()


def render_reviewer_progress(screen: calibration.CalibrationScreen) -> None:
    summary = screen.selected
    if summary.my_total is None:
        return
    st.progress(
        (summary.my_graded or 0) / max(summary.my_total, 1),
        text=tr("calibration.my_progress", graded=summary.my_graded, total=summary.my_total),
    )
    if summary.is_closed:
        return
    todo = [a for a in screen.my_assignments if a.status in ("pending", "in_progress")]
    if todo:
        if st.button(tr("calibration.grade_next"), type="primary", key="calibration.next"):
            open_review(todo[0].assignment_id)
    else:
        st.success(tr("calibration.all_done"), icon=":material/task_alt:")


def render_results(actor, screen: calibration.CalibrationScreen) -> None:
    summary, results, rubric = screen.selected, screen.results, screen.rubric
    if summary.notes and summary.is_closed:  # notes written once per language show one side
        notes = view.md(in_language(summary.notes, current_lang()))
        st.info(tr("calibration.closed_notes", notes=notes), icon=":material/notes:")
    if results.reviews == 0:
        st.info(tr("calibration.no_grades"), icon=":material/hourglass_empty:")
        return
    view.render_tables(results)
    if summary.is_closed:
        st.subheader(tr("calibration.header.consensus_agreement"))
        if results.consensus_agreement:
            st.dataframe(view.consensus_frame(results), hide_index=True, width="stretch")
        else:
            st.caption(tr("calibration.consensus_empty"))
    editable = can(actor, "calibration.manage") and not summary.is_closed
    if can(actor, "calibration.manage"):
        render_counts(actor, summary, FLASH)
    render_discussion(actor, results, rubric, editable)
    if editable:
        render_close(actor, results)


def render_session(actor, screen: calibration.CalibrationScreen) -> None:
    summary = screen.selected
    if summary is None:
        if screen.error is not None:
            context.show_error(screen.error)
        return
    st.header(view.md(in_language(summary.name, current_lang())), divider="gray")
    render_reviewer_progress(screen)
    if not can(actor, "calibration.manage") and not summary.is_closed:
        st.info(tr("calibration.results_hidden"), icon=":material/visibility_off:")
        return
    if screen.error is not None:
        context.show_error(screen.error)
        return
    render_results(actor, screen)


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("calibration.title"))
    st.caption(tr("calibration.intro"))
    context.show_flash(FLASH, icon=":material/check_circle:")
    screen = calibration.calibration_screen(context.uow(), actor, st.session_state.get(CHOOSER))
    if can(actor, "calibration.manage"):
        sessions_tab, new_tab = st.tabs([tr("calibration.tab.sessions"), tr("calibration.tab.new")])
        with new_tab:
            render_create_form(actor, screen)
        container = sessions_tab
    else:
        container = st.container()
    with container:
        render_sessions(actor, screen)
        render_session(actor, screen)
