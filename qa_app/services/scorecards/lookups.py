"""Small lookups beside the frames: the agent directory, the days that have conversations
(the default period) and the channels and languages there are to filter on."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.storage.models import Agent, Conversation, Team


def agent_directory(session: Session) -> pd.DataFrame:
    """Every agent with their team: id, login, display name, team id and name."""
    rows = session.execute(
        select(Agent.id, Agent.login, Agent.display_name, Agent.team_id, Team.name)
        .outerjoin(Team, Team.id == Agent.team_id)
        .order_by(Agent.display_name, Agent.login)
    ).all()
    return pd.DataFrame(rows, columns=["agent_id", "login", "name", "team_id", "team"])


def data_days(session: Session) -> tuple[date | None, date | None]:
    """First and last day with conversations (UTC), for the default period."""
    first, last = session.execute(
        select(func.min(Conversation.started_at), func.max(Conversation.started_at))
    ).one()
    return (first.date() if first else None, last.date() if last else None)


def channel_language_choices(session: Session) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Distinct channels and languages in the data, for the filters."""
    channels = session.scalars(
        select(Conversation.channel).distinct().order_by(Conversation.channel)
    )
    languages = session.scalars(
        select(Conversation.language).distinct().order_by(Conversation.language)
    )
    return tuple(channels), tuple(languages)
