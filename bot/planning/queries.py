"""Reading a plan: what a battery does at an instant, and when anything changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.tempo.calendar import require_aware

from .model import Plan, PlanInterval


@dataclass(frozen=True, slots=True, kw_only=True)
class Transition:
    """At ``at``, battery ``battery`` starts ``interval`` (its action or reason changes)."""

    at: datetime
    battery: str
    interval: PlanInterval


def action_at(plan: Plan, battery: str, instant: datetime) -> PlanInterval | None:
    """Return the interval of ``battery`` in force at ``instant`` (``None`` outside the plan)."""
    moment = require_aware(instant)
    for interval in plan.battery(battery).intervals:
        if interval.start <= moment < interval.end:
            return interval
    return None


def transitions(plan: Plan) -> list[Transition]:
    """Return every instant a battery's action changes, in time order (first intervals included).

    Consecutive intervals that keep the same action (only the reason changed) are not a
    transition: the device needs no new command.
    """
    found: list[Transition] = []
    for battery in plan.batteries:
        previous = None
        for interval in battery.intervals:
            if previous is None or interval.action != previous:
                found.append(
                    Transition(at=interval.start, battery=battery.battery, interval=interval)
                )
            previous = interval.action
    return sorted(found, key=lambda item: (item.at, item.battery))
