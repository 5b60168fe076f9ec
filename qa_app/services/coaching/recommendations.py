"""Coaching recommendations for one agent and for a team, with the evidence behind them.

Trainers and leads read anyone's; an agent reads only their own (checked here, after the
action check, because it depends on the record). The window is the last ``WEEKS`` weeks
before ``now``: recent work is what coaching can still change. Failed items of published
mystery-shopper visits in the same window come from the mystery area's public surface
(``mystery.failed_items_by_agent``; mystery never imports coaching, so the arrow is one way).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from qa_app.services import mystery
from qa_app.services.actor import Actor
from qa_app.services.coaching import evidence
from qa_app.services.coaching.catalogue import CoachingCatalogue, load_coaching_catalogue
from qa_app.services.coaching.evidence import AgentInfo, Excerpt, Window
from qa_app.services.coaching.ranking import (
    Ranking,
    ShopperItem,
    TopicNeed,
    minimum_reviews,
    pooled_within_sd,
    rank_topics,
    signal_norms,
    target_of,
    team_counts,
)
from qa_app.services.errors import NotFound, PermissionDenied
from qa_app.services.permissions import can, require
from scoring.rubric.model import Rubric

WEEKS = 12
RECOMMENDATION_WINDOW = timedelta(weeks=WEEKS)
#: How many of the agent's own low-scored conversations each recommendation quotes.
OWN_EXCERPTS = 3
#: A colleague's conversation counts as "handled well" at or above this criterion score.
WELL_HANDLED = 75.0
#: The scale's middle: "acceptable" on a 1-5 criterion; the minimum-evidence margin is the
#: distance from the target down to it.
SCALE_MIDDLE = 50.0

_CATALOGUE: list[CoachingCatalogue] = []


def catalogue() -> CoachingCatalogue:
    """The shipped catalogue, read once per process (it is a file in the repository)."""
    if not _CATALOGUE:
        _CATALOGUE.append(load_coaching_catalogue())
    return _CATALOGUE[0]


@dataclass(frozen=True, slots=True)
class ShopperFailure:
    """A checklist item the agent failed on published mystery visits, with one of the
    shoppers' comments (people's text: the page shows it as plain text)."""

    item_id: str
    failed: int
    graded: int
    comment: str


@dataclass(frozen=True, slots=True)
class Evidence:
    own: tuple[Excerpt, ...]
    colleague: Excerpt | None
    shopper: tuple[ShopperFailure, ...] = ()


@dataclass(frozen=True, slots=True)
class AgentRecommendations:
    agent: AgentInfo
    rubric: Rubric | None
    target: float
    ranking: Ranking
    evidence: dict[str, Evidence]
    since: datetime
    until: datetime


@dataclass(frozen=True, slots=True)
class TeamTopic:
    topic_id: str
    agents: tuple[tuple[AgentInfo, float], ...]  # (agent, priority), most in need first
    reviews: int  # reviews behind the recommendation, summed over those agents
    conversations: int  # conversations with signals behind it, summed likewise
    visits: int = 0  # mystery visits behind it (the most on one item), summed likewise


@dataclass(frozen=True, slots=True)
class TeamRecommendations:
    team_id: int | None
    team: str
    rubric: Rubric | None
    topics: tuple[TeamTopic, ...]
    agents: int
    without_evidence: tuple[AgentInfo, ...]
    minimum_reviews: int
    since: datetime
    until: datetime


def check_can_read(actor: Actor, agent_id: int) -> None:
    """Trainers and leads read any agent's recommendations; an agent only their own."""
    if can(actor, "coaching.read_any"):
        return
    require(actor, "coaching.read_own")
    if actor.agent_id != agent_id:
        raise PermissionDenied(
            f"{actor.username} may read only their own recommendations",
            key="coaching.error.not_own",
        )


def _window(now: datetime, **kwargs) -> Window:
    return Window(since=now - timedelta(weeks=WEEKS), until=now, **kwargs)


def _rubric_scores(session: Session, scores: pd.DataFrame) -> tuple[Rubric | None, pd.DataFrame]:
    """The newest rubric in the scores and the scores graded on that rubric (any version)."""
    newest = evidence.newest_version_id(session, scores["version_id"].unique())
    if newest is None:
        return None, scores
    slug, rubric = evidence.rubric_version(session, int(newest))
    same = [
        v
        for v in scores["version_id"].unique()
        if evidence.rubric_version(session, int(v))[0] == slug
    ]
    return rubric, scores[scores["version_id"].isin(same)]


def _signal_names() -> set[str]:
    return {name for topic in catalogue().topics for name in topic.signals}


def _minimum(rubric: Rubric | None, team_scores: pd.DataFrame) -> int:
    target = target_of(rubric) if rubric is not None else 80.0
    return minimum_reviews(pooled_within_sd(team_scores), target - SCALE_MIDDLE)


def _own_picks(scores: pd.DataFrame, need: TopicNeed) -> list[tuple[int, str, float]]:
    """The agent's lowest-scored reviews on the topic's weakest criterion (one per review)."""
    for gap in need.criteria:
        rows = scores[(scores["criterion_id"] == gap.key) & (scores["score"] < gap.target)]
        if not rows.empty:
            rows = rows.sort_values(["score", "started_at"], ascending=[True, False])
            rows = rows.drop_duplicates("review_id").head(OWN_EXCERPTS)
            return [
                (int(r), gap.key, float(s))
                for r, s in zip(rows["review_id"], rows["score"], strict=True)
            ]
    return []


def _colleague_pick(
    session: Session, team: pd.DataFrame, agent_id: int, need: TopicNeed, own: list
) -> tuple[int, str, float] | None:
    """A colleague's well-graded review on the same criterion, preferring a conversation
    with the same tag (a similar case), then the same channel, then the newest."""
    criterion = next((g.key for g in need.criteria), None)
    if criterion is None:
        return None
    good = team[
        (team["criterion_id"] == criterion)
        & (team["agent_id"] != agent_id)
        & (team["score"] >= WELL_HANDLED)
    ]
    if good.empty:
        return None
    own_convs = team[team["review_id"].isin([p[0] for p in own])]["conversation_id"].tolist()
    tags = evidence.conversation_tags(session, [*own_convs, *good["conversation_id"].tolist()])
    wanted = {t for c in own_convs for t in tags.get(c, ())}
    channels = set(team[team["review_id"].isin([p[0] for p in own])]["channel"])
    ranked = good.assign(
        same_tag=[bool(wanted & set(tags.get(c, ()))) for c in good["conversation_id"]],
        same_channel=good["channel"].isin(channels),
    ).sort_values(["same_tag", "same_channel", "score", "started_at"], ascending=False)
    row = ranked.iloc[0]
    return int(row["review_id"]), criterion, float(row["score"])


def _shopper_failures(
    session: Session, actor: Actor, window: Window, agent_ids: list[int]
) -> dict[int, list[mystery.FailedItem]]:
    """Failed checklist items of published visits in the window, per agent."""
    found: dict[int, list[mystery.FailedItem]] = {}
    if not agent_ids:
        return found
    for item in mystery.failed_items_by_agent(
        session, actor, window.since, window.until, agent_ids=agent_ids, published_only=True
    ):
        if item.coaching_topic:
            found.setdefault(item.agent_id, []).append(item)
    return found


def _shopper_items(failures: list[mystery.FailedItem]) -> list[ShopperItem]:
    return [ShopperItem(f.criterion_id, f.coaching_topic, f.failed, f.graded) for f in failures]


def _shopper_evidence(
    failures: list[mystery.FailedItem], need: TopicNeed
) -> tuple[ShopperFailure, ...]:
    """The topic's failed items in the order the ranking weighs them."""
    by_item = {f.criterion_id: f for f in failures if f.coaching_topic == need.topic_id}
    return tuple(
        ShopperFailure(
            g.key,
            by_item[g.key].failed,
            by_item[g.key].graded,
            next(iter(by_item[g.key].comments), ""),
        )
        for g in need.mystery
        if g.key in by_item
    )


def _agent_info(session: Session, agent_id: int) -> AgentInfo:
    for info in evidence.agents(session):
        if info.agent_id == agent_id:
            return info
    raise NotFound(f"agent {agent_id} not found", key="coaching.error.no_agent")


def agent_recommendations(
    session: Session, actor: Actor, agent_id: int, now: datetime
) -> AgentRecommendations:
    """The agent's topics ranked, with evidence excerpts for every recommended topic."""
    check_can_read(actor, agent_id)
    info = _agent_info(session, agent_id)
    window = (
        _window(now, team_id=info.team_id) if info.team_id else _window(now, agent_ids=(agent_id,))
    )
    team_scores = evidence.criterion_scores(session, window)
    rubric, team_scores = _rubric_scores(session, team_scores)
    own = team_scores[team_scores["agent_id"] == agent_id]
    team_signals = evidence.signal_scores(session, window, _signal_names())
    signals = team_signals[team_signals["agent_id"] == agent_id]
    minimum = _minimum(rubric, team_scores)
    norms = signal_norms(team_signals)
    failures = _shopper_failures(session, actor, window, [agent_id]).get(agent_id, [])
    ranking = (
        rank_topics(
            catalogue(),
            rubric,
            own,
            signals,
            minimum=minimum,
            signal_targets=norms,
            mystery=_shopper_items(failures),
        )
        if rubric is not None
        else Ranking(0, minimum, ())
    )
    found = {}
    for need in ranking.recommended:
        picks = _own_picks(own, need)
        colleague = _colleague_pick(session, team_scores, agent_id, need, picks)
        excerpts = evidence.excerpts(session, picks + ([colleague] if colleague else []))
        mine = tuple(e for e in excerpts if colleague is None or e.review_id != colleague[0])
        theirs = next((e for e in excerpts if colleague and e.review_id == colleague[0]), None)
        found[need.topic_id] = Evidence(mine, theirs, _shopper_evidence(failures, need))
    target = target_of(rubric) if rubric is not None else 80.0
    return AgentRecommendations(info, rubric, target, ranking, found, window.since, window.until)


def rank_team(
    session: Session, actor: Actor, team_id: int | None, now: datetime
) -> tuple[Rubric | None, dict[int, Ranking], list[AgentInfo], int]:
    """Every agent's ranking in a team (or all agents): one query each for scores, signals
    and failed mystery-shopper items."""
    window = _window(now, team_id=team_id)
    scores = evidence.criterion_scores(session, window)
    rubric, scores = _rubric_scores(session, scores)
    signals = evidence.signal_scores(session, window, _signal_names())
    members = evidence.agents(session, team_id)
    minimum = _minimum(rubric, scores)
    norms = signal_norms(signals)
    failures = _shopper_failures(session, actor, window, [m.agent_id for m in members])
    rankings = {}
    if rubric is not None:
        by_agent = dict(tuple(scores.groupby("agent_id")))
        signals_by_agent = dict(tuple(signals.groupby("agent_id"))) if not signals.empty else {}
        for member in members:
            own = by_agent.get(member.agent_id, scores.iloc[0:0])
            own_signals = signals_by_agent.get(member.agent_id, signals.iloc[0:0])
            rankings[member.agent_id] = rank_topics(
                catalogue(),
                rubric,
                own,
                own_signals,
                minimum=minimum,
                signal_targets=norms,
                mystery=_shopper_items(failures.get(member.agent_id, [])),
            )
    return rubric, rankings, members, minimum


def team_recommendations(
    session: Session, actor: Actor, team_id: int | None, now: datetime
) -> TeamRecommendations:
    """Topics ranked by how many of the team's agents need them, for group sessions."""
    require(actor, "coaching.read_any")
    names = dict(evidence.teams(session))
    if team_id is not None and team_id not in names:
        raise NotFound(f"team {team_id} not found", key="coaching.error.no_team")
    rubric, rankings, members, minimum = rank_team(session, actor, team_id, now)
    by_id = {m.agent_id: m for m in members}
    topics = []
    for topic_id, agent_ids in team_counts(rankings).items():
        needs = {
            a: next(n for n in rankings[a].recommended if n.topic_id == topic_id) for a in agent_ids
        }
        ordered = sorted(agent_ids, key=lambda a: -needs[a].priority)
        topics.append(
            TeamTopic(
                topic_id,
                tuple((by_id[a], needs[a].priority) for a in ordered),
                sum(n.reviews for n in needs.values()),
                sum(n.conversations for n in needs.values()),
                sum(n.visits for n in needs.values()),
            )
        )
    topics.sort(key=lambda t: (-len(t.agents), -sum(p for _, p in t.agents), t.topic_id))
    without = tuple(
        m for m in members if m.agent_id in rankings and not rankings[m.agent_id].enough_evidence
    )
    window = _window(now)
    return TeamRecommendations(
        team_id,
        names.get(team_id, ""),
        rubric,
        tuple(topics),
        len(members),
        without,
        minimum,
        window.since,
        window.until,
    )
