"""Open dialogs (a question asked, a typed answer awaited), stored so they survive a restart.

A feature opens a dialog when it asks for free text ("À quelle heure ?"); the next text the user
types goes to that feature with the dialog's step and draft. ``/cancel`` always closes it.
Dialogs older than :data:`MAX_AGE` are dropped with a message rather than resumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.storage.settings_store import SettingsStore

MAX_AGE = timedelta(hours=1)
_KEY = "dialog:{user_id}"


@dataclass(frozen=True, slots=True, kw_only=True)
class DialogState:
    """Where a user is in a feature's dialog."""

    feature: str
    step: str
    started_at: datetime
    data: dict[str, Any] = field(default_factory=dict)
    message_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON form for storage."""
        return {
            "feature": self.feature,
            "step": self.step,
            "started_at": self.started_at.isoformat(),
            "data": self.data,
            "message_id": self.message_id,
        }

    @classmethod
    def from_json(cls, value: object) -> DialogState | None:
        """Parse the stored form; None if it is not one."""
        if not isinstance(value, dict):
            return None
        try:
            return cls(
                feature=str(value["feature"]),
                step=str(value["step"]),
                started_at=datetime.fromisoformat(str(value["started_at"])),
                data=dict(value.get("data") or {}),
                message_id=int(value["message_id"]) if value.get("message_id") else None,
            )
        except (KeyError, TypeError, ValueError):
            return None


class DialogStore:
    """Read, open and close users' dialogs (persisted in the settings table)."""

    def __init__(self, store: SettingsStore) -> None:
        self._store = store

    async def get(self, user_id: int, now: datetime) -> DialogState | None:
        """The user's open dialog, if any and not too old (an old one is closed)."""
        state = DialogState.from_json(await self._store.get(_KEY.format(user_id=user_id)))
        if state is not None and now - state.started_at > MAX_AGE:
            await self.close(user_id)
            return None
        return state

    async def open(self, user_id: int, state: DialogState) -> None:
        """Open (or move forward) the user's dialog."""
        await self._store.set(_KEY.format(user_id=user_id), state.to_json(), by=str(user_id))

    async def close(self, user_id: int) -> bool:
        """Close the user's dialog; False if none was open."""
        return await self._store.delete(_KEY.format(user_id=user_id))
