"""The editor's work behind the messages: read the batteries and rules, apply an answer to the
draft, check it, save it and record who changed what."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from bot.storage.models import ScheduleRule
from bot.telegram_ui.context import Context, services
from bot.telegram_ui.schedules.draft import Draft
from bot.telegram_ui.schedules.parsing import InputError, parse_days, parse_power, parse_time
from bot.telegram_ui.schedules.validation import (
    BatteryRef,
    OverlapError,
    PowerLimit,
    RuleDraft,
    RuleMode,
    check_power,
    check_times,
    overlapping_rule,
    power_limit,
    validate,
)

_log = logging.getLogger(__name__)

CHANGE_KEY = "schedules.change:{rule_id}"


def batteries(context: Context) -> list[BatteryRef]:
    """The watched batteries a rule may name (those registered in the database)."""
    refs: list[BatteryRef] = []
    for snap in services(context).fleet.snapshots():
        if snap.battery_id is None:
            continue
        limit = snap.device.capabilities.max_power_w if snap.device is not None else None
        refs.append(BatteryRef(battery_id=snap.battery_id, name=snap.name, max_power_w=limit))
    return refs


async def battery_names(context: Context) -> dict[int, str]:
    """Every battery's name by id (retired ones included, watched names first)."""
    names = {b.id: b.name for b in await services(context).storage.batteries.list_all()}
    names.update({ref.battery_id: ref.name for ref in batteries(context)})
    return names


def limit_for(refs: Sequence[BatteryRef], draft: Draft) -> PowerLimit:
    """The power limit of the draft's batteries."""
    return power_limit(refs, draft.battery_id)


def apply_text(step: str, draft: Draft, text: str) -> Draft:
    """The draft with a typed answer to ``step`` (raises InputError on a bad answer)."""
    if step == "days":
        return replace(draft, days_mask=parse_days(text))
    if step == "start":
        return replace(draft, start=parse_time(text))
    if step == "end":
        return replace(draft, end=parse_time(text))
    if step == "power":
        return replace(draft, power_w=parse_power(text))
    raise InputError("schedules.use_buttons")


async def check_step(context: Context, step: str, draft: Draft) -> None:
    """While adding, refuse early what is already wrong (same times, overlap, power)."""
    if draft.editing:
        return  # an edit is checked as a whole when saved
    if step == "end" and draft.start is not None and draft.end is not None:
        check_times(draft.start, draft.end)
        partial = RuleDraft(
            days_mask=draft.days_mask or 0,
            start=draft.start,
            end=draft.end,
            mode=RuleMode.AUTO,  # the mode plays no part in an overlap
            power_w=None,
            battery_id=draft.battery_id,
        )
        other = overlapping_rule(partial, await services(context).storage.rules.list_all())
        if other is not None:
            raise OverlapError(other)
    if step == "power" and draft.mode is not None:
        check_power(draft.mode, draft.power_w, limit_for(batteries(context), draft))


async def save_draft(context: Context, draft: Draft, *, by: int | str) -> ScheduleRule | None:
    """Validate and store the draft; None if the rule being edited no longer exists."""
    complete = draft.complete()
    if complete is None:
        raise InputError("schedules.error.incomplete")
    refs = batteries(context)
    known = {ref.battery_id for ref in refs}
    if (
        draft.rule_id is None
        and complete.battery_id is not None
        and complete.battery_id not in known
    ):
        raise InputError("schedules.error.unknown_battery")
    repo = services(context).storage.rules
    validate(complete, await repo.list_all(), limit_for(refs, draft))
    power = float(complete.power_w) if complete.power_w is not None else None
    if draft.rule_id is None:
        return await repo.add(
            days_mask=complete.days_mask,
            start=complete.start,
            end=complete.end,
            mode=complete.mode.value,
            power_w=power,
            battery_id=complete.battery_id,
            created_by=by,
        )
    current = await repo.get(draft.rule_id)
    if current is None:
        return None
    return await repo.update(
        replace(
            current,
            days_mask=complete.days_mask,
            start=complete.start,
            end=complete.end,
            mode=complete.mode.value,
            power_w=power,
            battery_id=complete.battery_id,
        )
    )


async def record_change(context: Context, rule_id: int, action: str, by: int | None) -> None:
    """Remember who last changed a rule, how, and when (shown under the rule)."""
    await services(context).storage.settings.set(
        CHANGE_KEY.format(rule_id=rule_id), {"action": action}, by=by if by is not None else "?"
    )
    _log.info("schedule rule %s %s", rule_id, action, extra={"user": by})
    services(context).request_replan()  # rules take effect at once, not at the next check


async def delete_rule(context: Context, rule_id: int, by: int | None) -> bool:
    """Delete a rule and its change record."""
    storage = services(context).storage
    deleted = await storage.rules.delete(rule_id)
    await storage.settings.delete(CHANGE_KEY.format(rule_id=rule_id))
    _log.info("schedule rule %s deleted", rule_id, extra={"user": by})
    services(context).request_replan()
    return deleted


async def enable_conflict(context: Context, rule: ScheduleRule) -> ScheduleRule | None:
    """The enabled rule that switching ``rule`` on would overlap, if any."""
    draft = RuleDraft(
        days_mask=rule.days_mask,
        start=rule.start,
        end=rule.end,
        mode=RuleMode.of(rule.mode) or RuleMode.AUTO,
        power_w=None,
        battery_id=rule.battery_id,
        rule_id=rule.id,
    )
    return overlapping_rule(draft, await services(context).storage.rules.list_all())
