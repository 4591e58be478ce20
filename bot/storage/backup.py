"""Consistent copies of the SQLite database while the bot runs, and the matching restore.

:func:`backup` uses SQLite's online backup API in one step: the copy is a single consistent
snapshot even while the bot keeps writing (WAL lets the writer go on meanwhile). The copy is
written to a temporary file, checked, switched to a self-contained rollback journal, and only
then renamed over the destination, so a half-written backup never replaces a good one.

:func:`restore` must run while the bot is stopped (see docs/storage.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.storage.errors import BackupError

logger = logging.getLogger(__name__)

_SIDE_FILES = ("-wal", "-shm", "-journal")


def database_file(db_url_or_path: str | Path) -> Path:
    """Return the SQLite file named by a URL (``sqlite+aiosqlite:///…``) or a path."""
    text = str(db_url_or_path)
    if "://" not in text:
        return Path(text)
    try:
        url = make_url(text)
    except ArgumentError as err:
        raise BackupError(f"not a database URL: {text}") from err
    if url.get_backend_name() != "sqlite":
        raise BackupError(f"online backup is only implemented for SQLite, not {url.drivername}")
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database has no file to back up")
    return Path(url.database)


async def backup(db_url_or_path: str | Path, dest_path: str | Path) -> Path:
    """Copy the live database to ``dest_path`` atomically; return the destination."""
    source = database_file(db_url_or_path)
    return await asyncio.to_thread(_backup_file, source, Path(dest_path))


async def restore(backup_path: str | Path, db_url_or_path: str | Path) -> Path:
    """Replace the (stopped) database by a backup; keep the replaced file beside it.

    The current database is checkpointed and moved, with its WAL, to ``<name>.before-restore``,
    so nothing is deleted and no stale WAL can be replayed onto the restored copy.
    """
    target = database_file(db_url_or_path)
    return await asyncio.to_thread(_restore_file, Path(backup_path), target)


def _backup_file(source: Path, dest: Path) -> Path:
    if not source.is_file():
        raise BackupError(f"no database file at {source}")
    if dest.resolve() == source.resolve():
        raise BackupError("the backup destination is the database itself")
    dest.parent.mkdir(parents=True, exist_ok=True)
    temporary = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    try:
        _copy_database(source, temporary)
        os.replace(temporary, dest)
        _sync_directory(dest.parent)
    except (sqlite3.Error, OSError) as err:
        raise BackupError(f"backup of {source} to {dest} failed: {err}") from err
    finally:
        _remove_with_side_files(temporary)
    return dest


def _restore_file(backup_file: Path, target: Path) -> Path:
    if not backup_file.is_file():
        raise BackupError(f"no backup file at {backup_file}")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.restoring")
    try:
        _copy_database(backup_file, temporary)
        if target.exists():
            _checkpoint(target)
            kept = target.with_name(f"{target.name}.before-restore")
            _remove_with_side_files(kept)
            # Move the WAL along with its database: neither is lost, nor replayed on the copy.
            for suffix in ("", *_SIDE_FILES):
                current = Path(f"{target}{suffix}")
                if current.exists():
                    os.replace(current, Path(f"{kept}{suffix}"))
        os.replace(temporary, target)
        _sync_directory(target.parent)
    except (sqlite3.Error, OSError) as err:
        raise BackupError(f"restore of {backup_file} to {target} failed: {err}") from err
    finally:
        _remove_with_side_files(temporary)
    return target


def _copy_database(source: Path, dest: Path) -> None:
    """Copy ``source`` into a new file ``dest`` in one backup step, then verify the copy."""
    _remove_with_side_files(dest)
    with (
        contextlib.closing(sqlite3.connect(source, timeout=30.0)) as src,
        contextlib.closing(sqlite3.connect(dest)) as dst,
    ):
        # pages=-1: a single step, hence a single consistent snapshot of the source.
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")
        verdict = dst.execute("PRAGMA integrity_check").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise BackupError(f"the copy of {source} failed its integrity check: {verdict}")
    with open(dest, "rb") as handle:
        os.fsync(handle.fileno())


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the main file if the database allows it (a damaged one may not)."""
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=30.0)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as err:
        logger.warning("Could not checkpoint %s before restoring over it: %s", path, err)


def _remove_with_side_files(path: Path) -> None:
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in _SIDE_FILES)):
        candidate.unlink(missing_ok=True)


def _sync_directory(directory: Path) -> None:
    # Make the rename itself durable (POSIX); not possible on every platform.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
