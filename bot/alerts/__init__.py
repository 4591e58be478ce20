"""Alerts: what the bot must tell the household, and where it is queued until delivered."""

from bot.alerts.model import Alert, AlertKind, AlertSink, Severity

__all__ = ["Alert", "AlertKind", "AlertSink", "Severity"]
