"""Mode changes from the chat: forcing needs a second tap, every battery reports its own outcome."""

from __future__ import annotations

from datetime import timedelta

from bot.marstek import Mode
from tests.e2e.conftest import ADMIN_ID, Bot, until_polled
from tests.fakes.telegram_user import FakeUser
from tests.fakes.telegram_values import ChatMessage


async def _open_mode(bot: Bot, user: FakeUser, battery: str) -> ChatMessage:
    await user.send("/mode")
    picker = await user.next_message()
    await user.press(picker, battery)
    return await user.wait_for_edit(picker)


async def test_passive_charge_needs_confirmation_then_is_applied(bot: Bot) -> None:
    await until_polled(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    unit = bot.services.simulator.units[0]  # type: ignore[union-attr]
    message = await _open_mode(bot, alice, "Venus 1")
    await alice.press(message, "Passif (forcer)")
    message = await alice.wait_for_edit(message)
    await alice.press(message, "charger à 1,0 kW")
    message = await alice.wait_for_edit(message)
    await alice.press(message, "30 min")
    confirm = await alice.wait_for_edit(message)
    assert "Confirmer" in confirm.content
    assert "charger à 1,0 kW pendant 30 min" in confirm.content
    assert unit.writes_received == 0  # nothing sent before the second tap
    await alice.press(confirm, "✅ Confirmer")
    done = await alice.wait_for(lambda m: "appliqué" in m.content, timeout=20)
    assert "✅ Venus 1 : appliqué" in done.content
    assert unit.mode == Mode.PASSIVE.value
    assert unit.ac_power_w < -500  # charging (− = absorbing from the house/grid)
    [record] = await bot.services.storage.commands.recent(limit=5)
    assert record.requested_by == str(ADMIN_ID)
    assert record.params == {"mode": "Passive", "power": -1000, "cd_time": 1800}


async def test_expired_confirmation_sends_nothing(bot: Bot) -> None:
    await until_polled(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    message = await _open_mode(bot, alice, "Venus 2")
    await alice.press(message, "UPS (réserve secours)")
    confirm = await alice.wait_for_edit(message)
    assert "UPS" in confirm.content
    bot.clock.jump(timedelta(minutes=3))
    query = await alice.press(confirm, "✅ Confirmer")
    answer = await alice.wait_for_answer(query)
    assert answer.text is not None
    assert "expirée" in answer.text
    assert all(u.writes_received == 0 for u in bot.services.simulator.units)  # type: ignore[union-attr]
    assert await bot.services.storage.commands.recent(limit=5) == []


async def test_all_batteries_each_report_applied_refused_or_not_confirmed(bot: Bot) -> None:
    await until_polled(bot)
    units = bot.services.simulator.units  # type: ignore[union-attr]
    units[0].faults.reject_writes = 100
    units[1].faults.ack_without_apply = 100
    alice = bot.user(ADMIN_ID, "Alice")
    message = await _open_mode(bot, alice, "Toutes les batteries")
    await alice.press(message, "IA (optimisation Marstek)")
    done = await alice.wait_for(lambda m: "Venus 3 : appliqué" in m.content, timeout=30)
    text = done.content
    assert "❌ Venus 1 : refusé par la batterie" in text
    assert "⚠️ Venus 2 : envoyé mais non confirmé" in text
    assert "✅ Venus 3 : appliqué" in text
    assert units[2].mode == Mode.AI.value
    assert units[0].mode != Mode.AI.value
    results = {
        r.battery_id: r.result.value for r in await bot.services.storage.commands.recent(limit=10)
    }
    assert sorted(results.values()) == ["applied", "not_confirmed", "rejected"]


async def test_manual_overnight_slot_is_split_at_midnight(bot: Bot) -> None:
    await until_polled(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    message = await _open_mode(bot, alice, "Venus 3")
    await alice.press(message, "Créneau manuel")
    message = await alice.wait_for_edit(message)
    await alice.press(message, "charger à 2,5 kW")
    message = await alice.wait_for_edit(message)
    await alice.press(message, "22h00–06h00")
    confirm = await alice.wait_for_edit(message)
    await alice.press(confirm, "✅ Confirmer")
    await alice.wait_for(lambda m: "Venus 3 : appliqué" in m.content, timeout=20)
    records = await bot.services.storage.commands.recent(limit=5)
    slots = sorted(
        (r.params["time_num"], r.params["start_time"], r.params["end_time"]) for r in records
    )
    assert slots == [(7, "22:00", "23:59"), (8, "00:00", "06:00")]
    assert bot.services.simulator.units[2].mode == Mode.MANUAL.value  # type: ignore[union-attr]


async def test_forged_buttons_from_an_admin_do_nothing_harmful(bot: Bot) -> None:
    await until_polled(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/start")
    menu = await alice.next_message()
    for forged in (
        "v1|mp|9|auto",  # a battery that does not exist
        "v1|pr|0|-9999|3600",  # a power never offered
        "v1|pr|0|-1000|99999",  # a duration never offered
        "v1|ok|pr|1|0|-1000|1800",  # a confirmation that expired in 1970
        "v1|mp|0|reset",  # a mode that does not exist
        "garbage",
    ):
        query = await alice.press_forged(forged, message=menu)
        await alice.wait_for_answer(query)
    assert all(u.writes_received == 0 for u in bot.services.simulator.units)  # type: ignore[union-attr]
    assert await bot.services.storage.commands.recent(limit=5) == []
