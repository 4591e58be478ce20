"""/economies: today, this month, this season and the total in €, with a chart; the admin
turns the daily summary on or off and picks its hour.

Buttons: ``v1|sv|m`` (overview), ``v1|sv|c|30`` / ``v1|sv|c|s`` (chart of 30 days / the season),
``v1|sv|bt`` (compare the strategies on the household's history: read-only, anyone),
``v1|sv|d`` (daily summary menu), ``v1|sv|on`` / ``v1|sv|off``, ``v1|sv|h|<0-23>`` (hour).
The last four are admin-only. Anything else only gets "this button is no longer valid".
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction

from bot.backtest import household, render_chart
from bot.backtest.data import BacktestError
from bot.savings import DaySavings, SavingsService
from bot.savings.daily import DailySettings, load_daily, save_daily
from bot.telegram_ui import format as fmt
from bot.telegram_ui import keyboards
from bot.telegram_ui.access import is_admin, require_admin
from bot.telegram_ui.callbacks import encode_feature
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.handlers import edit, reply
from bot.telegram_ui.i18n import Lang, t
from bot.telegram_ui.savings_ui.view import (
    backtest_caption,
    backtest_error_text,
    chart_days,
    hour_text,
    overview,
    render_backtest,
    render_overview,
)
from bot.tempo.calendar import tempo_day_at
from bot.tempo.seasons import Season

_log = logging.getLogger(__name__)

CODE = "sv"
CHARTS = {"30": False, "s": True}  # button argument → whole season?
_HOUR = re.compile(r"^(1?[0-9]|2[0-3])$")
HOURS_PER_ROW = 6


def _savings(context: Context) -> SavingsService:
    return services(context).savings()


async def _days(context: Context) -> list[DaySavings]:
    """Every Tempo day since installation through today (today's day last)."""
    svc = services(context)
    savings = _savings(context)
    today = tempo_day_at(svc.clock.now(), svc.settings.tz)
    first = min(await savings.installed_on() or today, today)
    return await savings.days(first, today)


def overview_markup(lang: Lang, *, admin: bool) -> InlineKeyboardMarkup:
    """Chart buttons, and the daily summary for admins."""
    charts = [
        keyboards.button(t(lang, "savings.button.chart_30"), encode_feature(CODE, "c", "30")),
        keyboards.button(t(lang, "savings.button.chart_season"), encode_feature(CODE, "c", "s")),
    ]
    compare = [keyboards.button(t(lang, "savings.button.backtest"), encode_feature(CODE, "bt"))]
    daily = [keyboards.button(t(lang, "savings.button.daily"), encode_feature(CODE, "d"))]
    return keyboards.rows(charts, compare, daily if admin else [])


async def _overview_text(context: Context, days: list[DaySavings], lang: Lang) -> str:
    svc = services(context)
    today = tempo_day_at(svc.clock.now(), svc.settings.tz)
    daily = await load_daily(svc.storage.settings)
    return render_overview(overview(days, today), daily, lang)


async def savings_command(update: Update, context: Context) -> None:
    """/economies: the overview, then the chart of the last 30 days."""
    lang = user_lang(update, context)
    days = await _days(context)
    markup = overview_markup(lang, admin=is_admin(update, context))
    await reply(update, context, await _overview_text(context, days, lang), markup)
    await send_chart(update, context, days, lang, season=False)


async def on_button(update: Update, context: Context, args: tuple[str, ...]) -> None:
    """Route an ``sv`` button; a malformed or stale one shows the overview again."""
    query = update.callback_query
    if query is None:
        return
    lang = user_lang(update, context)
    if args == ("m",):
        await query.answer()
        days = await _days(context)
        markup = overview_markup(lang, admin=is_admin(update, context))
        await _show(update, context, await _overview_text(context, days, lang), markup)
    elif len(args) == 2 and args[0] == "c" and args[1] in CHARTS:
        await query.answer()
        days = await _days(context)
        await send_chart(update, context, days, lang, season=CHARTS[args[1]])
    elif args == ("bt",):
        await compare_strategies(update, context, lang)
    elif args in {("d",), ("on",), ("off",)} or (
        len(args) == 2 and args[0] == "h" and _HOUR.match(args[1])
    ):
        if await require_admin(update, context):
            await query.answer()
            await _daily(update, context, args, lang)
    else:
        await query.answer(t(lang, "error.stale_button"))
        days = await _days(context)
        text = t(lang, "error.stale_button") + "\n\n" + await _overview_text(context, days, lang)
        await _show(update, context, text, overview_markup(lang, admin=is_admin(update, context)))


async def _daily(update: Update, context: Context, args: tuple[str, ...], lang: Lang) -> None:
    """Show the daily summary menu, or apply a change to it (already checked: admin)."""
    store = services(context).storage.settings
    current = await load_daily(store)
    user = update.effective_user
    by = user.id if user is not None else "chat"
    changed: DailySettings | None = None
    if args == ("on",):
        changed = DailySettings(enabled=True, hour=current.hour)
    elif args == ("off",):
        changed = DailySettings(enabled=False, hour=current.hour)
    elif args[0] == "h":
        changed = DailySettings(enabled=True, hour=int(args[1]))
    note = ""
    if changed is not None:
        await save_daily(store, changed, by=by)
        current = changed
        hour = hour_text(current.hour, lang)
        key = "savings.daily_saved_on" if current.enabled else "savings.daily_saved_off"
        note = t(lang, key, hour=hour) + "\n\n"
    await _show(update, context, note + daily_text(current, lang), daily_markup(current, lang))


def daily_text(current: DailySettings, lang: Lang) -> str:
    """The daily summary menu's text."""
    hour = hour_text(current.hour, lang)
    state = t(lang, "savings.state_on" if current.enabled else "savings.state_off", hour=hour)
    return t(lang, "savings.daily_menu", state=state)


def daily_markup(current: DailySettings, lang: Lang) -> InlineKeyboardMarkup:
    """On/off, the 24 hours (the chosen one ticked), and back to the overview."""
    toggle = (
        keyboards.button(t(lang, "savings.button.disable"), encode_feature(CODE, "off"))
        if current.enabled
        else keyboards.button(t(lang, "savings.button.enable"), encode_feature(CODE, "on"))
    )
    hours: list[InlineKeyboardButton] = [
        keyboards.button(
            ("✅ " if hour == current.hour else "") + hour_text(hour, lang),
            encode_feature(CODE, "h", hour),
        )
        for hour in range(24)
    ]
    hour_rows = [hours[i : i + HOURS_PER_ROW] for i in range(0, len(hours), HOURS_PER_ROW)]
    return keyboards.rows(
        [toggle], *hour_rows, keyboards.back_cancel(lang, encode_feature(CODE, "m"))
    )


async def send_chart(
    update: Update, context: Context, days: list[DaySavings], lang: Lang, *, season: bool
) -> None:
    """Render the savings chart in a worker thread and send it as a photo."""
    chat = update.effective_chat
    if chat is None:
        return
    svc = services(context)
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
    # matplotlib takes most of a second to import: load it with the first chart, not at start.
    from bot import charts

    today = tempo_day_at(svc.clock.now(), svc.settings.tz)
    shown = chart_days(days, today, season=season)
    bars = [charts.SavingsDay(day=d.day, color=d.color, savings_eur=d.savings_eur) for d in shown]
    png = await asyncio.to_thread(charts.render_savings, bars, lang)
    total = fmt.euros(sum(d.savings_eur for d in shown), lang)
    caption = (
        t(lang, "savings.caption_season", season=Season.of(today).label, total=total)
        if season
        else t(lang, "savings.caption_30", total=total)
    ) + t(lang, "savings.caption_note")
    markup = keyboards.rows(
        [
            keyboards.button(t(lang, "savings.button.overview"), encode_feature(CODE, "m")),
            keyboards.button(
                t(lang, "savings.button.chart_30" if season else "savings.button.chart_season"),
                encode_feature(CODE, "c", "30" if season else "s"),
            ),
        ]
    )
    await context.bot.send_photo(chat.id, photo=png, caption=caption, reply_markup=markup)


async def compare_strategies(update: Update, context: Context, lang: Lang) -> None:
    """Run the backtest on the household's history: "⏳" edited into the table, then the chart."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None:
        return
    data = context.bot_data
    if data.backtest_running:
        await query.answer(t(lang, "savings.backtest.busy"))
        return
    data.backtest_running = True
    try:
        await query.answer()
        waiting = await reply(update, context, t(lang, "savings.backtest.running"))
        try:
            report = await household.household_backtest(services(context))
        except BacktestError as err:
            _log.info("strategy comparison not possible: %s", err)
            await waiting.edit_text(backtest_error_text(err, lang))
            return
        except Exception:
            await waiting.edit_text(t(lang, "savings.backtest.failed"))
            raise
        await waiting.edit_text(render_backtest(report, lang))
        await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
        png = await asyncio.to_thread(render_chart, report, lang)
        markup = keyboards.rows(
            [keyboards.button(t(lang, "savings.button.overview"), encode_feature(CODE, "m"))]
        )
        await context.bot.send_photo(
            chat.id, photo=png, caption=backtest_caption(report, lang), reply_markup=markup
        )
    finally:
        data.backtest_running = False


async def _show(update: Update, context: Context, text: str, markup: InlineKeyboardMarkup) -> None:
    """Edit the pressed message in place, or answer anew when it is a photo (no text to edit)."""
    query = update.callback_query
    message = query.message if query is not None else None
    if isinstance(message, Message) and message.text is not None:
        await edit(update, text, markup)
    else:
        await reply(update, context, text, markup)
