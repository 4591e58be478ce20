"""The ``python -m bot.storage`` command line drives backup, restore and info."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.storage import Database, Storage
from bot.storage.__main__ import main
from tests.storage.conftest import T0, sqlite_url


async def _set(url: str, value: str) -> None:
    clock = ManualClock(T0)
    db = Database(url, clock=clock)
    await db.start()
    try:
        await Storage(db, clock).settings.set("k", value, by=1)
    finally:
        await db.close()


async def _get(url: str) -> object:
    clock = ManualClock(T0)
    db = Database(url, clock=clock)
    await db.start()
    try:
        return await Storage(db, clock).settings.get("k")
    finally:
        await db.close()


def test_backup_info_and_restore_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data" / "marstek.db"
    url = sqlite_url(path)
    asyncio.run(_set(url, "kept"))
    copy = tmp_path / "copy.db"
    assert main(["backup", url, str(copy)]) == 0
    assert main(["info", str(copy)]) == 0
    shown = capsys.readouterr().out
    assert "integrity       ok" in shown
    assert "schema version  2 (this bot: 2)" in shown
    assert "batteries       0 rows" in shown

    asyncio.run(_set(url, "changed"))
    assert main(["restore", str(copy), str(path)]) == 0  # the bot is stopped here
    assert asyncio.run(_get(url)) == "kept"


def test_errors_are_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(tmp_path / "missing.db")]) == 1
    assert main(["backup", str(tmp_path / "missing.db"), str(tmp_path / "x.db")]) == 1
    assert capsys.readouterr().err.count("error: ") == 2
