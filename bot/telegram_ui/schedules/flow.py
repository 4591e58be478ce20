"""/horaires: list the household's schedule rules; admins add, change, switch and delete them.

Buttons carry ``v1|sc|<action>|args``. Every argument is checked here and against the stored
rules and the open dialog: a forged or stale press changes nothing and shows the list again.
Deleting needs a second tap within two minutes.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Update

from bot.storage.models import ScheduleRule
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.handlers import edit
from bot.telegram_ui.i18n import t
from bot.telegram_ui.schedules import conversation, views
from bot.telegram_ui.schedules.draft import EDIT_FIELDS, Draft
from bot.telegram_ui.schedules.editor import (
    battery_names,
    delete_rule,
    enable_conflict,
    record_change,
)
from bot.telegram_ui.schedules.screens import (
    list_screen,
    overlap_note,
    reader_id,
    rule_screen,
    show,
    stale,
)

MAX_RULES = 30
DELETE_WINDOW = timedelta(minutes=2)
_ID = re.compile(r"^[0-9]{1,9}$")
_INSTANT = re.compile(r"^[0-9]{1,12}$")

ButtonStep = Callable[[Update, Context, tuple[str, ...]], Awaitable[None]]


async def schedules_command(update: Update, context: Context) -> None:
    """/horaires: every rule; admins get the buttons to change them."""
    screen = await list_screen(update, context, user_lang(update, context))
    await show(update, context, screen, by_button=False)


async def _rule(update: Update, context: Context, arg: str) -> ScheduleRule | None:
    """The rule a button names, or None after showing the stale message."""
    rule = await services(context).storage.rules.get(int(arg)) if _ID.match(arg) else None
    if rule is None:
        await stale(update, context)
    return rule


async def _show_rule(update: Update, context: Context, rule: ScheduleRule, note: str = "") -> None:
    screen = await rule_screen(update, context, rule, user_lang(update, context))
    await show(update, context, screen.noted(note), by_button=True)


async def _on_list(update: Update, context: Context, _args: tuple[str, ...]) -> None:
    await conversation.close(update, context)
    await show(
        update,
        context,
        await list_screen(update, context, user_lang(update, context)),
        by_button=True,
    )


async def _on_rule(update: Update, context: Context, args: tuple[str, ...]) -> None:
    await conversation.close(update, context)
    rule = await _rule(update, context, args[0])
    if rule is not None:
        await _show_rule(update, context, rule)


async def _on_toggle(update: Update, context: Context, args: tuple[str, ...]) -> None:
    rule = await _rule(update, context, args[0])
    if rule is None:
        return
    lang = user_lang(update, context)
    if not rule.enabled:
        other = await enable_conflict(context, rule)
        if other is not None:
            await _show_rule(update, context, rule, await overlap_note(context, other, lang))
            return
    changed = await services(context).storage.rules.set_enabled(rule.id, not rule.enabled)
    action = "enabled" if changed.enabled else "disabled"
    await record_change(context, rule.id, action, reader_id(update))
    await _show_rule(update, context, changed, t(lang, f"schedules.done.{action}", rule_id=rule.id))


async def _on_delete(update: Update, context: Context, args: tuple[str, ...]) -> None:
    rule = await _rule(update, context, args[0])
    if rule is None:
        return
    lang = user_lang(update, context)
    expires = int((services(context).clock.now() + DELETE_WINDOW).timestamp())
    line = views.rule_line(rule, await battery_names(context), lang)
    text = t(lang, "schedules.confirm_delete", rule_id=rule.id, rule=line)
    await edit(update, text, views.delete_keyboard(rule, expires, lang))


async def _on_delete_confirmed(update: Update, context: Context, args: tuple[str, ...]) -> None:
    if not _INSTANT.match(args[1]):
        await stale(update, context)
        return
    rule = await _rule(update, context, args[0])
    if rule is None:
        return
    lang = user_lang(update, context)
    if services(context).clock.now().timestamp() > int(args[1]):
        await _show_rule(update, context, rule, t(lang, "schedules.delete_expired"))
        return
    await delete_rule(context, rule.id, reader_id(update))
    note = t(lang, "schedules.done.deleted", rule_id=rule.id)
    await show(
        update, context, (await list_screen(update, context, lang)).noted(note), by_button=True
    )


async def _on_add(update: Update, context: Context, _args: tuple[str, ...]) -> None:
    lang = user_lang(update, context)
    if len(await services(context).storage.rules.list_all()) >= MAX_RULES:
        note = t(lang, "schedules.error.too_many", limit=MAX_RULES)
        screen = (await list_screen(update, context, lang)).noted("⚠️ " + note)
        await show(update, context, screen, by_button=True)
        return
    await conversation.ask(update, context, "battery", Draft(), by_button=True)


async def _on_edit(update: Update, context: Context, args: tuple[str, ...]) -> None:
    await conversation.close(update, context)
    rule = await _rule(update, context, args[0])
    if rule is None:
        return
    lang = user_lang(update, context)
    line = views.rule_line(rule, await battery_names(context), lang)
    await edit(
        update, f"{line}\n\n{t(lang, 'schedules.pick_field')}", views.edit_keyboard(rule, lang)
    )


async def _on_field(update: Update, context: Context, args: tuple[str, ...]) -> None:
    rule = await _rule(update, context, args[0])
    if rule is None:
        return
    draft = Draft.from_rule(rule)
    field = args[1]
    needs_power = draft.mode is not None and draft.mode.needs_power
    unknown_mode = draft.mode is None and field != "mode"
    if unknown_mode or field not in EDIT_FIELDS or (field == "power" and not needs_power):
        await stale(update, context)
        return
    await conversation.ask(update, context, field, draft, by_button=True)


# action → (argument count, handler); the answer buttons check their own arguments.
_STEPS: dict[str, tuple[int | None, ButtonStep]] = {
    "l": (0, _on_list),
    "r": (1, _on_rule),
    "a": (0, _on_add),
    "t": (1, _on_toggle),
    "d": (1, _on_delete),
    "dd": (2, _on_delete_confirmed),
    "e": (1, _on_edit),
    "f": (2, _on_field),
    **dict.fromkeys(("b", "dy", "m", "p", "g", "s"), (None, conversation.on_answer_button)),
}


async def on_button(update: Update, context: Context, args: tuple[str, ...]) -> None:
    """Route a schedules button (admins only: the router checked it)."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    entry = _STEPS.get(args[0]) if args else None
    if entry is None or (entry[0] is not None and len(args) - 1 != entry[0]):
        await stale(update, context)
        return
    count, step = entry
    await step(update, context, args if count is None else args[1:])
