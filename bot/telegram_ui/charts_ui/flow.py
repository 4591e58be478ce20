"""/graphiques: battery history (24 h / 7 j / 30 j, all batteries or one) and the Tempo season
calendar, sent as photos rendered off the event loop.

Buttons: ``v1|ch|m`` (menu), ``v1|ch|b|<battery id>`` (pick a period for one battery),
``v1|ch|h|<* or battery id>|<period>`` (send a history chart), ``v1|ch|cal`` (season calendar).
Anything else, or a battery no longer watched, only gets "this button is no longer valid".
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction

from bot.telegram_ui import format as fmt
from bot.telegram_ui import keyboards
from bot.telegram_ui.callbacks import encode_feature
from bot.telegram_ui.charts_ui.periods import PERIODS, ChartPeriod
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.handlers import edit, reply
from bot.telegram_ui.i18n import Lang, t
from bot.tempo.model import TempoColor
from bot.tempo.seasons import season_counters

CODE = "ch"
ALL = "*"
_BATTERY_ID = re.compile(r"^[0-9]{1,9}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """Which batteries a chart shows: ``key`` is ``*`` or a battery id."""

    key: str
    batteries: tuple[tuple[int, str], ...]


def _registered(context: Context) -> list[tuple[int, str]]:
    """Watched batteries that have a database id (hence a history), in fleet order."""
    return [
        (snap.battery_id, snap.name)
        for snap in services(context).fleet.snapshots()
        if snap.battery_id is not None
    ]


def resolve_target(key: str, registered: list[tuple[int, str]]) -> Target | None:
    """The target a button names, or None if it is malformed or no longer watched."""
    if key == ALL:
        return Target(key=ALL, batteries=tuple(registered))
    if not _BATTERY_ID.match(key):
        return None
    chosen = [(battery_id, name) for battery_id, name in registered if battery_id == int(key)]
    return Target(key=key, batteries=tuple(chosen)) if chosen else None


def _period_row(key: str, lang: Lang) -> list[InlineKeyboardButton]:
    return [
        keyboards.button(t(lang, f"charts.period.{code}"), encode_feature(CODE, "h", key, code))
        for code in PERIODS
    ]


def menu_markup(registered: list[tuple[int, str]], lang: Lang) -> InlineKeyboardMarkup:
    """The charts menu: all batteries by period, one button per battery, the calendar."""
    all_row = [
        keyboards.button(
            f"📈 {t(lang, f'charts.period.{code}')}", encode_feature(CODE, "h", ALL, code)
        )
        for code in PERIODS
    ]
    battery_buttons = [
        keyboards.button(f"🔋 {name}", encode_feature(CODE, "b", battery_id))
        for battery_id, name in registered
    ]
    battery_rows = [battery_buttons[i : i + 2] for i in range(0, len(battery_buttons), 2)]
    return keyboards.rows(
        all_row,
        *battery_rows,
        [keyboards.button(t(lang, "charts.button.calendar"), encode_feature(CODE, "cal"))],
        keyboards.back_cancel(lang, None),
    )


def _menu_text(registered: list[tuple[int, str]], lang: Lang) -> str:
    return t(lang, "charts.menu") + ("" if registered else t(lang, "charts.menu_no_data"))


async def charts_command(update: Update, context: Context) -> None:
    """/graphiques: the charts menu."""
    lang = user_lang(update, context)
    registered = _registered(context)
    await reply(update, context, _menu_text(registered, lang), menu_markup(registered, lang))


async def on_button(update: Update, context: Context, args: tuple[str, ...]) -> None:
    """Route a ``ch`` button; a malformed or stale one shows the menu again."""
    query = update.callback_query
    if query is None:
        return
    lang = user_lang(update, context)
    registered = _registered(context)
    if args == ("m",):
        await query.answer()
        await _show(update, context, _menu_text(registered, lang), menu_markup(registered, lang))
    elif args == ("cal",):
        await query.answer()
        await send_calendar(update, context, lang)
    elif (
        len(args) == 2
        and args[0] == "b"
        and args[1] != ALL
        and (target := resolve_target(args[1], registered))
    ):
        await query.answer()
        await _pick_period(update, context, target, lang)
    elif (
        len(args) == 3
        and args[0] == "h"
        and args[2] in PERIODS
        and (target := resolve_target(args[1], registered))
    ):
        await query.answer()
        await send_history(update, context, target, PERIODS[args[2]], lang)
    else:
        await query.answer(t(lang, "error.stale_button"))
        await _show(
            update,
            context,
            t(lang, "error.stale_button") + "\n\n" + _menu_text(registered, lang),
            menu_markup(registered, lang),
        )


async def _pick_period(update: Update, context: Context, target: Target, lang: Lang) -> None:
    name = fmt.escape(target.batteries[0][1])
    markup = keyboards.rows(
        _period_row(target.key, lang),
        keyboards.back_cancel(lang, encode_feature(CODE, "m")),
    )
    await _show(update, context, t(lang, "charts.pick_period", name=name), markup)


def _target_label(target: Target, lang: Lang) -> str:
    if target.key == ALL:
        return t(lang, "charts.all")
    return fmt.escape(target.batteries[0][1])


async def send_history(
    update: Update, context: Context, target: Target, period: ChartPeriod, lang: Lang
) -> None:
    """Read the history, render it in a worker thread and send it as a photo."""
    chat = update.effective_chat
    if chat is None:
        return
    svc = services(context)
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
    # matplotlib takes most of a second to import: load it with the first chart, not at start.
    from bot import charts
    from bot.telegram_ui.charts_ui.series import ChartBattery, load_history

    chosen = [ChartBattery(battery_id=bid, name=name) for bid, name in target.batteries]
    series = await load_history(
        svc.storage.samples,
        svc.tempo,
        chosen,
        now=svc.clock.now(),
        period=period,
        tz=svc.settings.tz,
    )
    png = await asyncio.to_thread(charts.render_battery_history, series, lang, tz=svc.settings.tz)
    caption = t(
        lang,
        "charts.caption",
        target=_target_label(target, lang),
        span=t(lang, f"charts.span.{period.code}"),
    )
    if not any(battery.points for battery in series.batteries):
        caption += t(lang, "charts.caption_empty")
    markup = keyboards.rows(
        _period_row(target.key, lang),
        [
            keyboards.button(t(lang, "charts.button.menu"), encode_feature(CODE, "m")),
            keyboards.button(t(lang, "charts.button.calendar"), encode_feature(CODE, "cal")),
        ],
    )
    await context.bot.send_photo(chat.id, photo=png, caption=caption, reply_markup=markup)


async def send_calendar(update: Update, context: Context, lang: Lang) -> None:
    """Render the Tempo season calendar in a worker thread and send it as a photo."""
    chat = update.effective_chat
    if chat is None:
        return
    svc = services(context)
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
    from bot import charts
    from bot.telegram_ui.charts_ui.series import load_season

    view = await load_season(svc.tempo, now=svc.clock.now(), tz=svc.settings.tz)
    counters = season_counters(view.season, view.colors, through=view.today)
    png = await asyncio.to_thread(
        charts.render_season_calendar,
        view.season.start_year,
        view.colors,
        view.today,
        lang,
        counters=counters,
    )
    caption = t(
        lang,
        "charts.season_caption",
        season=view.season.label,
        blue=counters.remaining(TempoColor.BLUE),
        white=counters.remaining(TempoColor.WHITE),
        red=counters.remaining(TempoColor.RED),
    )
    markup = keyboards.rows(
        [keyboards.button(t(lang, "charts.button.menu"), encode_feature(CODE, "m"))]
    )
    await context.bot.send_photo(chat.id, photo=png, caption=caption, reply_markup=markup)


async def _show(update: Update, context: Context, text: str, markup: InlineKeyboardMarkup) -> None:
    """Edit the pressed message in place, or answer anew when it is a photo (no text to edit)."""
    query = update.callback_query
    message = query.message if query is not None else None
    if isinstance(message, Message) and message.text is not None:
        await edit(update, text, markup)
    else:
        await reply(update, context, text, markup)
