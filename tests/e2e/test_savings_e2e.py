"""/economies through the fake Bot API: hand-computed € from stored samples, the chart, the
daily summary setting (admin only, strictly validated, kept across a restart) and its delivery."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot import charts
from bot.charts.model import SavingsDay
from bot.savings import SavingsService
from bot.savings.daily import DAILY_KEY, send_due_summary
from bot.storage.models import Sample
from bot.telegram_ui import format as fmt
from bot.tempo.calendar import PARIS
from bot.tempo.model import TempoColor, TempoDayRecord
from tests.charts.helpers import assert_sensible_png
from tests.e2e.conftest import ADMIN_ID, VIEWER_ID, Bot
from tests.e2e.data_helpers import assert_no_bot_errors, human_pause, registered, restart

TODAY = date(2026, 1, 14)
COLORS = {
    date(2025, 8, 20): TempoColor.BLUE,
    date(2025, 12, 20): TempoColor.BLUE,
    date(2026, 1, 8): TempoColor.RED,
    date(2026, 1, 13): TempoColor.WHITE,
    TODAY: TempoColor.BLUE,
}
# Every run: one sample a minute; the first holds the 2-minute gap cap, so n samples = n+1 min.
RED_HP = 121 * 2000 / 60 / 1000 * 0.6468  # 8 Jan 07h–09h, 2 kW delivered (red HP, Aug 2025 row)
RED_HC = 181 * 1500 / 60 / 1000 * 0.1460  # night 8→9 Jan 23h–02h, 1.5 kW bought (red HC)
WHITE_HP = 121 * 1000 / 60 / 1000 * 0.1730  # 13 Jan 18h–20h, 1 kW delivered (white HP)
DECEMBER = 61 * 600 / 60 / 1000 * 0.1494  # 20 Dec 08h–09h, 600 W delivered (blue HP)
AUGUST = 61 * 1200 / 60 / 1000 * 0.1494  # 20 Aug 10h–11h, 1.2 kW (before the season)


def _local(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS).astimezone(UTC)


def _run(battery_id: int, start: datetime, end: datetime, power_w: float) -> list[Sample]:
    minutes = int((end - start).total_seconds() // 60)
    return [
        Sample(
            battery_id=battery_id,
            at=start + timedelta(minutes=i),
            soc_pct=50.0,
            ac_power_w=power_w,
            grid_in_wh=float(i % 5),  # a glitching lifetime counter: never read
        )
        for i in range(minutes)
    ]


class Renders:
    """Every list of days handed to the savings renderer (the real one still runs)."""

    def __init__(self) -> None:
        self.calls: list[list[SavingsDay]] = []


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Renders:
    seen = Renders()
    real = charts.render_savings

    def spy(days: Sequence[SavingsDay], *args: Any, **kwargs: Any) -> bytes:
        seen.calls.append(list(days))
        return real(days, *args, **kwargs)

    monkeypatch.setattr(charts, "render_savings", spy)
    return seen


@pytest.fixture
async def restartable(bot: Bot) -> AsyncIterator[Bot]:
    """The bot, stopped at the end whichever runtime a restart left running."""
    yield bot
    await bot.runtime.stop()


@pytest.fixture(autouse=True)
def _no_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert_no_bot_errors(caplog)


async def _history(bot: Bot) -> list[int]:
    """Store the hand-computed history and stop polling (so today's energy stops moving)."""
    ids = list((await registered(bot)).values())
    samples = bot.services.storage.samples
    await samples.insert_batch(
        _run(ids[0], _local(date(2026, 1, 8), 7), _local(date(2026, 1, 8), 9), 2000.0)
        + _run(ids[0], _local(date(2026, 1, 8), 23), _local(date(2026, 1, 9), 2), -1500.0)
        + _run(ids[0], _local(date(2025, 8, 20), 10), _local(date(2025, 8, 20), 11), 1200.0)
    )
    await samples.insert_batch(
        _run(ids[1], _local(date(2026, 1, 13), 18), _local(date(2026, 1, 13), 20), 1000.0)
    )
    await samples.insert_batch(
        _run(ids[2], _local(date(2025, 12, 20), 8), _local(date(2025, 12, 20), 9), 600.0)
    )
    for day, color in COLORS.items():
        await bot.services.storage.tempo_days.put_day(
            TempoDayRecord(
                day=day, color=color, confirmed=True, source="test", fetched_at=bot.clock.now()
            )
        )
    await bot.services.fleet.stop()
    return ids


async def _today_eur(bot: Bot) -> float:
    svc = bot.services
    service = SavingsService(svc.storage, svc.tempo, svc.prices, svc.settings.tz)
    return (await service.day(TODAY)).savings_eur


async def test_admin_sees_hand_computed_savings_and_a_chart(bot: Bot, renders: Renders) -> None:
    await _history(bot)
    today = await _today_eur(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/economies")
    summary = await alice.next_message()
    month = RED_HP - RED_HC + WHITE_HP + today
    text = summary.content
    assert "Économies des batteries" in text
    assert f"Aujourd'hui (🔵 Bleu) : {fmt.euros(today, 'fr')}" in text
    assert f"Ce mois-ci : {fmt.euros(month, 'fr')}" in text
    assert f"Saison 2025-2026 : {fmt.euros(month + DECEMBER, 'fr')}" in text
    assert (
        f"Depuis l'installation (20/08/2025) : {fmt.euros(month + DECEMBER + AUGUST, 'fr')}" in text
    )
    assert "Résumé quotidien : désactivé" in text
    labels = [label for label, _ in summary.buttons()]
    assert labels == [
        "📊 30 jours",
        "📊 Saison",
        "🧪 Comparer les stratégies",
        "🔔 Résumé quotidien",
    ]

    photo = await alice.wait_for(lambda m: m.photo is not None, timeout=15)
    assert photo.photo is not None
    assert assert_sensible_png(photo.photo.content)
    assert photo.caption is not None
    last_30 = RED_HP - RED_HC + WHITE_HP + today + DECEMBER  # 20 Dec is within 30 days
    assert f"30 derniers jours : {fmt.euros(last_30, 'fr')}" in photo.caption
    (days,) = renders.calls
    assert [d.day for d in days] == [TODAY - timedelta(days=29 - i) for i in range(30)]
    by_day = {d.day: d for d in days}
    assert by_day[date(2026, 1, 8)].color is TempoColor.RED
    assert by_day[date(2026, 1, 8)].savings_eur == pytest.approx(RED_HP - RED_HC)
    assert by_day[date(2026, 1, 13)].savings_eur == pytest.approx(WHITE_HP)
    assert by_day[date(2026, 1, 10)].savings_eur == 0.0

    human_pause(bot)
    await alice.press(summary, "📊 Saison")
    season_photo = await alice.wait_for(
        lambda m: m.photo is not None and m.message_id > photo.message_id, timeout=15
    )
    assert season_photo.caption is not None
    assert f"saison 2025-2026 : {fmt.euros(month + DECEMBER, 'fr')}" in season_photo.caption
    season_days = renders.calls[1]
    assert season_days[0].day == date(2025, 9, 1)
    assert season_days[-1].day == TODAY
    assert sum(d.savings_eur for d in season_days) == pytest.approx(month + DECEMBER)


async def test_english_viewer_reads_but_cannot_change_the_daily_summary(
    bot: Bot, renders: Renders
) -> None:
    await _history(bot)
    bob = bot.user(VIEWER_ID, "Bob", "en")
    await bob.send("/economies")
    summary = await bob.next_message()
    assert "Money saved by the batteries" in summary.content
    assert f"This month: {fmt.euros(RED_HP - RED_HC + WHITE_HP + await _today_eur(bot), 'en')}" in (
        summary.content
    )
    assert [label for label, _ in summary.buttons()] == [
        "📊 30 days",
        "📊 Season",
        "🧪 Compare strategies",
    ]
    await bob.wait_for(lambda m: m.photo is not None, timeout=15)
    for data in ("v1|sv|d", "v1|sv|on", "v1|sv|h|7"):
        human_pause(bot)
        answer = await bob.wait_for_answer(await bob.press_forged(data, message=summary))
        assert answer.show_alert
        assert answer.text is not None
    assert await bot.services.storage.settings.get(DAILY_KEY) is None


async def test_forged_or_stale_buttons_change_nothing(bot: Bot, renders: Renders) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/economies")
    summary = await alice.next_message()
    await alice.wait_for(lambda m: m.photo is not None, timeout=15)
    forged = [
        "v1|sv|h|24",
        "v1|sv|h|07",
        "v1|sv|h|-1",
        "v1|sv|h|abc",
        "v1|sv|h|7|8",
        "v1|sv|c|7d",
        "v1|sv|c",
        "v1|sv|on|1",
        "v1|sv|zz",
        "v1|sv",
    ]
    for data in forged:
        human_pause(bot)
        answer = await alice.wait_for_answer(await alice.press_forged(data, message=summary))
        assert answer.text == "Ce bouton n'est plus valable. Voici le menu à jour.", data
    assert await bot.services.storage.settings.get(DAILY_KEY) is None
    assert "Ce bouton n'est plus valable" in alice.current(summary).content
    assert not renders.calls[1:]  # no chart sent for a forged chart button


async def test_daily_summary_setting_survives_restart_and_is_delivered(
    restartable: Bot, renders: Renders
) -> None:
    bot = restartable
    await _history(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    bob = bot.user(VIEWER_ID, "Bob", "en")
    await alice.send("/economies")
    summary = await alice.next_message()
    await alice.wait_for(lambda m: m.photo is not None, timeout=15)
    human_pause(bot)
    await alice.press(summary, "🔔 Résumé quotidien")
    menu = await alice.wait_for_edit(summary)
    assert "État : désactivé (heure prévue : 20h00)" in menu.content
    assert "✅ 20h00" in [label for label, _ in menu.buttons()]
    human_pause(bot)
    await alice.press(menu, "11h00")
    chosen = await alice.wait_for_edit(menu)
    assert "Résumé quotidien activé, à 11h00" in chosen.content
    assert "✅ 11h00" in [label for label, _ in chosen.buttons()]
    stored = await bot.services.storage.settings.get(DAILY_KEY)
    assert stored == {"enabled": True, "hour": 11}

    await restart(bot)
    await bot.services.fleet.stop()
    await bob.send("/start")  # the bot learns Bob's language again (pushes are per reader)
    await bob.next_message()
    human_pause(bot)
    await alice.send("/economies")
    again = await alice.wait_for(lambda m: "Résumé quotidien : chaque jour à 11h00" in m.content)
    await alice.wait_for(lambda m: m.photo is not None and m.message_id > again.message_id)

    # 10h01 in Paris: the summary of 13 Jan is due at 11h00, not yet.
    assert await send_due_summary(bot.services, bot.clock.now()) is None
    bot.clock.jump_to(_local(TODAY, 11) + timedelta(minutes=1))
    bot.services.jobs["savings-daily"].wake()
    note = await alice.wait_for(lambda m: "Économies du 13/01/2026" in m.content, timeout=10)
    month = RED_HP - RED_HC + WHITE_HP
    assert "⚪ Blanc" in note.content
    assert fmt.euros(WHITE_HP, "fr") in note.content
    assert f"Ce mois-ci : {fmt.euros(month, 'fr')}" in note.content
    assert f"total : {fmt.euros(month + DECEMBER + AUGUST, 'fr')}" in note.content
    english = await bob.wait_for(lambda m: "Savings on 2026-01-13" in m.content, timeout=10)
    assert f"season: {fmt.euros(month + DECEMBER, 'en')}" in english.content
    # Once only, even if asked again (or after another restart).
    assert await send_due_summary(bot.services, bot.clock.now()) is None

    human_pause(bot)
    await alice.press(again, "🔔 Résumé quotidien")
    menu = await alice.wait_for_edit(again)
    human_pause(bot)
    await alice.press(menu, "🔕 Désactiver")
    await alice.wait_for(lambda m: "Résumé quotidien désactivé" in alice.current(again).content)
    assert await bot.services.storage.settings.get(DAILY_KEY) == {"enabled": False, "hour": 11}
