"""Admins change the household's settings from the chat (/reglages), through the Bot API fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

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
    """The real bot against the fakes, every Tempo source on loopback (tests switch them)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    async with running_bot(
        tmp_path,
        tempo_server,
        tempo_rte_url=f"{tempo_server.base_url}/rte",
        tempo_rte_public_url=f"{tempo_server.base_url}/rte-public",
    ) as running:
        yield running


def _language(bot: Bot) -> str:
    return bot.services.settings.language


async def _open(user: FakeUser, label: str) -> ChatMessage:
    await user.send("/reglages")
    listing = await user.next_message()
    return await press_and_wait(user, listing, label)


BAD_NUMBERS = [
    "abc",
    "-5",
    "1e9",
    "nan",
    "inf",
    "٣٠",
    "🔋",
    "<b>20</b>",
    "\u00a0.\u00a0",
    "20 kg",
    "99999999",
    "12,5,3",
]


async def test_admin_changes_an_alert_threshold_effective_at_once(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    prefs = bot.services.preferences
    default = prefs.value("low_soc_alert_pct")
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/reglages")
    listing = await alice.next_message()
    assert f"Alerte charge basse : {default:g}{NNBSP}%" in listing.content
    assert "Sources Tempo : api-couleur-tempo.fr" in listing.content
    detail = await press_and_wait(alice, listing, "Alerte charge basse")
    assert "Valeur d'origine" in detail.content
    assert f"de 0{NNBSP}% à 100{NNBSP}%" in detail.content
    ask = await press_and_wait(alice, detail, "✏️ Changer")
    assert "Tapez la nouvelle valeur" in ask.content

    reply = await answer(alice, "150")
    assert f"150 est hors limites : choisissez une valeur entre 0{NNBSP}% et 100{NNBSP}%" in (
        reply.content
    )
    for text in BAD_NUMBERS:
        reply = await answer(alice, text)
        assert "⚠️" in reply.content, text
        assert "Tapez la nouvelle valeur" in reply.content, text
    assert prefs.value("low_soc_alert_pct") == default
    assert not prefs.overridden("low_soc_alert_pct")

    done = await answer(alice, "20,5 %")
    assert "✅ Réglage « Alerte charge basse » enregistré" in done.content
    assert f"Valeur : 20,5{NNBSP}%" in done.content
    assert "Changé par vous le 14/01/2026" in done.content
    assert prefs.value("low_soc_alert_pct") == 20.5
    assert bot.services.fleet.rules.thresholds.low_soc_pct == 20.5
    entry = await bot.services.storage.settings.get_entry("pref:low_soc_alert_pct")
    assert entry is not None
    assert (entry.value, entry.updated_by) == (20.5, str(ADMIN_ID))
    assert await dialog_of(bot, ADMIN_ID) is None
    no_bot_errors(caplog)


async def test_yes_no_and_language_buttons_then_reset(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    white = await _open(alice, "Blanc comme rouge")
    assert "Valeur : Non" in white.content
    done = await press_and_wait(alice, white, "Oui")
    assert "Valeur : Oui" in done.content
    assert "✅ Oui" in [text for text, _ in done.buttons()]
    assert bot.services.settings.treat_white_as_red is True

    language = await _open(alice, "Langue du foyer")
    await press_and_wait(alice, language, "English")
    assert _language(bot) == "en"
    carol = bot.user(VIEWER_ID, "Carol", lang=None)  # no Telegram language: the household's
    await carol.send("/reglages")
    assert "Household settings" in (await carol.next_message()).content

    current = alice.current(language)
    reset = await press_and_wait(alice, current, "↩️ Valeur d'origine")
    assert "revenu à sa valeur d'origine" in reset.content
    assert "remise par vous" in reset.content
    assert _language(bot) == "fr"
    assert not bot.services.preferences.overridden("language")
    assert "↩️ Valeur d'origine" not in [text for text, _ in reset.buttons()]
    no_bot_errors(caplog)


async def test_quiet_hours_typed_or_none(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    detail = await _open(alice, "Heures calmes")
    assert "Valeur : aucune" in detail.content
    await press_and_wait(alice, detail, "✏️ Changer")
    refusals = {
        "25h-7h": "25h n'est pas une heure valide",
        "22h": "n'est pas une plage horaire",
        "22h-22h": "Le début et la fin sont à la même heure",
        "soir": "n'est pas une plage horaire",
        "<b>22h-7h</b>": "n'est pas une heure",
    }
    for text, expected in refusals.items():
        reply = await answer(alice, text)
        assert expected in reply.content, text
    assert bot.services.settings.quiet_hours == ""
    done = await answer(alice, "de 22h30 à 7h")
    assert "Valeur : 22h30 → 07h00" in done.content
    assert bot.services.settings.quiet_hours == "22:30-07:00"
    cleared = await press_and_wait(alice, done, "🔔 Aucune")
    assert "Valeur : aucune" in cleared.content
    assert bot.services.settings.quiet_hours == ""
    no_bot_errors(caplog)


async def test_tempo_sources_are_reordered_with_buttons(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    detail = await _open(alice, "Sources Tempo")
    labels = [text for text, _ in detail.buttons()]
    assert "➕ RTE (site public)" in labels
    assert not any(label.startswith("➖") for label in labels)  # the only source stays
    added = await press_and_wait(alice, detail, "➕ RTE (site public)")
    assert "Valeur : api-couleur-tempo.fr → RTE (site public)" in added.content
    assert bot.services.tempo.source_names == ("api-couleur-tempo", "rte-public")
    moved = await press_and_wait(alice, added, "⬆️ RTE (site public)")
    assert "Valeur : RTE (site public) → api-couleur-tempo.fr" in moved.content
    assert bot.services.tempo.source_names == ("rte-public", "api-couleur-tempo")
    removed = await press_and_wait(alice, moved, "➖ api-couleur-tempo.fr")
    assert bot.services.settings.tempo_sources == ["rte-public"]
    query = await alice.press_forged("v1|se|sr|2", message=removed)  # remove the last one
    await alice.wait_for_answer(query)
    refused = await alice.wait_for_edit(removed)
    assert "Il faut garder au moins une source Tempo" in refused.content
    with_rte = await press_and_wait(alice, refused, "➕ RTE (API officielle)")
    assert "MARSTEK_RTE_CLIENT_ID" in with_rte.content  # configured without credentials
    assert bot.services.settings.tempo_sources == ["rte-public", "rte"]
    no_bot_errors(caplog)


async def test_viewer_reads_settings_but_cannot_change_them(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    bob = bot.user(VIEWER_ID, "Bob")
    await bot.telegram.wait_until(
        lambda: alice.visible_commands() or None, timeout_s=5, what="commands"
    )
    assert {"horaires", "reglages"} <= dict(alice.visible_commands()).keys()
    viewer_menu = dict(bob.visible_commands())
    assert "horaires" in viewer_menu
    assert "reglages" not in viewer_menu
    await bob.send("/reglages")
    listing = await bob.next_message()
    assert "Alerte charge basse" in listing.content
    assert "Lecture seule" in listing.content
    assert listing.buttons() == []
    for data in ("v1|se|v|dry|1", "v1|se|c|soc", "v1|se|z|lng", "v1|se|sa|1"):
        query = await bob.press_forged(data, message=listing)
        reply = await bob.wait_for_answer(query)
        assert reply.text is not None
        assert "Lecture seule" in reply.text
    assert bot.services.settings.dry_run is False
    assert await dialog_of(bot, VIEWER_ID) is None


FORGED = [
    "v1|se|o|xyz",
    "v1|se|v|soc|1",
    "v1|se|v|dry|2",
    "v1|se|v|lng|de",
    "v1|se|z|soc",
    "v1|se|c|dry",
    "v1|se|su|9",
    "v1|se|su|0",
    "v1|se|sa|0",
    "v1|se|sa|x",
    "v1|se",
    "v1|se|l|1",
]


async def test_forged_settings_buttons_change_nothing(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/reglages")
    listing = await alice.next_message()
    for data in FORGED:
        detail = await press_and_wait(alice, listing, "Mode essai")
        query = await alice.press_forged(data, message=detail)
        await alice.wait_for_answer(query)
        assert "plus valable" in (await alice.wait_for_edit(detail)).content, data
    prefs = bot.services.preferences
    assert not any(prefs.overridden(name) for name in ("dry_run", "language", "tempo_sources"))
    assert await dialog_of(bot, ADMIN_ID) is None
    no_bot_errors(caplog)


async def test_cancel_mid_dialog(bot: Bot) -> None:
    before = bot.services.settings.contract_power_kva
    alice = bot.user(ADMIN_ID, "Alice")
    detail = await _open(alice, "Puissance souscrite")
    await press_and_wait(alice, detail, "✏️ Changer")
    assert (await answer(alice, "/cancel")).content.startswith("Annulé")
    assert "Je n'ai pas compris" in (await answer(alice, "12")).content
    assert bot.services.settings.contract_power_kva == before
    assert not bot.services.preferences.overridden("contract_power_kva")


async def test_dialog_survives_a_restart_and_the_value_persists(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    detail = await _open(alice, "Alerte température")
    await press_and_wait(alice, detail, "✏️ Changer")
    async with restarted(bot):
        done = await answer(alice, "50 °C")
        assert "Valeur : 50 °C" in done.content
        assert bot.services.fleet.rules.thresholds.high_temperature_c == 50.0
    async with restarted(bot):
        assert bot.services.settings.high_temperature_alert_c == 50.0
        await alice.send("/reglages")
        assert "Alerte température : 50 °C ✏️" in (await alice.next_message()).content
    no_bot_errors(caplog)


async def test_english_admin_gets_english_refusals(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice", "en")
    detail = await _open(alice, "Precharge target")
    await press_and_wait(alice, detail, "✏️ Change")
    reply = await answer(alice, "10")
    assert "10 is out of range: pick a value from 20% to 100%" in reply.content
    done = await answer(alice, "80")
    assert "Setting « Precharge target » saved" in done.content
    assert "Changed by you on 14/01/2026" in done.content
    assert bot.services.settings.precharge_target_soc_pct == 80.0
