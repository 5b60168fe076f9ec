"""Recurring plans: the list with next and last runs, one plan's actions (preview this
period's run, run now, pause or resume, edit) and the form for a new plan.

A visit runs the plans that are due (the cheap check ``plans_screen`` makes); each runs
once per period whoever triggers it: this page, another lead's, or the timer's
``qa-studio sample run-plans``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import sampling
from qa_app.services.errors import ServiceError
from qa_app.services.permissions import can
from qa_app.ui import context, user_text
from qa_app.ui.context import tr
from qa_app.ui.sampling.capacity_view import render_capacity
from qa_app.ui.sampling.plan_form import render_plan_form
from qa_app.ui.sampling.words import moment_text, period_text, schedule_text, strategy_name

RESULTS = "plans.results"
TRIED = "plans.due_tried"
PREVIEW = "plans.preview"
CHOSEN = "plans.chosen"
EDITING = "plans.editing"


def run_due(actor, screen: sampling.PlansScreen) -> None:
    """Run the due plans once per browser session and plan (a plan that cannot run is
    reported, not retried on every rerun), then show the page again."""
    tried = st.session_state.setdefault(TRIED, set())
    if not [plan_id for plan_id, _name in screen.due if plan_id not in tried]:
        return
    tried.update(plan_id for plan_id, _name in screen.due)
    st.session_state[RESULTS] = sampling.do_run_due_plans(context.uow(), actor, context.now())
    st.rerun()


STARTED = "plans.checked_at_start"


def run_due_at_start(actor) -> None:
    """Once per browser session of someone who manages plans: run the plans that are due
    (the scheduler's cheap check), and say so in a toast."""
    if st.session_state.get(STARTED) or not can(actor, "sampling.plan"):
        return
    st.session_state[STARTED] = True
    try:
        results = sampling.do_run_due_plans(context.uow(), actor, context.now())
    except ServiceError as exc:
        context.show_error(exc)
        return
    for result in results:
        st.toast(result_text(result), icon=":material/event_repeat:")


def result_text(result: sampling.PlanRunResult) -> str:
    name = user_text.inline(result.plan_name)
    if result.status == "failed":
        params = {
            k: user_text.inline(v) if isinstance(v, str) else v
            for k, v in result.error_params.items()
        }
        error = ServiceError("", key=result.error_key or None, **params)
        reason = context.describe_error(error, context.current_lang())
        return tr("sampling.run.failed", name=name, reason=reason)
    if result.status == "already_ran":
        return tr("sampling.run.already", name=name, period=period_text(result.period_key))
    text = tr(
        "sampling.run.created",
        name=name,
        period=period_text(result.period_key),
        count=result.created,
    )
    if result.left_out_capacity:
        text += " " + tr("sampling.run.left_out", count=result.left_out_capacity)
    return text


def render_results() -> None:
    for result in st.session_state.pop(RESULTS, None) or ():
        if result.status == "failed":
            st.warning(result_text(result), icon=":material/warning:")
        else:
            st.success(result_text(result), icon=":material/event_repeat:")


def _last(plan: sampling.PlanSummary) -> str:
    if plan.last_run is None:
        return tr("sampling.plan.never")
    run = plan.last_run
    return tr(
        "sampling.plan.last",
        period=period_text(run.period_key),
        count=run.created,
        left=run.left_out,
    )


def plans_frame(plans: list[sampling.PlanSummary]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                tr("sampling.plan.col.name"): p.name,
                tr("sampling.plan.col.schedule"): schedule_text(p.weekdays, p.run_at, p.timezone),
                tr("sampling.plan.col.what"): tr(
                    "sampling.plan.what",
                    strategy=strategy_name(p.strategy).lower(),
                    quota=p.quota_per_agent,
                    per=tr(f"sampling.plan.per.{p.period}"),
                ),
                tr("sampling.plan.col.reviewers"): ", ".join(p.reviewers),
                tr("sampling.plan.col.next"): moment_text(p.next_run, p.timezone)
                if p.is_active
                else tr("sampling.plan.paused"),
                tr("sampling.plan.col.last"): _last(p),
            }
            for p in plans
        ]
    )


def _act(call, *args, flash: str, **kwargs) -> None:
    try:
        call(context.uow(), *args, **kwargs)
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.session_state["sampling.flash"] = flash
    st.session_state.pop(PREVIEW, None)
    st.rerun()


def _run_now(actor, plan: sampling.PlanSummary, override: bool) -> None:
    try:
        result = sampling.do_run_plan(
            context.uow(), actor, plan.id, context.now(), override=override
        )
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.session_state[RESULTS] = [result]
    st.session_state.pop(PREVIEW, None)
    st.rerun()


def render_actions(actor, plan: sampling.PlanSummary) -> None:
    """Preview this period's run, run it now, pause or resume, edit."""
    toggle = "sampling.plan.resume" if not plan.is_active else "sampling.plan.pause"
    with st.container(horizontal=True, vertical_alignment="center"):
        preview = st.button(
            tr("sampling.plan.preview"), icon=":material/preview:", key="plans.preview_run"
        )
        run = st.button(
            tr("sampling.plan.run_now"),
            type="primary",
            icon=":material/play_arrow:",
            key="plans.run",
        )
        paused = st.button(tr(toggle), icon=":material/pause_circle:", key="plans.toggle")
        edit = st.button(tr("sampling.plan.edit"), icon=":material/edit:", key="plans.edit")
        override = st.checkbox(
            tr("sampling.override"), help=tr("sampling.override_help"), key="plans.override"
        )
    st.caption(tr("sampling.plan.run_now_help"))
    if preview:
        try:
            st.session_state[PREVIEW] = sampling.plan_run_preview(
                context.uow(), actor, plan.id, context.now(), override=override
            )
        except ServiceError as exc:
            context.show_error(exc)
    if run:
        _run_now(actor, plan, override)
    if paused:
        note = "sampling.plan.resumed" if not plan.is_active else "sampling.plan.paused_note"
        _act(sampling.do_set_plan_active, actor, plan.id, not plan.is_active, flash=tr(note))
    if edit:
        st.session_state[EDITING] = plan.id


def render_preview(plan: sampling.PlanSummary) -> None:
    preview: sampling.PlanRunResult | None = st.session_state.get(PREVIEW)
    if preview is None or preview.plan_id != plan.id:
        return
    st.markdown(
        tr(
            "sampling.plan.preview_title",
            count=preview.created,
            period=period_text(preview.period_key),
            start=moment_text(preview.window_start, plan.timezone),
            end=moment_text(preview.window_end, plan.timezone),
        )
    )
    render_capacity(preview.sample, override=preview.sample.request.override_capacity)


def _save(actor, data: sampling.PlanInput, plan_id: int | None) -> None:
    _act(
        sampling.do_save_plan,
        actor,
        data,
        now=context.now(),
        plan_id=plan_id,
        flash=tr("sampling.plan.saved", name=user_text.inline(data.name.strip())),
    )
    st.session_state.pop(EDITING, None)


def render(actor, rubric_names_of) -> None:
    """The plans section: one read of every plan (and which are due), then the widgets."""
    st.caption(tr("sampling.plans.intro"))
    screen = sampling.plans_screen(context.uow(), actor, context.now())
    run_due(actor, screen)
    render_results()
    rubric_names = rubric_names_of(screen.rubrics)
    by_id = {p.id: p for p in screen.plans}
    if screen.plans:
        st.dataframe(plans_frame(screen.plans), hide_index=True, width="stretch")
        chosen = st.selectbox(
            tr("sampling.plan.choose"), list(by_id), format_func=lambda i: by_id[i].name, key=CHOSEN
        )
        render_actions(actor, by_id[chosen])
        render_preview(by_id[chosen])
    else:
        st.info(tr("sampling.plans.none"))
    editing = by_id.get(st.session_state.get(EDITING))
    title = (
        tr("sampling.plan.edit_title", name=user_text.inline(editing.name))
        if editing
        else tr("sampling.plan.new")
    )
    with st.expander(
        title, expanded=editing is not None or not screen.plans, icon=":material/event_repeat:"
    ):
        data = render_plan_form(screen.options, rubric_names, editing)
    if data is not None:
        _save(actor, data, editing.id if editing else None)
