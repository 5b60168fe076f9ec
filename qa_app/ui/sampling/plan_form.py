"""The recurring plan form: name, schedule, scope, strategy and quota, reviewers, rubric."""

from __future__ import annotations

from datetime import time

import streamlit as st

from qa_app.services import reviews, sampling
from qa_app.services.sampling import STRATEGIES, WEEKDAY_NAMES, WORKING_DAYS
from qa_app.ui.context import tr
from qa_app.ui.sampling.filters_form import labels, render_filters
from qa_app.ui.sampling.words import strategy_name

#: Zones offered in the form (any IANA name works from the command line).
ZONES = (
    "Europe/Moscow",
    "Europe/Kaliningrad",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Novosibirsk",
    "Asia/Vladivostok",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
)
CADENCES = ("weekly", "weekdays")


def _zones(current: str) -> list[str]:
    zones = list(dict.fromkeys([current, reviews.team_timezone(), *ZONES]))
    return zones


def _schedule(prefix: str, start: sampling.PlanSummary | None) -> dict:
    weekdays = start.weekdays if start else (0,)
    cols = st.columns([2, 2, 1.3, 2])
    cadence = cols[0].radio(
        tr("sampling.plan.cadence"),
        CADENCES,
        index=1 if tuple(weekdays) == WORKING_DAYS else 0,
        format_func=labels({c: tr(f"sampling.plan.cadence.{c}") for c in CADENCES}),
        key=f"{prefix}.cadence",
    )
    day = cols[1].selectbox(
        tr("sampling.plan.weekday"),
        range(7),
        index=weekdays[0] if len(weekdays) == 1 else 0,
        format_func=labels(
            {d: tr(f"sampling.weekday_full.{n}") for d, n in enumerate(WEEKDAY_NAMES)}
        ),
        help=tr("sampling.plan.weekday_help"),
        key=f"{prefix}.weekday",
    )
    hours, minutes = (int(x) for x in (start.run_at if start else "07:00").split(":"))
    at = cols[2].time_input(
        tr("sampling.plan.run_at"), time(hours, minutes), step=900, key=f"{prefix}.run_at"
    )
    zones = _zones(start.timezone if start else reviews.team_timezone())
    zone = cols[3].selectbox(tr("sampling.plan.timezone"), zones, key=f"{prefix}.timezone")
    return {
        "weekdays": WORKING_DAYS if cadence == "weekdays" else (day,),
        "run_at": at.strftime("%H:%M"),
        "timezone": zone,
    }


def _work(prefix: str, options, start: sampling.PlanSummary | None, rubric_names) -> dict:
    cols = st.columns([2, 1.5, 4])
    strategy = cols[0].selectbox(
        tr("sampling.strategy"),
        STRATEGIES,
        index=STRATEGIES.index(start.strategy if start else "stratified"),
        format_func=labels({s: strategy_name(s) for s in STRATEGIES}),
        help=tr("sampling.strategy_help"),
        key=f"{prefix}.strategy",
    )
    quota = cols[1].number_input(
        tr("sampling.plan.quota"),
        1,
        500,
        start.quota_per_agent if start else 5,
        help=tr("sampling.plan.quota_help"),
        key=f"{prefix}.quota",
    )
    reviewers = cols[2].multiselect(
        tr("sampling.plan.reviewers"),
        options.reviewers,
        default=[r for r in (start.reviewers if start else ()) if r in options.reviewers],
        placeholder=tr("sampling.choose"),
        key=f"{prefix}.reviewers",
    )
    cols = st.columns([3, 2], vertical_alignment="bottom")
    slugs = list(rubric_names)
    current = start.rubric_slug if start and start.rubric_slug in slugs else None
    rubric = cols[0].selectbox(
        tr("sampling.rubric"),
        slugs,
        index=slugs.index(current) if current else 0,
        format_func=rubric_names.get,
        key=f"{prefix}.rubric",
    )
    blind = cols[1].checkbox(
        tr("sampling.blind"),
        value=bool(start and start.blind),
        help=tr("sampling.blind_help"),
        key=f"{prefix}.blind",
    )
    return {
        "strategy": strategy,
        "quota_per_agent": int(quota),
        "reviewers": tuple(reviewers),
        "rubric_slug": rubric,
        "blind": blind,
    }


def render_plan_form(
    options: sampling.SampleOptions,
    rubric_names: dict[str, str],
    start: sampling.PlanSummary | None = None,
) -> sampling.PlanInput | None:
    """The plan's settings (``start``: the plan being edited); a PlanInput when saved.
    Widget keys carry the plan's id, so editing another plan starts from its values."""
    prefix = f"plan{start.id if start else 'new'}"
    with st.form(f"{prefix}.form"):
        name = st.text_input(
            tr("sampling.plan.name"),
            value=start.name if start else "",
            max_chars=120,
            placeholder=tr("sampling.plan.name_placeholder"),
            key=f"{prefix}.name",
        )
        schedule = _schedule(prefix, start)
        st.caption(tr("sampling.plan.window_note"))
        work = _work(prefix, options, start, rubric_names)
        filters = render_filters(
            options, prefix, dates=None, start=start.filters if start else None
        )
        pressed = st.form_submit_button(
            tr("sampling.plan.save"), type="primary", icon=":material/save:", key=f"{prefix}.save"
        )
    if not pressed:
        return None
    return sampling.PlanInput(name=name, filters=filters, **schedule, **work)
