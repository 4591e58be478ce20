"""The persistent alert outbox (implements :class:`bot.alerts.model.AlertSink`).

An alert is stored with one delivery row per recipient chat, in one transaction: once
:meth:`AlertOutbox.raise_alert` returns, a crash cannot lose it. The sender works through
:meth:`AlertOutbox.next_due` and records each outcome per chat, so a chat that got the message is
never sent it again while another chat is retried. The one window left is a crash between
Telegram accepting a message and :meth:`AlertOutbox.mark_sent` committing: that delivery is sent
again after restart (at-least-once), which is preferred to losing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alerts.model import Alert, AlertKind, Severity
from bot.clock import Clock
from bot.storage.database import Database
from bot.storage.models import AlertDelivery, AlertState, DeliveryState, StoredAlert
from bot.storage.tables import alert_deliveries, alerts
from bot.storage.types import require_utc

_ERROR_CHARS = 1000
_ALERT_COLUMNS = (
    alerts.c.kind.label("alert_kind"),
    alerts.c.severity.label("alert_severity"),
    alerts.c.created_at.label("alert_created_at"),
    alerts.c.dedup_key.label("alert_dedup_key"),
    alerts.c.battery.label("alert_battery"),
    alerts.c.params.label("alert_params"),
)


def _alert(row: RowMapping, prefix: str = "") -> Alert:
    return Alert(
        kind=AlertKind(row[f"{prefix}kind"]),
        severity=Severity(row[f"{prefix}severity"]),
        created_at=row[f"{prefix}created_at"],
        dedup_key=row[f"{prefix}dedup_key"],
        battery=row[f"{prefix}battery"],
        params=dict(row[f"{prefix}params"] or {}),
    )


def _stored(row: RowMapping) -> StoredAlert:
    return StoredAlert(
        id=row["id"],
        alert=_alert(row),
        state=AlertState(row["state"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        sent_at=row["sent_at"],
    )


def _delivery(row: RowMapping) -> AlertDelivery:
    return AlertDelivery(
        id=row["id"],
        alert_id=row["alert_id"],
        chat_id=row["chat_id"],
        state=DeliveryState(row["state"]),
        attempts=row["attempts"],
        next_try_at=row["next_try_at"],
        telegram_message_id=row["telegram_message_id"],
        last_error=row["last_error"],
        sent_at=row["sent_at"],
        alert=_alert(row, "alert_"),
    )


def _deliveries_query() -> Select[Any]:
    return (
        select(alert_deliveries, *_ALERT_COLUMNS)
        .join(alerts, alerts.c.id == alert_deliveries.c.alert_id)
        .order_by(alerts.c.created_at, alerts.c.id, alert_deliveries.c.id)
    )


class AlertOutbox:
    """Alerts queued for the household, delivered per chat, never lost, never sent twice."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        recipients: Iterable[int] = (),
        dedup_window: timedelta = timedelta(minutes=30),
    ) -> None:
        if dedup_window < timedelta(0):
            raise ValueError("dedup_window cannot be negative")
        self._db = db
        self._clock = clock
        self._recipients = tuple(dict.fromkeys(recipients))
        self._dedup_window = dedup_window

    @property
    def recipients(self) -> tuple[int, ...]:
        """The chats every new alert is delivered to."""
        return self._recipients

    def set_recipients(self, chat_ids: Iterable[int]) -> None:
        """Change the chats that new (and not yet addressed) alerts are delivered to."""
        self._recipients = tuple(dict.fromkeys(chat_ids))

    async def raise_alert(self, alert: Alert, *, once: bool = False) -> None:
        """Queue ``alert`` durably unless an open alert has the same ``dedup_key``.

        With ``once``, any earlier alert with that key (open or not) makes it a duplicate.
        """
        await self.enqueue(alert, once=once)

    async def was_raised(self, dedup_key: str) -> bool:
        """Whether an alert with ``dedup_key`` was ever queued."""
        async with self._db.session(write=False) as session:
            found = await session.scalar(
                select(alerts.c.id).where(alerts.c.dedup_key == dedup_key).limit(1)
            )
        return found is not None

    async def enqueue(self, alert: Alert, *, once: bool = False) -> int | None:
        """Queue ``alert``; return its id, or None when it duplicates an open alert.

        An alert is open while it is pending, or during ``dedup_window`` after it was created;
        with ``once`` every earlier alert with the same key counts, so a report raised once is
        never raised again, even by a caller racing this one (the check and the insert are one
        write transaction). An empty ``dedup_key`` disables de-duplication.
        """
        created_at = require_utc(alert.created_at, name="Alert.created_at")
        async with self._db.session() as session:
            if alert.dedup_key:
                same_key = alerts.c.dedup_key == alert.dedup_key
                still_open = or_(
                    alerts.c.state == AlertState.PENDING.value,
                    alerts.c.created_at >= created_at - self._dedup_window,
                )
                duplicate = await session.scalar(
                    select(alerts.c.id).where(same_key if once else same_key & still_open).limit(1)
                )
                if duplicate is not None:
                    return None
            result = await session.execute(
                insert(alerts).values(
                    kind=alert.kind.value,
                    severity=alert.severity.value,
                    battery=alert.battery,
                    params=dict(alert.params),
                    dedup_key=alert.dedup_key,
                    created_at=created_at,
                    state=AlertState.PENDING.value,
                    attempts=0,
                )
            )
            alert_id = int(result.inserted_primary_key[0])  # type: ignore[attr-defined]
            await self._address(session, alert_id, created_at)
        return alert_id

    async def get(self, alert_id: int) -> StoredAlert | None:
        """Return one alert of the outbox, if it exists."""
        async with self._db.session(write=False) as session:
            row = (
                (await session.execute(select(alerts).where(alerts.c.id == alert_id)))
                .mappings()
                .first()
            )
        return None if row is None else _stored(row)

    async def pending(self, *, limit: int = 100) -> list[StoredAlert]:
        """Return the alerts not yet delivered to every chat, oldest first."""
        query = (
            select(alerts)
            .where(alerts.c.state == AlertState.PENDING.value)
            .order_by(alerts.c.created_at, alerts.c.id)
            .limit(limit)
        )
        async with self._db.session(write=False) as session:
            rows = (await session.execute(query)).mappings().all()
        return [_stored(row) for row in rows]

    async def count_pending(self) -> int:
        """How many alerts are not yet delivered to every chat (counted by the database)."""
        query = (
            select(func.count())
            .select_from(alerts)
            .where(alerts.c.state == AlertState.PENDING.value)
        )
        async with self._db.session(write=False) as session:
            return int((await session.execute(query)).scalar_one())

    async def recent(self, *, limit: int = 20) -> list[StoredAlert]:
        """Return the latest alerts whatever their state, newest first."""
        query = select(alerts).order_by(alerts.c.created_at.desc(), alerts.c.id.desc()).limit(limit)
        async with self._db.session(write=False) as session:
            rows = (await session.execute(query)).mappings().all()
        return [_stored(row) for row in rows]

    async def deliveries(self, alert_id: int) -> list[AlertDelivery]:
        """Return the per-chat deliveries of one alert."""
        query = _deliveries_query().where(alert_deliveries.c.alert_id == alert_id)
        async with self._db.session(write=False) as session:
            rows = (await session.execute(query)).mappings().all()
        return [_delivery(row) for row in rows]

    async def next_due(self, now: datetime, *, limit: int = 50) -> list[AlertDelivery]:
        """Return the deliveries to attempt now, in alert creation order.

        Pending alerts that have no delivery yet (raised while no recipient was configured, or
        carried over from an older schema) are first addressed to the current recipients.
        """
        async with self._db.session() as session:
            if self._recipients:
                orphans = await session.execute(
                    select(alerts.c.id, alerts.c.created_at).where(
                        alerts.c.state == AlertState.PENDING.value,
                        ~exists().where(alert_deliveries.c.alert_id == alerts.c.id),
                    )
                )
                for alert_id, created_at in orphans.all():
                    await self._address(session, alert_id, created_at)
            query = (
                _deliveries_query()
                .where(
                    alert_deliveries.c.state == DeliveryState.PENDING.value,
                    alert_deliveries.c.next_try_at <= require_utc(now),
                )
                .limit(limit)
            )
            rows = (await session.execute(query)).mappings().all()
        return [_delivery(row) for row in rows]

    async def mark_sent(self, delivery: AlertDelivery, message_id: int | None) -> bool:
        """Record that Telegram accepted the message; False if it was no longer pending."""
        now = self._clock.now()
        values = {
            "state": DeliveryState.SENT.value,
            "telegram_message_id": message_id,
            "sent_at": now,
        }
        return await self._settle_delivery(delivery, values, error=None, now=now)

    async def mark_failed(
        self, delivery: AlertDelivery, error: str, retry_at: datetime | None
    ) -> bool:
        """Record a failed attempt: retry at ``retry_at``, or give up when it is None."""
        now = self._clock.now()
        values: dict[str, Any] = {"last_error": error[:_ERROR_CHARS]}
        if retry_at is None:
            values["state"] = DeliveryState.FAILED.value
        else:
            values["next_try_at"] = require_utc(retry_at, name="retry_at")
        return await self._settle_delivery(delivery, values, error=error[:_ERROR_CHARS], now=now)

    async def _settle_delivery(
        self, delivery: AlertDelivery, values: dict[str, Any], *, error: str | None, now: datetime
    ) -> bool:
        async with self._db.session() as session:
            result = await session.execute(
                update(alert_deliveries)
                .where(
                    alert_deliveries.c.id == delivery.id,
                    alert_deliveries.c.state == DeliveryState.PENDING.value,
                )
                .values(attempts=alert_deliveries.c.attempts + 1, **values)
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                return False
            changes: dict[str, Any] = {"attempts": alerts.c.attempts + 1}
            if error is not None:
                changes["last_error"] = error
            changes.update(await self._overall_state(session, delivery.alert_id, now))
            await session.execute(
                update(alerts).where(alerts.c.id == delivery.alert_id).values(**changes)
            )
        return True

    @staticmethod
    async def _overall_state(session: AsyncSession, alert_id: int, now: datetime) -> dict[str, Any]:
        """The alert's state from its deliveries: pending while any is pending."""
        rows = await session.execute(
            select(alert_deliveries.c.state, func.count())
            .where(alert_deliveries.c.alert_id == alert_id)
            .group_by(alert_deliveries.c.state)
        )
        counts: dict[str, int] = {state: int(n) for state, n in rows.all()}
        if counts.get(DeliveryState.PENDING.value, 0):
            return {}
        if counts.get(DeliveryState.FAILED.value, 0):
            return {"state": AlertState.FAILED.value}
        return {"state": AlertState.SENT.value, "sent_at": now}

    async def _address(self, session: AsyncSession, alert_id: int, due_at: datetime) -> None:
        """Create one pending delivery per current recipient."""
        if not self._recipients:
            return
        await session.execute(
            insert(alert_deliveries),
            [
                {
                    "alert_id": alert_id,
                    "chat_id": chat_id,
                    "state": DeliveryState.PENDING.value,
                    "attempts": 0,
                    "next_try_at": due_at,
                }
                for chat_id in self._recipients
            ],
        )
