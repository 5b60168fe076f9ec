"""Overview: volumes, satisfaction and response times of the conversations the user may see."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from qa_app.i18n.numbers import count, decimal, signed_decimal
from qa_app.services import overview
from qa_app.services.overview import CHANNEL_ORDER, FRT_BUCKETS
from qa_app.ui import charts, context, data
from qa_app.ui.context import tr
from qa_app.ui.scorecard_view import render_purged

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PURGED = "__purged__"  # the weekly chart's series of weeks a retention purge deleted


def _channel(code: str) -> str:
    if code == PURGED:
        return tr("overview.purged.series")
    return tr(f"overview.channel.{code}") if code in CHANNEL_ORDER else str(code)


def _channel_colours() -> dict[str, str]:
    colours = {_channel(code): colour for code, colour in charts.CHANNEL_COLOURS.items()}
    return colours | {_channel(PURGED): charts.PURGED_COLOUR}


def _weekly_with_purged(figures: overview.Overview) -> pd.DataFrame:
    """Live weeks per channel, and the purged weeks' kept counts as one more series."""
    purged = figures.purged
    if purged.empty:
        return figures.by_week
    kept = pd.DataFrame({
        "week": pd.to_datetime(purged["week_start"]), "channel": PURGED,
        "n": purged["conversations"],
    })  # fmt: skip
    return pd.concat([kept, figures.by_week], ignore_index=True)


def _language(code: str) -> str:
    return tr(f"overview.language.{code}") if code in ("ru", "en") else str(code)


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _count(n: int) -> str:
    """Thousands grouped the way each language writes them: 12,345 / 12 345."""
    return count(n, context.current_lang())


def _decimal(value: float) -> str:
    """Two decimals with the user's decimal mark: 3.32 / 3,32."""
    return decimal(value, context.current_lang())


def _duration(minutes: float) -> str:
    if minutes >= 60:
        return tr("overview.sla.hours", h=f"{minutes / 60:g}")
    return tr("overview.sla.minutes", m=f"{minutes:g}")


def bucket_labels() -> list[str]:
    """First-response buckets in the user's language: "< 1 min", "1–5 min", … "> 24 h"."""
    labels = [f"< {_duration(FRT_BUCKETS[0])}"]
    for low, high in zip(FRT_BUCKETS, FRT_BUCKETS[1:], strict=False):
        same_unit = (low < 60) == (high < 60)
        start = _duration(low).split()[0] if same_unit else _duration(low)
        labels.append(f"{start}–{_duration(high)}")
    return [*labels, f"> {_duration(FRT_BUCKETS[-1])}"]


def render_filters(options: overview.FilterOptions, is_agent: bool) -> overview.OverviewFilters:
    """Date range, team, channel and language; the choices come from the data itself."""
    with st.expander(tr("overview.filters"), expanded=False, icon=":material/filter_list:"):
        left, right = st.columns(2)
        days = left.date_input(
            tr("overview.filter.dates"),
            value=(options.first_day, options.last_day),
            min_value=options.first_day,
            max_value=options.last_day,
            key="overview_dates",
        )
        teams = dict(options.teams)
        team_ids = () if is_agent else right.multiselect(
            tr("overview.filter.teams"), list(teams), format_func=teams.get,
            placeholder=tr("overview.filter.all"), key="overview_teams",
        )  # fmt: skip
        channels = left.multiselect(
            tr("overview.filter.channels"), list(options.channels), format_func=_channel,
            placeholder=tr("overview.filter.all"), key="overview_channels",
        )  # fmt: skip
        languages = right.multiselect(
            tr("overview.filter.languages"), list(options.languages), format_func=_language,
            placeholder=tr("overview.filter.all"), key="overview_languages",
        )  # fmt: skip
    day_from, day_to = (tuple(days) + (None, None))[:2] if isinstance(days, tuple) else (days, days)
    return overview.OverviewFilters(
        date_from=day_from, date_to=day_to or day_from, team_ids=tuple(team_ids),
        channels=tuple(channels), languages=tuple(languages),
    )  # fmt: skip


def render_headline(figures: overview.Overview) -> None:
    """Key numbers in two rows (volume and satisfaction, then service), each with its n."""
    csat, nps = figures.csat, figures.nps
    first, second = st.columns(3), st.columns(3)
    purged = int(figures.purged["conversations"].sum()) if not figures.purged.empty else 0
    first[0].metric(
        tr("overview.metric.conversations"), _count(figures.total),
        help=tr("overview.metric.conversations_purged_help", n=_count(purged)) if purged else None,
    )  # fmt: skip
    first[1].metric(
        tr("overview.metric.csat"), "—" if csat.mean is None else _decimal(csat.mean),
        help=tr("overview.metric.csat_help", n=csat.n, share=_percent(csat.top_two_share)),
    )  # fmt: skip
    nps_text = "—" if nps.score is None else signed_decimal(nps.score, context.current_lang(), 0)
    first[2].metric(
        tr("overview.metric.nps"), nps_text, help=tr("overview.metric.nps_help", n=nps.n)
    )
    breached = int(figures.sla["breached"].sum()) if not figures.sla.empty else 0
    with_target = int(figures.sla["n"].sum()) if not figures.sla.empty else 0
    second[0].metric(
        tr("overview.metric.sla_breach"),
        _percent(breached / with_target if with_target else None),
        help=tr("overview.metric.n_help", n=with_target),
    )
    for col, key, rate in (
        (second[1], "overview.metric.repeat", figures.repeat_contacts),
        (second[2], "overview.metric.escalation", figures.escalations),
    ):
        col.metric(tr(key), _percent(rate.share), help=tr(f"{key}_help", n=rate.n))


def _named(frame: pd.DataFrame, column: str, namer) -> pd.DataFrame:
    return frame.assign(**{column: frame[column].map(namer)})


def render_volume(figures: overview.Overview) -> None:
    n_title = tr("overview.axis.conversations")
    weekly = _named(_weekly_with_purged(figures), "channel", _channel)
    st.plotly_chart(
        charts.stacked_over_time(
            weekly, "week", "n", "channel", title=tr("overview.chart.by_week"),
            x_title=tr("overview.axis.week"), y_title=n_title, colour_map=_channel_colours(),
        ).update_xaxes(tickformat="%d.%m.%Y" if context.current_lang() == "ru" else "%b %d, %Y"),
        key="chart_week",
    )  # fmt: skip
    render_purged(figures.purged)
    if figures.purged_hidden:
        st.caption(tr("overview.purged.hidden"))
    left, middle, right = st.columns(3)
    for col, frame, column, namer, title in (
        (left, figures.by_channel, "channel", _channel, "overview.chart.by_channel"),
        (middle, figures.by_language, "language", _language, "overview.chart.by_language"),
        (
            right,
            figures.by_team,
            "team",
            lambda v: v or tr("overview.no_team"),
            "overview.chart.by_team",
        ),
    ):
        named = _named(frame, column, namer)
        col.plotly_chart(
            charts.bar(named, column, "n", title=tr(title), x_title="", y_title=n_title, text="n"),
            key=f"chart_{column}",
        )


def render_satisfaction(figures: overview.Overview) -> None:
    left, right = st.columns(2)
    csat = figures.csat
    left.plotly_chart(
        charts.bar(
            csat.counts.assign(score=csat.counts["score"].astype(str)), "score", "n",
            title=tr("overview.chart.csat", n=csat.n), x_title=tr("overview.axis.csat"),
            y_title=tr("overview.axis.conversations"), text="n",
        ), key="chart_csat",
    )  # fmt: skip
    nps = figures.nps
    groups = nps.counts.assign(
        score=nps.counts["score"].astype(str),
        group=nps.counts["group"].map(lambda g: tr(f"overview.nps.{g}")),
    )
    colours = {tr(f"overview.nps.{g}"): c for g, c in charts.NPS_COLOURS.items()}
    score = "—" if nps.score is None else f"{nps.score:+.0f}"
    right.plotly_chart(
        charts.bar(
            groups, "score", "n", color="group", colour_map=colours, text="n",
            title=tr("overview.chart.nps", score=score, n=nps.n),
            x_title=tr("overview.axis.nps"), y_title=tr("overview.axis.conversations"),
        ), key="chart_nps",
    )  # fmt: skip
    if nps.n:
        right.caption(
            tr("overview.nps.caption", promoters=nps.promoters, passives=nps.passives,
               detractors=nps.detractors)
        )  # fmt: skip


def render_response_times(figures: overview.Overview) -> None:
    left, right = st.columns(2)
    labels = bucket_labels()
    frt = _named(figures.first_response, "channel", _channel)
    frt = frt.assign(bucket=frt["bucket"].map(lambda i: labels[int(i)]))
    left.plotly_chart(
        charts.bar(
            frt, "bucket", "n", color="channel", category_order=labels,
            colour_map=_channel_colours(),
            title=tr("overview.chart.first_response"), x_title=tr("overview.axis.first_response"),
            y_title=tr("overview.axis.conversations"),
        ), key="chart_frt",
    )  # fmt: skip
    sla = figures.sla.assign(
        channel=figures.sla["channel"].map(_channel),
        label=[
            f"{s:.0%} · n={n}" for s, n in zip(figures.sla["share"], figures.sla["n"], strict=True)
        ],
    )
    right.plotly_chart(
        charts.bar(
            sla, "channel", "share", text="label", title=tr("overview.chart.sla"),
            x_title="", y_title=tr("overview.axis.breach_share"),
        ).update_yaxes(tickformat=".0%"), key="chart_sla",
    )  # fmt: skip
    right.caption(render_targets(figures.sla_targets))
    render_heatmap(figures)


def render_targets(targets: dict[str, float | None]) -> str:
    def show(seconds: float | None) -> str:
        return tr("overview.sla.none") if seconds is None else _duration(seconds / 60)

    parts = ", ".join(f"{_channel(ch)} {show(v)}" for ch, v in targets.items())
    return tr("overview.sla.targets", targets=parts)


def render_heatmap(figures: overview.Overview) -> None:
    cells = figures.wait_heatmap
    if cells.empty:
        return
    values = cells.pivot(index="weekday", columns="hour", values="median_minutes")
    counts = cells.pivot(index="weekday", columns="hour", values="n").fillna(0).astype(int)
    values = values.reindex(index=range(7), columns=range(24))
    counts = counts.reindex(index=range(7), columns=range(24), fill_value=0)
    names = [tr(f"overview.weekday.{d}") for d in WEEKDAYS]
    values.index = counts.index = names
    st.plotly_chart(
        charts.heatmap(
            values, counts, title=tr("overview.chart.heatmap", tz=figures.timezone),
            x_title=tr("overview.axis.hour"), y_title="",
            value_label=tr("overview.axis.median_minutes"), n_label="n",
        ), key="chart_heatmap",
    )  # fmt: skip


def render() -> None:
    actor = context.current_actor()
    st.title(tr("overview.title"), anchor=False)
    url, tz = context.database_url(), overview.display_timezone()
    options = data.overview_options(url, actor, tz)
    if actor.is_agent:
        st.caption(tr("overview.scope.agent"))
    if options.total == 0:
        st.info(tr("overview.empty_agent" if actor.is_agent else "overview.empty"),
                icon=":material/inbox:")  # fmt: skip
        return
    filters = render_filters(options, actor.is_agent)
    figures = data.overview_figures(url, actor, filters, tz)
    if figures.total == 0:
        st.info(tr("overview.no_match"), icon=":material/filter_alt_off:")
        render_purged(figures.purged)  # a period before the retention limit: only counts
        return
    render_headline(figures)
    volume, satisfaction, timing = st.tabs(
        [tr("overview.tab.volume"), tr("overview.tab.satisfaction"), tr("overview.tab.timing")]
    )
    with volume:
        render_volume(figures)
    with satisfaction:
        render_satisfaction(figures)
    with timing:
        render_response_times(figures)
