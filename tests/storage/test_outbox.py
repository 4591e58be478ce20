"""The alert outbox: nothing lost, nothing sent twice, duplicates refused while open."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.alerts.model import Alert, AlertKind, AlertSink, Severity
from bot.clock import ManualClock
from bot.storage import AlertOutbox, AlertState, Database, DeliveryState, Storage
from tests.storage.conftest import T0


def _alert(key: str = "unreachable:0c587b17df4f", *, minutes: float = 0, **params: int) -> Alert:
    return Alert(
        kind=AlertKind.UNREACHABLE,
        severity=Severity.WARNING,
        created_at=T0 + timedelta(minutes=minutes),
        dedup_key=key,
        battery="Garage",
        params=dict(params),
    )


def test_the_outbox_is_an_alert_sink(storage: Storage) -> None:
    sink: AlertSink = storage.alerts
    assert isinstance(sink, AlertOutbox)


async def test_raising_stores_the_alert_with_one_delivery_per_chat(storage: Storage) -> None:
    await storage.alerts.raise_alert(_alert(failures=3))
    (pending,) = await storage.alerts.pending()
    assert pending.alert == _alert(failures=3)
    assert (pending.state, pending.attempts, pending.sent_at) == (AlertState.PENDING, 0, None)
    deliveries = await storage.alerts.deliveries(pending.id)
    assert [(d.chat_id, d.state, d.next_try_at) for d in deliveries] == [
        (101, DeliveryState.PENDING, T0),
        (202, DeliveryState.PENDING, T0),
    ]


async def test_an_open_alert_is_not_raised_twice(storage: Storage) -> None:
    first = await storage.alerts.enqueue(_alert())
    assert first is not None
    assert await storage.alerts.enqueue(_alert(minutes=90)) is None  # still pending
    assert await storage.alerts.enqueue(_alert("unreachable:other", minutes=1)) is not None
    assert await storage.alerts.enqueue(_alert("", minutes=2)) is not None
    assert await storage.alerts.enqueue(_alert("", minutes=2)) is not None  # "" = no dedup
    assert len(await storage.alerts.pending()) == 4


async def test_a_delivered_alert_stays_open_for_the_dedup_window(
    storage: Storage, clock: ManualClock
) -> None:
    first = await storage.alerts.enqueue(_alert())
    for delivery in await storage.alerts.next_due(clock.now()):
        assert await storage.alerts.mark_sent(delivery, message_id=delivery.chat_id * 10)
    assert await storage.alerts.enqueue(_alert(minutes=29)) is None
    again = await storage.alerts.enqueue(_alert(minutes=31))
    assert again is not None
    assert again != first


async def test_a_once_alert_is_never_raised_again(storage: Storage, clock: ManualClock) -> None:
    key = "savings_daily:2026-01-13"
    assert not await storage.alerts.was_raised(key)
    first = await storage.alerts.enqueue(_alert(key), once=True)
    assert first is not None
    assert await storage.alerts.was_raised(key)
    for delivery in await storage.alerts.next_due(clock.now()):
        assert await storage.alerts.mark_sent(delivery, message_id=delivery.chat_id * 10)
    # Long after the dedup window, a "once" alert is still a duplicate; a normal one is not.
    assert await storage.alerts.enqueue(_alert(key, minutes=24 * 60), once=True) is None
    assert await storage.alerts.enqueue(_alert(key, minutes=24 * 60)) is not None


async def test_racing_once_alerts_queue_exactly_one(storage: Storage) -> None:
    ids = await asyncio.gather(
        *(storage.alerts.enqueue(_alert("report:1", minutes=i), once=True) for i in range(8))
    )
    assert sum(alert_id is not None for alert_id in ids) == 1
    assert len(await storage.alerts.pending()) == 1


async def test_deliveries_are_due_in_creation_order(storage: Storage) -> None:
    late = await storage.alerts.enqueue(_alert("b", minutes=5))
    early = await storage.alerts.enqueue(_alert("a", minutes=1))
    due = await storage.alerts.next_due(T0 + timedelta(minutes=10))
    assert [(d.alert_id, d.chat_id) for d in due] == [
        (early, 101),
        (early, 202),
        (late, 101),
        (late, 202),
    ]
    assert await storage.alerts.next_due(T0) == []  # not created yet at that instant
    assert len(await storage.alerts.next_due(T0 + timedelta(minutes=10), limit=3)) == 3


async def test_each_chat_gets_the_message_once_and_failures_are_retried(
    storage: Storage, clock: ManualClock
) -> None:
    alert_id = await storage.alerts.enqueue(_alert())
    to_101, to_202 = await storage.alerts.next_due(clock.now())
    assert await storage.alerts.mark_sent(to_101, message_id=5551)
    assert not await storage.alerts.mark_sent(to_101, message_id=5552)  # never twice
    retry_at = clock.now() + timedelta(minutes=2)
    assert await storage.alerts.mark_failed(to_202, "Timed out", retry_at)

    assert await storage.alerts.next_due(clock.now()) == []
    (retry,) = await storage.alerts.next_due(retry_at)
    assert (retry.chat_id, retry.attempts, retry.last_error) == (202, 1, "Timed out")
    assert alert_id is not None
    stored = await storage.alerts.get(alert_id)
    assert stored is not None
    assert (stored.state, stored.attempts, stored.last_error) == (
        AlertState.PENDING,
        2,
        "Timed out",
    )

    await clock.advance(timedelta(minutes=3))
    assert await storage.alerts.mark_sent(retry, message_id=777)
    stored = await storage.alerts.get(alert_id)
    assert stored is not None
    assert (stored.state, stored.sent_at) == (AlertState.SENT, clock.now())
    assert await storage.alerts.pending() == []
    sent = {d.chat_id: d.telegram_message_id for d in await storage.alerts.deliveries(alert_id)}
    assert sent == {101: 5551, 202: 777}


async def test_giving_up_on_a_chat_fails_the_alert(storage: Storage, clock: ManualClock) -> None:
    alert_id = await storage.alerts.enqueue(_alert())
    to_101, to_202 = await storage.alerts.next_due(clock.now())
    await storage.alerts.mark_sent(to_101, message_id=1)
    assert await storage.alerts.mark_failed(to_202, "Forbidden: bot was blocked by the user", None)
    assert not await storage.alerts.mark_failed(to_202, "again", None)
    assert alert_id is not None
    stored = await storage.alerts.get(alert_id)
    assert stored is not None
    assert stored.state == AlertState.FAILED
    assert await storage.alerts.next_due(clock.now() + timedelta(days=1)) == []
    assert [a.id for a in await storage.alerts.recent()] == [alert_id]


async def test_alerts_survive_a_restart(db: Database, clock: ManualClock) -> None:
    outbox = AlertOutbox(db, clock, recipients=[101])
    await outbox.raise_alert(_alert(failures=3))
    await db.close()
    await db.start()
    reopened = AlertOutbox(db, clock, recipients=[101])
    (due,) = await reopened.next_due(clock.now())
    assert due.alert == _alert(failures=3)


async def test_alerts_raised_without_recipients_wait_for_them(
    db: Database, clock: ManualClock
) -> None:
    outbox = AlertOutbox(db, clock)
    alert_id = await outbox.enqueue(_alert())
    assert await outbox.next_due(clock.now()) == []
    assert alert_id is not None
    assert await outbox.deliveries(alert_id) == []
    outbox.set_recipients([303, 303, 404])
    assert outbox.recipients == (303, 404)
    due = await outbox.next_due(clock.now())
    assert [(d.alert_id, d.chat_id) for d in due] == [(alert_id, 303), (alert_id, 404)]
    assert len(await outbox.next_due(clock.now())) == 2  # addressed once, not again


async def test_bad_arguments(db: Database, clock: ManualClock, storage: Storage) -> None:
    with pytest.raises(ValueError, match="negative"):
        AlertOutbox(db, clock, dedup_window=timedelta(seconds=-1))
    with pytest.raises(ValueError, match="timezone-aware"):
        await storage.alerts.enqueue(
            Alert(
                kind=AlertKind.BACK,
                severity=Severity.INFO,
                created_at=T0.replace(tzinfo=None),
                dedup_key="k",
            )
        )
