"""Calibration results on screen: tables, charts and the discussion list.

Everything here takes the plain dataclasses of ``calibration_results`` and translated
labels; user-provided text (names, comments, notes) is always escaped before markdown.
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from qa_app.i18n.numbers import decimal, signed_decimal
from qa_app.services.calibration import CalibrationResults, CriterionAgreement, Grade
from qa_app.ui import user_text
from qa_app.ui.charts import PALETTE
from qa_app.ui.context import current_lang, tr

SUBSTANTIAL = 0.6
SMALL_SAMPLE = 10
ALIGNED_POINTS = 5.0
SEPARATORS = {"ru": ", ", "en": ".,"}  # plotly: decimal mark, then thousands separator


def md(text: str) -> str:
    """User text as Markdown that shows exactly as typed (``user_text.inline``)."""
    return user_text.inline(text)


def number(value: float | None, digits: int = 2) -> str:
    """A figure in the user's language (decimal comma in Russian); NaN says so."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return tr("calibration.undefined.value")
    return decimal(value, current_lang(), digits)


def signed(value: float, digits: int = 1) -> str:
    """An offset with its sign and the user's decimal mark: "+5.5", "−4.2" / "−4,2"."""
    return signed_decimal(value, current_lang(), digits)


def coefficient(value: float, row: CriterionAgreement) -> str:
    if not math.isnan(value):
        return number(value)
    if row.undefined:
        return tr(f"calibration.undefined.{row.undefined}")
    return tr("calibration.undefined.value")


def percent(value: float) -> str:
    return tr("calibration.undefined.value") if math.isnan(value) else f"{value * 100:.0f}%"


def render_metrics(results: CalibrationResults) -> None:
    summary = results.summary
    cols = st.columns(4)
    cols[0].metric(tr("calibration.metric.conversations"), summary.conversations)
    cols[1].metric(tr("calibration.metric.reviewers"), len(summary.reviewers))
    cols[2].metric(tr("calibration.metric.reviews"), f"{results.reviews} / {summary.total}")
    cols[3].metric(
        tr("calibration.metric.alpha"),
        number(results.overall_alpha),
        help=tr("calibration.metric.alpha_help"),
    )
    if 0 < summary.conversations < SMALL_SAMPLE:
        st.info(tr("calibration.small_sample", n=summary.conversations), icon=":material/info:")


def scale_name(kind: str) -> str:
    return tr(f"calibration.scale.{kind}") if kind in ("pass_fail", "custom") else kind


def _short(value: float) -> str:
    return "—" if math.isnan(value) else number(value)


def criteria_frame(results: CalibrationResults) -> pd.DataFrame:
    """One row per criterion; undefined coefficients are a dash, explained below the table."""
    rows = []
    for c in results.criteria:
        rows.append(
            {
                tr("calibration.col.criterion"): c.name,
                tr("calibration.col.scale"): scale_name(c.scale),
                tr("calibration.col.n_items"): c.n_items,
                tr("calibration.col.n_raters"): c.n_raters,
                tr("calibration.col.percent"): percent(c.percent_agreement),
                tr("calibration.col.kappa"): _short(c.mean_kappa),
                tr("calibration.col.fleiss"): _short(c.fleiss),
                tr("calibration.col.alpha"): _short(c.alpha),
            }
        )
    return pd.DataFrame(rows)


def undefined_notes(results: CalibrationResults) -> list[str]:
    """One line per reason a coefficient is not defined, naming the criteria concerned."""
    by_reason: dict[str, list[str]] = {}
    for c in results.criteria:
        if math.isnan(c.alpha) or math.isnan(c.mean_kappa) or math.isnan(c.fleiss):
            by_reason.setdefault(c.undefined or "value", []).append(c.name)
    return [
        f"— {tr(f'calibration.undefined.{reason}')}: {', '.join(md(n) for n in names)}"
        for reason, names in by_reason.items()
    ]


def table_height(rows: int) -> int:
    """Tall enough to show every row without an inner scrollbar."""
    return 38 + 35 * rows


def pairs_frame(results: CalibrationResults) -> pd.DataFrame:
    rows = []
    for c in results.criteria:
        row = {tr("calibration.col.criterion"): c.name}
        for (a, b), value in c.pair_kappas.items():
            row[f"{a} · {b}"] = _short(value)
        rows.append(row)
    return pd.DataFrame(rows)


def agreement_chart(results: CalibrationResults) -> go.Figure:
    """Mean Cohen's kappa and Krippendorff's alpha per criterion, with the 0.6 line."""
    names = [c.name for c in results.criteria]
    fig = go.Figure()
    series = (
        (tr("calibration.col.kappa"), [c.mean_kappa for c in results.criteria]),
        (tr("calibration.col.alpha"), [c.alpha for c in results.criteria]),
    )
    for i, (label, values) in enumerate(series):
        shown = [None if math.isnan(v) else v for v in values]
        fig.add_bar(
            y=names,
            x=shown,
            name=label,
            orientation="h",
            marker_color=PALETTE[i],
            hovertemplate="%{y}: %{x:.2f}<extra>" + escape(label) + "</extra>",
        )
    fig.add_vline(
        x=SUBSTANTIAL,
        line_dash="dash",
        line_color="#555",
        annotation_text=tr("calibration.chart.substantial"),
        annotation_position="top",
    )
    low = min([v for _, vs in series for v in vs if not math.isnan(v)] + [0.0])
    fig.update_layout(
        title={"text": tr("calibration.chart.agreement"), "font": {"size": 15}},
        barmode="group",
        height=max(340, 34 * len(names) + 140),
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        xaxis={"title": tr("calibration.chart.coefficient"), "range": [min(-0.2, low - 0.1), 1.05]},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.12},
        separators=SEPARATORS.get(current_lang(), ".,"),
    )
    return fig


def severity_chart(results: CalibrationResults) -> go.Figure:
    rows = results.severity
    colours = [PALETTE[1] if s.offset < 0 else PALETTE[2] for s in rows]
    fig = go.Figure(
        go.Bar(
            y=[s.reviewer for s in rows],
            x=[s.offset for s in rows],
            orientation="h",
            marker_color=colours,
            text=[f"{'+' if s.offset >= 0 else ''}{number(s.offset, 1)} (n={s.n})" for s in rows],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.add_vline(x=0, line_color="#555")
    limit = max([abs(s.offset) for s in rows] + [10.0]) * 1.9
    fig.update_layout(
        title={"text": tr("calibration.chart.severity"), "font": {"size": 15}},
        height=max(260, 48 * len(rows) + 120),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        xaxis={"title": tr("calibration.chart.points"), "range": [-limit, limit]},
        separators=SEPARATORS.get(current_lang(), ".,"),
    )
    return fig


def _reading(offset: float) -> str:
    if offset <= -ALIGNED_POINTS:
        return tr("calibration.reading.strict")
    if offset >= ALIGNED_POINTS:
        return tr("calibration.reading.lenient")
    return tr("calibration.reading.aligned")


def severity_frame(results: CalibrationResults) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                tr("calibration.col.reviewer"): s.reviewer,
                tr("calibration.col.offset"): signed(s.offset),
                tr("calibration.col.n"): s.n,
                tr("calibration.col.sd"): number(s.sd, 1),
                tr("calibration.col.reading"): _reading(s.offset),
                tr("calibration.col.worst"): ""
                if s.worst_criterion is None
                else f"{s.worst_criterion} ({signed(s.worst_offset, 0)})",
            }
            for s in results.severity
        ]
    )


def spread_frame(results: CalibrationResults) -> pd.DataFrame:
    rows = []
    for s in results.spreads:
        row = {tr("calibration.col.conversation"): s.external_id}
        for reviewer, score in s.scores.items():
            row[reviewer] = None if score is None else round(score)
        row[tr("calibration.col.spread")] = None if s.spread is None else round(s.spread)
        rows.append(row)
    return pd.DataFrame(rows)


def consensus_frame(results: CalibrationResults) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                tr("calibration.col.reviewer"): c.reviewer,
                tr("calibration.col.n"): c.n,
                tr("calibration.col.exact"): percent(c.exact),
                tr("calibration.col.mean_abs"): number(c.mean_abs_diff, 1),
                tr("calibration.col.offset"): signed(c.offset),
            }
            for c in results.consensus_agreement
        ]
    )


def grade_text(grade: Grade, labels: dict[float, str]) -> str:
    """One reviewer's grade and comment as a safe markdown line."""
    if grade.not_applicable or grade.value is None:
        value = tr("calibration.grade.na")
    else:
        label = labels.get(grade.value, "")
        value = f"{number(grade.value, 0)} {md(label)}".strip()
    comment = (
        md(grade.comment) if grade.comment.strip() else f"_{tr('calibration.grade.no_comment')}_"
    )
    return f"- **{md(grade.reviewer)}**: {value} — {comment}"


def render_tables(results: CalibrationResults) -> None:
    """Agreement table, pairwise kappas, the chart, severity and score spread."""
    st.subheader(tr("calibration.header.results"))
    render_metrics(results)
    frame = criteria_frame(results)
    st.dataframe(frame, hide_index=True, width="stretch", height=table_height(len(frame)))
    for line in undefined_notes(results):
        st.caption(line)
    st.caption(tr("calibration.table.help"))
    with st.expander(tr("calibration.pairs")):
        pairs = pairs_frame(results)
        st.dataframe(pairs, hide_index=True, width="stretch", height=table_height(len(pairs)))
    st.plotly_chart(agreement_chart(results), width="stretch")
    st.caption(tr("calibration.chart.empty_bars"))
    st.subheader(tr("calibration.header.severity"))
    st.caption(tr("calibration.severity.help"))
    if results.severity:
        st.dataframe(severity_frame(results), hide_index=True, width="stretch")
        st.plotly_chart(severity_chart(results), width="stretch")
    st.subheader(tr("calibration.header.spread"))
    spread = spread_frame(results)
    st.dataframe(spread, hide_index=True, width="stretch", height=table_height(len(spread)))
