"""Whole messages of the schedules feature (text + buttons), sent or edited in place."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Update

from bot.storage.models import ScheduleRule
from bot.telegram_ui import format as fmt
from bot.telegram_ui.access import is_admin
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.handlers import edit, reply
from bot.telegram_ui.i18n import Lang, t
from bot.telegram_ui.schedules import views
from bot.telegram_ui.schedules.editor import CHANGE_KEY, battery_names
from bot.telegram_ui.schedules.parsing import InputError
from bot.telegram_ui.schedules.validation import OverlapError

_USER_TEXT_PARAMS = ("text", "token", "battery")


@dataclass(frozen=True, slots=True, kw_only=True)
class Screen:
    """One message: HTML text and its buttons."""

    text: str
    markup: InlineKeyboardMarkup | None = None

    def noted(self, note: str) -> Screen:
        """The same screen with ``note`` (a result or an error) above it."""
        return Screen(text=f"{note}\n\n{self.text}", markup=self.markup) if note else self


async def show(update: Update, context: Context, screen: Screen, *, by_button: bool) -> None:
    """Edit the pressed message, or answer a typed message with a new one."""
    if by_button:
        await edit(update, screen.text, screen.markup)
    else:
        await reply(update, context, screen.text, screen.markup)


def reader_id(update: Update) -> int | None:
    """The id of the user who pressed or typed."""
    return update.effective_user.id if update.effective_user else None


async def list_screen(update: Update, context: Context, lang: Lang) -> Screen:
    """Every rule; buttons for admins only."""
    rules = await services(context).storage.rules.list_all()
    admin = is_admin(update, context)
    text = views.list_text(rules, await battery_names(context), lang, admin=admin)
    return Screen(text=text, markup=views.list_keyboard(rules, lang) if admin else None)


async def rule_screen(update: Update, context: Context, rule: ScheduleRule, lang: Lang) -> Screen:
    """One rule with its buttons."""
    svc = services(context)
    change = await svc.storage.settings.get_entry(CHANGE_KEY.format(rule_id=rule.id))
    text = views.rule_text(
        rule,
        await battery_names(context),
        change,
        reader_id=reader_id(update),
        lang=lang,
        tz=svc.settings.tz,
    )
    return Screen(text=text, markup=views.rule_keyboard(rule, lang))


async def stale(update: Update, context: Context) -> None:
    """A forged or outdated button: say so and show the list as it is now."""
    lang = user_lang(update, context)
    screen = await list_screen(update, context, lang)
    await show(update, context, screen.noted(t(lang, "schedules.stale")), by_button=True)


async def overlap_note(context: Context, other: ScheduleRule, lang: Lang) -> str:
    """The refusal naming the rule in the way."""
    line = views.rule_line(other, await battery_names(context), lang)
    return "⚠️ " + t(lang, "schedules.error.overlap", rule_id=other.id, rule=line)


async def explain(context: Context, err: InputError, lang: Lang) -> str:
    """An InputError in the reader's language (what the user typed is escaped)."""
    if isinstance(err, OverlapError):
        return await overlap_note(context, err.rule, lang)
    params: dict[str, object] = {}
    for key, value in err.params.items():
        if key.endswith("_w") and isinstance(value, int):
            params[key] = f"{fmt.number(value, lang)} W"  # a limit reads best in watts
        elif key in _USER_TEXT_PARAMS:
            params[key] = fmt.escape(value)
        else:
            params[key] = value
    return "⚠️ " + t(lang, err.key, **params)
