"""Plotly figures shared by pages: translated titles and axes, counts in the hover.

Builders take plain DataFrames and already-translated labels, so any page can reuse them.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

PALETTE = ("#2f6fb3", "#e07b39", "#3a9d5d", "#b04a8f", "#7f7f7f", "#c9a227")
#: One colour per channel everywhere, whatever order the data comes in.
CHANNEL_COLOURS = {
    "chat": "#2f6fb3",
    "email": "#e07b39",
    "messenger": "#3a9d5d",
    "social": "#b04a8f",
    "phone": "#7f7f7f",
}
#: Weeks a retention purge deleted, drawn beside the channels as the counts it kept.
PURGED_COLOUR = "#c8c8c8"
NPS_COLOURS = {"detractor": "#c0392b", "passive": "#c9a227", "promoter": "#3a9d5d"}
HEIGHT = 340


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 15}},
        xaxis_title=x_title,
        yaxis_title=y_title,
        height=HEIGHT,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend_title_text="",
        bargap=0.15,
    )
    return fig


def bar(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    x_title: str,
    y_title: str,
    color: str | None = None,
    colour_map: dict[str, str] | None = None,
    text: str | None = None,
    category_order: Sequence[str] | None = None,
    horizontal: bool = False,
) -> go.Figure:
    """A bar chart; ``x`` holds categories (or values when ``horizontal``)."""
    orders = {x if not horizontal else y: list(category_order)} if category_order else None
    fig = px.bar(
        frame,
        x=x if not horizontal else y,
        y=y if not horizontal else x,
        color=color,
        color_discrete_map=colour_map,
        color_discrete_sequence=PALETTE,
        text=text,
        category_orders=orders,
        orientation="h" if horizontal else "v",
    )
    if text:
        fig.update_traces(textposition="outside", cliponaxis=False)
    return _layout(
        fig, title, x_title if not horizontal else y_title, y_title if not horizontal else x_title
    )


def stacked_over_time(
    frame: pd.DataFrame,
    x: str,
    y: str,
    color: str,
    *,
    title: str,
    x_title: str,
    y_title: str,
    colour_map: dict[str, str] | None = None,
) -> go.Figure:
    fig = px.bar(
        frame, x=x, y=y, color=color, color_discrete_map=colour_map,
        color_discrete_sequence=PALETTE,
    )  # fmt: skip
    fig.update_layout(barmode="stack")
    return _layout(fig, title, x_title, y_title)


def heatmap(
    values: pd.DataFrame,
    counts: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    value_label: str,
    n_label: str,
) -> go.Figure:
    """A heatmap of ``values`` (rows × columns) with the matching ``counts`` in the hover."""
    fig = go.Figure(
        go.Heatmap(
            z=values.to_numpy(),
            x=[str(c) for c in values.columns],
            y=[str(i) for i in values.index],
            customdata=counts.to_numpy(),
            colorscale="YlOrRd",
            colorbar={"title": {"text": value_label}},
            hovertemplate=f"%{{y}} %{{x}}:00<br>{value_label}: %{{z:.1f}}<br>{n_label}: %{{customdata}}<extra></extra>",
            hoverongaps=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, x_title, y_title)


def weekly_score(
    trend: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    n_label: str,
) -> go.Figure:
    """Weekly mean scores with their intervals as error bars and the n behind each point
    written on it (weeks without reviews stay empty); ``trend`` has ``weekly_trend``'s
    columns."""
    shown = trend[trend["n"] > 0]
    weeks = shown["week"].astype(str).tolist()
    counts = shown["n"].astype(int).tolist()
    mean = shown["mean"].astype(float)
    fig = go.Figure(
        go.Scatter(
            x=weeks,
            y=mean,
            mode="lines+markers+text",
            text=[f"n={n}" for n in counts],
            textposition="top center",
            customdata=counts,
            line={"color": PALETTE[0]},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": (shown["high"].astype(float) - mean).tolist(),
                "arrayminus": (mean - shown["low"].astype(float)).tolist(),
                "color": "rgba(47,111,179,.35)",
            },
            hovertemplate=f"%{{x}}<br>{y_title}: %{{y:.0f}}<br>{n_label}: %{{customdata}}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=trend["week"].tolist())
    fig.update_yaxes(range=[0, 105])
    fig.update_layout(showlegend=False)
    return _layout(fig, title, x_title, y_title)
