"""Coaching recommendations: which topics each agent (and each team) needs, and why.

Trainers and leads choose an agent or a team; an agent sees their own list. Every
recommendation shows the criteria and signals behind it with intervals, excerpts of the
agent's reviewed conversations with the reviewer's comments, and a colleague's conversation
that went well.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.services import coaching
from qa_app.services.errors import ServiceError
from qa_app.ui import context, user_text
from qa_app.ui.coaching_view import gaps_table, render_excerpt, render_shopper, topic_name
from qa_app.ui.context import current_lang, tr

ACTION = "page.coaching"
AGENT_KEY = "coaching.agent"
TEAM_KEY = "coaching.team"


def _period(result) -> str:
    return tr(
        "coaching.period",
        since=result.since.strftime("%Y-%m-%d"),
        until=result.until.strftime("%Y-%m-%d"),
    )


def render_topic(
    result: coaching.AgentRecommendations, rank: int, need: coaching.TopicNeed
) -> None:
    topic = coaching.catalogue().topic(need.topic_id)
    lang = current_lang()
    title = tr(
        "coaching.topic_title",
        rank=rank,
        topic=topic.name.get(lang),
        priority=f"{need.priority:.1f}",
    )
    with st.expander(title, expanded=rank == 1):
        st.markdown(user_text.inline(topic.description.get(lang)))
        st.caption(tr("coaching.behind", reviews=need.reviews, conversations=need.conversations))
        if need.visits:
            st.caption(tr("coaching.behind_visits", visits=need.visits))
        gaps_table(result.rubric, need.gaps)
        found = result.evidence.get(need.topic_id)
        if found is None:
            return
        render_shopper(found.shopper)
        st.markdown(f"**{tr('coaching.own_excerpts')}**")
        if not found.own:
            from_shopper = not any(g.contribution for g in need.signals) and bool(found.shopper)
            st.caption(
                tr("coaching.no_excerpts_mystery" if from_shopper else "coaching.no_excerpts")
            )
        for excerpt in found.own:
            render_excerpt(excerpt, result.rubric)
        st.markdown(f"**{tr('coaching.colleague_excerpt')}**")
        if found.colleague is None:
            st.caption(tr("coaching.no_colleague"))
        else:
            render_excerpt(found.colleague, result.rubric)
        st.markdown(f"**{tr('coaching.exercises')}**")
        st.markdown(
            "\n".join(
                [
                    f"- {tr('coaching.exercise.role_play')}: {user_text.inline(topic.role_play.situation.get(lang))}",
                    f"- {tr('coaching.exercise.quiz', count=len(topic.quiz))}",
                    f"- {tr('coaching.exercise.reading')}: {user_text.inline(topic.reading.title.get(lang))}",
                ]
            )
        )


def render_agent(result: coaching.AgentRecommendations) -> None:
    ranking = result.ranking
    st.caption(
        _period(result)
        + " "
        + tr("coaching.rule", target=f"{result.target:.0f}", minimum=ranking.minimum_reviews)
    )
    if not ranking.enough_evidence:
        st.info(
            tr("coaching.not_enough", reviews=ranking.reviews, minimum=ranking.minimum_reviews),
            icon=":material/hourglass_empty:",
        )
        return
    if not ranking.recommended:
        st.success(tr("coaching.nothing_below", reviews=ranking.reviews))
    for rank, need in enumerate(ranking.recommended, start=1):
        render_topic(result, rank, need)
    if ranking.watch:
        names = ", ".join(topic_name(n.topic_id) for n in ranking.watch)
        st.caption(tr("coaching.watch", topics=names))


def render_team(team: coaching.TeamRecommendations) -> None:
    st.caption(_period(team) + " " + tr("coaching.team_rule", minimum=team.minimum_reviews))
    if not team.topics:
        st.info(tr("coaching.team_none", agents=team.agents))
    else:
        frame = pd.DataFrame(
            [
                {
                    "#": rank,
                    tr("coaching.col.topic"): topic_name(t.topic_id),
                    tr("coaching.col.agents_in_need"): f"{len(t.agents)} / {team.agents}",
                    tr("coaching.col.agents"): ", ".join(a.name for a, _ in t.agents),
                    tr("coaching.col.reviews"): t.reviews,
                    tr("coaching.col.conversations"): t.conversations,
                }
                for rank, t in enumerate(team.topics, start=1)
            ]
        )
        st.dataframe(frame, hide_index=True, width="stretch")
    if team.without_evidence:
        names = ", ".join(a.name for a in team.without_evidence)
        st.caption(tr("coaching.team_without", agents=names, minimum=team.minimum_reviews))


def _choose_agent(screen: coaching.CoachingScreen) -> None:
    labels = {a.agent_id: f"{a.name} · {a.team}" if a.team else a.name for a in screen.agents}
    if screen.agent is not None:
        st.session_state[AGENT_KEY] = screen.agent.agent.agent_id
    st.selectbox(tr("coaching.pick_agent"), list(labels), format_func=labels.get, key=AGENT_KEY)


def _choose_team(screen: coaching.CoachingScreen) -> None:
    labels = dict(screen.teams)
    if screen.team is not None:
        st.session_state[TEAM_KEY] = screen.team.team_id
    st.selectbox(tr("coaching.pick_team"), list(labels), format_func=labels.get, key=TEAM_KEY)


def _from_link(key: str, param: str) -> None:
    """A link such as ``/coaching?agent=12`` opens that agent (once; the widget rules after)."""
    value = st.query_params.get(param, "")
    if key not in st.session_state and value.isdigit():
        st.session_state[key] = int(value)


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("coaching.title"))
    _from_link(AGENT_KEY, "agent")
    _from_link(TEAM_KEY, "team")
    try:
        screen = coaching.coaching_screen(
            context.uow(),
            actor,
            context.now(),
            st.session_state.get(AGENT_KEY),
            st.session_state.get(TEAM_KEY),
        )
    except ServiceError as exc:
        context.show_error(exc)
        return
    if actor.is_agent:
        st.caption(tr("coaching.own_intro"))
        if screen.agent is not None:
            render_agent(screen.agent)
        return
    tab_team, tab_agent = st.tabs([tr("coaching.tab.team"), tr("coaching.tab.agent")])
    with tab_team:
        if screen.teams:
            _choose_team(screen)
        if screen.team is not None:
            render_team(screen.team)
    with tab_agent:
        if not screen.agents:
            st.info(tr("coaching.no_agents"))
            return
        _choose_agent(screen)
        if screen.agent is not None:
            render_agent(screen.agent)
