"""One agent's scorecard for one period: every figure the page, the PDF and the coaching
area read, built in one pass over a few frames."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.services import rubrics
from qa_app.services.actor import Actor
from qa_app.services.clock import utc_now
from qa_app.services.scorecards import figures
from qa_app.services.scorecards.access import require_agent
from qa_app.services.scorecards.frame_queries import later_contacts, review_comments
from qa_app.services.scorecards.frames import (
    conversation_frame,
    grade_counts,
    review_frame,
    survey_frame,
)
from qa_app.services.scorecards.period import Period, Scope
from qa_app.services.scorecards.purged import purged_weeks
from qa_app.storage.models import AutoScoreRun, Team
from scoring.rubric.model import Rubric
from scoring.stats import Comparison, Estimate, compare_means

#: How many best and worst reviewed conversations the scorecard links.
EXAMPLES = 3


@dataclass(frozen=True)
class Example:
    """A reviewed conversation worth opening, with the reviewer's comments."""

    review_id: int
    conversation_id: int
    external_id: str
    channel: str
    started_at: datetime
    score: float
    comments: tuple[tuple[str, str], ...]  # (criterion id, or "" for the overall comment; text)


@dataclass(frozen=True)
class Finding:
    """A strength or an area to work on: a criterion whose interval clears the target (or
    the team) in one direction. The page words it in the user's language."""

    criterion_id: str
    kind: str  # "strength" | "area"
    mean: float
    low: float
    high: float
    n: int
    reference: float
    against: str  # "target" | "team"


@dataclass
class Scorecard:
    agent_id: int
    agent_name: str
    agent_login: str
    team_name: str
    period: Period
    today: date
    quality: Estimate
    critical: Estimate
    team_quality: Estimate
    versus_team: Comparison
    versus_previous: Comparison
    target: float | None
    criteria: pd.DataFrame
    categories: pd.DataFrame
    team_criteria: pd.DataFrame
    trend: pd.DataFrame
    distribution: pd.DataFrame
    signals: pd.DataFrame
    csat: figures.SurveyFigure
    nps: figures.SurveyFigure
    csi: figures.CsiFigure
    fcr: Estimate
    service: pd.DataFrame
    channels: pd.DataFrame
    findings: list[Finding]
    best: list[Example]
    worst: list[Example]
    reviews: pd.DataFrame
    rubric: Rubric | None = None
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Weeks of this agent a retention purge deleted, from their kept counts.
    purged: pd.DataFrame = field(default_factory=pd.DataFrame)

    def criterion_name(self, criterion_id: str, lang: str) -> str:
        return self.names.get(criterion_id, {}).get(lang, criterion_id)

    def comment_text(self, comment: tuple[str, str], lang: str) -> str:
        """ "Greeting: No greeting." — the criterion in ``lang``, the comment as typed."""
        criterion, text = comment
        return f"{self.criterion_name(criterion, lang)}: {text}" if criterion else text


def rubric_lookup(session: Session, version_ids) -> dict[int, Rubric]:
    """Parsed rubric of each version id (cached by the rubrics area)."""
    return {int(v): rubrics.get_version(session, int(v)).rubric for v in set(version_ids)}


def criterion_names(lookup: dict[int, Rubric]) -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {}
    for rubric in lookup.values():
        for category in rubric.categories:
            names[category.id] = {"en": category.name.en, "ru": category.name.ru}
            for c in category.criteria:
                names[c.id] = {"en": c.name.en, "ru": c.name.ru}
    return names


def _signals(session: Session, conversation_ids: list[int]) -> pd.DataFrame:
    rows: list[dict] = []
    for start in range(0, len(conversation_ids), 900):
        chunk = conversation_ids[start : start + 900]
        for (document,) in session.execute(
            select(AutoScoreRun.signals).where(AutoScoreRun.conversation_id.in_(chunk))
        ):
            rows.append(_signal_values(document or {}))
    return pd.DataFrame(rows)


#: Signals whose label, not value, is the figure: 1 when the label says so, 0 otherwise.
LABEL_FLAGS = {
    "handed_over": ("handover_seconds", "handed_over"),
    "customer_repeated": ("customer_repeated", "repeated"),
}


def _signal_values(document: dict) -> dict:
    """One conversation's signal values by name, plus the hand-over flags read off their
    labels (absent without a bot; None when nothing was compared)."""
    values = {k: (v or {}).get("value") for k, v in document.items()}
    for name, (signal, label) in LABEL_FLAGS.items():
        if signal in document:
            stored = (document.get(signal) or {}).get("label")
            values[name] = None if stored is None else float(stored == label)
    return values


def _examples(session: Session, reviews: pd.DataFrame) -> tuple[list[Example], list[Example]]:
    ordered = reviews.sort_values(["score", "review_id"])
    worst, best = ordered.head(EXAMPLES), ordered.tail(EXAMPLES).iloc[::-1]
    comments = review_comments(session, [*worst["review_id"], *best["review_id"]])

    def build(frame: pd.DataFrame) -> list[Example]:
        return [
            Example(int(r.review_id), int(r.conversation_id), str(r.external_id), r.channel,
                    r.started_at.to_pydatetime(), float(r.score),
                    tuple(comments.get(int(r.review_id), ())))
            for r in frame.itertuples()
        ]  # fmt: skip

    return build(best), build(worst)


def findings(criteria: pd.DataFrame, team: pd.DataFrame, target: float | None) -> list[Finding]:
    """Criteria clearly above or below the target (interval clear of it), else clearly
    above or below the team's mean on that criterion; strongest first."""
    found: list[Finding] = []
    team_mean = dict(zip(team["criterion_id"], team["mean"], strict=True)) if len(team) else {}
    for row in criteria.itertuples():
        for against, reference in (("target", target), ("team", team_mean.get(row.criterion_id))):
            if reference is None or pd.isna(reference):
                continue
            if row.low > reference or row.high < reference:
                kind = "strength" if row.low > reference else "area"
                found.append(Finding(row.criterion_id, kind, row.mean, row.low, row.high,
                                     int(row.n), float(reference), against))  # fmt: skip
                break
    return sorted(found, key=lambda f: -abs(f.mean - f.reference))


def build_scorecard(
    session: Session,
    actor: Actor,
    agent_id: int,
    period: Period,
    *,
    now: datetime | None = None,
) -> Scorecard:
    """The scorecard of ``agent_id`` for ``period``, refused unless ``actor`` may read it."""
    agent = require_agent(session, actor, agent_id)
    today = utc_now(now).date()
    team_scope = Scope(team_ids=(agent.team_id,)) if agent.team_id else Scope()
    every = review_frame(session, period, team_scope)
    counted = every[~every["calibration"]]
    mine = counted[counted["agent_id"] == agent.id]
    peers = counted[counted["agent_id"] != agent.id]
    before = review_frame(session, period.previous(), Scope(agent_ids=(agent.id,)))
    counts = grade_counts(session, period, team_scope)
    lookup = rubric_lookup(session, counts["rubric_version_id"].tolist() + mine[
        "rubric_version_id"].tolist())  # fmt: skip
    criteria = figures.criterion_scores(counts[counts["agent_id"] == agent.id], lookup)
    team_criteria = figures.criterion_scores(counts[counts["agent_id"] != agent.id], lookup)
    rubric = lookup[max(lookup)] if lookup else None
    target = rubric.settings.passing_score if rubric else None
    conversations = conversation_frame(session, period, Scope(agent_ids=(agent.id,)))
    contacts = later_contacts(
        session, conversations["customer_id"].dropna().tolist(), period.utc_start,
        period.utc_end + figures.FCR_WINDOW,
    )  # fmt: skip
    observed = min(pd.Timestamp(period.utc_end), pd.Timestamp(utc_now(now)))
    best, worst = _examples(session, mine)
    team_name = session.get(Team, agent.team_id).name if agent.team_id else ""
    return Scorecard(
        agent_id=agent.id, agent_name=agent.display_name or agent.login,
        agent_login=agent.login, team_name=team_name, period=period, today=today,
        quality=figures.quality(mine["score"]),
        critical=figures.critical_share(mine["critical_fail"]),
        team_quality=figures.quality(peers["score"]),
        versus_team=compare_means(peers["score"].to_numpy(), mine["score"].to_numpy()),
        versus_previous=compare_means(
            before.loc[~before["calibration"], "score"].to_numpy(), mine["score"].to_numpy()
        ),
        target=target, criteria=criteria, categories=figures.category_scores(criteria),
        team_criteria=team_criteria, trend=figures.trend(mine, period.start, period.end, today),
        distribution=figures.score_distribution(mine["score"]),
        signals=figures.signal_summary(_signals(session, mine["conversation_id"].tolist())),
        csat=figures.csat_figure(conversations), nps=figures.nps_figure(conversations),
        csi=figures.csi_figure(
            conversations, survey_frame(session, period, Scope(agent_ids=(agent.id,)))
        ),
        fcr=figures.first_contact_resolution(conversations, contacts, observed),
        service=figures.service_by_channel(conversations),
        channels=figures.channel_consistency(mine),
        findings=findings(criteria, team_criteria, target), best=best, worst=worst,
        reviews=mine, rubric=rubric, names=criterion_names(lookup),
        purged=purged_weeks(session, period, Scope(agent_ids=(agent.id,))),
    )  # fmt: skip
