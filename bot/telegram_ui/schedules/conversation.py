"""The rule editor's conversation: one question at a time, answered by a button or by text.

The draft and the current question live in the user's dialog (persisted), so the answer may
come after a restart. An answer is accepted only for the question being asked; a bad answer
gets a precise message and the same question again, and nothing is stored until the end.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from bot.telegram_ui.access import require_admin
from bot.telegram_ui.context import Context, services, user_lang
from bot.telegram_ui.dialog import DialogState
from bot.telegram_ui.handlers import reply
from bot.telegram_ui.i18n import t
from bot.telegram_ui.schedules import views
from bot.telegram_ui.schedules.draft import ADD_STEPS, ALL, SAVE, Draft, next_step
from bot.telegram_ui.schedules.editor import (
    apply_text,
    batteries,
    battery_names,
    check_step,
    limit_for,
    record_change,
    save_draft,
)
from bot.telegram_ui.schedules.parsing import ALL_DAYS, WEEKDAYS, WEEKEND, InputError
from bot.telegram_ui.schedules.screens import (
    Screen,
    explain,
    list_screen,
    reader_id,
    rule_screen,
    show,
    stale,
)
from bot.telegram_ui.schedules.validation import RuleMode

CODE = views.CODE
DAY_PRESETS = {"all": ALL_DAYS, "wk": WEEKDAYS, "we": WEEKEND}
MAX_POWER_ARG = 6
_BACK_TO_END = frozenset({"schedules.error.overlap", "schedules.error.same_time"})


async def ask(
    update: Update,
    context: Context,
    step: str,
    draft: Draft,
    *,
    by_button: bool,
    note: str = "",
) -> None:
    """Open (or move) the user's dialog to ``step`` and ask it."""
    user_id = reader_id(update)
    if user_id is None:
        return
    lang = user_lang(update, context)
    now = services(context).clock.now()
    state = DialogState(feature=CODE, step=step, started_at=now, data=draft.to_json())
    await context.bot_data.dialogs.open(user_id, state)
    refs = batteries(context)
    text, markup = views.question(
        step,
        draft,
        batteries=refs,
        names=await battery_names(context),
        max_power_w=limit_for(refs, draft).max_power_w,
        lang=lang,
    )
    await show(update, context, Screen(text=text, markup=markup).noted(note), by_button=by_button)


async def close(update: Update, context: Context) -> None:
    """Close the user's dialog if it is one of this feature's."""
    user_id = reader_id(update)
    if user_id is None:
        return
    dialogs = context.bot_data.dialogs
    current = await dialogs.get(user_id, services(context).clock.now())
    if current is not None and current.feature == CODE:
        await dialogs.close(user_id)


async def _accepted(
    update: Update, context: Context, step: str, draft: Draft, *, by_button: bool
) -> None:
    """An answer was accepted: check what can be checked now, then ask the next question."""
    lang = user_lang(update, context)
    try:
        await check_step(context, step, draft)
    except InputError as err:
        note = await explain(context, err, lang)
        await ask(update, context, step, draft, by_button=by_button, note=note)
        return
    following = next_step(step, draft)
    if following == SAVE:
        await _save(update, context, step, draft, by_button=by_button)
    else:
        await ask(update, context, following, draft, by_button=by_button)


async def _save(
    update: Update, context: Context, step: str, draft: Draft, *, by_button: bool
) -> None:
    lang = user_lang(update, context)
    user_id = reader_id(update)
    try:
        rule = await save_draft(context, draft, by=user_id if user_id is not None else "?")
    except InputError as err:
        back = "end" if err.key in _BACK_TO_END and not draft.editing else step
        note = await explain(context, err, lang)
        await ask(update, context, back, draft, by_button=by_button, note=note)
        return
    await close(update, context)
    if rule is None:
        screen = (await list_screen(update, context, lang)).noted(t(lang, "schedules.gone"))
        await show(update, context, screen, by_button=by_button)
        return
    action = "edited" if draft.editing else "created"
    await record_change(context, rule.id, action, user_id)
    note = t(lang, f"schedules.done.{action}", rule_id=rule.id)
    screen = (await rule_screen(update, context, rule, lang)).noted(note)
    await show(update, context, screen, by_button=by_button)


# --- answers by button ----------------------------------------------------------------------


def _answer(step: str, draft: Draft, arg: str, context: Context) -> Draft | None:
    """The draft with a button's answer to ``step``; None if the button makes no sense here."""
    if step == "battery":
        known = {str(ref.battery_id) for ref in batteries(context)}
        return replace(draft, battery=arg) if arg == ALL or arg in known else None
    if step == "days":
        return replace(draft, days_mask=DAY_PRESETS[arg]) if arg in DAY_PRESETS else None
    if step == "mode":
        mode = RuleMode.of(arg)
        return draft.with_mode(mode) if mode is not None and arg == mode.value else None
    if step == "power":
        if not arg.isascii() or not arg.isdigit() or len(arg) > MAX_POWER_ARG:
            return None
        return replace(draft, power_w=int(arg))
    return None


ANSWER_STEPS = {"b": "battery", "dy": "days", "m": "mode", "p": "power"}


async def _dialog(update: Update, context: Context) -> tuple[DialogState, Draft] | None:
    user_id = reader_id(update)
    if user_id is None:
        return None
    state = await context.bot_data.dialogs.get(user_id, services(context).clock.now())
    if state is None or state.feature != CODE:
        return None
    draft = Draft.from_json(state.data)
    return None if draft is None else (state, draft)


async def on_answer_button(update: Update, context: Context, args: tuple[str, ...]) -> None:
    """``b``/``dy``/``m``/``p`` answer the open question; ``g`` goes back; ``s`` saves."""
    found = await _dialog(update, context)
    action = args[0]
    if found is None:
        await stale(update, context)
        return
    state, draft = found
    if state.step not in ADD_STEPS:
        await stale(update, context)
        return
    if action == "s" and len(args) == 1 and state.step == "confirm":
        await _save(update, context, "confirm", draft, by_button=True)
        return
    if action == "g" and len(args) == 2 and not draft.editing:
        target = args[1]
        if target in ("days", "start") and ADD_STEPS.index(state.step) > ADD_STEPS.index(target):
            await ask(update, context, target, draft, by_button=True)
            return
    step = ANSWER_STEPS.get(action)
    answered = _answer(step, draft, args[1], context) if step and len(args) == 2 else None
    if answered is None or step != state.step:
        await stale(update, context)
        return
    await _accepted(update, context, step, answered, by_button=True)


async def on_text(update: Update, context: Context, dialog: DialogState) -> None:
    """A typed answer to the open question."""
    message = update.message
    if message is None or message.text is None:
        return
    if not await require_admin(update, context):
        await context.bot_data.dialogs.close(reader_id(update) or 0)
        return
    lang = user_lang(update, context)
    draft = Draft.from_json(dialog.data)
    if draft is None:
        await close(update, context)
        await reply(update, context, t(lang, "schedules.stale"))
        return
    step = dialog.step
    if step not in ADD_STEPS:
        await close(update, context)
        await reply(update, context, t(lang, "schedules.stale"))
        return
    try:
        answered = apply_text(step, draft, message.text)
    except InputError as err:
        note = await explain(context, err, lang)
        await ask(update, context, step, draft, by_button=False, note=note)
        return
    await _accepted(update, context, step, answered, by_button=False)
