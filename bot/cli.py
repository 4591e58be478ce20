"""The command-line jobs behind ``python -m bot``: each returns an exit code.

Messages are for a person at a terminal: one clear sentence on failure (raised as
:class:`CliError`), a readable table on success.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.clock import ScaledClock, SystemClock
from bot.marstek import (
    ClientOptions,
    DiscoveredDevice,
    MarstekClient,
    MarstekCommunicationError,
    MarstekError,
    MarstekTransport,
    TransportOptions,
    default_broadcast_addresses,
)
from bot.marstek import (
    discover as discover_batteries,
)
from bot.marstek.simulator import Simulator
from bot.settings import Settings

_log = logging.getLogger(__name__)

# One-shot commands talk to each battery twice; keep the documented ≥ 2 s pace but no more.
ONE_SHOT_GAP_S = 2.0


class CliError(Exception):
    """A command failed; the message is one sentence for the user."""


def _print(line: str = "") -> None:
    print(line)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Render ``rows`` as a plain aligned text table."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def _transport(settings: Settings, *, gap_s: float | None = None) -> MarstekTransport:
    options = TransportOptions(
        local_port=settings.local_port,
        request_gap_s=settings.request_gap_s if gap_s is None else gap_s,
    )
    return MarstekTransport(clock=SystemClock(), options=options)


def _client_options(settings: Settings) -> ClientOptions:
    return ClientOptions(timeout_s=settings.request_timeout_s, tries=settings.request_tries)


async def discover(
    settings: Settings,
    *,
    broadcast: Sequence[str] | None = None,
    port: int | None = None,
    window_s: float | None = None,
) -> int:
    """Print the batteries that answer the discovery broadcast."""
    addresses = list(broadcast or settings.discovery_broadcast) or list(
        default_broadcast_addresses()
    )
    api_port = port or settings.api_port
    window = window_s or settings.discovery_window_s
    _print(f"Recherche sur {', '.join(addresses)} port {api_port} pendant {window:g} s…")
    try:
        async with _transport(settings) as transport:
            found = await discover_batteries(
                transport, port=api_port, broadcast_addresses=addresses, window_s=window
            )
    except MarstekError as err:
        raise CliError(f"La recherche a échoué : {err}") from err
    _print(format_discovered(found) if found else "Aucune batterie n'a répondu.")
    return 0


def format_discovered(found: Sequence[DiscoveredDevice]) -> str:
    """Table of discovered batteries."""
    rows = [
        [d.info.model_name, str(d.info.firmware or "?"), d.info.ble_mac, d.host, str(d.port)]
        for d in found
    ]
    return format_table(["modèle", "firmware", "ble_mac", "adresse", "port"], rows)


@dataclass(frozen=True, slots=True, kw_only=True)
class _StatusRow:
    name: str
    cells: list[str]


async def _status_row(client: MarstekClient) -> _StatusRow:
    try:
        device = await client.get_device()
        status = await client.get_energy_status()
    except MarstekCommunicationError as err:
        return _StatusRow(name=client.name, cells=["injoignable", "", "", "", str(err)[:60]])
    mode = status.mode.value if status.mode else "?"
    soc = f"{status.soc_pct:.0f} %" if status.soc_pct is not None else "?"
    power = f"{status.ac_power_w:+.0f} W" if status.ac_power_w is not None else "?"
    return _StatusRow(
        name=client.name,
        cells=["en ligne", soc, power, mode, f"{device.model_name} fw {device.firmware}"],
    )


async def status(settings: Settings) -> int:
    """Print one line per configured battery (and the alerts waiting for delivery)."""
    if not settings.batteries:
        _print("Aucune batterie configurée (MARSTEK_BATTERIES).")
    else:
        async with _transport(settings, gap_s=min(settings.request_gap_s, ONE_SHOT_GAP_S)) as tr:
            clients = [
                MarstekClient(
                    tr, b.host, port=b.port, name=b.name, options=_client_options(settings)
                )
                for b in settings.batteries
            ]
            rows = await asyncio.gather(*(_status_row(c) for c in clients))
        headers = ["batterie", "état", "SoC", "puissance (+ décharge)", "mode", "appareil"]
        _print(format_table(headers, [[r.name, *r.cells] for r in rows]))
    await _print_pending_alerts(settings)
    return 0


async def _print_pending_alerts(settings: Settings) -> None:
    from bot.alerts.pending import pending_alert_lines

    lines = await pending_alert_lines(settings)
    if lines:
        _print()
        _print(f"Alertes en attente d'envoi ({len(lines)}) :")
        for line in lines:
            _print(f"  {line}")


async def simulate(
    settings: Settings,
    *,
    count: int,
    port: int | None,
    first_host: str,
    speed: float,
    seed: int | None,
) -> int:
    """Run ``count`` simulated batteries until interrupted."""
    if not 1 <= count <= 200:
        raise CliError("Le nombre de batteries simulées doit être entre 1 et 200.")
    clock = ScaledClock(speed=speed) if speed != 1.0 else SystemClock()
    try:
        simulator = Simulator(
            count, port=port or settings.api_port, first_host=first_host, clock=clock, seed=seed
        )
        await simulator.start()
    except (OSError, ValueError) as err:
        raise CliError(f"Impossible de démarrer le simulateur : {err}") from err
    try:
        for line in simulator.describe():
            _print(line)
        _print("Découverte : diffusion sur 127.255.255.255. Ctrl+C pour arrêter.")
        sys.stdout.flush()
        await asyncio.Event().wait()
    finally:
        await simulator.stop()
    return 0


async def backup(settings: Settings, path: Path) -> int:
    """Write a consistent copy of the database to ``path``."""
    from bot.storage.backup import backup as backup_database
    from bot.storage.errors import BackupError

    try:
        written = await backup_database(settings.resolved_database_url, path)
    except BackupError as err:
        raise CliError(str(err)) from err
    _print(f"Sauvegarde écrite : {written}")
    return 0


async def run(settings: Settings, *, simulate: int = 0, speed: float = 1.0) -> int:
    """Run the bot until interrupted (Ctrl+C or SIGTERM)."""
    from bot.app import AppError, run_bot

    if speed != 1.0 and not simulate:
        raise CliError(
            "--speed n'a de sens qu'avec --simulate : les vraies batteries vivent en temps réel."
        )
    if not 0 < speed <= 1000:
        raise CliError("--speed doit être entre 0 et 1000.")
    try:
        await run_bot(
            settings, simulate=simulate, clock=ScaledClock(speed=speed) if speed != 1.0 else None
        )
    except AppError as err:
        raise CliError(str(err)) from err
    return 0


def backtest(settings: Settings, args: argparse.Namespace) -> int:
    """Run the season backtest and print its table."""
    from bot.backtest.cli import run_backtest_command

    return run_backtest_command(settings, args, echo=_print)
