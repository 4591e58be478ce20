"""Plan chart: planned SoC and power per battery over the next hours, over the Tempo colours."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from matplotlib.artist import Artist
from matplotlib.axes import Axes

from bot.charts.drawing import (
    EDGE,
    NOTE_PT,
    battery_color,
    close_time_panels,
    draw_no_data,
    line_handle,
    open_time_panels,
    segments_xy,
    x_of,
)
from bot.charts.model import Lang, PlanSeries
from bot.charts.prepare import plan_power_segments, plan_soc_segments, reason_marks
from bot.charts.texts import text
from bot.tempo.calendar import PARIS

# Reasons are written on a few staggered rows so that close changes do not overlap.
_REASON_ROWS = 3


def render_plan(plan: PlanSeries, lang: Lang = "fr", *, tz: ZoneInfo = PARIS) -> bytes:
    """Render planned SoC (%) and power (W) per battery over Tempo bands and HC, as PNG."""
    panels = open_time_panels(plan.start_utc, plan.end_utc, plan.tempo_colors, lang, tz)
    handles: list[Artist] = []
    for index, battery in enumerate(plan.batteries):
        color = battery_color(index)
        panels.soc_ax.plot(
            *segments_xy(plan_soc_segments(battery)), color=color, linewidth=2.5, zorder=3
        )
        panels.power_ax.plot(
            *segments_xy(plan_power_segments(battery)),
            color=color,
            linewidth=2.2,
            drawstyle="steps-post",
            zorder=3,
        )
        handles.append(line_handle(battery.name, color))
    if any(battery.steps for battery in plan.batteries):
        _write_reasons(panels.soc_ax, plan)
    else:
        draw_no_data(panels.soc_ax, lang)
    hours = round((plan.end_utc - plan.start_utc) / timedelta(hours=1))
    return close_time_panels(panels, text("plan_title", lang, hours=hours), handles)


def _write_reasons(ax: Axes, plan: PlanSeries) -> None:
    transform = ax.get_xaxis_transform()  # x in data, y in axes fraction
    for row, (at, label) in enumerate(reason_marks(plan)):
        ax.axvline(x_of(at), color=EDGE, linewidth=1.0, linestyle=":", zorder=2.5)
        ax.text(
            x_of(at),
            0.04 + 0.1 * (row % _REASON_ROWS),
            f" {label}",
            transform=transform,
            ha="left",
            va="bottom",
            fontsize=NOTE_PT,
            zorder=4,
            clip_on=True,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 2},
        )
