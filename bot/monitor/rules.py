"""Alert rules on readings: thresholds with hysteresis, raised once until they clear.

Each rule keeps a little state per battery and returns the alerts to raise for a new reading;
the outbox de-duplicates again by ``dedup_key`` in case the process restarted meanwhile.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.alerts import Alert, AlertKind, Severity

_log = logging.getLogger(__name__)

SOC_HYSTERESIS_PCT = 5.0
TEMPERATURE_HYSTERESIS_C = 5.0
METER_LOST_AFTER = 2  # consecutive meter reads without a CT, to ride over one glitch
DRIFT_CONFIRMATIONS = 2  # consecutive polls in another mode before calling it a drift


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """What the rules look at in one poll of one battery (``None`` = not measured)."""

    battery: str
    at: datetime
    soc_pct: float | None = None
    temperature_c: float | None = None
    mode: str | None = None
    ct_connected: bool | None = None
    counters_wh: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Thresholds:
    """The thresholds of every rule (from settings, changeable at run time)."""

    low_soc_pct: float = 10.0
    high_temperature_c: float = 45.0
    drift_grace: timedelta = timedelta(seconds=90)


@dataclass(slots=True)
class _BatteryRuleState:
    low_soc: bool = False
    hot: bool = False
    ct_missing: int = 0
    meter_lost: bool = False
    drift_seen: int = 0
    drift_raised: bool = False
    counters: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Expectation:
    """The mode the bot last set on a battery, and when."""

    mode: str
    since: datetime


class AlertRules:
    """Evaluate every reading rule for every battery."""

    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or Thresholds()
        self._state: dict[str, _BatteryRuleState] = {}
        self._expected: dict[str, Expectation] = {}

    def expect_mode(self, battery: str, mode: str, since: datetime) -> None:
        """Remember that the bot just set ``mode`` on ``battery`` (the drift reference)."""
        self._expected[battery] = Expectation(mode=mode, since=since)
        state = self._state.setdefault(battery, _BatteryRuleState())
        state.drift_seen = 0
        state.drift_raised = False

    def expected_mode(self, battery: str) -> Expectation | None:
        """Return the mode the bot last set on ``battery``, if any."""
        return self._expected.get(battery)

    def evaluate(self, reading: Reading) -> list[Alert]:
        """Return the alerts this reading raises (possibly none)."""
        state = self._state.setdefault(reading.battery, _BatteryRuleState())
        alerts: list[Alert] = []
        for check in (self._low_soc, self._temperature, self._meter, self._drift, self._counters):
            alert = check(reading, state)
            if alert is not None:
                alerts.append(alert)
        return alerts

    def _low_soc(self, reading: Reading, state: _BatteryRuleState) -> Alert | None:
        soc, limit = reading.soc_pct, self.thresholds.low_soc_pct
        if soc is None:
            return None
        if state.low_soc and soc >= limit + SOC_HYSTERESIS_PCT:
            state.low_soc = False
        elif not state.low_soc and soc <= limit:
            state.low_soc = True
            return _alert(reading, AlertKind.LOW_SOC, Severity.WARNING, soc_pct=soc, limit=limit)
        return None

    def _temperature(self, reading: Reading, state: _BatteryRuleState) -> Alert | None:
        temp, limit = reading.temperature_c, self.thresholds.high_temperature_c
        if temp is None:
            return None
        if state.hot and temp <= limit - TEMPERATURE_HYSTERESIS_C:
            state.hot = False
        elif not state.hot and temp >= limit:
            state.hot = True
            return _alert(
                reading,
                AlertKind.HIGH_TEMPERATURE,
                Severity.CRITICAL,
                temperature_c=temp,
                limit=limit,
            )
        return None

    def _meter(self, reading: Reading, state: _BatteryRuleState) -> Alert | None:
        if reading.ct_connected is None:
            return None
        if reading.ct_connected:
            state.ct_missing = 0
            state.meter_lost = False
            return None
        state.ct_missing += 1
        if not state.meter_lost and state.ct_missing >= METER_LOST_AFTER:
            state.meter_lost = True
            return _alert(reading, AlertKind.METER_LOST, Severity.WARNING)
        return None

    def _drift(self, reading: Reading, state: _BatteryRuleState) -> Alert | None:
        expected = self._expected.get(reading.battery)
        if expected is None or reading.mode is None:
            return None
        if reading.mode == expected.mode:
            state.drift_seen = 0
            state.drift_raised = False
            return None
        if reading.at - expected.since < self.thresholds.drift_grace:
            return None  # mode changes take 5–30 s to show on real units
        state.drift_seen += 1
        if not state.drift_raised and state.drift_seen >= DRIFT_CONFIRMATIONS:
            state.drift_raised = True
            return _alert(
                reading,
                AlertKind.MODE_DRIFT,
                Severity.WARNING,
                expected=expected.mode,
                observed=reading.mode,
            )
        return None

    def _counters(self, reading: Reading, state: _BatteryRuleState) -> Alert | None:
        alert = None
        for name, value in reading.counters_wh.items():
            previous = state.counters.get(name)
            if previous is not None and value < previous:
                _log.warning(
                    "lifetime counter %s went backwards (%.0f -> %.0f Wh); ignored in energy sums",
                    name,
                    previous,
                    value,
                    extra={"battery": reading.battery, "action": "poll"},
                )
                alert = alert or _alert(
                    reading,
                    AlertKind.COUNTER_BACKWARDS,
                    Severity.INFO,
                    counter=name,
                    previous_wh=previous,
                    value_wh=value,
                    day=reading.at.date().isoformat(),
                )
            state.counters[name] = value
        return alert


def _alert(
    reading: Reading, kind: AlertKind, severity: Severity, **params: str | int | float | None
) -> Alert:
    suffix = (
        f":{params['day']}" if "day" in params else f":{reading.at.isoformat(timespec='minutes')}"
    )
    return Alert(
        kind=kind,
        severity=severity,
        created_at=reading.at,
        dedup_key=f"{kind.value}:{reading.battery}{suffix}",
        battery=reading.battery,
        params=dict(params),
    )
