"""/export and /backup through the fake Bot API: the files received, opened and checked."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage.errors import BackupError
from bot.storage.models import Sample
from bot.telegram_ui.backup_ui import flow as backup_flow
from bot.telegram_ui.export_ui import flow as export_flow
from bot.telegram_ui.export_ui.csv_export import COLUMNS
from tests.e2e.conftest import ADMIN_ID, VIEWER_ID, Bot
from tests.e2e.data_helpers import (
    assert_no_bot_errors,
    history,
    hourly_soc,
    human_pause,
    registered,
)
from tests.fakes.telegram_user import FakeUser
from tests.fakes.telegram_values import ChatMessage

HISTORY_START = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)
HISTORY_HOURS = 9 * 24


@pytest.fixture(autouse=True)
def _no_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert_no_bot_errors(caplog)


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the bot's temporary files go during the test (to see that none is left)."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _left_in(folder: Path) -> list[Path]:
    return list(folder.iterdir())


async def _with_history(bot: Bot) -> dict[str, int]:
    ids = await registered(bot)
    for index, battery_id in enumerate(ids.values()):
        await bot.services.storage.samples.insert_batch(
            history(battery_id, index, start=HISTORY_START, hours=HISTORY_HOURS)
        )
    return ids


async def _export(user: FakeUser, button: str) -> tuple[ChatMessage, list[dict[str, str]]]:
    await user.send("/export")
    picker = await user.next_message()
    await user.press(picker, button)
    message = await user.wait_for(lambda m: m.document is not None, timeout=15)
    assert message.document is not None
    text = message.document.content.decode()
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return message, list(reader)


def _matches(row: dict[str, str], sample: Sample, name: str) -> bool:
    return (
        datetime.fromisoformat(row["time_local"]) == sample.at.replace(microsecond=0)
        and row["battery"] == name
        and row["source"] == "sample"
        and float(row["soc_pct"]) == sample.soc_pct
        and float(row["ac_power_w_pos_discharge"]) == sample.ac_power_w
        and (row["grid_power_w_pos_import"] or None)
        == (None if sample.grid_power_w is None else str(sample.grid_power_w))
        and (row["mode"] or None) == sample.mode
    )


async def test_export_7_days_is_a_csv_of_the_stored_samples(bot: Bot) -> None:
    ids = await _with_history(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    before = bot.clock.now()
    message, rows = await _export(alice, "7 j")
    assert message.document is not None
    local = before.astimezone(bot.settings.tz)
    assert message.document.filename is not None
    assert message.document.filename.startswith(f"marstek-export-7d-{local:%Y%m%d}-")
    assert message.document.filename.endswith(".csv")
    assert message.caption is not None
    assert "Mesures des 7 derniers jours" in message.caption
    assert "+ = décharge vers la maison" in message.caption
    assert any(a.action == "upload_document" for a in alice.chat_actions)

    assert all(row["time_local"].endswith("+01:00") for row in rows)  # Paris, winter
    times = [datetime.fromisoformat(row["time_local"]) for row in rows]
    assert times == sorted(times)
    assert (
        before - timedelta(days=7, seconds=1) <= times[0] <= before - timedelta(days=7, minutes=-5)
    )
    for name, battery_id in ids.items():
        mine = [row for row in rows if row["battery"] == name]
        first = datetime.fromisoformat(mine[0]["time_local"])
        last = datetime.fromisoformat(mine[-1]["time_local"])
        stored = await bot.services.storage.samples.between(
            battery_id, first, last + timedelta(seconds=1)
        )
        assert len(mine) == len(stored) > 6 * 24 * 12  # the history stops at 00:00 UTC today
        assert all(_matches(row, s, name) for row, s in zip(mine, stored, strict=True))
    assert {row["source"] for row in rows} == {"sample"}
    assert "rollup" not in message.caption


async def test_export_beyond_retention_uses_the_rollups_and_says_so(bot: Bot) -> None:
    ids = await _with_history(bot)
    now = bot.clock.now()
    result = await bot.services.storage.housekeeping(now, retention_days=1)
    assert result.samples_deleted > 0
    bob = bot.user(VIEWER_ID, "Bob", "en")  # viewers may export too
    message, rows = await _export(bob, "7 d")
    assert message.caption is not None
    assert "15-minute averages" in message.caption
    assert "rollup_15min" in message.caption
    name, battery_id = next(iter(ids.items()))
    mine = [row for row in rows if row["battery"] == name]
    rolled = [row for row in mine if row["source"] == "rollup_15min"]
    raw = [row for row in mine if row["source"] == "sample"]
    assert rolled
    assert raw
    assert max(r["time_local"] for r in rolled) < min(r["time_local"] for r in raw)
    first_raw = datetime.fromisoformat(raw[0]["time_local"])
    assert first_raw >= now - timedelta(days=1, minutes=15)
    for row in rolled:
        at = datetime.fromisoformat(row["time_local"])
        assert at.minute % 15 == 0
        hour_index = int((at - HISTORY_START) / timedelta(hours=1))
        assert float(row["soc_pct"]) == pytest.approx(hourly_soc(0, hour_index))
        assert row["battery_power_w_pos_discharge"] == ""  # averages only
    buckets = await bot.services.storage.samples.bucketed(
        battery_id,
        datetime.fromisoformat(rolled[0]["time_local"]),
        datetime.fromisoformat(rolled[-1]["time_local"]) + timedelta(minutes=15),
        900,
    )
    assert len(buckets) == len(rolled)


async def test_forged_export_buttons_send_nothing(bot: Bot) -> None:
    alice = bot.user(ADMIN_ID, "Alice")
    for data in ("v1|ex|1y", "v1|ex", "v1|ex|7d|7d", "v1|ex|7D"):
        human_pause(bot)
        await alice.send("/export")
        picker = await alice.next_message()
        query = await alice.press_forged(data, message=picker)
        answer = await alice.wait_for_answer(query)
        assert answer.text == "Ce bouton n'est plus valable. Voici le menu à jour.", data
        shown = await alice.wait_for_edit(picker)
        assert "Export CSV" in shown.content
    assert not any(m.document is not None for m in alice.messages)


async def test_backup_sends_a_consistent_database_and_leaves_no_file(
    bot: Bot, temp_root: Path, tmp_path: Path
) -> None:
    await _with_history(bot)
    alice = bot.user(ADMIN_ID, "Alice")
    local = bot.clock.now().astimezone(bot.settings.tz)
    await alice.send("/backup")
    message = await alice.wait_for(lambda m: m.document is not None, timeout=15)
    assert message.document is not None
    filename = message.document.filename
    assert filename is not None
    assert filename.startswith(f"marstek-{local:%Y%m%d}-")
    assert len(filename) == len("marstek-20260114-1000.db")
    assert message.caption is not None
    assert "python -m bot.storage restore" in message.caption
    received = tmp_path / "received.db"
    received.write_bytes(message.document.content)
    with closing(sqlite3.connect(received)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"batteries", "samples", "sample_rollups", "settings", "tempo_days"} <= tables
        assert db.execute("SELECT count(*) FROM batteries").fetchone() == (3,)
        (count,) = db.execute("SELECT count(*) FROM samples").fetchone()
        assert count >= 3 * HISTORY_HOURS * 12
    assert _left_in(temp_root) == []


async def test_backup_is_for_admins_only(bot: Bot, temp_root: Path) -> None:
    bob = bot.user(VIEWER_ID, "Bob", "en")
    await bob.send("/backup")
    refusal = await bob.next_message()
    assert "Read-only" in refusal.content
    assert not any(m.document is not None for m in bob.messages)
    assert _left_in(temp_root) == []


async def test_backup_failure_is_explained_and_cleaned_up(
    bot: Bot, temp_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def failing(_url: object, dest: Path) -> Path:
        await asyncio.to_thread(Path(dest).write_bytes, b"half")
        raise BackupError("disque plein")

    monkeypatch.setattr(backup_flow, "backup", failing)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/backup")
    message = await alice.next_message()
    assert message.content == "❌ Sauvegarde impossible : disque plein"
    assert _left_in(temp_root) == []


async def test_backup_too_big_for_telegram_says_what_to_do(
    bot: Bot, temp_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_flow, "UPLOAD_LIMIT_BYTES", 1000)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/backup")
    message = await alice.next_message(timeout=10)
    assert "trop pour Telegram" in message.content
    assert "python -m bot.storage backup" in message.content
    assert not any(m.document is not None for m in alice.messages)
    assert _left_in(temp_root) == []


async def test_export_too_big_even_compressed_asks_for_a_shorter_period(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _with_history(bot)
    monkeypatch.setattr(export_flow, "UPLOAD_LIMIT_BYTES", 100)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/export")
    picker = await alice.next_message()
    await alice.press(picker, "24 h")
    shown = await alice.wait_for(lambda m: "plus courte" in m.content, timeout=10)
    assert shown.message_id == picker.message_id
    assert not any(m.document is not None for m in alice.messages)


async def test_export_of_nothing_says_so_and_sends_no_file(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_battery() -> list[object]:
        return []

    monkeypatch.setattr(bot.services.storage.batteries, "list_all", no_battery)
    alice = bot.user(ADMIN_ID, "Alice")
    await alice.send("/export")
    picker = await alice.next_message()
    await alice.press(picker, "24 h")
    shown = await alice.wait_for(lambda m: "rien à exporter" in m.content, timeout=10)
    assert shown.content.startswith("📤 Aucune mesure sur les 24 dernières heures")
    assert [label for label, _ in shown.buttons()][:3] == ["24 h", "7 j", "30 j"]
    assert not any(m.document is not None for m in alice.messages)
