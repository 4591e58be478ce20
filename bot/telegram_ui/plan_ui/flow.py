"""/plan and the household's orders: pause until a time, force a charge or a discharge for a
duration ("tap again to confirm"), resume, dry run on/off. Each order shows when it ends."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, time, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.charts import render_plan
from bot.execution.overrides import StoredOverride
from bot.telegram_ui import format as fmt
from bot.telegram_ui import keyboards
from bot.telegram_ui.access import is_admin, require_admin
from bot.telegram_ui.callbacks import encode_feature
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.handlers import edit, reply
from bot.telegram_ui.i18n import Lang, t
from bot.telegram_ui.plan_ui.view import plan_series, render_plan_text
from bot.tempo import tempo_day_at

_log = logging.getLogger(__name__)

CODE = "pl"
POWERS_W = (1000, 2500)
DURATIONS_MIN = (30, 60, 120)
PAUSE_HOURS = (1, 3)
MAX_PAUSE = timedelta(hours=48)
CONFIRM_WINDOW = timedelta(minutes=2)


def _data(*args: object) -> str:
    return encode_feature(CODE, *args)


def _menu(lang: Lang, *, admin: bool, dry_run: bool) -> InlineKeyboardMarkup:
    first = [keyboards.button(t(lang, "plan.button.refresh"), _data("r"))]
    if not admin:
        return keyboards.rows(first)
    return keyboards.rows(
        first,
        [
            keyboards.button(t(lang, "plan.button.pause"), _data("p")),
            keyboards.button(t(lang, "plan.button.resume"), _data("res")),
        ],
        [
            keyboards.button(t(lang, "plan.button.charge"), _data("f", "c")),
            keyboards.button(t(lang, "plan.button.discharge"), _data("f", "d")),
        ],
        [
            keyboards.button(
                t(lang, "plan.button.dry_off" if dry_run else "plan.button.dry_on"),
                _data("dry", 0 if dry_run else 1),
            )
        ],
    )


async def _text(update: Update, context: Context) -> str:
    svc = services(context)
    lang = user_lang(update, context)
    executor = svc.executor
    if executor is None:
        return t(lang, "plan.disabled")
    plan = executor.plan or await executor.replan()
    now = svc.clock.now()
    return render_plan_text(
        plan,
        overrides=await executor.overrides.active(now),
        now=now,
        tz=svc.settings.tz,
        lang=lang,
        dry_run=svc.settings.dry_run,
    )


async def plan_command(update: Update, context: Context) -> None:
    """/plan: the next 48 h as text (what, when, why) and as a chart."""
    svc = services(context)
    lang = user_lang(update, context)
    markup = _menu(lang, admin=is_admin(update, context), dry_run=svc.settings.dry_run)
    await reply(update, context, await _text(update, context), markup)
    executor, chat = svc.executor, update.effective_chat
    if executor is None or executor.plan is None or chat is None:
        return
    today = tempo_day_at(svc.clock.now(), svc.settings.tz)
    colors = await svc.tempo.known_colors(today - timedelta(days=1), today + timedelta(days=3))
    try:
        png = await asyncio.to_thread(
            render_plan, plan_series(executor.plan, colors), lang, tz=svc.settings.tz
        )
        await context.bot.send_photo(chat.id, png, caption=t(lang, "plan.chart_caption"))
    except (TelegramError, ValueError) as err:
        _log.warning("could not send the plan chart: %s", err)


async def on_button(update: Update, context: Context, args: tuple[str, ...]) -> None:
    """Route the plan's buttons; anything not offered does nothing."""
    query = update.callback_query
    if query is None:
        return
    lang = user_lang(update, context)
    svc = services(context)
    op = args[0] if args else ""
    if op == "r" and len(args) == 1:
        await query.answer()
        await edit(
            update,
            await _text(update, context),
            _menu(lang, admin=is_admin(update, context), dry_run=svc.settings.dry_run),
        )
        return
    if not await require_admin(update, context):
        return
    if svc.executor is None:
        await query.answer(t(lang, "plan.disabled"), show_alert=True)
        return
    handler = {
        "p": _pick_pause,
        "pu": _pause,
        "f": _pick_power,
        "fp": _pick_duration,
        "fd": _confirm,
        "ok": _force,
        "res": _resume,
        "dry": _dry,
    }.get(op)
    if handler is None or not await handler(update, context, args[1:], lang):
        await query.answer(t(lang, "error.stale_button"))


async def _pick_pause(update: Update, context: Context, args: tuple[str, ...], lang: Lang) -> bool:
    if args:
        return False
    svc = services(context)
    now = svc.clock.now()
    local = now.astimezone(svc.settings.tz)
    ends = [now + timedelta(hours=h) for h in PAUSE_HOURS]
    for wall in (time(22, 0), time(6, 0)):
        end = datetime.combine(local.date(), wall, svc.settings.tz)
        while end <= local:
            end += timedelta(days=1)
        ends.append(end)
    buttons = [
        keyboards.button(
            t(lang, "plan.until_hours", n=PAUSE_HOURS[i])
            if i < len(PAUSE_HOURS)
            else t(
                lang, "plan.until_time", time=fmt.clock_time(end.astimezone(svc.settings.tz), lang)
            ),
            _data("pu", int(end.timestamp())),
        )
        for i, end in enumerate(ends)
    ]
    await update.callback_query.answer()  # type: ignore[union-attr]
    await edit(
        update,
        t(lang, "plan.pick_pause"),
        keyboards.rows(buttons[:2], buttons[2:], keyboards.back_cancel(lang, None)),
    )
    return True


async def _pause(update: Update, context: Context, args: tuple[str, ...], lang: Lang) -> bool:
    if len(args) != 1 or not args[0].isdigit():
        return False
    svc = services(context)
    now = svc.clock.now()
    end = datetime.fromtimestamp(int(args[0]), tz=now.tzinfo)
    if not now < end <= now + MAX_PAUSE:
        return False
    await _add(
        update, context, StoredOverride(kind="pause", start=now, end=end, by=_who(update)), lang
    )
    return True


async def _pick_power(update: Update, context: Context, args: tuple[str, ...], lang: Lang) -> bool:
    if len(args) != 1 or args[0] not in ("c", "d"):
        return False
    kind = args[0]
    buttons = [
        keyboards.button(_what(kind, power, lang), _data("fp", kind, power)) for power in POWERS_W
    ]
    await update.callback_query.answer()  # type: ignore[union-attr]
    await edit(
        update,
        t(lang, "plan.pick_power"),
        keyboards.rows(buttons, keyboards.back_cancel(lang, None)),
    )
    return True


async def _pick_duration(
    update: Update, context: Context, args: tuple[str, ...], lang: Lang
) -> bool:
    parsed = _kind_power(args[:2]) if len(args) == 2 else None
    if parsed is None:
        return False
    kind, power = parsed
    buttons = [
        keyboards.button(
            t(lang, "mode.minutes", n=m) if m < 60 else t(lang, "mode.hours", n=m // 60),
            _data("fd", kind, power, m),
        )
        for m in DURATIONS_MIN
    ]
    await update.callback_query.answer()  # type: ignore[union-attr]
    await edit(
        update,
        t(lang, "plan.pick_duration", what=_what(kind, power, lang)),
        keyboards.rows(buttons, keyboards.back_cancel(lang, None)),
    )
    return True


async def _confirm(update: Update, context: Context, args: tuple[str, ...], lang: Lang) -> bool:
    parsed = _kind_power(args[:2]) if len(args) == 3 else None
    if parsed is None or not args[2].isdigit() or int(args[2]) not in DURATIONS_MIN:
        return False
    kind, power = parsed
    svc = services(context)
    now = svc.clock.now()
    expires = int((now + CONFIRM_WINDOW).timestamp())
    until = fmt.clock_time(
        (now + timedelta(minutes=int(args[2]))).astimezone(svc.settings.tz), lang
    )
    markup = keyboards.rows(
        [keyboards.button(t(lang, "button.confirm"), _data("ok", kind, power, args[2], expires))],
        keyboards.back_cancel(lang, None),
    )
    await update.callback_query.answer()  # type: ignore[union-attr]
    await edit(update, t(lang, "plan.confirm", what=_what(kind, power, lang), until=until), markup)
    return True


async def _force(update: Update, context: Context, args: tuple[str, ...], lang: Lang) -> bool:
    parsed = _kind_power(args[:2]) if len(args) == 4 else None
    if (
        parsed is None
        or not all(a.isdigit() for a in args[2:])
        or int(args[2]) not in DURATIONS_MIN
    ):
        return False
    kind, power = parsed
    svc = services(context)
    now = svc.clock.now()
    if now.timestamp() > int(args[3]):
        await update.callback_query.answer(t(lang, "error.expired_confirmation"), show_alert=True)  # type: ignore[union-attr]
        await edit(update, t(lang, "error.expired_confirmation"))
        return True
    order = StoredOverride(
        kind="charge" if kind == "c" else "discharge",
        start=now,
        end=now + timedelta(minutes=int(args[2])),
        power_w=power,
        by=_who(update),
    )
    await _add(update, context, order, lang)
    return True


async def _resume(update: Update, context: Context, args: tuple[str, ...], lang: Lang) -> bool:
    if args:
        return False
    svc = services(context)
    assert svc.executor is not None  # noqa: S101 - checked by the router
    count = await svc.executor.overrides.clear(svc.clock.now(), by=_who(update))
    svc.request_replan()
    await update.callback_query.answer()  # type: ignore[union-attr]
    await edit(update, t(lang, "plan.resumed", n=count))
    return True


async def _dry(update: Update, context: Context, args: tuple[str, ...], lang: Lang) -> bool:
    if len(args) != 1 or args[0] not in ("0", "1"):
        return False
    svc = services(context)
    on = args[0] == "1"
    await svc.preferences.set("dry_run", on, by=_who(update))
    svc.request_replan()
    await update.callback_query.answer()  # type: ignore[union-attr]
    await edit(update, t(lang, "plan.dry_set_on" if on else "plan.dry_set_off"))
    return True


async def _add(update: Update, context: Context, order: StoredOverride, lang: Lang) -> None:
    svc = services(context)
    assert svc.executor is not None  # noqa: S101 - checked by the router
    await svc.executor.overrides.add(order, svc.clock.now())
    svc.request_replan()
    what = t(lang, f"plan.override.{order.kind}", power=fmt.power(order.power_w or 0, lang))
    until = fmt.clock_time(order.end.astimezone(svc.settings.tz), lang)
    await update.callback_query.answer()  # type: ignore[union-attr]
    await edit(update, t(lang, "plan.done", what=what, until=until))


def _kind_power(args: tuple[str, ...]) -> tuple[str, int] | None:
    if len(args) != 2 or args[0] not in ("c", "d") or not args[1].isdigit():
        return None
    power = int(args[1])
    return (args[0], power) if power in POWERS_W else None


def _what(kind: str, power: int, lang: Lang) -> str:
    key = "plan.override.charge" if kind == "c" else "plan.override.discharge"
    return t(lang, key, power=fmt.power(power, lang))


def _who(update: Update) -> str:
    user = update.effective_user
    return str(user.id) if user else "?"


__all__ = ["InlineKeyboardButton", "on_button", "plan_command"]
