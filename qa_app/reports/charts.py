"""Charts as PNG images for PDF reports, drawn with matplotlib offline.

Why matplotlib and not the Plotly figures the pages show: Plotly's static export goes
through kaleido, and kaleido 1.x drives a Chrome/Chromium that it expects to find or to
download at run time; nothing may download here, and a browser per export is slow. Measured
once on this project's machine (2 cores, throwaway venv with plotly 7.1.0, kaleido 1.5.2 and
Debian's chromium, 2026-12): ``fig.to_image("png")`` took 2.8-3.7 s per chart, so three
charts alone would overrun the 5 s budget for a ten-page report. matplotlib renders
in-process with its Agg rasteriser, needs no display or browser, and ships DejaVu Sans (the
typeface the PDFs embed), so Cyrillic labels render the same everywhere: about 0.06 s per
chart (``python -m qa_app.reports.bench`` prints the current figure).

Choices that keep the output deterministic and safe:

- ``Figure`` and ``FigureCanvasAgg`` directly, never ``pyplot``: no global figure list, no
  backend switch that could disturb a Streamlit process, nothing to close or leak.
- Settings come from an explicit ``rc_context`` (font, sizes, ``text.parse_math`` off), so a
  user's matplotlibrc changes nothing, and a "$" in a criterion name is not read as maths.
- PNG metadata without the matplotlib version, so the same data gives the same bytes.
- Tick labels follow the report language (decimal comma, real minus sign for Russian) and
  dates are numeric ("02.03" / "03/02"), because month names would depend on the locale.
"""

from __future__ import annotations

import functools
import io
import textwrap
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from typing import ParamSpec

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, PercentFormatter, ScalarFormatter

from qa_app.reports import pdf_canvas

P = ParamSpec("P")
# Chart text is wrapped to (characters per line, lines) and cut after that, so a long
# criterion name or title takes two lines instead of squeezing the plot to nothing.
TITLE_WRAP, AXIS_WRAP, TICK_WRAP, LEGEND_WRAP = (70, 2), (60, 2), (32, 2), (30, 1)
PRIMARY, BAND, TARGET, NEUTRAL = "#2f6fb3", "#c9dbef", "#e07b39", "#7f7f7f"
DPI = 150
SIZE_IN = (7.0, 3.0)
_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": True,
    "text.parse_math": False,
    "text.usetex": False,
}


def _styled(draw: Callable[P, bytes]) -> Callable[P, bytes]:
    """Run a chart builder inside our settings: every artist is created under them. The
    same inputs give the same bytes, so a recent chart is reused (a repeated export of the
    same scorecard draws nothing again; drawing is most of an export's time)."""

    @functools.wraps(draw)
    def styled(*args: P.args, **kwargs: P.kwargs) -> bytes:
        key = _drawn_key(draw.__name__, args, kwargs)
        with _DRAWN_LOCK:
            if key is not None and key in _DRAWN:
                _DRAWN.move_to_end(key)
                return _DRAWN[key]
        with rc_context(_RC), warnings.catch_warnings():
            # An emoji the font lacks is drawn as a box; the warning would only add noise.
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            # Only a label of very wide glyphs gets here; the image is still drawn.
            warnings.filterwarnings("ignore", message="constrained_layout not applied")
            png = draw(*args, **kwargs)
        if key is not None:
            with _DRAWN_LOCK:
                _DRAWN[key] = png
                while len(_DRAWN) > _DRAWN_SIZE:
                    _DRAWN.popitem(last=False)
        return png

    return styled


_DRAWN: OrderedDict[tuple, bytes] = OrderedDict()
_DRAWN_LOCK = threading.Lock()  # the app exports from several sessions' threads
_DRAWN_SIZE = 32
_PLAIN = (str, int, float, bool, date, type(None))


def _drawn_key(name: str, args: tuple, kwargs: dict) -> tuple | None:
    """A hashable copy of a chart's inputs, or None when one is not plain data (an array
    or a frame is drawn every time rather than risk a key that misses a difference)."""

    def plain(value: object) -> object:
        if isinstance(value, _PLAIN):
            return (type(value).__name__, value)
        if isinstance(value, list | tuple):
            return tuple(plain(v) for v in value)
        raise TypeError

    try:
        return (name, plain(args), tuple((k, plain(v)) for k, v in sorted(kwargs.items())))
    except TypeError:
        return None


@_styled
def trend_chart(
    periods: Sequence[date | str],
    values: Sequence[float | None],
    lower: Sequence[float | None] | None = None,
    upper: Sequence[float | None] | None = None,
    *,
    title: str = "",
    y_label: str = "",
    band_label: str = "",
    target: float | None = None,
    target_label: str = "",
    lang: str = "en",
    percent: bool = False,
) -> bytes:
    """A line over periods (weeks) with its interval as a shaded band, and an optional
    target line. ``None`` values leave a gap instead of inventing a point."""
    _same_length(periods=periods, values=values, lower=lower, upper=upper)
    fig, ax = _figure()
    x = list(periods)
    if lower is not None and upper is not None and x:
        ax.fill_between(
            x,
            _nan(lower),
            _nan(upper),
            color=BAND,
            linewidth=0,
            label=plain_text(band_label, LEGEND_WRAP) or None,
        )
    ax.plot(x, _nan(values), color=PRIMARY, marker="o", markersize=3.5, linewidth=1.6)
    if target is not None:
        ax.axhline(
            target,
            color=TARGET,
            linestyle="--",
            linewidth=1,
            label=plain_text(target_label, LEGEND_WRAP) or None,
        )
    if x and isinstance(x[0], date):
        ax.xaxis.set_major_formatter(DateFormatter("%d.%m" if lang == "ru" else "%m/%d"))
    ax.yaxis.set_major_formatter(_number_formatter(lang, percent))
    return _finish(fig, ax, title=title, y_label=y_label)


@_styled
def histogram_chart(
    values: Sequence[float],
    *,
    bins: int | Sequence[float] = 10,
    value_range: tuple[float, float] | None = None,
    title: str = "",
    x_label: str = "",
    y_label: str = "",
    lang: str = "en",
    percent: bool = False,
) -> bytes:
    """How scores are distributed: counts per bin (a distribution, not only an average)."""
    fig, ax = _figure()
    ax.hist(
        [v for v in values if v is not None],
        bins=bins,
        range=value_range,
        color=PRIMARY,
        edgecolor="white",
        linewidth=0.6,
    )
    ax.xaxis.set_major_formatter(_number_formatter(lang, percent))
    ax.yaxis.set_major_formatter(_number_formatter(lang, False))
    return _finish(fig, ax, title=title, x_label=x_label, y_label=y_label)


@_styled
def criteria_chart(
    labels: Sequence[str],
    values: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    *,
    targets: float | Sequence[float | None] | None = None,
    target_label: str = "",
    title: str = "",
    x_label: str = "",
    lang: str = "en",
    percent: bool = False,
) -> bytes:
    """Horizontal bars per criterion with their interval as error bars, and the target as
    a tick per bar (or one line when a single target applies to all)."""
    _same_length(labels=labels, values=values, lower=lower, upper=upper)
    rows = len(labels)
    fig, ax = _figure(height=max(SIZE_IN[1], 0.9 + 0.32 * rows))
    positions = list(range(rows))[::-1]  # first criterion on top, as in the table
    errors = [
        [v - lo for v, lo in zip(values, lower, strict=True)],
        [hi - v for v, hi in zip(values, upper, strict=True)],
    ]
    ax.barh(
        positions,
        values,
        xerr=errors if rows else None,
        color=PRIMARY,
        height=0.6,
        error_kw={"ecolor": NEUTRAL, "capsize": 3, "linewidth": 1},
    )
    ax.set_yticks(positions, [plain_text(label, TICK_WRAP) for label in labels])
    _draw_targets(ax, positions, targets, plain_text(target_label, LEGEND_WRAP) or None)
    ax.xaxis.set_major_formatter(_number_formatter(lang, percent))
    return _finish(fig, ax, title=title, x_label=x_label)


def _draw_targets(ax: Axes, positions: list[int], targets, label: str | None) -> None:
    if targets is None:
        return
    if isinstance(targets, int | float):
        ax.axvline(targets, color=TARGET, linestyle="--", linewidth=1, label=label)
        return
    _same_length(positions=positions, targets=targets)
    marked = [(p, t) for p, t in zip(positions, targets, strict=True) if t is not None]
    if marked:
        ys, xs = zip(*marked, strict=True)
        ax.scatter(xs, ys, marker="|", s=260, color=TARGET, linewidths=2, zorder=3, label=label)


def _figure(height: float = SIZE_IN[1]) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(SIZE_IN[0], height), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    ax.grid(axis="both", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _finish(
    fig: Figure, ax: Axes, *, title: str = "", x_label: str = "", y_label: str = ""
) -> bytes:
    ax.set_title(plain_text(title, TITLE_WRAP), loc="left")
    ax.set_xlabel(plain_text(x_label, AXIS_WRAP))
    ax.set_ylabel(plain_text(y_label, AXIS_WRAP))
    if ax.get_legend_handles_labels()[1]:
        ax.legend(loc="best", frameon=False)
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer, metadata={"Software": None})
    return buffer.getvalue()


def _number_formatter(lang: str, percent: bool) -> Formatter:
    """Ticks with as many decimals as the step needs (72.5%, not 73%), in ``lang``'s style."""
    return _LocalPercent(xmax=1.0, lang=lang) if percent else _LocalScalar(lang=lang)


def _localise(text: str, lang: str) -> str:
    text = text.replace("\u2212", "-")
    if lang == "ru":
        text = text.replace(".", ",")
    return text.replace("-", "\u2212")


class _LocalPercent(PercentFormatter):
    def __init__(self, xmax: float, lang: str) -> None:
        super().__init__(xmax=xmax)
        self.lang = lang

    def __call__(self, x: float, pos: int | None = None) -> str:
        return _localise(super().__call__(x, pos), self.lang)


class _LocalScalar(ScalarFormatter):
    def __init__(self, lang: str) -> None:
        super().__init__(useOffset=False)
        self.lang = lang

    def __call__(self, x: float, pos: int | None = None) -> str:
        return _localise(super().__call__(x, pos), self.lang)


def _nan(values: Sequence[float | None]) -> list[float]:
    return [float("nan") if v is None else float(v) for v in values]


def _same_length(**named: Sequence | None) -> None:
    lengths = {name: len(seq) for name, seq in named.items() if seq is not None}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name}={n}" for name, n in lengths.items())
        raise ValueError(f"chart series must have the same length; got {listed}")


def plain_text(text: str, wrap: tuple[int, int]) -> str:
    """Chart text is PDF text (see :func:`qa_app.reports.pdf_canvas.plain_text`), wrapped
    to ``wrap`` = (characters per line, lines) and ending in "…" when cut."""
    width, max_lines = wrap
    lines = textwrap.wrap(" ".join(pdf_canvas.plain_text(text).split()), width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1] + "…"
    return "\n".join(lines)
