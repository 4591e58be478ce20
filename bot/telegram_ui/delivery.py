"""Delivers the alert outbox to Telegram: in order per chat, retried until Telegram accepts.

During the household's quiet hours only critical alerts are sent; the others wait, in order.
Each chat's pending deliveries are attempted strictly in creation order: while the oldest one
waits for its retry time (429 retry_after, 5xx or network failure with back-off), the newer ones
for that chat wait too, so the household reads alerts in the order they happened. A delivery is
marked sent only after Telegram accepted it; nothing is dropped while no one can receive it.
(A crash between Telegram's acceptance and the database commit would re-send that one message:
at least once, never zero.)
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.alerts import Severity
from bot.clock import Clock
from bot.storage.models import AlertDelivery
from bot.storage.outbox import AlertOutbox

_log = logging.getLogger(__name__)

FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
BACKOFF_FIRST = timedelta(seconds=5)
BACKOFF_MAX = timedelta(minutes=10)

Renderer = Callable[[AlertDelivery], str]


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failures: 5 s, 10 s, 20 s … 10 min."""
    return min(BACKOFF_MAX, BACKOFF_FIRST * (1 << max(0, min(attempts, 16))))


def _retry_after_s(err: RetryAfter) -> float:
    value = err.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class AlertDeliverer:
    """Send what the outbox holds; call :meth:`deliver_due` often (and whenever alerts arrive)."""

    def __init__(
        self,
        *,
        bot: Bot,
        outbox: AlertOutbox,
        clock: Clock,
        render: Renderer,
        quiet: Callable[[], bool] = lambda: False,
    ) -> None:
        self._bot = bot
        self._outbox = outbox
        self._clock = clock
        self._render = render
        self._quiet = quiet

    async def deliver_due(self) -> int:
        """Attempt each chat's oldest due deliveries, in order; return how many were sent."""
        pending = await self._outbox.next_due(FAR_FUTURE, limit=500)
        per_chat: dict[int, list[AlertDelivery]] = defaultdict(list)
        for delivery in pending:
            per_chat[delivery.chat_id].append(delivery)
        sent = 0
        quiet = self._quiet()
        for chat_id, queue in per_chat.items():
            for delivery in queue:
                if delivery.next_try_at > self._clock.now():
                    break  # an older alert for this chat is waiting: keep the order
                if quiet and delivery.alert.severity is not Severity.CRITICAL:
                    break  # quiet hours: held (in order) until they end; critical ones go now
                if not await self._send(delivery):
                    break
                sent += 1
            _log.debug("chat %s: %d pending", chat_id, len(queue))
        return sent

    async def _send(self, delivery: AlertDelivery) -> bool:
        try:
            text = self._render(delivery)
            message = await self._bot.send_message(
                delivery.chat_id, text, parse_mode=ParseMode.HTML
            )
        except RetryAfter as err:
            wait = timedelta(seconds=_retry_after_s(err))
            await self._failed(delivery, f"flood control: retry after {wait}", wait)
            return False
        except (Forbidden, BadRequest) as err:
            if isinstance(err, Forbidden) or "chat not found" in str(err).lower():
                # The user has not opened the chat yet, or blocked the bot: keep the alert for
                # when they do (Telegram lets a bot write only to users who started it).
                await self._failed(delivery, f"chat unavailable: {err}", BACKOFF_MAX)
                return False
            # A message Telegram will never accept: retrying cannot help, and holding the
            # queue would hide every later alert.
            _log.error("alert %s refused for chat %s: %s", delivery.alert_id, delivery.chat_id, err)
            await self._outbox.mark_failed(delivery, str(err), None)
            return True
        except (NetworkError, TelegramError) as err:
            await self._failed(delivery, f"network: {err}", backoff(delivery.attempts))
            return False
        await self._outbox.mark_sent(delivery, message.message_id)
        return True

    async def _failed(self, delivery: AlertDelivery, error: str, wait: timedelta) -> None:
        _log.info(
            "alert %s to %s not delivered (%s); retry in %s",
            delivery.alert_id,
            delivery.chat_id,
            error,
            wait,
        )
        await self._outbox.mark_failed(delivery, error, self._clock.now() + wait)
