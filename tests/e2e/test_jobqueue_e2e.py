"""On the real clock (production), the Telegram JobQueue runs the bot's recurring jobs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import BotRuntime
from bot.clock import SystemClock
from bot.scheduling import JobQueueScheduler
from tests.e2e.conftest import bot_settings
from tests.fakes.telegram_api import FakeTelegramServer
from tests.fakes.tempo_servers import CouleurTempoServer


async def test_production_runs_the_plan_tempo_housekeeping_and_summary_as_jobs(
    tmp_path: Path, tempo_server: CouleurTempoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    clock = SystemClock()
    async with FakeTelegramServer(clock=clock) as telegram:
        settings = bot_settings(
            telegram, tempo_server, tmp_path, automation=True, poll_interval_s=5.0
        )
        runtime = BotRuntime(settings, simulate=1)  # no clock given: the real one
        await runtime.start()
        try:
            services, app = runtime.services, runtime.application
            assert services is not None
            assert app is not None
            assert app.job_queue is not None
            assert isinstance(services.scheduler, JobQueueScheduler)
            wanted = {"plan", "tempo-fetch", "housekeeping", "savings-daily"}
            for _ in range(100):  # a job running its step is off the queue until it asks again
                names = {job.name for job in app.job_queue.jobs()}
                if wanted <= names:
                    break
                await asyncio.sleep(0.1)
            assert wanted <= names
            executor = services.executor
            assert executor is not None
            for _ in range(100):  # the first check runs once the battery has answered
                if executor.plan is not None:
                    break
                await asyncio.sleep(0.1)
            assert executor.plan is not None
            # A re-plan request wakes the job at once instead of waiting for the next period.
            first = executor.plan.created_at
            services.request_replan()
            for _ in range(50):
                if executor.plan.created_at != first:
                    break
                await asyncio.sleep(0.1)
            assert executor.plan.created_at != first
        finally:
            await runtime.stop()
