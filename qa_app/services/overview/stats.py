"""Distributions behind the Overview, computed on small per-conversation frames.

Kept apart from the queries so each calculation can be checked on a hand-made frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

CHANNEL_ORDER = ("chat", "email", "messenger", "social", "phone")
REPEAT_WINDOW = pd.Timedelta(days=7)
#: First-response buckets in minutes: upper bounds, the last one open-ended.
FRT_BUCKETS = (1, 5, 15, 30, 60, 120, 240, 480, 1440)


@dataclass(frozen=True)
class Rate:
    """``hits`` out of ``n``; ``share`` is None when there is nothing to count."""

    hits: int
    n: int

    @property
    def share(self) -> float | None:
        return self.hits / self.n if self.n else None


@dataclass(frozen=True)
class ScoreDistribution:
    """Counts per score (every score on the scale, zeros included), mean and n."""

    counts: pd.DataFrame
    n: int
    mean: float | None
    top_two_share: float | None


@dataclass(frozen=True)
class NpsSummary:
    """NPS = % promoters (9-10) minus % detractors (0-6), from -100 to 100."""

    counts: pd.DataFrame
    n: int
    promoters: int
    passives: int
    detractors: int

    @property
    def score(self) -> float | None:
        if not self.n:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.n


def score_distribution(counts: pd.Series, low: int, high: int) -> ScoreDistribution:
    """Histogram over the whole scale ``low..high`` so empty scores still show as zero."""
    scale = range(low, high + 1)
    full = counts.reindex(scale, fill_value=0).astype("int64")
    n = int(full.sum())
    mean = float((full.index.to_numpy() * full.to_numpy()).sum() / n) if n else None
    top_two = float(full.loc[[high - 1, high]].sum() / n) if n else None
    frame = pd.DataFrame({"score": list(scale), "n": full.to_numpy()})
    return ScoreDistribution(counts=frame, n=n, mean=mean, top_two_share=top_two)


def nps_group(score: int) -> str:
    if score >= 9:
        return "promoter"
    return "passive" if score >= 7 else "detractor"


def nps_summary(counts: pd.Series) -> NpsSummary:
    dist = score_distribution(counts, 0, 10)
    frame = dist.counts.assign(group=[nps_group(s) for s in dist.counts["score"]])
    by_group = frame.groupby("group")["n"].sum()
    return NpsSummary(
        counts=frame,
        n=dist.n,
        promoters=int(by_group.get("promoter", 0)),
        passives=int(by_group.get("passive", 0)),
        detractors=int(by_group.get("detractor", 0)),
    )


def weekly_volume(timing: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Conversations per local week (starting Monday) and channel."""
    if timing.empty:
        return pd.DataFrame(columns=["week", "channel", "n"])
    local = timing["started_at"].dt.tz_convert(tz).dt.tz_localize(None)
    week = local.dt.to_period("W-SUN").dt.start_time
    return (
        timing.assign(week=week)
        .groupby(["week", "channel"], observed=True)
        .size()
        .reset_index(name="n")
        .sort_values(["week", "channel"], ignore_index=True)
    )


def first_response_buckets(timing: pd.DataFrame) -> pd.DataFrame:
    """How many first replies fell in each time bucket, per channel (a histogram).

    ``bucket`` is the index into ``FRT_BUCKETS``: 0 is under the first bound, the last
    index is over the last bound; pages turn it into a label in the user's language.
    """
    known = timing.dropna(subset=["frt"])
    if known.empty:
        return pd.DataFrame(columns=["channel", "bucket", "n"])
    edges = [-np.inf, *(m * 60.0 for m in FRT_BUCKETS), np.inf]
    bucket = pd.cut(known["frt"], bins=edges, labels=False, right=False)
    counted = (
        known.assign(bucket=bucket).groupby(["channel", "bucket"]).size().reset_index(name="n")
    )
    counted["bucket"] = counted["bucket"].astype(int)
    return counted


def sla_breaches(timing: pd.DataFrame, targets: dict[str, float | None]) -> pd.DataFrame:
    """Per channel with a first-response target: n with a reply, breaches and their share."""
    rows = []
    for channel, group in timing.dropna(subset=["frt"]).groupby("channel"):
        target = targets.get(channel)
        if target is None:
            continue
        breached = int((group["frt"] > target).sum())
        rows.append((channel, target / 60.0, len(group), breached, breached / len(group)))
    return pd.DataFrame(rows, columns=["channel", "target_minutes", "n", "breached", "share"])


def wait_heatmap(timing: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Median first response (minutes) and n by local weekday (0 = Monday) and hour."""
    known = timing.dropna(subset=["frt"])
    if known.empty:
        return pd.DataFrame(columns=["weekday", "hour", "median_minutes", "n"])
    local = known["started_at"].dt.tz_convert(tz)
    return (
        known.assign(weekday=local.dt.day_of_week, hour=local.dt.hour, minutes=known["frt"] / 60.0)
        .groupby(["weekday", "hour"])
        .agg(median_minutes=("minutes", "median"), n=("minutes", "size"))
        .reset_index()
    )


def repeat_contacts(timing: pd.DataFrame, window: pd.Timedelta = REPEAT_WINDOW) -> Rate:
    """Conversations whose customer had an earlier conversation within ``window``.

    Counted among conversations with a known customer id (``n``).
    """
    known = timing.dropna(subset=["customer_id"])
    if known.empty:
        return Rate(0, 0)
    ordered = known.sort_values(["customer_id", "started_at"])
    previous = ordered.groupby("customer_id")["started_at"].shift()
    repeats = (ordered["started_at"] - previous) <= window
    return Rate(hits=int(repeats.sum()), n=len(ordered))
