"""Agent scorecard: one agent's quality, service figures and examples for a period.

Leads and trainers pick any agent of their teams; an agent sees only their own. The
``agent`` query parameter opens a given agent, and the service refuses one the user may
not read, so editing the URL shows the refusal rather than the figures.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from qa_app.services import scorecards
from qa_app.services.errors import ServiceError
from qa_app.ui import (
    context,
    data_scorecards,
    export_buttons,
    scorecard_service_view,
    scorecard_view,
    user_text,
)
from qa_app.ui.context import tr

AGENT_PARAM = "agent"


def _default_period(choices: scorecards.ScorecardChoices) -> tuple[date, date]:
    last = choices.last_day or context.now().date()
    return max(choices.first_day or last, last - timedelta(days=27)), last


def _pick_agent(choices: scorecards.ScorecardChoices, actor) -> int | None:
    agents = choices.agents
    asked = st.query_params.get(AGENT_PARAM)
    if actor.is_agent:
        return int(asked) if asked and asked.isdigit() else actor.agent_id
    if agents.empty:
        return int(asked) if asked and asked.isdigit() else None
    names = {int(r.agent_id): f"{r.name or r.login} · {r.team or '—'}" for r in agents.itertuples()}
    ids = list(names)
    wanted = int(asked) if asked and asked.isdigit() else ids[0]
    if wanted not in names:
        return wanted  # the service says why it may not be read
    if asked and st.session_state.get("sc_agent") != wanted:
        st.session_state["sc_agent"] = wanted  # a link from the team page wins
    chosen = st.selectbox(tr("scorecards.agent"), ids, index=ids.index(wanted),
                          format_func=names.get, key="sc_agent")  # fmt: skip
    st.query_params[AGENT_PARAM] = str(chosen)
    return chosen


def _pick_period(choices: scorecards.ScorecardChoices) -> scorecards.Period | None:
    start, end = _default_period(choices)
    days = st.date_input(tr("scorecards.period"), value=(start, end), key="sc_period")
    if not isinstance(days, tuple) or len(days) != 2:
        st.caption(tr("scorecards.pick_end"))
        return None
    return scorecards.Period(days[0], days[1])


def render() -> None:
    actor = context.require_page("page.scorecard")
    st.title(tr("scorecards.title"), anchor=False)
    try:
        choices = data_scorecards.scorecard_choices(context.database_url(), actor)
    except ServiceError as exc:
        context.show_error(exc)
        return
    left, right = st.columns([2, 1])
    with left:
        agent_id = _pick_agent(choices, actor)
    with right:
        period = _pick_period(choices)
    if agent_id is None:
        st.info(tr("scorecards.no_agents"), icon=":material/person_off:")
        return
    if period is None:
        return
    try:
        card = data_scorecards.scorecard(context.database_url(), actor, agent_id, period, context.now())  # fmt: skip
    except ServiceError as exc:
        context.show_error(exc)
        return
    st.subheader(tr("scorecards.heading", name=user_text.inline(card.agent_name),
                    team=user_text.inline(card.team_name or "—"),
                    start=period.start.isoformat(), end=period.end.isoformat()), anchor=False)  # fmt: skip
    scorecard_view.render_headline(card)
    _exports(actor, card, period)
    tabs = st.tabs([tr(f"scorecards.tab.{k}") for k in
                    ("quality", "trend", "service", "signals", "findings", "examples")])  # fmt: skip
    with tabs[0]:
        scorecard_view.render_criteria(card)
    with tabs[1]:
        scorecard_view.render_trend(card)
    with tabs[2]:
        scorecard_service_view.render_service(card)
    with tabs[3]:
        scorecard_view.render_signals(card)
    with tabs[4]:
        scorecard_service_view.render_findings(card)
    with tabs[5]:
        scorecard_service_view.render_examples(card)


def _exports(actor, card: scorecards.Scorecard, period: scorecards.Period) -> None:
    lang, now = context.current_lang(), context.now()

    def make(fmt: str) -> scorecards.ExportFile:
        if fmt == "reviews-csv":
            return scorecards.do_export_reviews(context.uow(), actor, period, "csv", lang,
                                                agent_id=card.agent_id, now=now)  # fmt: skip
        return scorecards.do_export_scorecard(context.uow(), actor, card.agent_id, period, fmt,
                                              lang, now=now)  # fmt: skip

    export_buttons.render("sc_export", ("pdf", "xlsx", "csv", "reviews-csv"), make,
                          f"{card.agent_id}:{period.label()}:{lang}")  # fmt: skip
