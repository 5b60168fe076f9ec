"""Cached reads of the scorecard and team pages (a minute per database, user and choice).

The key holds the signed-in actor itself, so one user's cached scorecard can never serve
another user: the permission check ran for that actor when the entry was made. ``now`` is
truncated to the hour so reruns within the hour hit the cache.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from qa_app.services import database as services_db
from qa_app.services import scorecards
from qa_app.services.actor import Actor


def _hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def scorecard_choices(url: str, actor: Actor) -> scorecards.ScorecardChoices:
    return scorecards.scorecard_choices_screen(services_db.unit_of_work(url), actor)


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def _scorecard(
    url: str, actor: Actor, agent_id: int, period: scorecards.Period, now: datetime
) -> scorecards.Scorecard:
    return scorecards.scorecard_screen(
        services_db.unit_of_work(url), actor, agent_id, period, now=now
    )


def scorecard(
    url: str, actor: Actor, agent_id: int, period: scorecards.Period, now: datetime
) -> scorecards.Scorecard:
    return _scorecard(url, actor, agent_id, period, _hour(now))


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def team_choices(url: str, actor: Actor) -> scorecards.TeamChoices:
    return scorecards.team_choices_screen(services_db.unit_of_work(url), actor)


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def _team(
    url: str, actor: Actor, filters: scorecards.TeamFilters, now: datetime
) -> scorecards.TeamDashboard:
    return scorecards.team_screen(services_db.unit_of_work(url), actor, filters, now=now)


def team(
    url: str, actor: Actor, filters: scorecards.TeamFilters, now: datetime
) -> scorecards.TeamDashboard:
    return _team(url, actor, filters, _hour(now))
