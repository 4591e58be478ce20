"""🧪 Compare strategies (/economies) through the fake Bot API: the backtest on the household's
own stored history, its table and chart, the clear "no history" answer, one run at a time."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.backtest import BacktestReport, household
from bot.tempo.calendar import tempo_day_bounds
from bot.tempo.model import TempoColor
from tests.backtest.household_helpers import samples, store_colors
from tests.charts.helpers import assert_sensible_png
from tests.e2e.conftest import ADMIN_ID, VIEWER_ID, Bot
from tests.e2e.data_helpers import assert_no_bot_errors, human_pause, registered

B, W, R = TempoColor.BLUE, TempoColor.WHITE, TempoColor.RED
# 7 Jan has samples but no colour: it warms the forecast up; 8 → 13 Jan are simulated.
COLORS = {
    date(2026, 1, 8): R,
    date(2026, 1, 9): R,
    date(2026, 1, 10): W,
    date(2026, 1, 11): B,
    date(2026, 1, 12): B,
    date(2026, 1, 13): W,
}


@pytest.fixture(autouse=True)
def _no_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert_no_bot_errors(caplog)


async def _history(bot: Bot) -> None:
    """A week of samples (the meter on the first battery) and the colours of 8 → 13 Jan."""
    ids = list((await registered(bot)).values())
    start, end = tempo_day_bounds(date(2026, 1, 7))[0], tempo_day_bounds(date(2026, 1, 13))[1]
    for unit, battery_id in enumerate(ids[:2]):
        await bot.services.storage.samples.insert_batch(
            samples(battery_id, unit, start, end, meter=unit == 0)
        )
    await store_colors(bot.services.storage, COLORS, datetime(2026, 1, 14, tzinfo=UTC))


class Gate:
    """Holds the worker thread of the comparison until the test opens it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started = threading.Event()
        self.opened = threading.Event()
        real = household.run_household

        def held(*args: Any, **kwargs: Any) -> BacktestReport:
            self.started.set()
            self.opened.wait(timeout=10)
            return real(*args, **kwargs)

        monkeypatch.setattr(household, "run_household", held)

    async def wait_started(self) -> None:
        await asyncio.to_thread(self.started.wait, 10)
        assert self.started.is_set()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    held = Gate(monkeypatch)
    yield held
    held.opened.set()  # never leave a worker thread waiting


async def test_french_admin_compares_strategies_on_the_stored_history(bot: Bot, gate: Gate) -> None:
    gate.opened.set()  # the first run (no history) is not held
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/economies")
    summary = await alice.next_message()
    assert ("🧪 Comparer les stratégies", "v1|sv|bt") in summary.buttons()
    await alice.wait_for(lambda m: m.photo is not None, timeout=15)

    # Nothing stored yet (the simulated batteries only started today): one clear sentence.
    await alice.press(summary, "🧪 Comparer les stratégies")
    empty = await alice.wait_for(lambda m: "Pas encore d'historique" in m.content, timeout=10)
    assert "au moins 3 jours Tempo complets" in empty.content
    assert "Traceback" not in empty.content

    await _history(bot)
    gate.opened.clear()
    gate.started.clear()
    human_pause(bot)
    await alice.press(summary, "🧪 Comparer les stratégies")
    waiting = await alice.wait_for(
        lambda m: m.message_id > empty.message_id and "Calcul" in m.content
    )
    assert waiting.content.startswith("⏳ Calcul…")
    await gate.wait_started()
    human_pause(bot)
    busy = await alice.wait_for_answer(await alice.press(summary, "🧪 Comparer les stratégies"))
    assert busy.text == "⏳ Une comparaison est déjà en cours : le résultat arrive."
    gate.opened.set()

    result = await alice.wait_for_edit(waiting, timeout=15)
    text = result.content
    assert "Les stratégies sur votre historique" in text
    assert "Votre historique : du 08/01/2026 au 13/01/2026 (6 jours)" in text
    assert "prix en vigueur chaque jour (grille du 01/08/2025)" in text
    assert "Batteries : 3 × 5,12 kWh" in text
    assert "Sans batterie, l'énergie aurait coûté" in text
    assert any(entity.type == "pre" for entity in result.entities)  # a monospace table
    names = ["sans batterie", "chaque nuit", "jours rouges", "planificateur", "optimum"]
    rows = [line for line in text.splitlines() if line.split("  ")[0] in names]
    assert [row.split("  ")[0] for row in rows] == names  # the optimum row is there too
    assert len(result.source or "") <= 4096
    photo = await alice.wait_for(
        lambda m: m.photo is not None and m.message_id > result.message_id, timeout=15
    )
    assert photo.photo is not None
    assert assert_sensible_png(photo.photo.content)
    assert photo.caption is not None
    assert "du 08/01/2026 au 13/01/2026" in photo.caption
    assert [label for label, _ in photo.buttons()] == ["💶 Économies"]


async def test_english_viewer_gets_the_table_and_the_chart(bot: Bot) -> None:
    await _history(bot)
    bob = bot.user(VIEWER_ID, "Bob", "en")
    await bob.send("/savings")
    summary = await bob.next_message()
    assert [label for label, _ in summary.buttons()] == [
        "📊 30 days",
        "📊 Season",
        "🧪 Compare strategies",
    ]
    await bob.wait_for(lambda m: m.photo is not None, timeout=15)
    human_pause(bot)
    await bob.press(summary, "🧪 Compare strategies")
    waiting = await bob.wait_for(lambda m: m.content.startswith("⏳ Computing…"))
    result = await bob.wait_for_edit(waiting, timeout=15)
    assert "Your history: 2026-01-08 to 2026-01-13 (6 days)" in result.content
    for name in ("no battery", "every night", "red days", "planner", "optimum"):
        assert name in result.content
    photo = await bob.wait_for(
        lambda m: m.photo is not None and m.message_id > result.message_id, timeout=15
    )
    assert photo.caption is not None
    assert "2026-01-08 to 2026-01-13" in photo.caption
