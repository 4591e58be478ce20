"""/plan and the household's orders, with the automation on, through the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN_ID, VIEWER_ID, Bot, running_bot, until_polled
from tests.fakes.tempo_servers import CouleurTempoServer


@pytest.fixture
async def auto_bot(
    tmp_path: Path, tempo_server: CouleurTempoServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Bot]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    async with running_bot(
        tmp_path, tempo_server, automation=True, rate_limit_burst=100, plan_check_interval_s=60.0
    ) as bot:
        yield bot


async def _plan(bot: Bot) -> None:
    await until_polled(bot)
    await bot.telegram.wait_until(
        lambda: bot.services.executor is not None and bot.services.executor.plan is not None,
        timeout_s=15,
        what="a first plan",
    )


async def test_plan_shows_text_and_chart_with_reasons(auto_bot: Bot) -> None:
    await _plan(auto_bot)
    alice = auto_bot.user(ADMIN_ID, "Alice")
    await alice.send("/plan")
    text = await alice.next_message()
    assert "Plan des 48 h" in text.content
    assert "Toutes les batteries" in text.content
    assert "précharge : demain inconnu, rouge possible" in text.content  # known after 10:40
    assert "charge" in text.content
    chart = await alice.next_message(timeout=15)
    assert chart.photo is not None
    assert chart.photo.content[:8] == b"\x89PNG\r\n\x1a\n"


async def test_pause_then_resume(auto_bot: Bot) -> None:
    await _plan(auto_bot)
    alice = auto_bot.user(ADMIN_ID, "Alice")
    await alice.send("/plan")
    message = await alice.next_message()
    await alice.next_message(timeout=15)  # the chart
    await alice.press(message, "⏸ Pause")
    picker = await alice.wait_for_edit(message)
    await alice.press(picker, "1 h")
    done = await alice.wait_for_edit(picker)
    assert "pause jusqu'à" in done.content
    executor = auto_bot.services.executor
    assert executor is not None
    [order] = await executor.overrides.active(auto_bot.clock.now())
    assert order.kind == "pause"
    assert timedelta(minutes=59) < order.end - order.start <= timedelta(hours=1)
    await auto_bot.telegram.wait_until(
        lambda: (
            all(
                u.mode == "Passive" and abs(u.ac_power_w) < 50
                for u in auto_bot.services.simulator.units
            )
            or None
        ),  # type: ignore[union-attr]
        timeout_s=20,
        what="batteries paused",
    )
    await alice.send("/plan")
    again = await alice.next_message()
    assert "Ordres en cours" in again.content
    await alice.next_message(timeout=15)
    await alice.press(again, "▶️ Reprendre")
    resumed = await alice.wait_for_edit(again)
    assert "reprise (1 ordre(s) annulé(s))" in resumed.content
    assert await executor.overrides.active(auto_bot.clock.now()) == []


async def test_forced_charge_needs_confirmation_and_the_viewer_cannot(auto_bot: Bot) -> None:
    await _plan(auto_bot)
    bob = auto_bot.user(VIEWER_ID, "Bob")
    await bob.send("/plan")
    seen = await bob.next_message()
    assert "⚡ Forcer une charge" not in [label for label, _ in seen.buttons()]
    forged = await bob.press_forged("v1|pl|ok|c|2500|60|9999999999", message=seen)
    assert "Lecture seule" in ((await bob.wait_for_answer(forged)).text or "")

    alice = auto_bot.user(ADMIN_ID, "Alice")
    await alice.send("/plan")
    message = await alice.next_message()
    await alice.next_message(timeout=15)
    await alice.press(message, "⚡ Forcer une charge")
    step = await alice.wait_for_edit(message)
    await alice.press(step, "charge forcée 2,5 kW")
    step = await alice.wait_for_edit(step)
    await alice.press(step, "1 h")
    confirm = await alice.wait_for_edit(step)
    assert "Confirmer" in confirm.content
    executor = auto_bot.services.executor
    assert executor is not None
    assert await executor.overrides.active(auto_bot.clock.now()) == []
    await alice.press(confirm, "✅ Confirmer")
    await alice.wait_for_edit(confirm)
    [order] = await executor.overrides.active(auto_bot.clock.now())
    assert (order.kind, order.power_w, order.by) == ("charge", 2500, str(ADMIN_ID))
    await auto_bot.telegram.wait_until(
        lambda: all(u.ac_power_w < -2000 for u in auto_bot.services.simulator.units) or None,  # type: ignore[union-attr]
        timeout_s=20,
        what="batteries charging at 2.5 kW",
    )


async def test_dry_run_sends_nothing_and_records_what_it_would_do(auto_bot: Bot) -> None:
    await _plan(auto_bot)
    alice = auto_bot.user(ADMIN_ID, "Alice")
    await alice.send("/plan")
    message = await alice.next_message()
    await alice.next_message(timeout=15)
    await alice.press(message, "🧪 Simulation : activer")
    await alice.wait_for_edit(message)
    assert auto_bot.services.settings.dry_run
    writes = [u.writes_received for u in auto_bot.services.simulator.units]  # type: ignore[union-attr]
    executor = auto_bot.services.executor
    assert executor is not None
    checks = executor.stats.checks
    await auto_bot.telegram.wait_until(
        lambda: executor.stats.checks >= checks + 2, timeout_s=30, what="two more checks"
    )
    assert [u.writes_received for u in auto_bot.services.simulator.units] == writes  # type: ignore[union-attr]
