"""The household edits its schedule rules from the chat (/horaires), through the Bot API fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.storage.models import ScheduleRule
from tests.e2e.conftest import ADMIN_ID, VIEWER_ID, Bot
from tests.e2e.schedules_helpers import (
    answer,
    dialog_of,
    no_bot_errors,
    press_and_wait,
    restarted,
    running_bot,
)
from tests.fakes.telegram_user import FakeUser
from tests.fakes.telegram_values import ChatMessage
from tests.fakes.tempo_servers import CouleurTempoServer

NNBSP = "\u202f"


@pytest.fixture
async def bot(
    tmp_path: Path, tempo_server: CouleurTempoServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Bot]:
    """The real bot against the fakes, its batteries registered."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    async with running_bot(tmp_path, tempo_server) as running:
        yield running


async def _rules(bot: Bot) -> list[ScheduleRule]:
    return await bot.services.storage.rules.list_all()


async def _seed(bot: Bot, **values: object) -> ScheduleRule:
    rule: dict[str, object] = {
        "days_mask": 0b0011111,
        "start": time(22),
        "end": time(6),
        "mode": "charge",
        "power_w": 1500.0,
        "created_by": ADMIN_ID,
    }
    rule.update(values)
    return await bot.services.storage.rules.add(**rule)  # type: ignore[arg-type]


async def _open_add(alice: FakeUser) -> ChatMessage:
    await alice.send("/horaires")
    listing = await alice.next_message()
    return await press_and_wait(alice, listing, "➕ Ajouter")


async def test_admin_adds_a_rule_through_the_conversation(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/horaires")
    listing = await alice.next_message()
    assert "Aucune règle" in listing.content
    ask_battery = await press_and_wait(alice, listing, "➕ Ajouter")
    assert "Pour quelles batteries" in ask_battery.content
    ask_days = await press_and_wait(alice, ask_battery, "Toutes les batteries")
    assert "Quels jours" in ask_days.content
    ask_start = await answer(alice, "du lundi au vendredi")
    assert "Jours : lun–ven" in ask_start.content
    assert "commence" in ask_start.content
    ask_end = await answer(alice, "22h")
    assert "finit" in ask_end.content
    ask_mode = await answer(alice, "6:30")
    assert "Horaire : 22h00 → 06h30 (lendemain)" in ask_mode.content
    ask_power = await press_and_wait(alice, ask_mode, "Charge forcée")
    assert "puissance" in ask_power.content
    summary = await answer(alice, "1,5 kW")
    assert "Action : charge forcée à 1,5 kW" in summary.content
    assert await _rules(bot) == []  # nothing stored before « Enregistrer »
    saved = await press_and_wait(alice, summary, "💾 Enregistrer")

    (rule,) = await _rules(bot)
    assert "Règle n°" in saved.content
    assert f"Règle n°{rule.id} enregistrée" in saved.content
    assert "Créée par vous" in saved.content
    assert (rule.days_mask, rule.start, rule.end) == (0b0011111, time(22), time(6, 30))
    assert (rule.mode, rule.power_w, rule.battery_id) == ("charge", 1500.0, None)
    assert (rule.enabled, rule.created_by) == (True, str(ADMIN_ID))
    assert await dialog_of(bot, ADMIN_ID) is None
    listing = await press_and_wait(alice, saved, "« Toutes les règles")
    assert f"n°{rule.id}</b>" not in listing.content  # HTML rendered, not shown raw
    assert f"n°{rule.id} · lun–ven · 22h00 → 06h30 (lendemain)" in listing.content
    no_bot_errors(caplog)


BAD_DAYS = ["lun-xyz", "funday", "42", "🙂", "<b>lun</b>", "понедельник", "   .  "]
BAD_TIMES = ["25h", "abc", "22h5", "-3h", "٢٢h", "1e9", "<i>7h</i>", "🕙", "9999999999h", "12h60"]
BAD_POWERS = ["-500", "0", "abc", "1e9", "٣٠٠٠", "🔋", "<b>1</b>", "99999999999", "1,5 MW"]


async def test_bad_answers_get_precise_messages_and_change_nothing(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    ask_days = await press_and_wait(alice, await _open_add(alice), "Venus 1")

    for text in BAD_DAYS:
        reply = await answer(alice, text)
        assert "n'est pas un jour reconnu" in reply.content, text
        assert "Quels jours" in reply.content  # asked again
        assert (await dialog_of(bot, ADMIN_ID)).step == "days"  # type: ignore[union-attr]
    assert "Quels jours" in ask_days.content
    await answer(alice, "sam, dim")

    reply = await answer(alice, "22h70")
    assert "22h70 n'est pas une heure valide" in reply.content
    for text in BAD_TIMES:
        reply = await answer(alice, text)
        assert "n'est pas une heure" in reply.content, text
        assert (await dialog_of(bot, ADMIN_ID)).step == "start"  # type: ignore[union-attr]
    await answer(alice, "10h")
    reply = await answer(alice, "10:00")
    assert "Le début et la fin sont à la même heure" in reply.content
    ask_mode = await answer(alice, "midi")

    reply = await answer(alice, "charge")  # a typed answer where buttons are expected
    assert "Répondez avec les boutons" in reply.content
    ask_power = await press_and_wait(alice, ask_mode, "Décharge forcée")
    assert "au plus 2,5 kW" in ask_power.content
    reply = await answer(alice, "3000")
    assert f"3{NNBSP}000 W dépasse la limite de Venus 1 (2{NNBSP}500 W)" in reply.content
    for text in BAD_POWERS:
        reply = await answer(alice, text)
        assert "⚠️" in reply.content, text
        assert (await dialog_of(bot, ADMIN_ID)).step == "power"  # type: ignore[union-attr]
    assert await _rules(bot) == []
    summary = await answer(alice, "2500 W")
    assert "Batteries : Venus 1" in summary.content
    assert "Jours : week-end" in summary.content
    await press_and_wait(alice, summary, "💾 Enregistrer")
    (rule,) = await _rules(bot)
    assert (rule.mode, rule.power_w, rule.days_mask) == ("discharge", 2500.0, 0b1100000)
    assert rule.battery_id == bot.services.fleet.snapshot("Venus 1").battery_id
    no_bot_errors(caplog)


async def test_overlap_is_refused_naming_the_other_rule(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    existing = await _seed(bot)  # Mon–Fri 22:00 → 06:00, every battery
    alice = bot.user(ADMIN_ID, "Alice")
    ask_days = await press_and_wait(alice, await _open_add(alice), "Venus 2")
    assert "Batteries : Venus 2" in ask_days.content
    await answer(alice, "samedi")
    await answer(alice, "minuit")
    refused = await answer(alice, "5h")  # Friday's night runs into Saturday until 06:00
    assert f"Ce créneau chevauche la règle n°{existing.id}" in refused.content
    assert "lun–ven · 22h00 → 06h00 (lendemain) · charge forcée à 1,5 kW" in refused.content
    assert "Rien n'a été enregistré" in refused.content
    assert (await dialog_of(bot, ADMIN_ID)).step == "end"  # type: ignore[union-attr]

    ask_start = await press_and_wait(alice, refused, "🕒 Début")
    assert "commence" in ask_start.content
    await answer(alice, "6h")
    ask_mode = await answer(alice, "9h")
    summary = await press_and_wait(alice, ask_mode, "Auto (autoconsommation)")
    await press_and_wait(alice, summary, "💾 Enregistrer")
    rules = await _rules(bot)
    assert [(r.days_mask, r.start, r.end, r.mode) for r in rules[1:]] == [
        (0b0100000, time(6), time(9), "auto")
    ]
    no_bot_errors(caplog)


async def test_edit_disable_enable_and_delete(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    rule = await _seed(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/horaires")
    listing = await alice.next_message()
    detail = await press_and_wait(alice, listing, f"n°{rule.id}")
    assert "Créée par vous" in detail.content
    fields = await press_and_wait(alice, detail, "✏️ Modifier")
    ask_end = await press_and_wait(alice, fields, "🕕 Fin")
    assert "finit" in ask_end.content
    edited = await answer(alice, "5h")
    assert f"Règle n°{rule.id} modifiée" in edited.content
    assert "Modifiée par vous" in edited.content
    stored = await bot.services.storage.rules.get(rule.id)
    assert stored is not None
    assert (stored.end, stored.created_by) == (time(5), str(ADMIN_ID))
    change = await bot.services.storage.settings.get_entry(f"schedules.change:{rule.id}")
    assert change is not None
    assert change.updated_by == str(ADMIN_ID)

    disabled = await press_and_wait(alice, edited, "⏸ Désactiver")
    assert "Désactivée par vous" in disabled.content
    assert not (await bot.services.storage.rules.get(rule.id)).enabled  # type: ignore[union-attr]
    # Monday's night runs into Tuesday 05:00: a Tuesday 03:00–04:00 rule is in the way.
    other = await _seed(bot, days_mask=0b0000010, start=time(3), end=time(4), mode="auto")
    refused = await press_and_wait(alice, disabled, "▶️ Activer")
    assert f"chevauche la règle n°{other.id}" in refused.content
    assert not (await bot.services.storage.rules.get(rule.id)).enabled  # type: ignore[union-attr]

    await alice.send("/horaires")
    listing = await alice.next_message()
    other_detail = await press_and_wait(alice, listing, f"n°{other.id}")
    confirm = await press_and_wait(alice, other_detail, "🗑 Supprimer")
    assert "Confirmer la suppression" in confirm.buttons()[0][0]
    assert len(await _rules(bot)) == 2  # one tap deletes nothing
    gone = await press_and_wait(alice, confirm, "🗑 Confirmer la suppression")
    assert f"Règle n°{other.id} supprimée" in gone.content
    assert [r.id for r in await _rules(bot)] == [rule.id]
    enabled = await press_and_wait(alice, refused, "▶️ Activer")
    assert f"Règle n°{rule.id} activée" in enabled.content
    assert (await bot.services.storage.rules.get(rule.id)).enabled  # type: ignore[union-attr]
    no_bot_errors(caplog)


async def test_delete_confirmation_expires(bot: Bot) -> None:
    rule = await _seed(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/horaires")
    detail = await press_and_wait(alice, await alice.next_message(), f"n°{rule.id}")
    confirm = await press_and_wait(alice, detail, "🗑 Supprimer")
    bot.clock.jump(timedelta(minutes=3))
    expired = await press_and_wait(alice, confirm, "🗑 Confirmer la suppression")
    assert "Confirmation expirée : rien n'a été supprimé" in expired.content
    assert [r.id for r in await _rules(bot)] == [rule.id]


async def test_viewer_reads_the_rules_but_cannot_change_them(bot: Bot) -> None:
    rule = await _seed(bot)
    bob = bot.user(VIEWER_ID, "Bob")
    await bob.send("/horaires")
    listing = await bob.next_message()
    assert f"n°{rule.id} · lun–ven" in listing.content
    assert "Lecture seule" in listing.content
    assert listing.buttons() == []
    for data in ("v1|sc|t|1", "v1|sc|a", f"v1|sc|dd|{rule.id}|9999999999", "v1|sc|f|1|end"):
        query = await bob.press_forged(data, message=listing)
        reply = await bob.wait_for_answer(query)
        assert reply.text is not None
        assert "Lecture seule" in reply.text
    assert await _rules(bot) == [rule]
    assert await dialog_of(bot, VIEWER_ID) is None


FORGED = [
    "v1|sc|r|999",
    "v1|sc|t|abc",
    "v1|sc|zz",
    "v1|sc",
    "v1|sc|m|charge",
    "v1|sc|dd|1|later",
    "v1|sc|f|1|bogus",
    "v1|sc|s",
    "v1|sc|g|start",
    "v1|sc|r|1|2",
]


async def test_forged_and_stale_buttons_change_nothing(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    rule = await _seed(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/horaires")
    listing = await alice.next_message()
    for data in FORGED:
        detail = await press_and_wait(alice, listing, f"n°{rule.id}")
        assert "Créée par" in detail.content
        query = await alice.press_forged(data, message=listing)
        await alice.wait_for_answer(query)
        after = await alice.wait_for_edit(detail)
        assert "plus valable" in after.content, data
    ask_battery = await press_and_wait(alice, listing, "➕ Ajouter")
    for data in ("v1|sc|b|777", "v1|sc|p|2500", "v1|sc|dy|all", "v1|sc|m|auto", "v1|sc|b|*|1"):
        query = await alice.press_forged(data, message=ask_battery)
        await alice.wait_for_answer(query)
        assert "plus valable" in (await alice.wait_for_edit(ask_battery)).content, data
        assert (await dialog_of(bot, ADMIN_ID)).step == "battery"  # type: ignore[union-attr]
        ask_battery = await press_and_wait(alice, ask_battery, "➕ Ajouter")
    assert await _rules(bot) == [rule]
    no_bot_errors(caplog)


async def test_cancel_mid_conversation(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    ask_days = await press_and_wait(alice, await _open_add(alice), "Toutes les batteries")
    assert "Quels jours" in ask_days.content
    await answer(alice, "tous les jours")
    cancelled = await answer(alice, "/cancel")
    assert "Annulé" in cancelled.content
    assert await dialog_of(bot, ADMIN_ID) is None
    after = await answer(alice, "22h")
    assert "Je n'ai pas compris" in after.content
    assert await _rules(bot) == []


async def test_conversation_survives_a_restart(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    await press_and_wait(alice, await _open_add(alice), "Toutes les batteries")
    await answer(alice, "week-end")
    async with restarted(bot):
        ask_end = await answer(alice, "9h30")
        assert "Horaire" not in ask_end.content
        assert "Début : 09h30" in ask_end.content
        assert "finit" in ask_end.content
        ask_mode = await answer(alice, "11h")
        summary = await press_and_wait(alice, ask_mode, "UPS (réserve secours)")
        await press_and_wait(alice, summary, "💾 Enregistrer")
        (rule,) = await _rules(bot)
        assert (rule.days_mask, rule.start, rule.end, rule.mode) == (
            0b1100000,
            time(9, 30),
            time(11),
            "ups",
        )
    no_bot_errors(caplog)


async def test_english_admin_gets_english_texts(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice", "en")
    await alice.send("/horaires")
    listing = await alice.next_message()
    assert "Automatic schedules" in listing.content
    ask_days = await press_and_wait(alice, listing, "➕ Add")
    ask_days = await press_and_wait(alice, ask_days, "All batteries")
    await answer(alice, "mon-fri")
    reply = await answer(alice, "22:70")
    assert "22:70 is not a valid time" in reply.content


async def test_edit_into_an_overlap_is_refused_and_a_vanished_rule_is_not_recreated(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    night = await _seed(bot)
    morning = await _seed(bot, days_mask=0b0000010, start=time(7), end=time(9), mode="auto")
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/horaires")
    detail = await press_and_wait(alice, await alice.next_message(), f"n°{morning.id}")
    ask_start = await press_and_wait(
        alice, await press_and_wait(alice, detail, "✏️ Modifier"), "🕒 Début"
    )
    assert "Règle n°" in ask_start.content
    refused = await answer(alice, "5h")  # Tuesday 05:00 is still Monday's night
    assert f"chevauche la règle n°{night.id}" in refused.content
    assert (await dialog_of(bot, ADMIN_ID)).step == "start"  # type: ignore[union-attr]
    assert (await bot.services.storage.rules.get(morning.id)) == morning

    await bot.services.storage.rules.delete(morning.id)  # another admin deletes it meanwhile
    gone = await answer(alice, "6h")
    assert "Cette règle n'existe plus : rien n'a été enregistré" in gone.content
    assert [r.id for r in await _rules(bot)] == [night.id]
    assert await dialog_of(bot, ADMIN_ID) is None
    no_bot_errors(caplog)


async def test_at_most_thirty_rules(bot: Bot) -> None:
    for day in range(7):
        for hour in range(0, 24, 4):
            if len(await _rules(bot)) < 30:
                await _seed(bot, days_mask=1 << day, start=time(hour), end=time(hour + 1))
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/horaires")
    listing = await alice.next_message()
    assert listing.content.count("✅") == 30
    refused = await press_and_wait(alice, listing, "➕ Ajouter")
    assert "Il y a déjà 30 règles, le maximum" in refused.content
    assert await dialog_of(bot, ADMIN_ID) is None
