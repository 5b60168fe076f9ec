"""Coaching plans: trainers assign topics and record sessions, agents confirm them, leads
see their teams' plans and which are overdue; every plan shows its before/after panel."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pandas as pd
import streamlit as st

from qa_app.i18n import in_language
from qa_app.services import coaching
from qa_app.services.errors import ServiceError
from qa_app.ui import context
from qa_app.ui.coaching_view import render_effect, topic_name
from qa_app.ui.context import tr

ACTION = "page.coaching_plans"
CHOSEN = "plans.chosen"
SEEN = "plans.seen"  # {plan id: the version the page showed}, so a stale edit conflicts
FLASH = "plans.flash"
NEW_TOPIC = "plans.new.topic"
NEW_AGENTS = "plans.new.agents"


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def _moment(day, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _exercises(names) -> str:
    return ", ".join(tr(f"coaching.exercise_name.{e}") for e in names)


def _act(call, *args, flash: str, **kwargs) -> None:
    try:
        call(context.uow(), *args, **kwargs)
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.session_state[FLASH] = flash
    st.rerun()


def render_list(screen: coaching.PlansScreen) -> None:
    if screen.overdue:
        names = "; ".join(
            f"{topic_name(p.topic_id)} ({', '.join(n for _, n in p.agents)}, {_day(p.due_at)})"
            for p in screen.overdue
        )
        st.warning(tr("coaching.plans.overdue", count=len(screen.overdue), plans=names))
    frame = pd.DataFrame(
        [
            {
                "#": p.plan_id,
                tr("coaching.col.topic"): topic_name(p.topic_id),
                tr("coaching.col.agents"): ", ".join(n for _, n in p.agents),
                tr("coaching.plans.col.team"): p.team,
                tr("coaching.plans.col.due"): _day(p.due_at),
                tr("coaching.plans.col.status"): tr("coaching.plans.overdue_status")
                if p.overdue
                else tr(f"coaching.status.{p.status}"),
                tr("coaching.plans.col.sessions"): len(p.sessions),
            }
            for p in screen.plans
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def render_sessions(actor, plan: coaching.PlanView) -> None:
    st.markdown(f"**{tr('coaching.plans.sessions')}**")
    if not plan.sessions:
        st.caption(tr("coaching.plans.no_sessions"))
        return
    names = dict(plan.agents)
    for held in plan.sessions:
        with st.container(border=True):
            confirmed = ", ".join(names.get(a, str(a)) for a in held.confirmed) or "—"
            st.caption(
                tr(
                    "coaching.plans.session_head",
                    date=_day(held.held_at),
                    exercises=_exercises(held.exercises) or "—",
                    trainer=held.recorded_by,
                    confirmed=confirmed,
                )
            )
            if held.notes:
                st.text(in_language(held.notes, context.current_lang()))
            mine = actor.agent_id in plan.agent_ids and actor.agent_id not in held.confirmed
            if mine and st.button(
                tr("coaching.plans.confirm"), key=f"plans.confirm.{held.session_id}"
            ):
                _act(
                    coaching.do_confirm_session,
                    actor,
                    held.session_id,
                    now=context.now(),
                    flash=tr("coaching.plans.confirmed"),
                )


def render_trainer_forms(actor, plan: coaching.PlanView, seen: int) -> None:
    now = context.now()
    with st.form(f"plans.record.{plan.plan_id}"):
        st.markdown(f"**{tr('coaching.plans.record')}**")
        day = st.date_input(
            tr("coaching.plans.session_date"),
            value=now.date(),
            max_value=now.date(),
            key=f"plans.session_date.{plan.plan_id}",
        )
        done = st.multiselect(
            tr("coaching.plans.exercises"),
            coaching.EXERCISES,
            format_func={e: tr(f"coaching.exercise_name.{e}") for e in coaching.EXERCISES}.get,
            placeholder=tr("coaching.plans.choose_exercises"),
            key=f"plans.exercises.{plan.plan_id}",
        )
        notes = st.text_area(tr("coaching.plans.notes"), key=f"plans.session_notes.{plan.plan_id}")
        if st.form_submit_button(
            tr("coaching.plans.record_button"), key=f"plans.record_button.{plan.plan_id}"
        ):
            held = min(_moment(day), now)
            _act(
                coaching.do_record_session,
                actor,
                plan.plan_id,
                seen,
                held,
                done,
                notes,
                now=now,
                flash=tr("coaching.plans.recorded"),
            )
    with st.form(f"plans.edit.{plan.plan_id}"):
        st.markdown(f"**{tr('coaching.plans.edit')}**")
        due = st.date_input(tr("coaching.plans.due"), value=plan.due_at.date())
        status = st.selectbox(
            tr("coaching.plans.col.status"),
            coaching.PLAN_STATUSES,
            index=coaching.PLAN_STATUSES.index(plan.status),
            format_func={s: tr(f"coaching.status.{s}") for s in coaching.PLAN_STATUSES}.get,
        )
        notes = st.text_area(
            tr("coaching.plans.plan_notes"),
            value=plan.notes,
            key=f"plans.plan_notes.{plan.plan_id}",
        )
        if st.form_submit_button(tr("coaching.plans.save"), key=f"plans.save.{plan.plan_id}"):
            _act(
                coaching.do_update_plan,
                actor,
                plan.plan_id,
                seen,
                due_at=_moment(due, 18),
                status=status,
                notes=notes,
                now=now,
                flash=tr("coaching.plans.saved"),
            )


def render_plan(actor, screen: coaching.PlansScreen) -> None:
    labels = {
        p.plan_id: f"#{p.plan_id} · {topic_name(p.topic_id)} · {', '.join(n for _, n in p.agents)}"
        for p in screen.plans
    }
    plan = screen.chosen
    st.session_state[CHOSEN] = plan.plan_id
    st.selectbox(tr("coaching.plans.pick"), list(labels), format_func=labels.get, key=CHOSEN)
    seen_versions = st.session_state.setdefault(SEEN, {})
    seen = seen_versions.get(plan.plan_id, plan.version)
    st.caption(
        tr(
            "coaching.plans.head",
            due=_day(plan.due_at),
            status=tr(f"coaching.status.{plan.status}"),
            trainer=plan.created_by,
        )
    )
    if plan.notes:  # notes written once per language ("English / Русский") show one side
        st.text(in_language(plan.notes, context.current_lang()))
    render_sessions(actor, plan)
    render_effect(screen.effect)
    if screen.can_plan:
        render_trainer_forms(actor, plan, seen)
    seen_versions[plan.plan_id] = plan.version


def render_new_plan(actor, screen: coaching.PlansScreen) -> None:
    topics = {tid: topic_name(tid) for tid in coaching.catalogue().topic_ids()}
    agents = {a.agent_id: f"{a.name} · {a.team}" if a.team else a.name for a in screen.agents}
    now = context.now()
    with st.form("plans.new"):
        topic = st.selectbox(
            tr("coaching.col.topic"), list(topics), format_func=topics.get, key=NEW_TOPIC
        )
        chosen = st.multiselect(
            tr("coaching.col.agents"),
            list(agents),
            format_func=agents.get,
            placeholder=tr("coaching.plans.choose_agents"),
            key=NEW_AGENTS,
        )
        due = st.date_input(
            tr("coaching.plans.due"), value=(now + timedelta(days=14)).date(), min_value=now.date()
        )
        notes = st.text_area(tr("coaching.plans.plan_notes"))
        if st.form_submit_button(tr("coaching.plans.create"), key="plans.create"):
            _act(
                coaching.do_create_plan,
                actor,
                topic,
                chosen,
                _moment(due, 18),
                notes,
                now=now,
                flash=tr("coaching.plans.created"),
            )


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("coaching.plans.title"))
    linked = st.query_params.get("plan", "")
    if CHOSEN not in st.session_state and linked.isdigit():  # /coaching-plans?plan=3
        st.session_state[CHOSEN] = int(linked)
    context.show_flash(FLASH)
    try:
        screen = coaching.plans_screen(
            context.uow(), actor, context.now(), st.session_state.get(CHOSEN)
        )
    except ServiceError as exc:
        context.show_error(exc)
        return
    if screen.can_plan:
        tab_plans, tab_new = st.tabs([tr("coaching.plans.tab.plans"), tr("coaching.plans.tab.new")])
        with tab_new:
            render_new_plan(actor, screen)
    else:
        tab_plans = st.container()
    with tab_plans:
        if not screen.plans:
            st.info(tr("coaching.plans.none"))
            return
        render_list(screen)
        render_plan(actor, screen)
