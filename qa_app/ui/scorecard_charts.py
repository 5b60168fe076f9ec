"""Plotly figures of the scorecard and team pages: every mean with its 95% interval.

Builders take plain frames and translated labels (like ``charts.py``); intervals are
drawn as error bars or a shaded band, partial weeks hollow and labelled.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from qa_app.ui.charts import HEIGHT, PALETTE, _layout

TARGET_COLOUR = "#c0392b"


def interval_bars(
    labels: list[str],
    frame: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    target: float | None = None,
    target_label: str = "",
    reference: list[float] | None = None,
    reference_label: str = "",
    bar_label: str = "",
) -> go.Figure:
    """Horizontal bars (``mean``) with interval whiskers (``low``/``high``) and n in hover."""
    fig = go.Figure(
        go.Bar(
            x=frame["mean"], y=labels, orientation="h", marker_color=PALETTE[0],
            error_x={"type": "data", "symmetric": False,
                     "array": (frame["high"] - frame["mean"]).tolist(),
                     "arrayminus": (frame["mean"] - frame["low"]).tolist()},
            customdata=frame[["n", "low", "high"]].to_numpy(),
            hovertemplate="%{y}: %{x:.1f} (%{customdata[1]:.1f}–%{customdata[2]:.1f}),"
                          " n = %{customdata[0]}<extra></extra>",
            name=bar_label,
        )
    )  # fmt: skip
    if reference is not None:
        fig.add_trace(go.Scatter(
            x=reference, y=labels, mode="markers", name=reference_label,
            marker={"symbol": "diamond", "size": 9, "color": PALETTE[1]},
        ))  # fmt: skip
    if target is not None:
        fig.add_vline(x=target, line_dash="dash", line_color=TARGET_COLOUR,
                      annotation_text=target_label, annotation_position="top")  # fmt: skip
    fig.update_xaxes(range=[0, 105])
    fig.update_yaxes(autorange="reversed")
    _layout(fig, title, x_title, "")
    fig.update_layout(height=max(HEIGHT, 34 * len(labels) + 90), showlegend=reference is not None)
    return fig


def trend_band(
    weeks: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    band_label: str,
    partial_label: str,
    target: float | None = None,
    target_label: str = "",
    lang: str = "en",
) -> go.Figure:
    """Weekly mean with its interval as a band; partial weeks as hollow, labelled points."""
    x = pd.to_datetime(weeks["week_start"])
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=weeks["high"], mode="lines", line={"width": 0},
                             showlegend=False, hoverinfo="skip"))  # fmt: skip
    fig.add_trace(go.Scatter(
        x=x, y=weeks["low"], mode="lines", line={"width": 0}, fill="tonexty",
        fillcolor="rgba(47,111,179,0.18)", name=band_label, hoverinfo="skip",
    ))  # fmt: skip
    full = weeks["partial"].to_numpy() == False  # noqa: E712 (numpy mask)
    fig.add_trace(go.Scatter(
        x=x, y=weeks["mean"].where(full), mode="lines+markers", name=y_title,
        line={"color": PALETTE[0]}, customdata=weeks[["n"]].to_numpy(),
        hovertemplate="%{x|%Y-%m-%d}: %{y:.1f}, n = %{customdata[0]}<extra></extra>",
    ))  # fmt: skip
    if (~full).any():
        fig.add_trace(go.Scatter(
            x=x[~full], y=weeks["mean"][~full], mode="markers+text", name=partial_label,
            marker={"symbol": "circle-open", "size": 11, "color": PALETTE[1]},
            text=[partial_label] * int((~full).sum()), textposition="top center",
            customdata=weeks.loc[~full, ["n"]].to_numpy(),
            hovertemplate="%{x|%Y-%m-%d}: %{y:.1f}, n = %{customdata[0]}<extra></extra>",
        ))  # fmt: skip
    if target is not None:
        fig.add_hline(y=target, line_dash="dash", line_color=TARGET_COLOUR,
                      annotation_text=target_label)  # fmt: skip
    fig.update_yaxes(range=[0, 105])
    # numeric dates: month names would follow the browser's locale, not the user's language
    fig.update_xaxes(tickformat="%d.%m.%Y" if lang == "ru" else "%b %d, %Y")
    return _layout(fig, title, "", y_title)


def heat(values: pd.DataFrame, counts: pd.DataFrame, *, title: str, n_label: str) -> go.Figure:
    """Agents (rows) × criteria (columns), mean 0-100, n in hover; red low, green high."""
    fig = go.Figure(go.Heatmap(
        z=values.to_numpy(), x=list(values.columns), y=list(values.index),
        customdata=counts.to_numpy(), colorscale="RdYlGn", zmin=0, zmax=100,
        hovertemplate=f"%{{y}} · %{{x}}: %{{z:.0f}}<br>{n_label} = %{{customdata}}<extra></extra>",
        hoverongaps=False, texttemplate="%{z:.0f}",
    ))  # fmt: skip
    fig.update_yaxes(autorange="reversed")
    _layout(fig, title, "", "")
    fig.update_layout(height=max(HEIGHT, 28 * len(values.index) + 160))
    fig.update_xaxes(tickangle=-35)
    return fig
