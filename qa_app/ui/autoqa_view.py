"""Pieces of the Automatic scoring page: status metrics, per-agent box plots, agreement table.

Every title and axis says "automatic": these numbers come from scorers, not reviewers.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from qa_app.i18n.numbers import decimal
from qa_app.services.autoqa import (
    ALL_POINTS_UP_TO,
    FOLDS,
    MIN_CALIBRATION_REVIEWS,
    AgreementReport,
    ScoringStatus,
)
from qa_app.ui import user_text
from qa_app.ui.charts import PALETTE
from qa_app.ui.context import current_lang, tr, tr_or


def signal_name(code: str) -> str:
    """An automatic signal's name in the reader's language (its code if unknown)."""
    return tr_or(f"autoqa.sig.{code}", code)


def _tab_title(code: str) -> str:
    return tr_or(f"autoqa.tab.{code}", tr(f"autoqa.signal.{code}"))


def count_text(n: int) -> str:
    """Thousands grouped the way each language writes them (1,234 / 1 234)."""
    text = f"{n:,}"
    return text.replace(",", "\u202f") if current_lang() == "ru" else text


def render_status(status: ScoringStatus) -> None:
    st.subheader(tr("autoqa.status.header"))
    if status.total == 0:
        st.info(tr("autoqa.status.empty"), icon=":material/inbox:")
        return
    cols = st.columns(4)
    cols[0].metric(
        tr("autoqa.status.scored"),
        tr(
            "autoqa.status.scored_value",
            scored=count_text(status.scored),
            total=count_text(status.total),
        ),
    )
    cols[1].metric(tr("autoqa.status.current"), count_text(status.current))
    cols[2].metric(tr("autoqa.status.to_score"), count_text(status.to_score))
    last = status.last_run
    cols[3].metric(
        tr("autoqa.status.last_run"),
        last.strftime("%d.%m %H:%M") if last else tr("autoqa.status.never"),
        help=last.strftime("%d.%m.%Y %H:%M UTC") if last else None,
    )
    st.caption(tr("autoqa.status.version", version=status.pipeline_version or "—"))
    stale = status.scored - status.current
    if stale > 0:
        st.caption(tr("autoqa.status.older", count=count_text(stale)))
    if status.unsupported:
        found = ", ".join(
            f"{code.upper()} {count_text(n)}" for code, n in status.unsupported.items()
        )
        st.info(
            tr("autoqa.status.unsupported", count=count_text(sum(status.unsupported.values())),
               languages=found),
            icon=":material/translate:",
        )  # fmt: skip


def _who(rows: pd.DataFrame) -> pd.Series:
    return rows["agent"] + " (n=" + rows["n"].astype(str) + ")"


def _box(row, colour: str) -> go.Box:
    """One agent's box: from every value when they are few (plotly draws them all), else
    from the summary's quartiles and whisker ends (``signal_distribution_screen``)."""
    common = {"name": row.who, "orientation": "h", "marker_color": colour, "showlegend": False}
    if row.n <= ALL_POINTS_UP_TO:
        return go.Box(x=row.points, boxpoints="all", **common)
    return go.Box(
        y=[row.who], q1=[row.q1], median=[row.median], q3=[row.q3],
        lowerfence=[row.lowerfence], upperfence=[row.upperfence], boxpoints=False, **common,
    )  # fmt: skip


def signal_box(summary: pd.DataFrame, signal: str) -> go.Figure:
    """One box per agent (all points shown when few, the furthest outliers when many),
    agents sorted by median."""
    rows = summary[summary["signal"] == signal].copy()
    rows["who"] = _who(rows)
    rows = rows.sort_values(["median", "who"])
    fig = go.Figure()
    for i, row in enumerate(rows.itertuples(index=False)):
        colour = PALETTE[i % len(PALETTE)]
        fig.add_trace(_box(row, colour))
        if row.n > ALL_POINTS_UP_TO and row.points:
            fig.add_trace(
                go.Scatter(
                    x=row.points,
                    y=[row.who] * len(row.points),
                    mode="markers",
                    marker={"color": colour, "size": 5},
                    showlegend=False,
                    hoverinfo="x",
                )  # fmt: skip
            )
    label = tr(f"autoqa.signal.{signal}")
    fig.update_layout(
        title={"text": tr("autoqa.dist.chart_title", signal=label), "font": {"size": 15}},
        xaxis_title=tr("autoqa.dist.value"),
        yaxis_title=tr("autoqa.dist.agent"),
        yaxis={"categoryorder": "array", "categoryarray": rows["who"].tolist()},
        height=max(260, 60 + 28 * len(rows)),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return fig


def breach_bar(summary: pd.DataFrame) -> go.Figure | None:
    """First-response SLA breaches per agent (the flag is 1 when met, so its mean is the
    share met)."""
    grouped = summary[summary["signal"] == "first_response_sla"].copy()
    if grouped.empty:
        return None
    grouped["breach"] = 1 - grouped["mean"]
    grouped = grouped.sort_values("breach")
    labels = _who(grouped)
    fig = go.Figure(
        go.Bar(
            x=grouped["breach"],
            y=labels,
            orientation="h",
            marker_color=PALETTE[1],
            text=[f"{v:.0%}" for v in grouped["breach"]],
        )
    )
    fig.update_layout(
        title={"text": tr("autoqa.dist.sla_first"), "font": {"size": 15}},
        xaxis_title=tr("autoqa.dist.breach_rate"),
        xaxis_tickformat=".0%",
        height=max(260, 60 + 28 * len(grouped)),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return fig


def render_distributions(summary: pd.DataFrame, signals: tuple[str, ...]) -> None:
    st.subheader(tr("autoqa.dist.header"))
    st.caption(tr("autoqa.dist.caption"))
    if summary.empty:
        st.info(tr("autoqa.dist.empty"), icon=":material/query_stats:")
        return
    present = [s for s in signals if (summary["signal"] == s).any()]
    # Short tab titles: with units they ran past the page edge (the charts keep the units).
    tabs = st.tabs([_tab_title(s) for s in present] + [_tab_title("first_response_sla")])
    for tab, signal in zip(tabs, present, strict=False):
        with tab:
            st.plotly_chart(signal_box(summary, signal), width="stretch")
    with tabs[-1]:
        figure = breach_bar(summary)
        if figure is not None:
            st.plotly_chart(figure, width="stretch")


def _kappa(value: float | None, lang: str) -> str:
    """κ as the calibration page writes it: two decimals, the user's decimal mark, a real
    minus sign; "—" when undefined."""
    if value is None or value != value:
        return "—"
    return decimal(value, lang)


def _share(value: float | None) -> str:
    return "—" if value is None or value != value else f"{value:.0%}"


def agreement_frame(report: AgreementReport, lang: str) -> pd.DataFrame:
    rows = []
    for row in report.rows:
        rows.append(
            {
                tr("autoqa.col.criterion"): row.name_ru if lang == "ru" else row.name_en,
                tr("autoqa.col.signal"): signal_name(row.signal),
                tr("autoqa.col.mode"): tr(f"autoqa.mode.{row.mode}"),
                tr("autoqa.col.n"): row.n,
                tr("autoqa.col.kappa"): _kappa(row.kappa, lang),
                tr("autoqa.col.exact"): _share(row.exact),
                tr("autoqa.col.default_kappa"): _kappa(row.default_kappa, lang),
                tr("autoqa.col.pairs"): row.reviewer_pairs,
                tr("autoqa.col.reviewer_kappa"): _kappa(row.reviewer_kappa, lang),
                tr("autoqa.col.reviewer_exact"): _share(row.reviewer_exact),
            }
        )
    return pd.DataFrame(rows)


def render_agreement(reports: list[AgreementReport], names: dict[str, str]) -> None:
    st.subheader(tr("autoqa.agreement.header"))
    st.caption(tr("autoqa.agreement.caption", min=MIN_CALIBRATION_REVIEWS, folds=FOLDS))
    if not reports:
        st.info(tr("autoqa.agreement.empty"), icon=":material/rule:")
        return
    lang = current_lang()
    for report in reports:
        name = names.get(report.rubric_slug, report.rubric_slug)
        st.markdown(
            "**"
            + tr(
                "autoqa.agreement.rubric",
                name=user_text.inline(name),
                version=report.rubric_version,
            )
            + "**"
        )
        frame = agreement_frame(report, lang)
        # Two tables, each narrow enough to read without scrolling sideways: the automatic
        # grade against reviewers, then what to compare it with (the uncalibrated mapping,
        # and reviewers against each other: what is reachable).
        first = ["criterion", "signal", "mode", "n", "kappa", "exact"]
        second = ["criterion", "default_kappa", "pairs", "reviewer_kappa", "reviewer_exact"]
        for part, title in ((first, None), (second, "autoqa.agreement.reviewers")):
            if title:
                st.caption(tr(title))
            st.dataframe(
                frame[[tr(f"autoqa.col.{c}") for c in part]],
                hide_index=True,
                width="stretch",
                height=38 + 35 * len(frame),  # every criterion visible, no inner scroll
                column_config=agreement_columns(),
                placeholder="—",
            )


def agreement_columns() -> dict:
    """The full meaning of each column in its header's tooltip."""
    columns = ("kappa", "exact", "default_kappa", "reviewer_kappa", "reviewer_exact")
    return {
        tr(f"autoqa.col.{c}"): st.column_config.Column(help=tr(f"autoqa.col_help.{c}"))
        for c in (*columns, "n", "pairs", "mode")
    }


def render_handover(frame: pd.DataFrame | None) -> None:
    """Per bot: hand-overs to a person, median wait for the person, and how often the
    customer had to repeat themselves; nothing when no bot took part in any conversation."""
    if frame is None or frame.empty:
        return
    from qa_app.ui.transcript_view import duration_text

    lang = current_lang()
    st.subheader(tr("autoqa.handover.header"))
    st.caption(tr("autoqa.handover.caption"))
    rows = []
    for row in frame.itertuples(index=False):
        median = None if row.median_seconds != row.median_seconds else row.median_seconds
        repeated = row.repeated / row.compared if row.compared else None
        rows.append(
            {
                tr("autoqa.handover.col.bot"): row.bot,
                tr("autoqa.handover.col.conversations"): row.conversations,
                tr("autoqa.handover.col.handed_over"): row.handed_over,
                tr("autoqa.handover.col.median"): duration_text(median, lang),
                tr("autoqa.handover.col.compared"): row.compared,
                tr("autoqa.handover.col.repeated"): _share(repeated),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
