"""The rule being written, kept in the user's dialog (so it survives a restart), and the order
of the questions.

Adding asks battery → days → start → end → mode → power (charge/discharge only) → confirm.
Editing asks one field (and the power after a change to charge/discharge), then saves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time
from typing import Any

from bot.storage.models import ScheduleRule
from bot.telegram_ui.schedules.parsing import ALL_DAYS
from bot.telegram_ui.schedules.validation import RuleDraft, RuleMode

ALL = "*"
ADD_STEPS = ("battery", "days", "start", "end", "mode", "power", "confirm")
EDIT_FIELDS = ("battery", "days", "start", "end", "mode", "power")
SAVE = "save"


def _time(value: object) -> time | None:
    if not isinstance(value, str):
        return None
    parsed = time.fromisoformat(value)
    if parsed.tzinfo is not None or parsed.second or parsed.microsecond:
        raise ValueError("not a wall-clock minute")
    return parsed


def _int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not an integer")
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft:
    """A rule in the making; ``None`` fields were not answered yet."""

    rule_id: int | None = None
    battery: str | None = None
    """``"*"`` for every battery, a battery id in digits, None while not asked."""
    days_mask: int | None = None
    start: time | None = None
    end: time | None = None
    mode: RuleMode | None = None
    power_w: int | None = None
    enabled: bool = True

    @property
    def editing(self) -> bool:
        """Tell whether this draft changes an existing rule."""
        return self.rule_id is not None

    @property
    def battery_id(self) -> int | None:
        """The battery's id, None for every battery (or not chosen yet)."""
        return int(self.battery) if self.battery and self.battery.isdigit() else None

    def to_json(self) -> dict[str, Any]:
        """The JSON kept in the dialog."""
        return {
            "rule_id": self.rule_id,
            "battery": self.battery,
            "days_mask": self.days_mask,
            "start": self.start.isoformat("minutes") if self.start else None,
            "end": self.end.isoformat("minutes") if self.end else None,
            "mode": self.mode.value if self.mode else None,
            "power_w": self.power_w,
            "enabled": self.enabled,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft | None:
        """Read the dialog's JSON back; None if it is not a draft."""
        try:
            battery = data.get("battery")
            if battery is not None and (
                not isinstance(battery, str) or not (battery == ALL or battery.isdigit())
            ):
                return None
            mode_text = data.get("mode")
            mode = RuleMode.of(mode_text) if isinstance(mode_text, str) else None
            days = _int(data.get("days_mask"))
            if (mode_text is not None and mode is None) or (
                days is not None and not 1 <= days <= ALL_DAYS
            ):
                return None
            return cls(
                rule_id=_int(data.get("rule_id")),
                battery=battery,
                days_mask=days,
                start=_time(data.get("start")),
                end=_time(data.get("end")),
                mode=mode,
                power_w=_int(data.get("power_w")),
                enabled=bool(data.get("enabled", True)),
            )
        except (TypeError, ValueError):
            return None

    @classmethod
    def from_rule(cls, rule: ScheduleRule) -> Draft:
        """A draft holding an existing rule's values (to change one of them)."""
        return cls(
            rule_id=rule.id,
            battery=ALL if rule.battery_id is None else str(rule.battery_id),
            days_mask=rule.days_mask,
            start=rule.start,
            end=rule.end,
            mode=RuleMode.of(rule.mode),
            power_w=None if rule.power_w is None else round(rule.power_w),
            enabled=rule.enabled,
        )

    def with_mode(self, mode: RuleMode) -> Draft:
        """The draft with ``mode``; a mode without power drops the power."""
        return replace(self, mode=mode, power_w=self.power_w if mode.needs_power else None)

    def complete(self) -> RuleDraft | None:
        """The finished rule, or None while an answer is missing."""
        if (
            self.battery is None
            or self.days_mask is None
            or self.start is None
            or self.end is None
            or self.mode is None
            or (self.mode.needs_power and self.power_w is None)
        ):
            return None
        return RuleDraft(
            days_mask=self.days_mask,
            start=self.start,
            end=self.end,
            mode=self.mode,
            power_w=self.power_w if self.mode.needs_power else None,
            battery_id=self.battery_id,
            enabled=self.enabled,
            rule_id=self.rule_id,
        )


def next_step(step: str, draft: Draft) -> str:
    """The question after ``step`` (``"save"`` when an edit is complete)."""
    if draft.editing:
        if step == "mode" and draft.mode is not None and draft.mode.needs_power:
            return "power"
        return SAVE
    index = ADD_STEPS.index(step) + 1
    following = ADD_STEPS[index] if index < len(ADD_STEPS) else "confirm"
    if following == "power" and not (draft.mode and draft.mode.needs_power):
        return "confirm"
    return following
