"""What drives satisfaction: each criterion and signal against CSAT, NPS, repeat contact and
escalation, per team and channel, with intervals, counts and honest words for weak ones."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from qa_app.services import coaching
from qa_app.services.errors import ServiceError
from qa_app.ui import context, data
from qa_app.ui.coaching_view import criterion_name, figure, signal_name
from qa_app.ui.context import tr
from scoring.pipeline.conversation import CHANNELS as CHANNEL_NAMES

ACTION = "page.drivers"
TEAM_KEY = "drivers.team"
CHANNEL_KEY = "drivers.channel"
ALL = -1


def _behaviour(report: coaching.DriversReport, driver: coaching.Driver) -> str:
    if driver.kind == "overall":
        return tr("drivers.overall")
    if driver.kind == "criterion":
        return criterion_name(report.rubric, driver.key)
    return tr("coaching.signal_prefix", name=signal_name(driver.key))


def _strength(driver: coaching.Driver) -> str:
    relation = driver.relation
    if relation is None:
        return tr("drivers.too_few", minimum=coaching.MIN_PAIRS)
    if relation.strength is None:
        return tr("drivers.undefined")
    s = relation.strength
    if not s.distinguishable:
        return tr("drivers.not_distinguishable")
    label = tr(f"drivers.strength.{s.label.value}")
    if s.lowest == s.highest:
        return label
    return tr(
        "drivers.strength_range",
        label=label,
        lowest=tr(f"drivers.strength.{s.lowest.value}"),
        highest=tr(f"drivers.strength.{s.highest.value}"),
    )


def _summary(report: coaching.DriversReport, outcome: str) -> None:
    overall = report.overall(outcome)
    name = tr(f"drivers.outcome.{outcome}")
    if overall is None or overall.relation is None or math.isnan(overall.r):
        st.info(tr("drivers.summary.unknown", outcome=name))
        return
    params = dict(
        outcome=name,
        r=figure(overall.relation.correlation, 2),
        n=overall.n,
    )
    s = overall.relation.strength
    if abs(overall.r) < coaching.WEAK_R or not s.distinguishable:
        st.warning(tr("drivers.summary.weak", **params))
    else:
        st.success(
            tr("drivers.summary.tracks", label=tr(f"drivers.strength.{s.label.value}"), **params)
        )


def render_outcome(report: coaching.DriversReport, outcome: str) -> None:
    _summary(report, outcome)
    rows = [
        {
            tr("coaching.col.behaviour"): _behaviour(report, d),
            tr("drivers.col.n"): d.n
            if d.n == d.available
            else tr("drivers.sampled", n=d.n, available=d.available),
            tr("drivers.col.r"): "—" if d.relation is None else figure(d.relation.correlation, 2),
            tr("drivers.col.strength"): _strength(d),
            tr("coaching.col.weight"): "" if d.weight is None else f"{100 * d.weight:.1f}%",
        }
        for d in report.for_outcome(outcome)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _filters(screen: coaching.DriversScreen) -> None:
    teams = {ALL: tr("drivers.all_teams"), **dict(screen.teams)}
    channels = {
        "": tr("drivers.all_channels"),
        **{c: tr(f"overview.channel.{c}") for c in CHANNEL_NAMES},
    }
    left, right = st.columns(2)
    left.selectbox(tr("coaching.pick_team"), list(teams), format_func=teams.get, key=TEAM_KEY)
    right.selectbox(
        tr("drivers.channel"), list(channels), format_func=channels.get, key=CHANNEL_KEY
    )


def render() -> None:
    actor = context.require_page(ACTION)
    st.title(tr("drivers.title"))
    team = st.session_state.get(TEAM_KEY, ALL)
    channel = st.session_state.get(CHANNEL_KEY) or None
    try:
        screen = data.drivers(
            context.database_url(), actor, context.now(), None if team == ALL else team, channel
        )
    except ServiceError as exc:
        context.show_error(exc)
        return
    _filters(screen)
    report = screen.report
    st.caption(
        tr(
            "drivers.intro",
            since=report.since.strftime("%Y-%m-%d"),
            until=report.until.strftime("%Y-%m-%d"),
            conversations=report.conversations,
            csat=report.with_outcome.get("csat", 0),
            nps=report.with_outcome.get("nps", 0),
        )
    )
    if not report.drivers:
        st.info(tr("drivers.none"))
        return
    tabs = st.tabs([tr(f"drivers.outcome.{o}") for o in coaching.OUTCOMES])
    for tab, outcome in zip(tabs, coaching.OUTCOMES, strict=True):
        with tab:
            render_outcome(report, outcome)
    st.caption(tr("drivers.caveat"))
