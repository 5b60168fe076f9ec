"""Agent-level figures from the frames: each a number with its n and 95% interval.

Pure functions of DataFrames (no session), so the coaching area and the exports compute
exactly what the pages show, and each is tested on a hand-made frame. The statistics are
``scoring.stats``'s; this module only decides which rows go in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from scoring.pipeline.conversation import SlaTargets
from scoring.rubric.model import Rubric
from scoring.stats import (
    Estimate,
    SurveyWarning,
    check_survey,
    csat,
    csi_from_ratings,
    mean_interval,
    nps,
    share,
    weekly_trend,
)

#: A customer who comes back within this many days is taken to be back on the same matter.
#: Seven days is the usual repeat-contact window for chat and e-mail support: long enough
#: for an e-mail thread or a delivery to show that the answer did not work, short enough
#: that a new order is rarely counted as a failure (docs/scorecards.md, "FCR").
FCR_WINDOW = timedelta(days=7)
#: Score bins of the distribution chart (ten points wide, 100 in the last bin).
SCORE_BINS = tuple(range(0, 101, 10))
#: Automatic signals shown on the scorecard, with how each is summarised.
SIGNALS: tuple[tuple[str, str], ...] = (
    ("sentiment_start", "mean"), ("sentiment_end", "mean"), ("politeness", "mean"),
    ("empathy", "mean"), ("clarity", "mean"), ("resolution_confirmed", "share"),
    ("unresolved", "share"), ("escalation", "share"),
    # conversations a bot took part in (absent otherwise): handed to a person, and of the
    # hand-overs, those where the customer had to repeat themselves (docs/autoqa.md)
    ("handed_over", "share"), ("customer_repeated", "share"),
)  # fmt: skip


def quality(scores: pd.Series) -> Estimate:
    """The quality score: mean of the review scores (docs/score-formula.md), t interval."""
    return mean_interval(scores.to_numpy(dtype=float))


def critical_share(flags: pd.Series) -> Estimate:
    """Share of reviews with a critical failure (Wilson interval)."""
    return share(flags.astype(float).to_numpy())


def score_distribution(scores: pd.Series) -> pd.DataFrame:
    """Reviews per ten-point band: the spread, not only the average."""
    bins = np.asarray(SCORE_BINS, dtype=float)
    counts, _ = np.histogram(scores.to_numpy(dtype=float), bins=bins)
    labels = [f"{int(lo)}–{int(hi)}" for lo, hi in zip(bins, bins[1:], strict=False)]
    return pd.DataFrame({"band": labels, "low": bins[:-1], "n": counts.astype(int)})


def trend(reviews: pd.DataFrame, start: date, end: date, today: date) -> pd.DataFrame:
    """Weekly mean with interval; ``partial`` marks weeks cut by the period or not over yet
    on ``today`` (the injected clock), so a half week is never read as a dip."""
    frame = pd.DataFrame({
        "date": reviews["started_at"].reset_index(drop=True),
        "score": reviews["score"].reset_index(drop=True),
    })  # fmt: skip
    weeks = weekly_trend(frame, period_end=end, period_start=start)
    if not weeks.empty:
        weeks["partial"] = weeks["partial"] | (weeks["week_end"] > today)
    return weeks


@dataclass(frozen=True)
class CriterionRow:
    category_id: str
    criterion_id: str
    weight: float
    critical: str | None
    estimate: Estimate
    fails: int


def criterion_scores(counts: pd.DataFrame, rubrics: Mapping[int, Rubric]) -> pd.DataFrame:
    """Per criterion: n, mean 0-100 with interval, critical fails, from grade counts.

    ``counts`` has rubric_version_id, criterion_id, value and n (``grade_counts``). Values
    become positions on each version's scale; criteria a version no longer has are skipped.
    """
    positions: dict[tuple[str, str], list[np.ndarray]] = {}
    fails: dict[str, int] = {}
    meta: dict[str, tuple[str, float, str | None]] = {}
    for (version, criterion_id), group in counts.groupby(["rubric_version_id", "criterion_id"]):
        rubric = rubrics.get(int(version))
        if rubric is None or criterion_id not in rubric.criterion_ids():
            continue
        criterion = rubric.criterion(criterion_id)
        meta.setdefault(
            criterion_id,
            (rubric.category_of(criterion_id).id, criterion.weight, criterion.critical),
        )
        values, n = group["value"].to_numpy(float), group["n"].to_numpy(int)
        points = np.repeat([criterion.scale.position(v) for v in values], n)
        positions.setdefault((meta[criterion_id][0], criterion_id), []).append(points)
        failed = sum(int(k) for v, k in zip(values, n, strict=True) if criterion.is_fail(v))
        fails[criterion_id] = fails.get(criterion_id, 0) + (failed if criterion.critical else 0)
    rows = []
    for (category_id, criterion_id), parts in positions.items():
        e = mean_interval(np.concatenate(parts))
        _, weight, critical = meta[criterion_id]
        rows.append([category_id, criterion_id, weight, critical or "", e.n, e.estimate, e.low,
                     e.high, fails.get(criterion_id, 0)])  # fmt: skip
    columns = ["category_id", "criterion_id", "weight", "critical", "n", "mean", "low", "high",
               "critical_fails"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def category_scores(criteria: pd.DataFrame) -> pd.DataFrame:
    """Per category: the criterion means weighted by criterion weight (as the score formula
    weights them within a review), with the fewest criterion n as its n."""
    if criteria.empty:
        return pd.DataFrame(columns=["category_id", "mean", "n"])
    weighted = criteria.assign(w=criteria["weight"] * criteria["mean"])
    grouped = weighted.groupby("category_id", sort=False)
    return pd.DataFrame({
        "mean": grouped["w"].sum() / grouped["weight"].sum(), "n": grouped["n"].min(),
    }).reset_index()  # fmt: skip


@dataclass(frozen=True)
class SurveyFigure:
    """CSAT or NPS with its response count, response rate and warnings."""

    estimate: Estimate
    responses: int
    contacts: int
    warnings: tuple[SurveyWarning, ...]

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.contacts if self.contacts else None


def _survey(
    conversations: pd.DataFrame, column: str, measure: Callable, scale: tuple[float, float]
) -> SurveyFigure:
    answered = conversations[conversations[column].notna()]
    ratings = answered[column].astype(float).tolist()
    warnings = check_survey(
        ratings, customer_ids=answered["customer_id"].tolist(), contacts=len(conversations),
        scale=scale,
    )  # fmt: skip
    return SurveyFigure(measure(ratings), len(ratings), len(conversations), warnings)


def csat_figure(conversations: pd.DataFrame) -> SurveyFigure:
    """CSAT: share of 4-5 answers, with response rate and representativeness warnings."""
    return _survey(conversations, "csat", csat, (1.0, 5.0))


def nps_figure(conversations: pd.DataFrame) -> SurveyFigure:
    """NPS: promoters minus detractors, with response rate and warnings."""
    return _survey(conversations, "nps", nps, (0.0, 10.0))


@dataclass(frozen=True)
class CsiFigure(SurveyFigure):
    """The CSI with its response count, rate and warnings, and the per-attribute table
    (attribute, n, satisfaction 0-100, importance, weight_share) it is built from."""

    attributes: pd.DataFrame = field(default_factory=pd.DataFrame)


#: Scale the CSI's warnings read: respondents' indices, 0-100 (polarised = all 1s or all 5s).
CSI_SCALE = (0.0, 100.0)


def csi_figure(conversations: pd.DataFrame, ratings: pd.DataFrame) -> CsiFigure:
    """CSI (importance-weighted satisfaction, 0-100) of the survey ratings of these
    conversations; responses = conversations with a rating, rate = of all conversations."""
    breakdown = csi_from_ratings(ratings[["respondent", "attribute", "rating", "importance"]])
    own = breakdown.respondents.dropna()
    customers = ratings.drop_duplicates("respondent").set_index("respondent")["customer_id"]
    warnings = check_survey(
        own.clip(*CSI_SCALE).round(6).tolist(), customer_ids=[customers.get(r) for r in own.index],
        contacts=max(len(conversations), len(own)), scale=CSI_SCALE,
    )  # fmt: skip
    return CsiFigure(breakdown.index, len(own), len(conversations), warnings,
                     breakdown.attributes)  # fmt: skip


def first_contact_resolution(
    conversations: pd.DataFrame, contacts: pd.DataFrame, observed_until: pd.Timestamp
) -> Estimate:
    """Share of conversations whose customer did not come back within ``FCR_WINDOW`` and
    that were not escalated. Conversations whose window is not over by ``observed_until``
    (the last data moment) or without a known customer are left out, not counted as fails.
    """
    known = conversations[conversations["customer_id"].notna()]
    known = known[known["started_at"] + FCR_WINDOW <= observed_until]
    if known.empty:
        return share([])
    left = pd.DataFrame({
        "customer_id": known["customer_id"].astype(str).to_numpy(),
        "t": known["started_at"].to_numpy(dtype="datetime64[ns]"),
        "escalated": known["escalated"].to_numpy(bool),
    }).sort_values("t")  # fmt: skip
    right = pd.DataFrame({
        "customer_id": contacts["customer_id"].astype(str).to_numpy(),
        "t": contacts["started_at"].to_numpy(dtype="datetime64[ns]"),
    }).sort_values("t")  # fmt: skip
    right["next_t"] = right["t"]
    merged = pd.merge_asof(left, right, on="t", by="customer_id", direction="forward",
                           allow_exact_matches=False)  # fmt: skip
    returned = (merged["next_t"] - merged["t"] <= FCR_WINDOW).fillna(False).to_numpy(bool)
    resolved = ~returned & ~merged["escalated"].to_numpy(bool)
    return share(resolved.astype(float))


def service_by_channel(conversations: pd.DataFrame, sla: SlaTargets | None = None) -> pd.DataFrame:
    """Per channel: conversations, median first response (minutes) and SLA compliance.

    Compliance is the share answered within the channel's first-response target (Wilson
    interval); channels without a target (phone) show none rather than 100%.
    """
    sla = sla or SlaTargets()
    rows = []
    for channel, group in conversations.groupby("channel"):
        frt = group["frt"].dropna()
        target = sla.for_channel(channel).first_response
        met = share((frt <= target).astype(float).to_numpy()) if target else None
        rows.append({
            "channel": channel, "conversations": len(group), "frt_n": len(frt),
            "frt_median_min": float(frt.median() / 60) if len(frt) else np.nan,
            "sla_target_min": target / 60 if target else np.nan,
            "sla_share": met.estimate if met else np.nan, "sla_low": met.low if met else np.nan,
            "sla_high": met.high if met else np.nan, "sla_n": met.n if met else 0,
        })  # fmt: skip
    return pd.DataFrame(rows)


def channel_consistency(reviews: pd.DataFrame) -> pd.DataFrame:
    """Quality score per channel with intervals: the same agent on chat vs e-mail vs phone."""
    rows = []
    for channel, group in reviews.groupby("channel"):
        e = quality(group["score"])
        rows.append({"channel": channel, "n": e.n, "mean": e.estimate, "low": e.low,
                     "high": e.high})  # fmt: skip
    return pd.DataFrame(rows, columns=["channel", "n", "mean", "low", "high"])


def signal_summary(signals: pd.DataFrame) -> pd.DataFrame:
    """Automatic signals over the reviewed conversations: mean (scores) or share (flags).

    ``signals`` has one row per conversation and one column per signal name (values as the
    pipeline stored them; None = not measured). Separate from reviewers' grades by design.
    """
    rows = []
    for name, how in SIGNALS:
        if name not in signals.columns:
            continue
        values = pd.to_numeric(signals[name], errors="coerce").dropna().to_numpy(float)
        if how == "share":
            e = share((values > 0.5).astype(float))
        else:
            e = mean_interval(values, bounds=(-1.0, 1.0), prior_sd=0.3)
        rows.append({"signal": name, "kind": how, "n": e.n, "value": e.estimate, "low": e.low,
                     "high": e.high})  # fmt: skip
    return pd.DataFrame(rows, columns=["signal", "kind", "n", "value", "low", "high"])
