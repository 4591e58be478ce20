"""The CSV export: rows from a real database (raw, then rollups past retention) and the file."""

from __future__ import annotations

import csv
import gzip
import io
import os
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.storage.models import Sample
from bot.telegram_ui.export_ui.csv_export import (
    COLUMNS,
    ROLLUP,
    SAMPLE,
    ExportRow,
    build_export,
    fit_for_upload,
    to_csv,
)
from tests.telegram_ui.charts_ui.storage import add_battery, open_storage, regular_samples

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 1, 14, 12, 0, tzinfo=UTC)


def _read(data: bytes) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(data.decode()))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


async def test_raw_samples_of_every_battery_in_time_order(tmp_path: Path) -> None:
    async with open_storage(tmp_path, NOW) as storage:
        first, second = await add_battery(storage, 1), await add_battery(storage, 2)
        for battery_id in (first, second):
            await storage.samples.insert_batch(
                regular_samples(
                    battery_id, NOW - timedelta(hours=3), NOW, every=timedelta(minutes=10)
                )
            )
        export = await build_export(
            storage.samples,
            [(first, "Venus 1"), (second, "Venus 2"), (999, "never polled")],
            start=NOW - timedelta(hours=2),
            end=NOW,
            tz=PARIS,
            chunk=timedelta(minutes=25),  # chunk edges inside the data
        )
    rows = _read(export.data)
    assert (export.rows, export.batteries, export.rolled_up) == (24, 2, False)
    assert len(rows) == 24
    assert {row["source"] for row in rows} == {SAMPLE}
    times = [datetime.fromisoformat(row["time_local"]) for row in rows]
    assert times == sorted(times)
    assert len(set(times)) == 12  # each instant once per battery: no chunk twice, none lost
    assert [row["battery"] for row in rows[:2]] == ["Venus 1", "Venus 2"]
    assert times[0] == NOW - timedelta(hours=2)


async def test_pruned_past_is_filled_with_quarter_hour_rollups(tmp_path: Path) -> None:
    async with open_storage(tmp_path, NOW) as storage:
        battery_id = await add_battery(storage, 1)
        await storage.samples.insert_batch(
            regular_samples(battery_id, NOW - timedelta(days=3), NOW, every=timedelta(minutes=1))
        )
        await storage.housekeeping(NOW, retention_days=1)
        export = await build_export(
            storage.samples,
            [(battery_id, "Venus 1")],
            start=NOW - timedelta(days=2),
            end=NOW,
            tz=PARIS,
        )
        kept = await storage.samples.between(battery_id, NOW - timedelta(days=2), NOW)
    assert export.rolled_up
    rows = _read(export.data)
    rolled = [datetime.fromisoformat(r["time_local"]) for r in rows if r["source"] == ROLLUP]
    raw = [datetime.fromisoformat(r["time_local"]) for r in rows if r["source"] == SAMPLE]
    assert raw == [sample.at for sample in kept]
    assert rolled[0] == NOW - timedelta(days=2)
    assert rolled[-1] + timedelta(minutes=15) == raw[0]  # no overlap, no hole
    assert all(b - a == timedelta(minutes=15) for a, b in pairwise(rolled))
    first = rows[0]
    assert first["soc_pct"] == "24.0"  # hour 24 of the synthetic history
    assert first["battery_power_w_pos_discharge"] == ""


async def test_nothing_stored_gives_no_row(tmp_path: Path) -> None:
    async with open_storage(tmp_path, NOW) as storage:
        battery_id = await add_battery(storage, 1)
        export = await build_export(
            storage.samples,
            [(battery_id, "Venus 1")],
            start=NOW - timedelta(days=1),
            end=NOW,
            tz=PARIS,
        )
    assert (export.rows, export.batteries, export.rolled_up) == (0, 0, False)
    assert _read(export.data) == []


def test_local_times_stay_unambiguous_when_clocks_go_back() -> None:
    rows = [
        ExportRow(
            at=datetime(2026, 10, 25, hour, 30, tzinfo=UTC),
            battery="Venus 1",
            source=SAMPLE,
            soc_pct=50.0,
            ac_power_w=-0.0001,
        )
        for hour in (0, 1)
    ]
    parsed = _read(to_csv(rows, PARIS))
    assert [row["time_local"] for row in parsed] == [
        "2026-10-25T02:30:00+02:00",
        "2026-10-25T02:30:00+01:00",
    ]
    assert parsed[0]["ac_power_w_pos_discharge"] == "0.0"
    assert parsed[0]["grid_power_w_pos_import"] == ""


def test_values_names_and_counters_are_written_exactly() -> None:
    sample = Sample(
        battery_id=1,
        at=datetime(2026, 1, 14, 8, 0, 0, 123456, tzinfo=UTC),
        soc_pct=57.0,
        ac_power_w=-1234.5,
        battery_power_w=1300.25,
        grid_power_w=250.0,
        mode="Manual",
        temperature_c=21.5,
        grid_in_wh=12_345_678.0,
        grid_out_wh=0.1 + 0.2,
    )
    row = ExportRow(
        at=sample.at,
        battery='Cave, "sud"',
        source=SAMPLE,
        soc_pct=sample.soc_pct,
        ac_power_w=sample.ac_power_w,
        battery_power_w=sample.battery_power_w,
        grid_power_w=sample.grid_power_w,
        mode=sample.mode,
        temperature_c=sample.temperature_c,
        grid_in_wh=sample.grid_in_wh,
        grid_out_wh=sample.grid_out_wh,
    )
    (parsed,) = _read(to_csv([row], PARIS))
    assert parsed == {
        "time_local": "2026-01-14T09:00:00+01:00",
        "battery": 'Cave, "sud"',
        "source": "sample",
        "soc_pct": "57.0",
        "ac_power_w_pos_discharge": "-1234.5",
        "battery_power_w_pos_discharge": "1300.25",
        "pv_power_w": "",
        "grid_power_w_pos_import": "250.0",
        "mode": "Manual",
        "temperature_c": "21.5",
        "grid_in_counter_wh": "12345678.0",
        "grid_out_counter_wh": "0.3",
    }


def test_too_big_files_are_compressed_or_refused() -> None:
    small = b"a,b\n1,2\n"
    assert fit_for_upload(small, 100) == (small, False)
    big = b"time_local,battery\n" * 10_000
    fitted = fit_for_upload(big, 100_000)
    assert fitted is not None
    packed, compressed = fitted
    assert compressed
    assert gzip.decompress(packed) == big
    assert fit_for_upload(os.urandom(50_000), 10_000) is None
