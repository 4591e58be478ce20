"""Changing a battery's mode with buttons: battery → mode → power → duration/window → confirm.

Everything that forces a charge or discharge (Passive, a manual slot with a power, UPS) needs a
second tap on "Confirm" within two minutes. The verified outcome per battery is shown at the end
(applied / refused / not confirmed / unreachable) — never a bare "OK". The state of the flow
lives in the buttons themselves, so it survives a restart of the bot.
"""

from __future__ import annotations

import logging
from datetime import time, timedelta

from telegram import InlineKeyboardButton, Update

from bot.control.service import BatteryOutcome, Outcome
from bot.marstek import AiMode, AutoMode, ManualSlot, ModeCommand, PassiveMode, UpsMode
from bot.marstek.commands import split_overnight
from bot.telegram_ui import format as fmt
from bot.telegram_ui import keyboards
from bot.telegram_ui.access import require_admin
from bot.telegram_ui.callbacks import Action, Callback, encode, encode_confirm
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.handlers import edit, reply
from bot.telegram_ui.i18n import Lang, t

_log = logging.getLogger(__name__)

ALL = "*"
CONFIRM_WINDOW = timedelta(minutes=2)
PASSIVE_POWERS_W = (-2500, -1000, -500, 500, 1000, 2500)
MANUAL_POWERS = ("-2500", "-1000", "-500", "sc", "500", "1000", "2500")
DURATIONS_S = (900, 1800, 3600)
WINDOWS = ("2200-0600", "0000-0600", "0600-2200", "1700-2200")
SIMPLE_MODES = ("auto", "ai")
# The bot writes its manual slots here (slot 9 is the app's hidden UPS slot).
BOT_SLOTS = (7, 8)


def _targets(context: Context, target: str) -> list[str] | None:
    names = services(context).fleet.names
    if target == ALL:
        return names
    if target.isdigit() and int(target) < len(names):
        return [names[int(target)]]
    return None


def _target_label(context: Context, target: str, lang: Lang) -> str:
    names = _targets(context, target) or []
    return t(lang, "button.all") if target == ALL else fmt.escape(", ".join(names))


def _power_label(power: str, lang: Lang) -> str:
    if power == "sc":
        return t(lang, "mode.self_consumption")
    watts = int(power)
    key = "mode.discharge_at" if watts > 0 else "mode.charge_at"
    return t(lang, key, power=fmt.power(abs(watts), lang))


def _window(window: str) -> tuple[time, time]:
    start, end = window.split("-")
    return time(int(start[:2]), int(start[2:])), time(int(end[:2]), int(end[2:]))


def _window_label(window: str, lang: Lang) -> str:
    start, end = _window(window)
    return f"{fmt.clock_time_of(start, lang)}–{fmt.clock_time_of(end, lang)}"


def _duration_label(seconds: int, lang: Lang) -> str:
    if seconds % 3600 == 0:
        return t(lang, "mode.hours", n=seconds // 3600)
    return t(lang, "mode.minutes", n=seconds // 60)


def commands_for(cb: Callback) -> list[ModeCommand]:
    """The device commands a final step asks for (raises ValueError on impossible values)."""
    if cb.action is Action.MODE_PICK:
        mode = cb.args[1]
        if mode == "auto":
            return [AutoMode()]
        if mode == "ai":
            return [AiMode()]
        if mode == "ups":
            return [UpsMode()]
        raise ValueError(mode)
    if cb.action is Action.PASSIVE_RUN:
        power, duration = cb.int_arg(1), cb.int_arg(2)
        if power not in PASSIVE_POWERS_W or duration not in DURATIONS_S:
            raise ValueError("passive values not offered")
        return [PassiveMode(power_w=power, duration_s=duration)]
    if cb.action is Action.MANUAL_RUN:
        power_text, window = cb.args[1], cb.args[2]
        if power_text not in MANUAL_POWERS or window not in WINDOWS:
            raise ValueError("manual values not offered")
        slot_power = None if power_text == "sc" else int(power_text)
        start, end = _window(window)
        pieces = split_overnight(start, end)
        return [
            ManualSlot(slot=slot, start=a, end=b, power_w=slot_power, weekdays=days)
            for slot, (a, b, days) in zip(BOT_SLOTS, pieces, strict=False)
        ]
    raise ValueError(cb.action)


def describe(cb: Callback, lang: Lang) -> str:
    """What a final step will do, in words."""
    if cb.action is Action.MODE_PICK:
        return t(lang, f"mode.describe.{cb.args[1]}")
    if cb.action is Action.PASSIVE_RUN:
        return t(
            lang,
            "mode.describe.passive",
            action=_power_label(cb.args[1], lang),
            duration=_duration_label(cb.int_arg(2), lang),
        )
    start, end = _window(cb.args[2])
    return t(
        lang,
        "mode.describe.manual",
        slot="/".join(map(str, BOT_SLOTS[: 1 + (start > end)])),
        start=fmt.clock_time_of(start, lang),
        end=fmt.clock_time_of(end, lang),
        action=_power_label(cb.args[1], lang),
    )


def forces(cb: Callback) -> bool:
    """Tell whether the step forces a charge or discharge (then it needs confirming)."""
    if cb.action is Action.MODE_PICK:
        return cb.args[1] == "ups"
    if cb.action is Action.MANUAL_RUN:
        return cb.args[1] != "sc"
    return cb.action is Action.PASSIVE_RUN


async def on_callback(update: Update, context: Context, cb: Callback) -> None:
    """Handle one step of the mode flow (admins only)."""
    if not await require_admin(update, context):
        return
    query = update.callback_query
    if query is None:
        return
    lang = user_lang(update, context)
    if cb.action is Action.MODE_START:
        await query.answer()
        await _pick_battery(update, context, lang)
        return
    target = cb.args[0]
    if _targets(context, target) is None:
        await query.answer(t(lang, "error.unknown_battery"), show_alert=True)
        return
    if cb.expires_at is not None:
        await _confirmed(update, context, cb, lang)
        return
    await query.answer()
    if cb.action is Action.MODE_TARGET:
        await _pick_mode(update, context, target, lang)
    elif cb.action is Action.MODE_PICK and cb.args[1] == "passive":
        await _pick_power(update, context, target, lang, Action.PASSIVE_POWER)
    elif cb.action is Action.MODE_PICK and cb.args[1] == "manual":
        await _pick_power(update, context, target, lang, Action.MANUAL_POWER)
    elif cb.action is Action.PASSIVE_POWER:
        await _pick_duration(update, context, cb, lang)
    elif cb.action is Action.MANUAL_POWER:
        await _pick_window(update, context, cb, lang)
    else:
        await _final_step(update, context, cb, lang)


def _battery_lines(context: Context, lang: Lang) -> list[list[InlineKeyboardButton]]:
    names = services(context).fleet.names
    lines = [
        [keyboards.button(fmt.escape(n), encode(Action.MODE_TARGET, i))]
        for i, n in enumerate(names)
    ]
    if len(names) > 1:
        lines.append([keyboards.button(t(lang, "button.all"), encode(Action.MODE_TARGET, ALL))])
    lines.append(keyboards.back_cancel(lang, None))
    return lines


async def mode_command(update: Update, context: Context) -> None:
    """/mode: start the flow in a new message."""
    if not await require_admin(update, context):
        return
    lang = user_lang(update, context)
    markup = keyboards.rows(*_battery_lines(context, lang))
    await reply(update, context, t(lang, "mode.pick_battery"), markup)


async def _pick_battery(update: Update, context: Context, lang: Lang) -> None:
    await _show(update, context, t(lang, "mode.pick_battery"), _battery_lines(context, lang))


async def _pick_mode(update: Update, context: Context, target: str, lang: Lang) -> None:
    lines = [
        [keyboards.button(t(lang, f"mode.{m}"), encode(Action.MODE_PICK, target, m))]
        for m in ("auto", "ai", "manual", "passive", "ups")
    ]
    lines.append(keyboards.back_cancel(lang, encode(Action.MODE_START)))
    await _show(
        update,
        context,
        t(lang, "mode.pick_mode", target=_target_label(context, target, lang)),
        lines,
    )


async def _pick_power(
    update: Update, context: Context, target: str, lang: Lang, step: Action
) -> None:
    powers = (
        [str(p) for p in PASSIVE_POWERS_W] if step is Action.PASSIVE_POWER else list(MANUAL_POWERS)
    )
    charge = [p for p in powers if p.startswith("-")]
    other = [p for p in powers if not p.startswith("-")]
    lines = [
        [keyboards.button(_power_label(p, lang), encode(step, target, p)) for p in group]
        for group in (charge, other)
    ]
    lines.append(keyboards.back_cancel(lang, encode(Action.MODE_TARGET, target)))
    key = "mode.pick_passive_power" if step is Action.PASSIVE_POWER else "mode.pick_manual_power"
    await _show(update, context, t(lang, key, target=_target_label(context, target, lang)), lines)


async def _pick_duration(update: Update, context: Context, cb: Callback, lang: Lang) -> None:
    target, power = cb.args
    if power not in {str(p) for p in PASSIVE_POWERS_W}:
        await _stale(update, context, lang)
        return
    lines = [
        [
            keyboards.button(_duration_label(d, lang), encode(Action.PASSIVE_RUN, target, power, d))
            for d in DURATIONS_S
        ],
        keyboards.back_cancel(lang, encode(Action.MODE_PICK, target, "passive")),
    ]
    text = t(
        lang,
        "mode.pick_passive_duration",
        target=_target_label(context, target, lang),
        action=_power_label(power, lang),
    )
    await _show(update, context, text, lines)


async def _pick_window(update: Update, context: Context, cb: Callback, lang: Lang) -> None:
    target, power = cb.args
    if power not in MANUAL_POWERS:
        await _stale(update, context, lang)
        return
    buttons = [
        keyboards.button(_window_label(w, lang), encode(Action.MANUAL_RUN, target, power, w))
        for w in WINDOWS
    ]
    lines = [
        buttons[:2],
        buttons[2:],
        keyboards.back_cancel(lang, encode(Action.MODE_PICK, target, "manual")),
    ]
    text = t(
        lang,
        "mode.pick_manual_window",
        target=_target_label(context, target, lang),
        action=_power_label(power, lang),
    )
    await _show(update, context, text, lines)


async def _final_step(update: Update, context: Context, cb: Callback, lang: Lang) -> None:
    try:
        commands_for(cb)
    except ValueError:
        await _stale(update, context, lang)
        return
    if not forces(cb):
        await _apply(update, context, cb, lang)
        return
    expires = int((services(context).clock.now() + CONFIRM_WINDOW).timestamp())
    target = cb.args[0]
    key = "mode.confirm_ups" if cb.action is Action.MODE_PICK else "mode.confirm"
    text = t(lang, key, target=_target_label(context, target, lang), action=describe(cb, lang))
    lines = [
        [keyboards.button(t(lang, "button.confirm"), encode_confirm(cb.action, expires, *cb.args))],
        keyboards.back_cancel(lang, encode(Action.MODE_TARGET, target)),
    ]
    await _show(update, context, text, lines)


async def _confirmed(update: Update, context: Context, cb: Callback, lang: Lang) -> None:
    query = update.callback_query
    if query is None or cb.expires_at is None:
        return
    if services(context).clock.now().timestamp() > cb.expires_at:
        await query.answer(t(lang, "error.expired_confirmation"), show_alert=True)
        await edit(update, t(lang, "error.expired_confirmation"))
        return
    try:
        commands_for(cb)
    except ValueError:
        await query.answer()
        await _stale(update, context, lang)
        return
    await query.answer()
    await _apply(update, context, cb, lang)


async def _apply(update: Update, context: Context, cb: Callback, lang: Lang) -> None:
    names = _targets(context, cb.args[0]) or []
    action = describe(cb, lang)
    target = _target_label(context, cb.args[0], lang)
    await edit(update, t(lang, "mode.sending", target=target, action=action))
    user_id = update.effective_user.id if update.effective_user else "?"

    async def run() -> None:
        outcomes = await services(context).control.apply(
            names, commands_for(cb), requested_by=user_id
        )
        await edit(update, render_outcomes(action, outcomes, lang))

    # Verification takes up to a minute: never block the other updates meanwhile.
    context.application.create_task(run(), update=update, name=f"apply:{user_id}")


def render_outcomes(action: str, outcomes: list[BatteryOutcome], lang: Lang) -> str:
    """The verified result per battery."""
    lines = [t(lang, "mode.result_title", action=action)]
    for outcome in outcomes:
        detail = fmt.escape((outcome.detail or "")[:120])
        lines.append(
            t(
                lang,
                f"mode.result.{outcome.outcome.value}",
                name=fmt.escape(outcome.battery),
                detail=detail,
            )
        )
    return "\n".join(lines)


async def _show(
    update: Update, context: Context, text: str, lines: list[list[InlineKeyboardButton]]
) -> None:
    await edit(update, text, keyboards.rows(*lines))


async def _stale(update: Update, context: Context, lang: Lang) -> None:
    await edit(update, t(lang, "error.stale_button"), keyboards.main_menu(lang, admin=True))


__all__ = ["Outcome", "commands_for", "describe", "forces", "on_callback", "render_outcomes"]
