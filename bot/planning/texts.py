"""Short reasons the UI shows next to each planned interval, in French and English."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from bot.tempo.calendar import PARIS

from .model import ActionKind, PlanInterval, ReasonCode

Lang = Literal["fr", "en"]

_REASONS: dict[Lang, dict[ReasonCode, str]] = {
    "fr": {
        ReasonCode.PRECHARGE_RED: "précharge avant jour rouge",
        ReasonCode.PRECHARGE_WHITE: "précharge avant jour blanc",
        ReasonCode.PRECHARGE_UNKNOWN: "précharge : demain inconnu, rouge possible",
        ReasonCode.PRECHARGE_ECONOMIC: "recharge HC rentable pour demain",
        ReasonCode.TOP_UP_PEAK: "complément en HP : la nuit ne suffira pas",
        ReasonCode.TARGET_REACHED: "objectif {target} % atteint",
        ReasonCode.NOT_WORTH: "recharge non rentable : attente",
        ReasonCode.HOLD_OFF_PEAK: "heures creuses : attente",
        ReasonCode.SELF_CONSUMPTION: "autoconsommation",
        ReasonCode.RESERVE: "autoconsommation, réserve de {target} % pour demain",
        ReasonCode.CONTRACT_LIMIT: "attente : puissance souscrite atteinte",
        ReasonCode.CONFLICT: "attente : conflit avec {other}",
        ReasonCode.RULE: "règle : {rule}",
        ReasonCode.OVERRIDE: "{label} jusqu'à {until}",
        ReasonCode.UNREACHABLE: "injoignable",
        ReasonCode.NO_TARIFF: "prix inconnus : attente",
    },
    "en": {
        ReasonCode.PRECHARGE_RED: "precharge before red day",
        ReasonCode.PRECHARGE_WHITE: "precharge before white day",
        ReasonCode.PRECHARGE_UNKNOWN: "precharge: tomorrow unknown, red possible",
        ReasonCode.PRECHARGE_ECONOMIC: "off-peak charge pays for tomorrow",
        ReasonCode.TOP_UP_PEAK: "peak-hour top-up: the night will not be enough",
        ReasonCode.TARGET_REACHED: "target {target}% reached",
        ReasonCode.NOT_WORTH: "charging does not pay: hold",
        ReasonCode.HOLD_OFF_PEAK: "off-peak: hold",
        ReasonCode.SELF_CONSUMPTION: "self-consumption",
        ReasonCode.RESERVE: "self-consumption, keeping {target}% for tomorrow",
        ReasonCode.CONTRACT_LIMIT: "hold: contract power reached",
        ReasonCode.CONFLICT: "hold: conflicts with {other}",
        ReasonCode.RULE: "rule: {rule}",
        ReasonCode.OVERRIDE: "{label} until {until}",
        ReasonCode.UNREACHABLE: "unreachable",
        ReasonCode.NO_TARIFF: "prices unknown: hold",
    },
}

_OVERRIDE_LABELS: dict[Lang, dict[ActionKind, str]] = {
    "fr": {
        ActionKind.HOLD: "pause",
        ActionKind.CHARGE: "charge forcée",
        ActionKind.DISCHARGE: "décharge forcée",
        ActionKind.SELF_CONSUMPTION: "autoconsommation",
        ActionKind.DEVICE_MODE: "mode {mode}",
    },
    "en": {
        ActionKind.HOLD: "pause",
        ActionKind.CHARGE: "forced charge",
        ActionKind.DISCHARGE: "forced discharge",
        ActionKind.SELF_CONSUMPTION: "self-consumption",
        ActionKind.DEVICE_MODE: "{mode} mode",
    },
}

_LIMITED = {"fr": " (limitée par l'abonnement)", "en": " (limited by the contract power)"}


def _clock(text: str, lang: Lang, now: datetime | None, tz: ZoneInfo) -> str:
    """Render a local ``YYYY-MM-DDTHH:MM`` as ``18h`` (or ``16/01 18h`` on another day)."""
    moment = datetime.fromisoformat(text)
    if lang == "fr":
        hour = f"{moment:%H}h" + (f"{moment:%M}" if moment.minute else "")
    else:
        hour = f"{moment:%H:%M}"
    if now is not None and now.astimezone(tz).date() != moment.date():
        day = f"{moment:%d/%m}" if lang == "fr" else f"{moment:%m/%d}"
        return f"{day} {hour}"
    return hour


def reason_text(
    interval: PlanInterval, lang: Lang = "fr", *, now: datetime | None = None, tz: ZoneInfo = PARIS
) -> str:
    """Return the short reason of ``interval`` (e.g. "précharge avant jour rouge")."""
    values = dict(interval.reason_params)
    if interval.reason is ReasonCode.OVERRIDE:
        action = interval.action
        default = _OVERRIDE_LABELS[lang][action.kind].format(mode=action.device_mode or "")
        values["label"] = values.get("label") or default
        values["until"] = (
            _clock(values.get("until", ""), lang, now, tz) if "until" in values else "?"
        )
    values.setdefault("target", "?")
    values.setdefault("other", "?")
    values.setdefault("rule", "?")
    text = _REASONS[lang][interval.reason].format(**values)
    if values.get("limited") == "contract":
        text += _LIMITED[lang]
    return text
