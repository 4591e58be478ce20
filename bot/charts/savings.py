"""Savings chart: one bar per day in the day's Tempo colour, and the running total."""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.artist import Artist
from matplotlib.axes import Axes

from bot.charts.drawing import (
    EDGE,
    LABEL_PT,
    TICK_PT,
    TITLE_PT,
    add_legend,
    draw_no_data,
    fill_patch,
    line_handle,
    new_figure,
    number_formatter,
    solid_style,
    style_value_axis,
    to_png,
)
from bot.charts.model import Lang, SavingsDay
from bot.charts.prepare import cumulative_savings, zero_aligned_limits
from bot.charts.texts import color_name, format_eur, short_date, text
from bot.tempo.model import TempoColor

CUMULATIVE_COLOR = "#111827"
_MAX_DATE_LABELS = 12


def render_savings(days: Sequence[SavingsDay], lang: Lang = "fr") -> bytes:
    """Render daily savings as Tempo-coloured bars with the cumulative total, as PNG."""
    figure = new_figure()
    ax = figure.subplots()
    rows = cumulative_savings(days)
    style_value_axis(ax, text("savings_axis", lang), lang)
    ax.yaxis.set_major_formatter(number_formatter(lang, decimals=2))
    ax.axhline(0.0, color=EDGE, linewidth=1.0, zorder=1.6)
    if not rows:
        draw_no_data(ax, lang)
        ax.set_xticks([])
    else:
        _draw_rows(ax, rows, lang)
    total = rows[-1][1] if rows else 0.0
    figure.suptitle(
        text("savings_title", lang, total=format_eur(total, lang), days=len(rows)),
        fontsize=TITLE_PT,
        fontweight="bold",
    )
    shown = {day.color for day, _ in rows}
    handles: list[Artist] = [
        fill_patch(color_name(color, lang), solid_style(color))
        for color in (TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED, None)
        if color in shown
    ]
    if rows:
        handles.append(line_handle(text("cumulative", lang), CUMULATIVE_COLOR))
    add_legend(figure, handles)
    return to_png(figure)


def _draw_rows(ax: Axes, rows: Sequence[tuple[SavingsDay, float]], lang: Lang) -> None:
    positions = range(len(rows))
    styles = [solid_style(day.color) for day, _ in rows]
    ax.bar(
        positions,
        [day.savings_eur for day, _ in rows],
        width=0.8,
        zorder=2,
        color=[style.face for style in styles],
        edgecolor=[style.edge for style in styles],
        hatch=[style.hatch for style in styles],
        linewidth=0.8,
    )
    step = max(1, math.ceil(len(rows) / _MAX_DATE_LABELS))
    ax.set_xticks(
        list(positions)[::step], labels=[short_date(day.day, lang) for day, _ in rows][::step]
    )
    ax.tick_params(axis="x", labelsize=TICK_PT)
    ax.set_xlim(-0.6, len(rows) - 0.4)
    total_ax = ax.twinx()
    total_ax.plot(
        positions,
        [total for _, total in rows],
        color=CUMULATIVE_COLOR,
        linewidth=2.5,
        marker="o" if len(rows) <= 31 else None,
        markersize=4,
        zorder=3,
    )
    total_ax.set_ylabel(text("cumulative_axis", lang), fontsize=LABEL_PT)
    total_ax.tick_params(axis="y", labelsize=TICK_PT)
    total_ax.yaxis.set_major_formatter(number_formatter(lang, decimals=2))
    bars_limits, total_limits = zero_aligned_limits(ax.get_ylim(), total_ax.get_ylim())
    ax.set_ylim(bars_limits)
    total_ax.set_ylim(total_limits)
