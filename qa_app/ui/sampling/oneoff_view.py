"""The one-off sample: strategy and filters, a preview of who gets what and why (with each
reviewer's capacity), then the assignments. The same settings and seed give the same
sample; reviewers are never given more than their capacity unless the lead overrides."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import sampling
from qa_app.services.errors import ServiceError
from qa_app.services.sampling import RISK_WEIGHTS, STRATEGIES
from qa_app.ui import context
from qa_app.ui.context import tr
from qa_app.ui.sampling.capacity_view import render_capacity
from qa_app.ui.sampling.filters_form import labels, render_filters
from qa_app.ui.sampling.words import reason_text, strategy_name, week_start

PLAN = "sampling.plan"
FLASH = "sampling.flash"


def _numbers() -> dict:
    cols = st.columns(4)
    return {
        "strategy": cols[0].selectbox(
            tr("sampling.strategy"),
            STRATEGIES,
            index=STRATEGIES.index("stratified"),
            help=tr("sampling.strategy_help"),
            format_func=labels({s: strategy_name(s) for s in STRATEGIES}),
            key="oneoff.strategy",
        ),
        "per_agent_week": cols[1].number_input(
            tr("sampling.per_agent_week"), 1, 100, 5, key="oneoff.per_agent_week"
        ),
        "size": cols[2].number_input(
            tr("sampling.size"), 0, 10000, 0, help=tr("sampling.size_help"), key="oneoff.size"
        ),
        "seed": cols[3].number_input(
            tr("sampling.seed"), 0, 2**31 - 1, 42, help=tr("sampling.seed_help"), key="oneoff.seed"
        ),
    }


def render_form(screen: sampling.SamplingScreen, rubric_names: dict[str, str]):
    """The sample settings; returns a request when Preview is pressed."""
    options = screen.options
    with st.form("sampling.form"):
        numbers = _numbers()
        reviewers = st.multiselect(
            tr("sampling.reviewers"),
            options.reviewers,
            placeholder=tr("sampling.choose"),
            key="oneoff.reviewers",
        )
        span = (options.first_day, options.last_day) if options.first_day else ()
        filters = render_filters(options, "oneoff", dates=span)
        cols = st.columns([3, 2, 2], vertical_alignment="bottom")
        rubric = cols[0].selectbox(
            tr("sampling.rubric"),
            list(rubric_names),
            format_func=rubric_names.get,
            key="oneoff.rubric",
        )
        blind = cols[1].checkbox(
            tr("sampling.blind"), help=tr("sampling.blind_help"), key="oneoff.blind"
        )
        override = cols[2].checkbox(
            tr("sampling.override"), help=tr("sampling.override_help"), key="oneoff.override"
        )
        pressed = st.form_submit_button(
            tr("sampling.preview"), icon=":material/preview:", key="oneoff.preview"
        )
    if not pressed:
        return None
    return sampling.SampleRequest(
        strategy=numbers["strategy"],
        per_agent_week=int(numbers["per_agent_week"]),
        size=int(numbers["size"]) or None,
        reviewers=tuple(reviewers),
        seed=int(numbers["seed"]),
        filters=filters,
        rubric_slug=rubric,
        blind=blind,
        override_capacity=override,
    )


def render_plan(plan: sampling.SamplePlan) -> None:
    st.subheader(tr("sampling.plan_title", count=len(plan.items), candidates=plan.candidates))
    if plan.skipped_no_reviewer:
        st.warning(tr("sampling.skipped", count=plan.skipped_no_reviewer))
    render_capacity(plan, override=plan.request.override_capacity)
    if not plan.items:
        st.info(tr("sampling.nothing"))
        return
    frame = pd.DataFrame(
        [
            {
                tr("queue.col.conversation"): i.external_id,
                tr("queue.col.agent"): i.agent,
                tr("sampling.col.week"): week_start(i.week),
                tr("queue.col.channel"): tr(f"review.channel.{i.channel}"),
                tr("queue.col.language"): i.language.upper(),
                tr("queue.col.reviewer"): i.reviewer,
                tr("sampling.col.risk"): i.risk,
                tr("queue.col.why"): "; ".join(reason_text(r) for r in i.reasons),
            }
            for i in plan.items
        ]
    )
    if plan.request.strategy != "risk":
        frame = frame.drop(columns=[tr("sampling.col.risk")])
    st.dataframe(frame, hide_index=True, width="stretch")


def render_weights() -> None:
    with st.expander(tr("sampling.weights_title")):
        st.dataframe(
            pd.DataFrame(
                [
                    {tr("sampling.col.signal"): reason_text(k), tr("sampling.col.weight"): v}
                    for k, v in RISK_WEIGHTS.items()
                ]
            ),
            hide_index=True,
        )


def create(actor, request: sampling.SampleRequest) -> None:
    try:
        plan = sampling.do_create_sample(context.uow(), actor, request, now=context.now())
    except ServiceError as exc:  # shown translated; the preview stays
        context.show_error(exc)
        return
    st.session_state.pop(PLAN, None)
    st.session_state[FLASH] = tr("sampling.created", count=len(plan.created_ids))
    st.rerun()


def render(actor, rubric_names_of) -> None:
    """The one-off section: one read (the form's choices), a preview on request."""
    st.caption(tr("sampling.intro"))
    screen = sampling.sampling_screen(context.uow(), actor)
    request = render_form(screen, rubric_names_of(screen.rubrics))
    render_weights()
    if request is not None:
        try:
            st.session_state[PLAN] = sampling.sample_preview(
                context.uow(), actor, request, now=context.now()
            )
        except ServiceError as exc:
            context.show_error(exc)
            st.session_state.pop(PLAN, None)
    plan = st.session_state.get(PLAN)
    if plan is None:
        return
    render_plan(plan)
    if plan.items and st.button(
        tr("sampling.create", count=len(plan.items)), type="primary", key="sampling.create"
    ):
        create(actor, plan.request)
