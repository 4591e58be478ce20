"""Battery history chart: SoC and power per battery over the Tempo colours of each day."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from matplotlib.artist import Artist
from matplotlib.axes import Axes

from bot.charts.drawing import (
    battery_color,
    close_time_panels,
    draw_no_data,
    line_handle,
    open_time_panels,
    segments_xy,
    x_of,
)
from bot.charts.model import BatteryHistory, HistorySeries, Lang
from bot.charts.prepare import power_step_segments, soc_range_segments, soc_segments
from bot.charts.texts import short_date, text
from bot.tempo.calendar import PARIS, local_date


def render_battery_history(
    series: HistorySeries, lang: Lang = "fr", *, tz: ZoneInfo = PARIS
) -> bytes:
    """Render SoC (%) and power (W) per battery over Tempo day bands and HC shading, as PNG.

    Each SoC line is wrapped in a light band from the bucket's minimum to its maximum.
    """
    panels = open_time_panels(series.start_utc, series.end_utc, series.tempo_colors, lang, tz)
    handles: list[Artist] = []
    for index, battery in enumerate(series.batteries):
        color = battery_color(index)
        _draw_battery(panels.soc_ax, panels.power_ax, battery, series.bucket, color)
        handles.append(line_handle(battery.name, color))
    if not any(battery.points for battery in series.batteries):
        draw_no_data(panels.soc_ax, lang)
    title = text("history_title", lang, span=span_label(series.start_utc, series.end_utc, lang, tz))
    return close_time_panels(panels, title, handles)


def _draw_battery(
    soc_ax: Axes, power_ax: Axes, battery: BatteryHistory, bucket: timedelta, color: str
) -> None:
    for segment in soc_range_segments(battery, bucket):
        soc_ax.fill_between(
            [x_of(instant) for instant, _, _ in segment],
            [low for _, low, _ in segment],
            [high for _, _, high in segment],
            color=color,
            alpha=0.18,
            linewidth=0,
            zorder=1.8,
        )
    soc_ax.plot(*segments_xy(soc_segments(battery, bucket)), color=color, linewidth=2.5, zorder=3)
    power_ax.plot(
        *segments_xy(power_step_segments(battery, bucket)),
        color=color,
        linewidth=1.8,
        drawstyle="steps-post",
        zorder=3,
    )


def span_label(start: datetime, end: datetime, lang: Lang, tz: ZoneInfo = PARIS) -> str:
    """Return "24 heures (12/03)" or "7 jours (12/03 → 19/03)": the span and its local dates."""
    span = end - start
    first, last = local_date(start, tz), local_date(end - timedelta(microseconds=1), tz)
    dates = short_date(first, lang)
    if last != first:
        dates = f"{dates} → {short_date(last, lang)}"
    if span <= timedelta(hours=48):
        amount = text("span_hours", lang, n=round(span / timedelta(hours=1)))
    else:
        amount = text("span_days", lang, n=round(span / timedelta(days=1)))
    return f"{amount} ({dates})"
