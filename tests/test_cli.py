"""The command line as a person runs it: real subprocesses, simulated batteries over UDP.

Each subprocess runs with the loopback guard installed (tests/netguard_site/sitecustomize.py),
so a code path that would broadcast to the real LAN fails here too.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.alerts import Alert, AlertKind, Severity
from bot.clock import SystemClock
from bot.marstek.simulator import find_free_udp_port
from bot.storage import Database, Storage

ROOT = Path(__file__).resolve().parents[1]
HOSTS = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.255.255.255"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSTEK_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tests" / "netguard_site"), str(ROOT)])
    env["MARSTEK_DATA_DIR"] = str(tmp_path / "data")
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[int]:
    """``python -m bot simulate 3`` in a subprocess; yields its UDP port."""
    port = find_free_udp_port(HOSTS)
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "bot", "simulate", "3", "--port", str(port)],
        env=_env(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(3)]
    assert all(f":{port}" in line for line in lines), lines
    try:
        yield port
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.mark.usefixtures("simulator")
def test_discover_finds_the_three_simulated_units(simulator: int, tmp_path: Path) -> None:
    result = _run(
        ["discover", "--broadcast", "127.255.255.255", "--port", str(simulator), "--window", "1"],
        _env(tmp_path),
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if "127.0.0." in line]
    assert len(rows) == 3
    assert all("VenusE 3.0" in row for row in rows)


def test_discover_with_the_lan_default_is_stopped_by_the_guard(tmp_path: Path) -> None:
    result = _run(["discover", "--window", "1"], _env(tmp_path), tmp_path)
    assert result.returncode != 0
    assert "NonLoopbackTrafficError" in result.stderr  # refused before a byte left
    assert "255.255.255.255" in result.stderr


async def _pending_alert(db_file: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{db_file}", clock=SystemClock())
    await db.start()
    await Storage(db, SystemClock()).alerts.raise_alert(
        Alert(
            kind=AlertKind.LOW_SOC,
            severity=Severity.WARNING,
            created_at=datetime.now(UTC),
            dedup_key="cli-test",
            battery="salon",
            params={"soc_pct": 7, "limit": 10},
        )
    )
    await db.close()


def test_status_prints_each_battery_and_pending_alerts(simulator: int, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    asyncio.run(_pending_alert(tmp_path / "data" / "marstek.db"))
    env = _env(
        tmp_path,
        MARSTEK_BATTERIES=f"salon@127.0.0.2:{simulator},garage@127.0.0.3:{simulator},"
        f"absent@127.0.0.9:{simulator}",
        MARSTEK_REQUEST_TIMEOUT_S="0.5",
        MARSTEK_REQUEST_TRIES="1",
    )
    result = _run(["status"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("salon") and "en ligne" in line and "%" in line for line in lines)
    assert any(line.startswith("garage") and "en ligne" in line for line in lines)
    assert any(line.startswith("absent") and "injoignable" in line for line in lines)
    assert "Alertes en attente d'envoi (1)" in result.stdout
    assert "salon : charge basse, 7" in result.stdout


def test_backup_writes_a_consistent_copy(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    asyncio.run(_pending_alert(tmp_path / "data" / "marstek.db"))
    copy = tmp_path / "copy.db"
    result = _run(["backup", str(copy)], _env(tmp_path), tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM alerts").fetchone() == (1,)


@pytest.mark.parametrize(
    ("env_extra", "args", "code", "needle"),
    [
        ({"MARSTEK_POLL_INTERVAL_S": "vite"}, ["status"], 2, "MARSTEK_POLL_INTERVAL_S"),
        ({}, ["run"], 1, "MARSTEK_TELEGRAM_TOKEN"),
        ({}, ["simulate", "0"], 1, "entre 1 et 200"),
    ],
)
def test_errors_are_one_sentence_not_a_traceback(
    tmp_path: Path, env_extra: dict[str, str], args: list[str], code: int, needle: str
) -> None:
    result = _run(args, _env(tmp_path, **env_extra), tmp_path)
    assert result.returncode == code
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
