"""``python -m bot run``: the services and the Telegram bot, started and stopped in order.

Tests start the very same :class:`BotRuntime` with the Bot API base URL pointed at a fake
Telegram server and the batteries simulated over UDP.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.clock import Clock, SystemClock
from bot.execution.executor import start_executor
from bot.savings.daily import daily_summary_step
from bot.scheduling import JobQueueScheduler
from bot.services import ServiceError, Services, open_services
from bot.settings import Settings
from bot.telegram_ui.application import build_application, prepare
from bot.telegram_ui.context import App

_log = logging.getLogger(__name__)

START_TRIES = 5


class AppError(Exception):
    """The bot cannot run; the message is one sentence for the user."""


class BotRuntime:
    """One running bot: services, the Telegram application and its long polling."""

    def __init__(
        self, settings: Settings, *, clock: Clock | None = None, simulate: int = 0
    ) -> None:
        if settings.telegram_token is None:
            raise AppError(
                "MARSTEK_TELEGRAM_TOKEN manque : créez un bot avec @BotFather et mettez son "
                "jeton dans cette variable (ou dans le fichier .env)."
            )
        if not settings.admins:
            _log.warning("MARSTEK_ADMINS is empty: nobody may use the bot")
        self.settings = settings
        self._clock = clock
        self._simulate = simulate
        self.services: Services | None = None
        self.application: App | None = None

    async def start(self) -> None:
        """Open the services, connect to Telegram and start long polling."""
        clock = self._clock or SystemClock()
        # On the real clock the Telegram JobQueue runs the recurring jobs; a virtual clock (tests,
        # demos) needs them to sleep on that clock instead.
        queued = JobQueueScheduler(clock) if isinstance(clock, SystemClock) else None
        try:
            self.services = await open_services(
                self.settings, clock=clock, simulate=self._simulate, scheduler=queued
            )
        except ServiceError as err:
            raise AppError(str(err)) from err
        if self.services.settings.automation:
            start_executor(self.services)
        services = self.services
        services.every("savings-daily", lambda: daily_summary_step(services))
        try:
            self.application = build_application(self.settings, self.services)
            if queued is not None:
                _attach_jobs(self.application, queued)
            await self._initialize(self.application)
            await prepare(self.application)
            await self.application.start()
            updater = self.application.updater
            if updater is not None:
                await updater.start_polling(
                    poll_interval=0.0,
                    timeout=int(self.settings.telegram_poll_timeout_s),
                    allowed_updates=Update.ALL_TYPES,
                )
        except BaseException:
            await self.stop()
            raise
        me = self.application.bot
        _log.info("bot @%s started with %d batteries", me.username, len(self.services.fleet.names))

    async def _initialize(self, app: App) -> None:
        delay = 2.0
        for attempt in range(1, START_TRIES + 1):
            try:
                await app.initialize()
            except InvalidToken as err:
                raise AppError(
                    "Telegram refuse le jeton MARSTEK_TELEGRAM_TOKEN : vérifiez-le auprès de "
                    "@BotFather."
                ) from err
            except NetworkError as err:
                if attempt == START_TRIES:
                    raise AppError(
                        f"Telegram est injoignable ({self.settings.telegram_base_url}) après "
                        f"{START_TRIES} essais : vérifiez la connexion Internet."
                    ) from err
                _log.warning("Telegram unreachable (%s); retrying in %.0f s", err, delay)
                await asyncio.sleep(delay)
                delay *= 2
            else:
                return

    async def stop(self) -> None:
        """Stop polling, the application and the services (safe to call twice)."""
        app, self.application = self.application, None
        if self.services is not None:
            # Before the application: its JobQueue would wait for a step still running.
            await self.services.scheduler.stop()
        if app is not None:
            updater = app.updater
            if updater is not None and updater.running:
                with contextlib.suppress(TelegramError, RuntimeError):
                    await updater.stop()
            if app.running:
                with contextlib.suppress(TelegramError, RuntimeError):
                    await app.stop()
            with contextlib.suppress(TelegramError, RuntimeError):
                await app.shutdown()
        services, self.services = self.services, None
        if services is not None:
            await services.close()


def _attach_jobs(app: App, scheduler: JobQueueScheduler) -> None:
    if app.job_queue is None:
        raise AppError(
            "python-telegram-bot est installé sans son extra job-queue : "
            "réinstallez avec « pip install 'python-telegram-bot[job-queue]' »."
        )
    scheduler.attach(app.job_queue)


async def run_bot(settings: Settings, *, simulate: int = 0, clock: Clock | None = None) -> None:
    """Run until SIGINT or SIGTERM."""
    runtime = BotRuntime(settings, simulate=simulate, clock=clock)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await runtime.start()
    try:
        await stop.wait()
    finally:
        _log.info("stopping")
        await runtime.stop()
