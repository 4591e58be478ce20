"""Command line for the database file: ``python -m bot.storage backup|restore|info …``.

python -m bot.storage backup data/marstek.db backups/marstek-2026-01-15.db   # bot may run
python -m bot.storage restore backups/marstek-2026-01-15.db data/marstek.db  # bot stopped
python -m bot.storage info data/marstek.db
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.storage.backup import backup, database_file, restore
from bot.storage.errors import BackupError
from bot.storage.migrations import LATEST_VERSION

_COUNTED = ("batteries", "samples", "sample_rollups", "tempo_days", "alerts", "commands", "plans")


def describe(path: Path) -> list[str]:
    """Return a few lines about a database file: integrity, schema version, row counts."""
    if not path.is_file():
        raise BackupError(f"no database file at {path}")
    lines = [f"file            {path} ({path.stat().st_size / 1e6:.1f} MB)"]
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
        lines.append(f"integrity       {verdict}")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        version = 0
        if "schema_version" in tables:
            version = connection.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        lines.append(f"schema version  {version or 0} (this bot: {LATEST_VERSION})")
        for table in _COUNTED:
            if table in tables:
                (count,) = connection.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
                lines.append(f"{table:<15} {count:,} rows")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m bot.storage", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    saving = commands.add_parser("backup", help="consistent copy, safe while the bot runs")
    saving.add_argument("database", help="database file or sqlite+aiosqlite:/// URL")
    saving.add_argument("destination", type=Path)
    putting_back = commands.add_parser("restore", help="replace the database (stop the bot first)")
    putting_back.add_argument("backup", type=Path)
    putting_back.add_argument("database", help="database file or sqlite+aiosqlite:/// URL")
    showing = commands.add_parser("info", help="integrity, schema version and row counts")
    showing.add_argument("database", help="database file or sqlite+aiosqlite:/// URL")
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            written = asyncio.run(backup(args.database, args.destination))
            print(f"backup written to {written}")
        elif args.command == "restore":
            target = asyncio.run(restore(args.backup, args.database))
            print(f"{target} restored from {args.backup}; the previous file is kept beside it")
        else:
            print("\n".join(describe(database_file(args.database))))
    except (BackupError, sqlite3.Error) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
