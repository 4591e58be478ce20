"""Drawing helpers shared by the charts: figure, palette, Tempo background, time axis, PNG.

Only matplotlib's object API is used (``Figure`` + Agg canvas), never ``pyplot``: no global
state, so charts can render in worker threads. Font sizes are passed explicitly rather than
through ``rcParams`` (which are process-wide).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from bot.charts.model import Lang, TempoColors
from bot.charts.prepare import (
    Segment,
    TempoBand,
    TimeTick,
    TimeWindow,
    hc_windows,
    tempo_bands,
    time_ticks,
)
from bot.charts.texts import color_name, format_number, text
from bot.tempo.model import TempoColor

DPI = 100
WIDTH_PX = 1200
HEIGHT_PX = 800

TITLE_PT = 20
LABEL_PT = 15
TICK_PT = 13
LEGEND_PT = 13
NOTE_PT = 11

# Strong colours (bars, calendar cells) and their light versions (chart backgrounds).
SOLID: dict[TempoColor, str] = {
    TempoColor.BLUE: "#3b82f6",
    TempoColor.WHITE: "#f3f4f6",
    TempoColor.RED: "#ef4444",
}
LIGHT: dict[TempoColor, str] = {
    TempoColor.BLUE: "#bfdbfe",
    TempoColor.WHITE: "#eceef1",
    TempoColor.RED: "#fecaca",
}
UNKNOWN_FACE = "#ffffff"
UNKNOWN_HATCH = "#9ca3af"
EDGE = "#6b7280"
HC_OVERLAY = "#1f2937"
HC_ALPHA = 0.14
# Dark, saturated line colours that stay readable over blue, grey and red backgrounds.
BATTERY_COLORS = ("#111827", "#d97706", "#059669", "#7c3aed", "#db2777", "#0e7490")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def new_figure(width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX) -> Figure:
    """Return an empty figure with its own Agg canvas and constrained layout."""
    figure = Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def to_png(figure: Figure) -> bytes:
    """Render ``figure`` to PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def x_of(instant: datetime) -> float:
    """Return the x coordinate of an instant (days since the Unix epoch, UTC)."""
    return (instant - _EPOCH).total_seconds() / 86400.0


def battery_color(index: int) -> str:
    """Return the line colour of the ``index``-th battery."""
    return BATTERY_COLORS[index % len(BATTERY_COLORS)]


def segments_xy(segments: Sequence[Segment]) -> tuple[np.ndarray, np.ndarray]:
    """Join segments into one x/y pair separated by NaN, so matplotlib breaks the line there."""
    xs: list[float] = []
    ys: list[float] = []
    for segment in segments:
        if xs:
            xs.append(np.nan)
            ys.append(np.nan)
        xs.extend(x_of(instant) for instant, _ in segment)
        ys.extend(value for _, value in segment)
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


class FillStyle(NamedTuple):
    """How a coloured area is filled: face, edge (also the hatch colour) and hatch pattern."""

    face: str
    edge: str
    hatch: str | None


def band_style(color: TempoColor | None) -> FillStyle:
    """Return the fill of a Tempo day's background band (unknown days are hatched)."""
    if color is None:
        return FillStyle(UNKNOWN_FACE, UNKNOWN_HATCH, "//")
    return FillStyle(LIGHT[color], LIGHT[color], None)


def solid_style(color: TempoColor | None) -> FillStyle:
    """Return the fill of a day-sized mark (bar, calendar cell): strong colour, hatched unknown."""
    if color is None:
        return FillStyle("#e5e7eb", UNKNOWN_HATCH, "//")
    edge = EDGE if color is TempoColor.WHITE else SOLID[color]
    return FillStyle(SOLID[color], edge, None)


def draw_tempo_background(
    axes: Iterable[Axes], bands: Sequence[TempoBand], hc: Sequence[TimeWindow]
) -> None:
    """Paint each Tempo day's colour behind the data, darken HC, and mark each 06:00 boundary."""
    # A few collections rather than one patch per day: 30 days would otherwise mean ~200
    # artists, and the layout engine measures every one of them.
    known = [band for band in bands if band.color is not None]
    unknown = [band for band in bands if band.color is None]
    hatch = band_style(None)
    for ax in axes:
        _add_spans(
            ax,
            [(band.start_utc, band.end_utc) for band in known],
            facecolors=[band_style(band.color).face for band in known],
            zorder=0,
        )
        _add_spans(
            ax,
            [(band.start_utc, band.end_utc) for band in unknown],
            facecolors=hatch.face,
            edgecolors=hatch.edge,
            hatch=hatch.hatch,
            zorder=0,
        )
        _add_spans(
            ax,
            [(window.start_utc, window.end_utc) for window in hc],
            facecolors=HC_OVERLAY,
            alpha=HC_ALPHA,
            zorder=0.5,
        )
        ax.vlines(
            [x_of(band.start_utc) for band in bands[1:]],
            0,
            1,
            transform=ax.get_xaxis_transform(),
            colors="#ffffff",
            linewidth=1.5,
            zorder=0.6,
        )


def _add_spans(ax: Axes, spans: Sequence[tuple[datetime, datetime]], **properties: Any) -> None:
    if not spans:
        return
    vertices = [
        [(x_of(start), 0.0), (x_of(start), 1.0), (x_of(end), 1.0), (x_of(end), 0.0)]
        for start, end in spans
    ]
    collection = PolyCollection(
        vertices, transform=ax.get_xaxis_transform(), linewidths=0, **properties
    )
    ax.add_collection(collection, autolim=False)


def tempo_legend_handles(bands: Sequence[TempoBand], lang: Lang) -> list[Artist]:
    """Return legend entries for the colours shown in ``bands`` (in a fixed order) and HC."""
    shown = {band.color for band in bands}
    handles: list[Artist] = [
        fill_patch(color_name(color, lang), band_style(color))
        for color in (TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED, None)
        if color in shown
    ]
    handles.append(Patch(facecolor=HC_OVERLAY, alpha=HC_ALPHA + 0.1, label=text("hc", lang)))
    return handles


def fill_patch(label: str, style: FillStyle) -> Patch:
    """Return a legend entry for a filled area."""
    return Patch(
        label=label, facecolor=style.face, edgecolor=style.edge, hatch=style.hatch, linewidth=0.8
    )


def line_handle(label: str, color: str, *, linewidth: float = 2.5) -> Line2D:
    """Return a legend entry for a line."""
    return Line2D([], [], color=color, linewidth=linewidth, label=label)


def apply_time_axis(ax: Axes, ticks: Sequence[TimeTick], start: datetime, end: datetime) -> None:
    """Limit ``ax`` to ``[start, end]`` and label it with ``ticks``."""
    ax.set_xlim(x_of(start), x_of(end))
    ax.set_xticks([x_of(tick.at_utc) for tick in ticks], labels=[tick.label for tick in ticks])
    ax.tick_params(axis="x", labelsize=TICK_PT)


def number_formatter(lang: Lang, *, decimals: int = 0, suffix: str = "") -> FuncFormatter:
    """Return a tick formatter printing numbers the ``lang`` way."""

    def format_value(value: float, _position: object) -> str:
        return format_number(value, lang, decimals=decimals) + suffix

    return FuncFormatter(format_value)


def style_value_axis(ax: Axes, label: str, lang: Lang) -> None:
    """Give a value axis its label, readable ticks, a light grid and local number format."""
    ax.set_ylabel(label, fontsize=LABEL_PT)
    ax.tick_params(axis="y", labelsize=TICK_PT)
    ax.yaxis.set_major_formatter(number_formatter(lang))
    ax.grid(axis="y", color="#9ca3af", linewidth=0.6, alpha=0.6)
    ax.set_axisbelow("line")  # grid above the Tempo bands, below the data


def add_legend(figure: Figure, handles: Sequence[Artist], *, columns: int = 5) -> None:
    """Put one legend for the whole figure under the plots."""
    figure.legend(
        handles=list(handles),
        loc="outside lower center",
        ncols=min(columns, max(1, len(handles))),
        fontsize=LEGEND_PT,
        frameon=False,
    )


def draw_no_data(ax: Axes, lang: Lang) -> None:
    """Write "no data" in the middle of an axes."""
    ax.text(
        0.5,
        0.5,
        text("no_data", lang),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=LABEL_PT,
        color=EDGE,
    )


class TimePanels(NamedTuple):
    """A SoC panel above a power panel sharing a local-time axis, over Tempo bands and HC."""

    figure: Figure
    soc_ax: Axes
    power_ax: Axes
    background_handles: list[Artist]


def open_time_panels(
    start: datetime, end: datetime, colors: TempoColors, lang: Lang, tz: ZoneInfo
) -> TimePanels:
    """Return the two panels, already painted with the Tempo background and labelled."""
    figure = new_figure()
    soc_ax, power_ax = figure.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    bands = tempo_bands(start, end, colors, tz)
    draw_tempo_background((soc_ax, power_ax), bands, hc_windows(start, end, tz))
    soc_ax.set_ylim(-2, 102)
    style_value_axis(soc_ax, text("soc_axis", lang), lang)
    power_ax.axhline(0.0, color=EDGE, linewidth=1.0, zorder=1.6)
    style_value_axis(power_ax, text("power_axis", lang), lang)
    apply_time_axis(power_ax, time_ticks(start, end, lang, tz), start, end)
    return TimePanels(figure, soc_ax, power_ax, tempo_legend_handles(bands, lang))


def close_time_panels(panels: TimePanels, title: str, handles: Sequence[Artist]) -> bytes:
    """Add the title and the legend (``handles`` first, then the background), render to PNG."""
    panels.figure.suptitle(title, fontsize=TITLE_PT, fontweight="bold")
    add_legend(panels.figure, [*handles, *panels.background_handles])
    return to_png(panels.figure)
