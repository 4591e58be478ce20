"""/batteries through the fake Bot API: list, discover on loopback, add, rename, remove."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from bot.marstek.simulator import Simulator
from bot.monitor.manager import REMOVED_KEY
from bot.telegram_ui.batteries_ui.view import name_crc, pretty_mac
from tests.e2e.conftest import ADMIN_ID, VIEWER_ID, Bot, until_polled
from tests.e2e.data_helpers import assert_no_bot_errors, human_pause, registered, restart
from tests.fakes.telegram_user import FakeUser
from tests.fakes.telegram_values import ChatMessage

VENUSES = ["Venus 1", "Venus 2", "Venus 3"]


@pytest.fixture(autouse=True)
def _no_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert_no_bot_errors(caplog)


@pytest.fixture
async def restartable(bot: Bot) -> AsyncIterator[Bot]:
    """The bot, stopped at the end whichever runtime a restart left running."""
    yield bot
    await bot.runtime.stop()


def simulator(bot: Bot) -> Simulator:
    sim = bot.services.simulator
    assert sim is not None
    return sim


async def open_list(bot: Bot, user: FakeUser) -> ChatMessage:
    await until_polled(bot)
    await user.send("/batteries")
    return await user.next_message()


async def remove_venus_3(alice: FakeUser, listing: ChatMessage) -> ChatMessage:
    await alice.press(listing, "🗑 Venus 3")
    confirm = await alice.wait_for_edit(listing)
    await alice.press(confirm, "🗑 Confirmer le retrait")
    return await alice.wait_for_edit(confirm)


async def discover(
    alice: FakeUser, message: ChatMessage, button: str = "🔍 Rechercher sur le réseau"
) -> ChatMessage:
    await alice.press(message, button)
    searching = await alice.wait_for_edit(message)
    assert "Recherche des batteries" in searching.content
    return await alice.wait_for_edit(searching, timeout=10)


async def test_list_shows_address_model_firmware_state_and_admin_actions(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    listing = await open_list(bot, alice)
    sim = simulator(bot)
    text = listing.content
    assert "Batteries suivies (3)" in text
    for name, unit in zip(VENUSES, sim.units, strict=True):
        assert f"{name} — {unit.host}:{sim.port}" in text
    assert f"firmware {sim.units[0].config.profile.version}" in text
    assert "✅" in text
    labels = [label for label, _ in listing.buttons()]
    assert labels == [
        *(f"{icon} {name}" for name in VENUSES for icon in ("✏️", "🗑")),
        "🔍 Rechercher sur le réseau",
        "🔄 Actualiser",
    ]


async def test_viewer_reads_the_list_but_cannot_discover_or_remove(bot: Bot) -> None:
    bob = bot.user(VIEWER_ID, "Bob", "en")
    listing = await open_list(bot, bob)
    assert "Watched batteries (3)" in listing.content
    assert listing.buttons() == []
    for data in ("v1|bt|d", f"v1|bt|xx|2|{name_crc('Venus 3')}|9999999999"):
        query = await bob.press_forged(data, message=listing)
        answer = await bob.wait_for_answer(query)
        assert answer.text is not None
        assert "Read-only" in answer.text
    assert bot.services.fleet.names == VENUSES
    assert await bot.services.storage.settings.get("batteries.discovered") is None
    assert not any(r.via_broadcast for u in simulator(bot).units for r in u.recent_requests)


async def test_remove_needs_a_second_tap_then_discover_and_add_back(bot: Bot) -> None:
    ids = await registered(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    listing = await open_list(bot, alice)
    await alice.press(listing, "🗑 Venus 3")
    confirm = await alice.wait_for_edit(listing)
    assert "Retirer Venus 3" in confirm.content
    assert "historique est gardé" in confirm.content
    assert bot.services.fleet.names == VENUSES  # one tap changes nothing
    await alice.press(confirm, "🗑 Confirmer le retrait")
    removed = await alice.wait_for_edit(confirm)
    assert "Venus 3 n'est plus suivie" in removed.content
    assert "Batteries suivies (2)" in removed.content
    assert bot.services.fleet.names == VENUSES[:2]
    active = {b.id for b in await bot.services.storage.batteries.list_active()}
    assert ids["Venus 3"] not in active
    sim = simulator(bot)
    third = sim.units[2]
    assert await bot.services.storage.settings.get(REMOVED_KEY) == [f"{third.host}:{sim.port}"]

    found = await discover(alice, removed)
    assert any(r.via_broadcast for r in third.recent_requests)  # 127.255.255.255 only
    text = found.content
    assert "3 batterie(s) ont répondu" in text
    assert f"MAC {pretty_mac(third.config.ble_mac)}" in text
    assert f"{third.host}:{sim.port}" in text
    assert f"firmware {third.config.profile.version}" in text
    assert "déjà suivie : Venus 1" in text
    assert "déjà suivie : Venus 2" in text
    adds = [label for label, _ in found.buttons() if label.startswith("➕")]
    assert adds == [f"➕ Ajouter {third.config.profile.model} ({third.host})"]

    await alice.press(found, adds[0])
    question = await alice.wait_for_edit(found)
    assert "Nouvelle batterie" in question.content
    assert "✅ Venus 3" in [label for label, _ in question.buttons()]
    await alice.send_text("Venus 1")
    refusal = await alice.next_message()
    assert "❌ Une batterie s'appelle déjà « Venus 1 »." in refusal.content
    assert bot.services.fleet.names == VENUSES[:2]
    await alice.send_text("  Garage   <b>sud</b> ")
    added = await alice.next_message()
    assert "Garage <b>sud</b> est ajoutée" in added.content  # shown as typed, not as HTML
    assert bot.services.fleet.names == ["Venus 1", "Venus 2", "Garage <b>sud</b>"]
    assert bot.services.fleet.snapshot("Garage <b>sud</b>").host == third.host
    assert await bot.services.storage.settings.get(REMOVED_KEY) == []
    assert alice.current(question).buttons() == []  # the question's buttons are gone
    await bot.telegram.wait_until(
        lambda: bot.services.fleet.snapshot("Garage <b>sud</b>").status,
        timeout_s=10,
        what="a first poll of the added battery",
    )


async def test_add_under_the_proposed_name_with_one_tap(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    listing = await open_list(bot, alice)
    found = await discover(alice, await remove_venus_3(alice, listing))
    add = next(label for label, _ in found.buttons() if label.startswith("➕"))
    await alice.press(found, add)
    question = await alice.wait_for_edit(found)
    await alice.press(question, "✅ Venus 3")
    added = await alice.next_message()
    assert "Venus 3 est ajoutée" in added.content
    assert bot.services.fleet.names == VENUSES
    assert await bot.telegram.wait_until(
        lambda: bot.services.fleet.snapshot("Venus 3").battery_id, timeout_s=10, what="id"
    )
    # The dialog is closed: the same button again is stale and adds nothing.
    query = await alice.press_forged("v1|bt|ad", message=question)
    assert (await alice.wait_for_answer(query)).text == (
        "Ce bouton n'est plus valable. Voici le menu à jour."
    )
    assert bot.services.fleet.names == VENUSES


REFUSED = [
    ("\u2800 \u2800", "Le nom ne peut pas être vide."),  # Braille blanks: look empty
    ("\u3164", "Le nom ne peut pas être vide."),  # a Hangul filler, the same trick
    ("9" * 500, "Le nom est trop long (500 caractères, 40 au plus)."),
    ("Cave" + "x" * 37, "Le nom est trop long (41 caractères, 40 au plus)."),
    ("Ca\u200bve", "Le nom contient des caractères invisibles ou de contrôle."),
    ("Ca\u0007ve", "Le nom contient des caractères invisibles ou de contrôle."),
    ("/garage", "Un nom ne peut pas commencer par « / » (c'est une commande)."),
    ("Venus 1", "Une batterie s'appelle déjà « Venus 1 »."),
    ("  Venus   3 ", "Une batterie s'appelle déjà « Venus 3 »."),
]


async def test_rename_refuses_bad_names_precisely_and_changes_nothing(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    listing = await open_list(bot, alice)
    await alice.press(listing, "✏️ Venus 2")
    question = await alice.wait_for_edit(listing)
    assert "Nouveau nom pour Venus 2" in question.content
    for typed, reason in REFUSED:
        human_pause(bot)
        await alice.send_text(typed)
        refusal = await alice.next_message()
        assert refusal.content == f"❌ {reason}\nEnvoyez un autre nom, ou /cancel pour abandonner."
        assert bot.services.fleet.names == VENUSES
    human_pause(bot)
    await alice.send_text("Батарея ☀️ & <i>Cie</i>")
    renamed = await alice.next_message()
    assert "« Venus 2 » s'appelle maintenant Батарея ☀️ & <i>Cie</i>." in renamed.content
    assert sorted(bot.services.fleet.names) == ["Venus 1", "Venus 3", "Батарея ☀️ & <i>Cie</i>"]
    battery_id = bot.services.fleet.snapshot("Батарея ☀️ & <i>Cie</i>").battery_id
    assert battery_id is not None
    stored = await bot.services.storage.batteries.get(battery_id)
    assert stored is not None
    assert stored.name == "Батарея ☀️ & <i>Cie</i>"
    # The dialog is over: the next text is not a name any more.
    await alice.send_text("Encore")
    assert "Je n'ai pas compris" in (await alice.next_message()).content
    assert "Батарея ☀️ & <i>Cie</i>" in bot.services.fleet.names


async def test_cancel_mid_dialog_closes_it(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    listing = await open_list(bot, alice)
    await alice.press(listing, "✏️ Venus 1")
    await alice.wait_for_edit(listing)
    await alice.send("/cancel")
    assert "Annulé" in (await alice.next_message()).content
    await alice.send_text("Garage")
    assert "Je n'ai pas compris" in (await alice.next_message()).content
    assert bot.services.fleet.names == VENUSES
    assert await bot.services.storage.settings.get(f"dialog:{ADMIN_ID}") is None


async def test_rename_dialog_survives_a_restart(restartable: Bot) -> None:
    bot = restartable
    alice = bot.user(ADMIN_ID, "Alice")
    listing = await open_list(bot, alice)
    await alice.press(listing, "✏️ Venus 2")
    await alice.wait_for_edit(listing)
    await restart(bot)
    await until_polled(bot)
    await alice.send_text("Atelier")
    renamed = await alice.next_message(timeout=10)
    assert "« Venus 2 » s'appelle maintenant Atelier." in renamed.content
    assert sorted(bot.services.fleet.names) == ["Atelier", "Venus 1", "Venus 3"]


FORGED = [
    (f"v1|bt|xx|2|{name_crc('Venus 2')}|9999999999", "Ce bouton n'est plus valable."),
    ("v1|bt|xx|2|deadbeef|9999999999", "Ce bouton n'est plus valable."),
    (f"v1|bt|xx|2|{name_crc('Venus 3')}|1000", "⌛ Confirmation expirée"),
    (f"v1|bt|xx|2|{name_crc('Venus 3')}|99999999999999", "Ce bouton n'est plus valable."),
    (f"v1|bt|x|7|{name_crc('Venus 3')}", "Ce bouton n'est plus valable."),
    ("v1|bt|r|0|0000000g", "Ce bouton n'est plus valable."),
    ("v1|bt|a|0c587b17df01", "Cette recherche est trop ancienne"),
    ("v1|bt|a|not-a-mac", "Cette recherche est trop ancienne"),
    ("v1|bt|ad", "Ce bouton n'est plus valable."),
    ("v1|bt|zz", "Ce bouton n'est plus valable."),
    ("v1|bt", "Ce bouton n'est plus valable."),
]


async def test_forged_or_stale_buttons_change_nothing(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    for data, answer in FORGED:
        human_pause(bot)
        listing = await open_list(bot, alice)
        query = await alice.press_forged(data, message=listing)
        got = await alice.wait_for_answer(query)
        assert got.text is not None
        assert got.text.startswith(answer), data
        assert bot.services.fleet.names == VENUSES
        assert await bot.services.storage.settings.get(REMOVED_KEY) is None
        assert await bot.services.storage.settings.get(f"dialog:{ADMIN_ID}") is None


async def test_other_refusals_are_explained_and_change_nothing(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    listing = await open_list(bot, alice)
    # Typing the battery's own name: nothing to do, said so.
    await alice.press(listing, "✏️ Venus 1")
    await alice.wait_for_edit(listing)
    await alice.send_text(" Venus  1 ")
    same = await alice.next_message()
    assert "C'est déjà le nom de Venus 1 : rien n'a changé." in same.content
    assert bot.services.fleet.names == VENUSES

    # The battery disappears while its new name is being typed.
    human_pause(bot)
    listing = await open_list(bot, alice)
    await alice.press(listing, "✏️ Venus 2")
    await alice.wait_for_edit(listing)
    await bot.services.batteries.remove("Venus 2")
    await alice.send_text("Atelier")
    gone = await alice.next_message()
    assert gone.content == "La batterie « Venus 2 » n'est plus suivie : rien n'a changé."
    assert bot.services.fleet.names == ["Venus 1", "Venus 3"]

    # A search that cannot run says why.
    human_pause(bot)
    listing = await open_list(bot, alice)
    monkeypatch.setattr(bot.services, "discovery_broadcast", [])
    failed = await discover(alice, listing)
    assert failed.content.startswith("❌ La recherche n'a pas pu se faire : La recherche a échoué")

    # A battery added meanwhile by someone else cannot be added twice.
    monkeypatch.undo()
    human_pause(bot)
    found = await discover(alice, failed, "🔍 Relancer")
    add = next(label for label, _ in found.buttons() if label.startswith("➕"))
    await bot.services.batteries.add("Par Bob", simulator(bot).units[1].host, simulator(bot).port)
    query = await alice.press(found, add)
    answer = await alice.wait_for_answer(query)
    assert answer.text == "Cette batterie est déjà suivie sous le nom « Par Bob »."
    assert answer.show_alert
    assert bot.services.fleet.names == ["Venus 1", "Venus 3", "Par Bob"]
    assert await bot.services.storage.settings.get(f"dialog:{ADMIN_ID}") is None
