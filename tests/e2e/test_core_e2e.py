"""The household meets the bot: menus, status, Tempo, mode changes — through the Bot API fake."""

from __future__ import annotations

import pytest

from bot.marstek import Mode
from tests.e2e.conftest import ADMIN_ID, STRANGER_ID, VIEWER_ID, Bot, until_polled


async def test_start_shows_welcome_and_menu_in_french(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/start")
    welcome = await alice.next_message()
    assert "Bonjour Alice" in welcome.content
    labels = [text for text, _ in welcome.buttons()]
    assert labels == ["🔋 État", "⚙️ Mode", "📅 Tempo", "❓ Aide"]


async def test_commands_registered_in_both_languages(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice", "fr")
    bob = bot.user(VIEWER_ID, "Bob", "en")
    await bot.telegram.wait_until(
        lambda: alice.visible_commands() or None, timeout_s=5, what="commands"
    )
    french = dict(alice.visible_commands())
    english = dict(bob.visible_commands())
    assert french["status"] == "État des batteries"
    assert "mode" in french  # the admin's own menu
    assert english["status"] == "Battery status"
    assert "mode" not in english  # viewers are not offered what they cannot do
    # Each menu names the commands in its reader's language.
    assert {"economies", "horaires", "graphiques", "reglages"} <= french.keys()
    assert {"savings", "schedules", "charts"} <= english.keys()
    assert not {"savings", "schedules", "charts"} & french.keys()


async def test_english_command_names_work_in_any_language(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice", "fr")
    await alice.send("/savings")
    answer = await alice.wait_for(lambda m: "Économies" in m.content)
    assert "Aujourd'hui" in answer.content
    await alice.send("/help")
    help_text = await alice.wait_for(lambda m: "/economies" in m.content)
    assert "/savings" not in help_text.content


async def test_status_lists_batteries_tempo_and_refreshes_in_place(bot: Bot) -> None:
    await until_polled(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/status")
    status = await alice.next_message()
    text = status.content
    for name in ("Venus 1", "Venus 2", "Venus 3"):
        assert name in text
    assert "Total" in text
    assert "Aujourd'hui 🔵 Bleu" in text
    assert "heures pleines" in text
    assert "Demain" in text
    before_polls = sum(u.requests_received for u in bot.services.simulator.units)  # type: ignore[union-attr]
    query = await alice.press(status, "🔄 Actualiser")
    await alice.wait_for_answer(query)
    refreshed = await alice.wait_for_edit(status)
    assert refreshed.message_id == status.message_id
    assert "Venus 1" in refreshed.content
    after_polls = sum(u.requests_received for u in bot.services.simulator.units)  # type: ignore[union-attr]
    assert after_polls >= before_polls + 3  # a live poll of each battery


async def test_english_viewer_reads_status_but_cannot_change_modes(bot: Bot) -> None:
    await until_polled(bot)
    bob = bot.user(VIEWER_ID, "Bob", "en")
    await bob.send("/status")
    status = await bob.next_message()
    assert "Batteries" in status.content
    assert "Today 🔵 Blue" in status.content
    assert "⚙️ Mode" not in [text for text, _ in status.buttons()]
    await bob.send("/mode")
    refusal = await bob.next_message()
    assert "Read-only" in refusal.content
    modes_before = [u.mode for u in bot.services.simulator.units]  # type: ignore[union-attr]
    forged = await bob.press_forged("v1|ok|pr|9999999999|*|2500|3600", message=status)
    answer = await bob.wait_for_answer(forged)
    assert answer.text is not None
    assert "Read-only" in answer.text
    assert [u.mode for u in bot.services.simulator.units] == modes_before  # type: ignore[union-attr]
    assert await bot.services.storage.commands.recent(limit=10) == []


async def test_stranger_gets_one_polite_refusal_and_admin_is_told_once(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    mallory = bot.user(STRANGER_ID, "Mallory")
    for text in ("/start", "/status", "/mode", "hello"):
        await mallory.send(text)
    await mallory.next_message()
    notice = await alice.wait_for(lambda m: "inconnue" in m.content)
    assert str(STRANGER_ID) in notice.content
    await bot.telegram.wait_until(
        lambda: bot.telegram.state.pending_update_count == 0, timeout_s=5, what="updates read"
    )
    polls = len(bot.telegram.calls_to("getUpdates"))
    await bot.telegram.wait_until(
        lambda: len(bot.telegram.calls_to("getUpdates")) > polls + 1, timeout_s=5, what="polls"
    )
    assert len(mallory.messages) == 1
    assert "privé" in mallory.messages[0].content
    assert sum("inconnue" in m.content for m in alice.messages) == 1


async def test_tempo_shows_today_tomorrow_days_left_and_prices(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/tempo")
    message = await alice.next_message()
    text = message.content
    assert "Aujourd'hui" in text
    assert "🔵 Bleu" in text
    assert "Demain" in text
    assert "🔴 Rouge" in text
    assert "jours restants" in text
    assert "Rouge : HC 0,1460\xa0€ · HP 0,6468\xa0€" in text  # the Aug 2025 row, in force on 14 Jan
    assert "depuis le 01/08/2025" in text


@pytest.mark.parametrize(
    ("mode_button", "expected"),
    [("Auto (autoconsommation)", Mode.AUTO), ("IA (optimisation Marstek)", Mode.AI)],
)
async def test_simple_mode_change_is_applied_verified_and_recorded(
    bot: Bot, mode_button: str, expected: Mode
) -> None:
    await until_polled(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/mode")
    picker = await alice.next_message()
    await alice.press(picker, "Venus 2")
    modes = await alice.wait_for_edit(picker)
    await alice.press(modes, mode_button)
    result = await alice.wait_for(lambda m: "appliqué" in m.content, timeout=20)
    assert "✅ Venus 2 : appliqué" in result.content
    unit = bot.services.simulator.units[1]  # type: ignore[union-attr]
    assert unit.mode == expected.value
    recorded = await bot.services.storage.commands.recent(limit=5)
    assert [r.requested_by for r in recorded] == [str(ADMIN_ID)]
    assert recorded[0].action == f"set_mode:{expected.value}"
