"""Season calendar: the twelve months of a Tempo season (September → August), day by day."""

from __future__ import annotations

from datetime import date

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patches import Patch, Rectangle

from bot.charts.drawing import (
    EDGE,
    LABEL_PT,
    NOTE_PT,
    TITLE_PT,
    FillStyle,
    add_legend,
    fill_patch,
    new_figure,
    solid_style,
    to_png,
)
from bot.charts.model import Lang, TempoColors
from bot.charts.prepare import CalendarCell, month_cells, season_months
from bot.charts.texts import color_name, month_name, text, weekday_initial
from bot.tempo.model import TempoColor
from bot.tempo.seasons import Season, SeasonCounters, season_counters

WIDTH_PX = 1200
HEIGHT_PX = 1450
GRID_COLUMNS = 3
_CELL_MARGIN = 0.06
# Days still ahead are left blank (number only) so they never look like a white day.
_UNKNOWN_AHEAD = FillStyle("#ffffff", "#ffffff", None)
_AHEAD_TEXT = "#6b7280"


def cell_style(cell: CalendarCell, today: date) -> FillStyle:
    """Return a day cell's fill: its colour; hatched if unknown in the past, blank if ahead."""
    if cell.color is None and cell.day >= today:
        return _UNKNOWN_AHEAD
    return solid_style(cell.color)


def render_season_calendar(
    season_start_year: int,
    colors: TempoColors,
    today: date,
    lang: Lang = "fr",
    *,
    counters: SeasonCounters | None = None,
) -> bytes:
    """Render the Tempo season as twelve month grids coloured by day, with quotas, as PNG.

    ``counters`` (used / remaining per colour) default to the known days of ``colors``.
    """
    season = Season(start_year=season_start_year)
    if counters is None:
        known = {day: color for day, color in colors.items() if color is not None}
        counters = season_counters(season, known, through=today)
    figure = new_figure(WIDTH_PX, HEIGHT_PX)
    months = [
        (f"{month_name(month, lang)} {year}", month_cells(year, month, colors, today))
        for year, month in season_months(season_start_year)
    ]
    grid = figure.subplots(len(months) // GRID_COLUMNS, GRID_COLUMNS)
    for ax, (title, cells) in zip(grid.flat, months, strict=True):
        _draw_month(ax, title, cells, today, lang)
    figure.suptitle(
        text("season_title", lang, label=season.label),
        fontsize=TITLE_PT,
        fontweight="bold",
    )
    unknown_past = any(
        cell.color is None and cell.day < today for _, cells in months for cell in cells
    )
    handles = _legend_handles(counters, lang, unknown=unknown_past, today=season.contains(today))
    add_legend(figure, handles, columns=3)
    return to_png(figure)


def _draw_month(ax: Axes, title: str, cells: list[CalendarCell], today: date, lang: Lang) -> None:
    ax.set_title(title, fontsize=LABEL_PT, fontweight="bold")
    ax.set_xlim(0, 7)
    ax.set_ylim(7, 0)  # row 0 holds the weekday headers, weeks below
    ax.set_aspect("equal")
    ax.axis("off")
    for weekday in range(7):
        ax.text(
            weekday + 0.5,
            0.55,
            weekday_initial(weekday, lang),
            ha="center",
            va="center",
            fontsize=NOTE_PT,
            color=EDGE,
            fontweight="bold",
        )
    for cell in cells:
        _draw_cell(ax, cell, today)


def _draw_cell(ax: Axes, cell: CalendarCell, today: date) -> None:
    style = cell_style(cell, today)
    x, y = cell.col + _CELL_MARGIN, cell.row + 1 + _CELL_MARGIN
    side = 1 - 2 * _CELL_MARGIN
    ax.add_patch(
        Rectangle(
            (x, y),
            side,
            side,
            facecolor=style.face,
            edgecolor=style.edge,
            hatch=style.hatch,
            linewidth=0.8,
        )
    )
    if cell.is_today:
        ax.add_patch(
            Rectangle((x, y), side, side, facecolor="none", edgecolor="#000000", linewidth=3.0)
        )
    if cell.color in (TempoColor.BLUE, TempoColor.RED):
        ink = "#ffffff"
    else:
        ink = _AHEAD_TEXT if style is _UNKNOWN_AHEAD else "#111827"
    ax.text(
        cell.col + 0.5,
        cell.row + 1.5,
        str(cell.day.day),
        ha="center",
        va="center",
        fontsize=NOTE_PT,
        color=ink,
        fontweight="bold" if cell.is_today else "normal",
    )


def _legend_handles(
    counters: SeasonCounters, lang: Lang, *, unknown: bool, today: bool
) -> list[Artist]:
    handles: list[Artist] = []
    for color in (TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED):
        label = text(
            "quota",
            lang,
            color=color_name(color, lang),
            used=counters.used.get(color),
            total=counters.quota.get(color),
            left=counters.remaining(color),
        )
        handles.append(fill_patch(label, solid_style(color)))
    if unknown:
        handles.append(fill_patch(color_name(None, lang), solid_style(None)))
    if today:
        handles.append(
            Patch(facecolor="none", edgecolor="#000000", linewidth=2.5, label=text("today", lang))
        )
    return handles
