"""Command line: ``python -m bot [run|discover|status|simulate|backup|backtest]``.

Settings are read once here and passed down. Errors reach the user as one clear sentence
(French by default) and a non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.settings import Settings, SettingsError, load_settings

_log = logging.getLogger("bot")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser, one sub-command per job."""
    parser = argparse.ArgumentParser(
        prog="marstek-bot",
        description="Marstek Venus batteries on EDF Tempo, driven from Telegram.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="run the Telegram bot (default)")
    run.add_argument(
        "--simulate",
        type=int,
        metavar="N",
        default=0,
        help="start N simulated batteries here and use them instead of the configured ones",
    )
    run.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="X",
        help="with --simulate: run time X times faster (demos, benchmarks)",
    )

    discover = sub.add_parser("discover", help="find the batteries that answer on the LAN")
    discover.add_argument(
        "--broadcast",
        action="append",
        metavar="ADDR",
        help="broadcast address (repeatable; default: MARSTEK_DISCOVERY_BROADCAST)",
    )
    discover.add_argument("--port", type=int, help="Open API port (default: MARSTEK_API_PORT)")
    discover.add_argument("--window", type=float, metavar="S", help="seconds to collect answers")

    sub.add_parser("status", help="one-shot table of every configured battery and pending alerts")

    simulate = sub.add_parser("simulate", help="run simulated batteries only")
    simulate.add_argument("count", type=int, nargs="?", default=3, help="how many (default 3)")
    simulate.add_argument("--port", type=int, help="UDP port (default: MARSTEK_API_PORT)")
    simulate.add_argument("--first-host", default="127.0.0.2", help="address of the first unit")
    simulate.add_argument("--speed", type=float, default=1.0, help="virtual time speed factor")
    simulate.add_argument("--seed", type=int, help="random seed for reproducible faults")

    backup = sub.add_parser("backup", help="consistent copy of the database (safe while running)")
    backup.add_argument("path", type=Path, help="where to write the copy")

    backtest = sub.add_parser("backtest", help="compare strategies over a past Tempo season")
    backtest.add_argument("--season", default="2022-2023", help="season, e.g. 2022-2023")
    backtest.add_argument("--annual-kwh", type=float, help="scale the load to this consumption")
    backtest.add_argument("--contract-kva", type=float, help="contract power (default: setting)")
    backtest.add_argument("--wear", type=float, default=None, help="wear cost in €/kWh cycled")
    backtest.add_argument("--chart", type=Path, help="also write the chart to this PNG file")
    backtest.add_argument("--lang", choices=("fr", "en"), help="language of the report")
    return parser


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot import cli

    command = args.command or "run"
    if command == "run":
        return await cli.run(settings, simulate=args.simulate, speed=args.speed)
    if command == "discover":
        return await cli.discover(
            settings, broadcast=args.broadcast, port=args.port, window_s=args.window
        )
    if command == "status":
        return await cli.status(settings)
    if command == "simulate":
        return await cli.simulate(
            settings,
            count=args.count,
            port=args.port,
            first_host=args.first_host,
            speed=args.speed,
            seed=args.seed,
        )
    if command == "backup":
        return await cli.backup(settings, args.path)
    if command == "backtest":
        return cli.backtest(settings, args)
    raise AssertionError(command)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m bot`` and ``marstek-bot``; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as err:
        print(err, file=sys.stderr)
        return EXIT_USAGE
    from bot.cli import CliError
    from bot.logging_setup import configure_logging

    secrets = [
        s.get_secret_value() for s in (settings.telegram_token, settings.rte_client_secret) if s
    ]
    configure_logging(level=settings.log_level, fmt=settings.log_format, secrets=secrets)
    code = EXIT_OK
    try:
        with contextlib.suppress(KeyboardInterrupt):
            code = asyncio.run(_dispatch(args, settings))
    except CliError as err:
        print(err, file=sys.stderr)
        code = EXIT_ERROR
    return code


if __name__ == "__main__":
    sys.exit(main())
