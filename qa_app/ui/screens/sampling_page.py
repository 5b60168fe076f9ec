"""Sampling for leads: choose a strategy and filters, preview who gets what and why, then
create the assignments. The same settings and seed always give the same sample."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from qa_app.services import sampling
from qa_app.services.errors import ServiceError
from qa_app.services.sampling import RISK_WEIGHTS, STRATEGIES
from qa_app.ui import context
from qa_app.ui.context import tr, tr_or
from qa_app.ui.data_review import ensure_rubrics

ACTION = "page.sampling"
PLAN = "sampling.plan"


def week_start(week: str) -> str:
    """An ISO week such as ``2026-W13`` as the date of its Monday (``2026-03-23``)."""
    try:
        return datetime.strptime(f"{week}-1", "%G-W%V-%u").date().isoformat()
    except ValueError:
        return week


def _stratum_text(stratum: str) -> str:
    channel, _, language = stratum.partition("/")
    channel_name = tr(f"review.channel.{channel}")
    language_name = tr(f"overview.language.{language}")
    if channel_name.startswith("review.") or language_name.startswith("overview."):
        return tr("sampling.reason.stratum", channel=channel, language=language)
    if context.current_lang() == "ru":  # «чат, русский»; English keeps "in Russian"
        language_name = language_name.lower()
    return tr("sampling.reason.stratum", channel=channel_name.lower(), language=language_name)


def reason_text(code: str) -> str:
    """A sampling reason code in words (``quota:agent:week`` keeps its details); an unknown
    code is shown as it is rather than as a catalogue key."""
    head, _, rest = code.partition(":")
    if head == "quota":
        agent, _, week = rest.partition(":")
        return tr("sampling.reason.quota", agent=agent, week=week_start(week))
    if head == "stratum":
        return _stratum_text(rest)
    return tr_or(f"sampling.reason.{code}", code)


def _language_name(code: str) -> str:
    return tr_or(f"overview.language.{code}", code)


def _request(form: dict) -> sampling.SampleRequest:
    dates = form["dates"] or ()
    return sampling.SampleRequest(
        strategy=form["strategy"],
        per_agent_week=int(form["per_agent_week"]),
        size=int(form["size"]) if form["size"] else None,
        reviewers=tuple(form["reviewers"]),
        seed=int(form["seed"]),
        date_from=dates[0] if len(dates) > 0 else None,
        date_to=dates[1] if len(dates) > 1 else (dates[0] if dates else None),
        channels=tuple(form["channels"]),
        languages=tuple(form["languages"]),
        teams=tuple(form["teams"]),
        agents=tuple(form["agents"]),
        blind=bool(form["blind"]),
        rubric_slug=form.get("rubric"),
    )


def render_form(
    options: sampling.SampleOptions, rubric_names: dict[str, str]
) -> sampling.SampleRequest | None:
    """The sampling settings; returns a request when Preview is pressed."""
    with st.form("sampling.form"):
        cols = st.columns(4)
        form = {
            "strategy": cols[0].selectbox(
                tr("sampling.strategy"),
                STRATEGIES,
                index=STRATEGIES.index("stratified"),
                help=tr("sampling.strategy_help"),
                format_func=lambda s: tr(f"sampling.strategy.{s}"),
            ),
            "per_agent_week": cols[1].number_input(tr("sampling.per_agent_week"), 1, 100, 5),
            "size": cols[2].number_input(
                tr("sampling.size"), 0, 10000, 0, help=tr("sampling.size_help")
            ),
            "seed": cols[3].number_input(
                tr("sampling.seed"), 0, 2**31 - 1, 42, help=tr("sampling.seed_help")
            ),
        }
        form["reviewers"] = st.multiselect(
            tr("sampling.reviewers"), options.reviewers, placeholder=tr("sampling.choose")
        )
        span = (options.first_day, options.last_day) if options.first_day else ()
        form["dates"] = st.date_input(tr("sampling.dates"), value=span)
        cols = st.columns(4)
        form["channels"] = cols[0].multiselect(
            tr("sampling.channels"),
            options.channels,
            format_func=lambda c: tr(f"review.channel.{c}"),
            placeholder=tr("sampling.any"),
        )
        form["languages"] = cols[1].multiselect(
            tr("sampling.languages"),
            options.languages,
            format_func=_language_name,
            placeholder=tr("sampling.any"),
        )
        form["teams"] = cols[2].multiselect(
            tr("sampling.teams"), options.teams, placeholder=tr("sampling.any")
        )
        form["agents"] = cols[3].multiselect(
            tr("sampling.agents"), options.agents, placeholder=tr("sampling.any")
        )
        cols = st.columns([3, 2], vertical_alignment="bottom")
        form["rubric"] = cols[0].selectbox(
            tr("sampling.rubric"), list(rubric_names), format_func=rubric_names.get
        )
        form["blind"] = cols[1].checkbox(tr("sampling.blind"))
        pressed = st.form_submit_button(tr("sampling.preview"), icon=":material/preview:")
    return _request(form) if pressed else None


def render_plan(plan: sampling.SamplePlan) -> None:
    st.subheader(tr("sampling.plan_title", count=len(plan.items), candidates=plan.candidates))
    per = ", ".join(f"{name}: {count}" for name, count in sorted(plan.per_reviewer().items()))
    if per:
        st.caption(tr("sampling.per_reviewer", counts=per))
    if plan.skipped_no_reviewer:
        st.warning(tr("sampling.skipped", count=plan.skipped_no_reviewer))
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
        plan = sampling.do_create_sample(context.uow(), actor, request)
    except ServiceError as exc:  # shown translated; the preview stays
        context.show_error(exc)
        return
    st.session_state.pop(PLAN, None)
    st.session_state["sampling.flash"] = tr("sampling.created", count=len(plan.created_ids))
    st.rerun()


def render() -> None:
    actor = context.require_page(ACTION)
    ensure_rubrics(context.database_url())
    st.title(tr("sampling.title"))
    st.caption(tr("sampling.intro"))
    context.show_flash("sampling.flash")
    screen = sampling.sampling_screen(context.uow(), actor)
    lang = context.current_lang()
    rubric_names = {
        r.slug: f"{r.name_ru if lang == 'ru' else r.name_en} · v{r.latest_version}"
        for r in screen.rubrics
    }
    request = render_form(screen.options, rubric_names)
    render_weights()
    if request is not None:
        try:
            st.session_state[PLAN] = sampling.sample_preview(context.uow(), actor, request)
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
