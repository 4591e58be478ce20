"""The shipped history of every Tempo day since 2014-09-01 (``bot/tempo/data/tempo_history.csv``).

Source and reconciliation notes are in ``bot/tempo/data/README.md``. The file has a ``date,color``
header and one row per calendar day, colours ``BLUE``/``WHITE``/``RED``.
"""

from __future__ import annotations

import csv
from datetime import date
from importlib.resources import files
from pathlib import Path

from bot.tempo.errors import TempoDataError
from bot.tempo.model import TempoColor


def shipped_history_path() -> Path:
    """Return the path of the history CSV shipped in the package."""
    return Path(str(files("bot.tempo").joinpath("data/tempo_history.csv")))


def parse_history_csv(text: str, *, origin: str = "tempo_history.csv") -> dict[date, TempoColor]:
    """Parse a ``date,color`` CSV into ``{day: colour}``; refuse duplicates and unknown colours."""
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or {"date", "color"} - set(reader.fieldnames):
        raise TempoDataError(f"{origin}: expected a 'date,color' header")
    colors: dict[date, TempoColor] = {}
    for number, record in enumerate(reader, start=2):
        try:
            day = date.fromisoformat((record["date"] or "").strip())
            color = TempoColor((record["color"] or "").strip().upper())
        except ValueError as err:
            raise TempoDataError(f"{origin} row {number}: {err}") from err
        if day in colors:
            raise TempoDataError(f"{origin} row {number}: {day} appears twice")
        colors[day] = color
    return colors


def load_history(path: Path | None = None) -> dict[date, TempoColor]:
    """Load the history CSV (the shipped one by default), ascending by date."""
    source = path or shipped_history_path()
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as err:
        raise TempoDataError(f"cannot read {source}: {err.strerror}") from err
    colors = parse_history_csv(text, origin=source.name)
    return dict(sorted(colors.items()))
