"""/batteries: the watched batteries and their state; for admins, discover, add, rename, remove.

Buttons (all admin-only): ``l`` list, ``d`` discover, ``a|<mac>`` add a battery found by the
last discovery, ``ad`` keep the proposed name, ``r|<ref>`` rename, ``x|<ref>`` remove (asks
again), ``xx|<ref>|<expires>`` the confirmed removal. ``<ref>`` is ``<index>|<crc>`` (see
:mod:`.view`). Names are typed in a dialog (:mod:`.dialogs`), so it survives a restart.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Update

from bot.monitor.manager import BatteryError
from bot.telegram_ui import format as fmt
from bot.telegram_ui import keyboards
from bot.telegram_ui.access import is_admin
from bot.telegram_ui.batteries_ui import dialogs
from bot.telegram_ui.batteries_ui.listing import CODE, list_markup, list_text, show_list, stale
from bot.telegram_ui.batteries_ui.view import (
    Found,
    discovery_json,
    found_line,
    resolve_ref,
    watched_as,
)
from bot.telegram_ui.callbacks import encode_feature
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.handlers import edit, reply
from bot.telegram_ui.i18n import Lang, t

_log = logging.getLogger(__name__)

CONFIRM_WINDOW = timedelta(minutes=2)
# The simulator answers at once: no need to listen for the real LAN's ~9 s.
SIMULATED_WINDOW_S = 2.0
_EXPIRY = re.compile(r"^[0-9]{1,12}$")


async def batteries_command(update: Update, context: Context) -> None:
    """/batteries: the list (with actions for admins)."""
    lang = user_lang(update, context)
    admin = is_admin(update, context)
    await reply(update, context, list_text(context, lang), list_markup(context, lang, admin=admin))


async def on_button(update: Update, context: Context, args: tuple[str, ...]) -> None:
    """Route a ``bt`` button (the router already refused non-admins)."""
    query = update.callback_query
    if query is None:
        return
    lang = user_lang(update, context)
    names = services(context).fleet.names
    action, rest = (args[0], args[1:]) if args else ("", ())
    if action == "l" and not rest:
        await query.answer()
        await show_list(update, context, lang)
    elif action == "d" and not rest:
        await query.answer()
        await _discover(update, context, lang)
    elif action == "a" and len(rest) == 1:
        await dialogs.start_add(update, context, rest[0], lang)
    elif action == "ad" and not rest:
        await dialogs.accept_default(update, context, lang)
    elif action in ("r", "x") and len(rest) == 2 and (name := resolve_ref(*rest, names)):
        await query.answer()
        if action == "r":
            await dialogs.start_rename(update, context, name, lang)
        else:
            await _ask_remove(update, context, name, rest, lang)
    elif action == "xx" and len(rest) == 3:
        await _remove(update, context, rest, lang)
    else:
        await stale(update, context, lang)


async def _discover(update: Update, context: Context, lang: Lang) -> None:
    svc = services(context)
    simulated = svc.simulator is not None
    window_s = SIMULATED_WINDOW_S if simulated else svc.settings.discovery_window_s
    port = svc.simulator.port if svc.simulator is not None else svc.settings.api_port
    await edit(update, t(lang, "batteries.searching", seconds=fmt.number(window_s, lang)))
    user_id = update.effective_user.id if update.effective_user else "?"

    async def run() -> None:
        try:
            devices = await svc.batteries.discover(
                broadcast=svc.discovery_broadcast, port=port, window_s=window_s
            )
        except BatteryError as err:
            _log.warning("discovery from the chat failed: %s", err)
            text = t(lang, "batteries.discover_failed", reason=fmt.escape(err))
            await edit(update, text, _after_discovery([], lang))
            return
        found = [Found.of(device) for device in devices]
        await svc.storage.settings.set(
            dialogs.DISCOVERED_KEY, discovery_json(found, svc.clock.now()), by=user_id
        )
        markup = _after_discovery(_unwatched(context, found), lang)
        await edit(update, discovery_text(context, found, port, lang), markup)

    # A real discovery listens for ~9 s: do not hold the update meanwhile.
    context.application.create_task(run(), update=update, name=f"discover:{user_id}")


def discovery_text(context: Context, found: list[Found], port: int, lang: Lang) -> str:
    """Who answered, and which of them are already watched."""
    if not found:
        return t(lang, "batteries.found_none", port=port)
    snaps = services(context).fleet.snapshots()
    lines = [t(lang, "batteries.found_title", n=len(found))]
    lines += [found_line(item, watched_as(item, snaps), lang) for item in found]
    return "\n".join(lines)


def _after_discovery(found: list[Found], lang: Lang) -> InlineKeyboardMarkup:
    add_rows = [
        [
            keyboards.button(
                t(lang, "batteries.button.add", model=item.model, host=item.host),
                encode_feature(CODE, "a", item.mac),
            )
        ]
        for item in found
    ]
    return keyboards.rows(
        *add_rows,
        [
            keyboards.button(t(lang, "batteries.button.discover_again"), encode_feature(CODE, "d")),
            keyboards.button(t(lang, "batteries.button.list"), encode_feature(CODE, "l")),
        ],
    )


def _unwatched(context: Context, found: list[Found]) -> list[Found]:
    snaps = services(context).fleet.snapshots()
    return [item for item in found if watched_as(item, snaps) is None]


async def _ask_remove(
    update: Update, context: Context, name: str, ref: tuple[str, ...], lang: Lang
) -> None:
    svc = services(context)
    snap = svc.fleet.snapshot(name)
    expires = int((svc.clock.now() + CONFIRM_WINDOW).timestamp())
    markup = keyboards.rows(
        [
            keyboards.button(
                t(lang, "batteries.button.confirm_remove"),
                encode_feature(CODE, "xx", *ref, expires),
            )
        ],
        keyboards.back_cancel(lang, encode_feature(CODE, "l")),
    )
    text = t(
        lang,
        "batteries.confirm_remove",
        name=fmt.escape(name),
        address=fmt.escape(f"{snap.host}:{snap.port}"),
    )
    await edit(update, text, markup)


async def _remove(update: Update, context: Context, args: tuple[str, ...], lang: Lang) -> None:
    query = update.callback_query
    if query is None:
        return
    svc = services(context)
    index, crc, expires = args
    if not _EXPIRY.match(expires):
        await stale(update, context, lang)
        return
    if svc.clock.now().timestamp() > int(expires):
        await query.answer(t(lang, "batteries.expired"), show_alert=True)
        await show_list(update, context, lang, t(lang, "batteries.expired") + "\n\n")
        return
    name = resolve_ref(index, crc, svc.fleet.names)
    if name is None:
        await stale(update, context, lang)
        return
    await query.answer()
    try:
        await svc.batteries.remove(name)
    except BatteryError as err:
        await show_list(update, context, lang, f"❌ {fmt.escape(err)}\n\n")
        return
    removed = t(lang, "batteries.removed", name=fmt.escape(name))
    await show_list(update, context, lang, removed + "\n\n")
