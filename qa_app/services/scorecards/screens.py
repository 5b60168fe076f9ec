"""What the scorecard and team pages read, each in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from qa_app.services.actor import Actor
from qa_app.services.scorecards.access import readable_agent_ids, team_ids_for
from qa_app.services.scorecards.lookups import agent_directory, channel_language_choices, data_days
from qa_app.services.scorecards.period import Period
from qa_app.services.scorecards.scorecard import Scorecard, build_scorecard
from qa_app.services.scorecards.team import TeamDashboard, TeamFilters, build_team_dashboard
from qa_app.storage.uow import UnitOfWork


@dataclass(frozen=True)
class ScorecardChoices:
    """The agents the actor may open and the days the data covers."""

    agents: pd.DataFrame
    first_day: date | None
    last_day: date | None


def scorecard_choices_screen(uow: UnitOfWork, actor: Actor) -> ScorecardChoices:
    """The agent picker and the default period for the scorecard page."""
    with uow:
        allowed = set(readable_agent_ids(uow.session, actor))
        directory = agent_directory(uow.session)
        first, last = data_days(uow.session)
    return ScorecardChoices(directory[directory["agent_id"].isin(allowed)], first, last)


def scorecard_screen(
    uow: UnitOfWork, actor: Actor, agent_id: int, period: Period, *, now: datetime | None = None
) -> Scorecard:
    """Every figure of one agent's scorecard (refused unless the actor may read it)."""
    with uow:
        return build_scorecard(uow.session, actor, agent_id, period, now=now)


@dataclass(frozen=True)
class TeamChoices:
    """What the team dashboard's filters can offer this lead."""

    teams: tuple[tuple[int, str], ...]
    channels: tuple[str, ...]
    languages: tuple[str, ...]
    first_day: date | None
    last_day: date | None


def team_choices_screen(uow: UnitOfWork, actor: Actor) -> TeamChoices:
    """Teams (only the lead's own when their account has one), channels, languages, days."""
    with uow:
        allowed = team_ids_for(actor, ())
        directory = agent_directory(uow.session)
        teams = directory.dropna(subset=["team_id"]).drop_duplicates("team_id")
        if allowed:
            teams = teams[teams["team_id"].isin(allowed)]
        channels, languages = channel_language_choices(uow.session)
        first, last = data_days(uow.session)
    pairs = tuple(
        sorted(((int(r.team_id), r.team) for r in teams.itertuples()), key=lambda p: p[1])
    )
    return TeamChoices(pairs, channels, languages, first, last)


def team_screen(
    uow: UnitOfWork, actor: Actor, filters: TeamFilters, *, now: datetime | None = None
) -> TeamDashboard:
    """Every figure of the team dashboard (leads only; a lead with a team sees that team)."""
    with uow:
        return build_team_dashboard(uow.session, actor, filters, now=now)
