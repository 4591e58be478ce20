"""/graphiques through the fake Bot API: what is handed to the renderer, and the photos sent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot import charts
from bot.charts.model import HistorySeries
from bot.charts.prepare import tempo_bands
from bot.tempo.model import TempoColor
from tests.charts.helpers import assert_sensible_png, png_size
from tests.e2e.conftest import ADMIN_ID, VIEWER_ID, Bot
from tests.e2e.data_helpers import (
    assert_no_bot_errors,
    history,
    hourly_power,
    hourly_soc,
    human_pause,
    registered,
)

_LETTERS = {"B": TempoColor.BLUE, "W": TempoColor.WHITE, "R": TempoColor.RED}
# 5 → 14 January; 12 → 14 as the fake Tempo server says (the bot may fetch those too).
COLORS = {date(2026, 1, 5) + timedelta(days=i): _LETTERS[c] for i, c in enumerate("BWRRBWBBWB")}
HISTORY_START = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)
HISTORY_HOURS = 9 * 24  # up to 14 January 00:00 UTC, before the bot's own samples


class Renders:
    """Every call to the two renderers the charts feature uses (the real ones still run)."""

    def __init__(self) -> None:
        self.history: list[HistorySeries] = []
        self.seasons: list[tuple[tuple[Any, ...], dict[str, Any]]] = []


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Renders:
    seen = Renders()
    real_history, real_season = charts.render_battery_history, charts.render_season_calendar

    def spy_history(series: HistorySeries, *args: Any, **kwargs: Any) -> bytes:
        seen.history.append(series)
        return real_history(series, *args, **kwargs)

    def spy_season(*args: Any, **kwargs: Any) -> bytes:
        seen.seasons.append((args, kwargs))
        return real_season(*args, **kwargs)

    monkeypatch.setattr(charts, "render_battery_history", spy_history)
    monkeypatch.setattr(charts, "render_season_calendar", spy_season)
    return seen


@pytest.fixture(autouse=True)
def _no_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert_no_bot_errors(caplog)


async def _with_history(bot: Bot) -> dict[str, int]:
    ids = await registered(bot)
    for index, battery_id in enumerate(ids.values()):
        await bot.services.storage.samples.insert_batch(
            history(battery_id, index, start=HISTORY_START, hours=HISTORY_HOURS)
        )
    await bot.services.tempo.import_history(COLORS, bot.clock.now())
    return ids


async def test_all_batteries_7_days_hands_hourly_buckets_and_tempo_days(
    bot: Bot, renders: Renders
) -> None:
    ids = await _with_history(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/graphiques")
    menu = await alice.next_message()
    labels = [text for text, _ in menu.buttons()]
    assert labels[:3] == ["📈 24 h", "📈 7 j", "📈 30 j"]
    assert {"🔋 Venus 1", "🔋 Venus 2", "🔋 Venus 3", "📅 Calendrier Tempo"} <= set(labels)
    before = bot.clock.now()
    await alice.press(menu, "📈 7 j")
    photo = await alice.wait_for(lambda m: m.photo is not None, timeout=15)
    after = bot.clock.now()

    assert photo.caption is not None
    assert photo.caption.startswith("📈 Toutes les batteries — 7 jours")
    assert photo.photo is not None
    assert assert_sensible_png(photo.photo.content) == (1200, 800)
    assert any(a.action == "upload_photo" for a in alice.chat_actions)

    (series,) = renders.history
    assert series.bucket == timedelta(hours=1)
    assert series.start_utc.minute == 0
    assert series.end_utc.minute % 15 == 0
    assert before <= series.end_utc <= after + timedelta(minutes=15)
    assert timedelta(days=7) <= series.end_utc - series.start_utc < timedelta(days=7, hours=1)
    assert [b.name for b in series.batteries] == list(ids)
    for index, (battery, battery_id) in enumerate(zip(series.batteries, ids.values(), strict=True)):
        stored = await bot.services.storage.samples.bucketed(
            battery_id, series.start_utc, series.end_utc, 3600
        )
        assert [p.bucket_start_utc for p in battery.points] == [b.start for b in stored]
        assert [p.soc_avg_pct for p in battery.points] == [b.soc_avg_pct for b in stored]
        # An hour of the synthetic history: its average is the hour's value exactly.
        hour = datetime(2026, 1, 10, 8, tzinfo=UTC)
        point = next(p for p in battery.points if p.bucket_start_utc == hour)
        hour_index = int((point.bucket_start_utc - HISTORY_START) / timedelta(hours=1))
        assert point.soc_avg_pct == pytest.approx(hourly_soc(index, hour_index))
        assert point.power_avg_w == pytest.approx(hourly_power(index, hour_index))

    # Tempo days start at 06:00 in Paris (05:00 UTC in winter), each in its own colour.
    bands = tempo_bands(series.start_utc, series.end_utc, series.tempo_colors)
    inner = bands[1:-1]
    assert inner
    assert all(b.start_utc.hour == 5 and b.start_utc.minute == 0 for b in inner)
    assert all(b.end_utc - b.start_utc == timedelta(hours=24) for b in inner)
    assert {b.tempo_day for b in bands} >= set(COLORS) - {date(2026, 1, 5), date(2026, 1, 6)}
    for band in bands:
        if band.tempo_day in COLORS:
            assert band.color is COLORS[band.tempo_day]
    assert {b.tempo_day: b.color for b in bands}[date(2026, 1, 8)] is TempoColor.RED


async def test_one_battery_24_hours_then_30_days_from_the_photo(bot: Bot, renders: Renders) -> None:
    ids = await _with_history(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/graphiques")
    menu = await alice.next_message()
    await alice.press(menu, "🔋 Venus 2")
    picker = await alice.wait_for_edit(menu)
    assert "Venus 2" in picker.content
    assert [text for text, _ in picker.buttons()][:3] == ["24 h", "7 j", "30 j"]
    await alice.press(picker, "24 h")
    day_photo = await alice.wait_for(lambda m: m.photo is not None, timeout=15)
    assert day_photo.caption is not None
    assert day_photo.caption.startswith("📈 Venus 2 — 24 heures")
    (day,) = renders.history
    assert day.bucket == timedelta(minutes=15)
    assert day.end_utc - day.start_utc == timedelta(hours=24)
    assert [b.name for b in day.batteries] == ["Venus 2"]

    await alice.press(day_photo, "30 j")
    month_photo = await alice.wait_for(
        lambda m: m.photo is not None and m.message_id > day_photo.message_id, timeout=15
    )
    assert month_photo.caption is not None
    assert "30 jours" in month_photo.caption
    month = renders.history[1]
    assert month.bucket == timedelta(hours=3)
    assert month.start_utc.hour % 3 == 0
    assert month.start_utc.minute == 0
    stored = await bot.services.storage.samples.bucketed(
        ids["Venus 2"], month.start_utc, month.end_utc, 3 * 3600
    )
    assert [p.bucket_start_utc for p in month.batteries[0].points] == [b.start for b in stored]
    assert len(stored) >= 9 * 8  # nine days of 3-hour buckets from the synthetic history
    assert assert_sensible_png(month_photo.photo.content if month_photo.photo else b"")


async def test_season_calendar_is_a_portrait_png_with_days_left(bot: Bot, renders: Renders) -> None:
    await _with_history(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/graphiques")
    menu = await alice.next_message()
    await alice.press(menu, "📅 Calendrier Tempo")
    photo = await alice.wait_for(lambda m: m.photo is not None, timeout=15)
    assert photo.photo is not None
    assert png_size(photo.photo.content) == (1200, 1450)
    assert 10_000 <= len(photo.photo.content) <= 1_000_000
    ((args, kwargs),) = renders.seasons
    start_year, colors, today = args[0], args[1], args[2]
    assert start_year == 2025
    assert today == date(2026, 1, 14)
    assert all(colors[day] is color for day, color in COLORS.items())
    red_used = sum(1 for color in colors.values() if color is TempoColor.RED)
    assert kwargs["counters"].remaining(TempoColor.RED) == 22 - red_used
    assert photo.caption is not None
    assert "Saison Tempo 2025-2026" in photo.caption
    assert f"🔴 {22 - red_used}" in photo.caption
    # From the photo, back to the menu: a new text message (a photo has no text to edit).
    await alice.press(photo, "📈 Graphiques")
    menu_again = await alice.wait_for(
        lambda m: m.text is not None and m.message_id > photo.message_id
    )
    assert "Graphiques" in menu_again.content


async def test_english_viewer_gets_charts_too(bot: Bot, renders: Renders) -> None:
    await _with_history(bot)
    bob = bot.user(VIEWER_ID, "Bob", "en")
    await bob.send("/graphiques")
    menu = await bob.next_message()
    assert "Charts" in menu.content
    await bob.press(menu, "📈 7 d")
    photo = await bob.wait_for(lambda m: m.photo is not None, timeout=15)
    assert photo.caption is not None
    assert photo.caption.startswith("📈 All batteries — 7 days")
    assert len(renders.history) == 1


FORGED = [
    "v1|ch|h|999999|7d",  # a battery that is not watched
    "v1|ch|h|*|1y",  # a period that is not offered
    "v1|ch|h|*",  # an argument missing
    "v1|ch|h|*|7d|extra",
    "v1|ch|b|abc",
    "v1|ch|b|*",  # the period picker is for one battery
    "v1|ch|b|1234567890123",
    "v1|ch|zz",
    "v1|ch",
]


async def test_forged_or_stale_buttons_render_nothing(bot: Bot, renders: Renders) -> None:
    await registered(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    for data in FORGED:
        human_pause(bot)
        await alice.send("/graphiques")
        menu = await alice.next_message()
        query = await alice.press_forged(data, message=menu)
        answer = await alice.wait_for_answer(query)
        assert answer.text == "Ce bouton n'est plus valable. Voici le menu à jour.", data
        shown = await alice.wait_for_edit(menu)
        assert "Graphiques" in shown.content
    assert renders.history == []
    assert renders.seasons == []
    assert not any(m.photo is not None for m in alice.messages)
