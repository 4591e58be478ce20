"""Alerts still waiting for delivery, as text lines for ``python -m bot status``."""

from __future__ import annotations

from bot.clock import SystemClock
from bot.settings import Settings
from bot.storage import Database, Storage
from bot.telegram_ui.alert_text import alert_line
from bot.telegram_ui.i18n import normalize_lang


async def pending_alert_lines(settings: Settings, *, limit: int = 50) -> list[str]:
    """One line per pending alert (oldest first); empty when there is no database yet."""
    db_file = settings.data_dir / "marstek.db"
    if settings.database_url is None and not db_file.exists():
        return []
    db = Database(settings.resolved_database_url, clock=SystemClock())
    await db.start()
    try:
        pending = await Storage(db, SystemClock()).alerts.pending(limit=limit)
    finally:
        await db.close()
    lang = normalize_lang(settings.language)
    return [alert_line(stored.alert, lang, settings.tz) for stored in pending]
