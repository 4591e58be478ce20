"""Everything that depends on the database dialect lives here, so the rest stays portable.

SQLite needs per-connection PRAGMAs and explicit ``BEGIN`` handling: the sqlite3 driver would
otherwise start transactions lazily (only before DML), which leaves DDL outside transactions and
turns a read-then-write transaction into an immediate ``database is locked`` when another
connection wrote in between. Writers therefore start with ``BEGIN IMMEDIATE`` and wait for the
lock (``busy_timeout``) instead of failing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.sql.dml import Insert

WRITE_OPTION = "marstek_write"


def is_sqlite(url: str) -> bool:
    """Tell whether ``url`` names a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: str) -> Path | None:
    """Return the file of a SQLite URL, or None for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def install_sqlite_hooks(engine: Engine, *, busy_timeout_ms: int) -> None:
    """Set the PRAGMAs on every new connection and take over ``BEGIN`` emission."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below emit BEGIN itself (and before DDL too).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return  # maintenance (checkpoint, VACUUM) runs outside any transaction
        connection.exec_driver_sql(
            "BEGIN IMMEDIATE" if options.get(WRITE_OPTION, True) else "BEGIN"
        )


def insert_ignoring_duplicates(table: Table, dialect_name: str) -> Insert:
    """Return an INSERT that silently skips rows whose primary key already exists."""
    if dialect_name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    if dialect_name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    raise NotImplementedError(f"no duplicate-skipping INSERT for dialect {dialect_name!r}")
