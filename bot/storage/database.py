"""The database handle: engine, per-connection setup, migrations, and transactional sessions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError, StatementError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.clock import Clock, SystemClock
from bot.storage import dialects
from bot.storage.backup import backup
from bot.storage.errors import StorageError
from bot.storage.migrations import LATEST_VERSION, current_version, upgrade

CLOSE_WAIT_S = 5.0
logger = logging.getLogger(__name__)
_T = TypeVar("_T")


async def run_to_completion(operation: Awaitable[_T]) -> _T:
    """Await ``operation`` to its end even if the caller is cancelled meanwhile, then re-raise.

    A database call cut off half-way (a task cancelled while the bot stops, a dialog replaced)
    leaves SQLAlchemy dropping its connection without closing it: with SQLite, the write lock
    stays held until the garbage collector finds that connection, and every other writer fails
    with "database is locked". Letting the call finish costs at most the busy timeout.
    """
    task = asyncio.ensure_future(operation)
    cancelled: asyncio.CancelledError | None = None
    while True:
        try:
            result = await asyncio.shield(task)
        except asyncio.CancelledError as err:
            if task.done():
                raise
            cancelled = err
        else:
            break
    if cancelled is not None:
        raise cancelled
    return result


class CompletingSession(AsyncSession):
    """An async session whose every database round trip runs to completion (see above).

    Cancellation still reaches the caller, but between two statements, never inside one.
    """

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`AsyncSession.execute`, never cut off half-way."""
        return await run_to_completion(super().execute(*args, **kwargs))

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`AsyncSession.scalar`, never cut off half-way."""
        return await run_to_completion(super().scalar(*args, **kwargs))

    async def scalars(self, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`AsyncSession.scalars`, never cut off half-way."""
        return await run_to_completion(super().scalars(*args, **kwargs))

    async def connection(self, *args: Any, **kwargs: Any) -> Any:
        """As :meth:`AsyncSession.connection` (SQLite: ``BEGIN``), never cut off half-way."""
        return await run_to_completion(super().connection(*args, **kwargs))

    async def commit(self) -> None:
        """As :meth:`AsyncSession.commit`, never cut off half-way."""
        await run_to_completion(super().commit())

    async def rollback(self) -> None:
        """As :meth:`AsyncSession.rollback`, never cut off half-way."""
        await run_to_completion(super().rollback())

    async def close(self) -> None:
        """As :meth:`AsyncSession.close`, never cut off half-way."""
        await run_to_completion(super().close())


class Database:
    """One database (a SQLite file by default): ``await start()``, use, ``await close()``."""

    def __init__(
        self,
        url: str,
        *,
        clock: Clock | None = None,
        busy_timeout_ms: int = 10_000,
        backup_before_upgrade: bool = True,
        echo: bool = False,
    ) -> None:
        self._url = url
        self._clock: Clock = clock or SystemClock()
        self._busy_timeout_ms = busy_timeout_ms
        self._backup_before_upgrade = backup_before_upgrade
        self._echo = echo
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[CompletingSession] | None = None
        # An in-memory SQLite database is one shared connection: transactions must take turns.
        memory = dialects.is_sqlite(url) and dialects.sqlite_file(url) is None
        self._turns: asyncio.Lock | None = asyncio.Lock() if memory else None
        self._active_sessions = 0
        self._idle: asyncio.Event | None = None

    @property
    def url(self) -> str:
        """The database URL."""
        return self._url

    @property
    def file(self) -> Path | None:
        """The SQLite file, or None (in-memory SQLite or another database)."""
        return dialects.sqlite_file(self._url) if dialects.is_sqlite(self._url) else None

    @property
    def dialect_name(self) -> str:
        """The SQLAlchemy dialect name (``sqlite``, ``postgresql``…)."""
        return self.engine.dialect.name

    @property
    def engine(self) -> AsyncEngine:
        """The SQLAlchemy engine (for tools and tests; repositories use :meth:`session`)."""
        if self._engine is None:
            raise StorageError("the database is not started")
        return self._engine

    async def start(self, *, migrate: bool = True) -> None:
        """Create the SQLite folder, open the engine, and bring the schema up to date."""
        if self._engine is not None:
            return
        path = self.file
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(self._url, echo=self._echo)
        if dialects.is_sqlite(self._url):
            dialects.install_sqlite_hooks(engine.sync_engine, busy_timeout_ms=self._busy_timeout_ms)
        self._engine = engine
        self._sessions = async_sessionmaker(
            engine, class_=CompletingSession, expire_on_commit=False, autoflush=False
        )
        if migrate:
            try:
                await self.migrate()
            except BaseException:
                await self.close()
                raise

    async def close(self) -> None:
        """Close every connection; the database can be started again afterwards.

        Sessions still running (a task finishing its write while the bot stops) are given a
        few seconds first: disposing the engine under them would leave their connection, and
        SQLite's write lock, open until the process ends.
        """
        if self._active_sessions and self._idle is not None:
            try:
                await asyncio.wait_for(self._idle.wait(), timeout=CLOSE_WAIT_S)
            except TimeoutError:
                logger.warning(
                    "closing the database with %d session(s) still open", self._active_sessions
                )
        engine, self._engine, self._sessions = self._engine, None, None
        if engine is not None:
            await engine.dispose()

    async def schema_version(self) -> int:
        """Return the schema version the database is at."""
        try:
            async with self.engine.connect() as connection:
                reader = await connection.execution_options(**{dialects.WRITE_OPTION: False})
                version = await reader.run_sync(current_version)
                await connection.rollback()
        except SQLAlchemyError as err:
            raise StorageError(f"cannot read the schema version: {err}") from err
        return version

    async def migrate(self, *, target: int | None = None) -> list[int]:
        """Apply pending migrations (up to ``target``); return the versions applied."""
        found = await self.schema_version()
        goal = LATEST_VERSION if target is None else target
        path = self.file
        if self._backup_before_upgrade and path is not None and 0 < found < goal:
            copy = path.with_name(f"{path.name}.v{found}.bak")
            logger.info("Backing up %s to %s before upgrading the schema", path, copy)
            await backup(path, copy)
        async with self.engine.connect() as connection:
            written = await connection.execution_options(**{dialects.WRITE_OPTION: True})
            applied = await written.run_sync(upgrade, now=self._clock.now(), target=target)
        if applied:
            logger.info("Database schema upgraded from version %d to %d", found, applied[-1])
        return applied

    @asynccontextmanager
    async def session(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """Yield a session inside one transaction, committed on exit, rolled back on error.

        On SQLite a ``write`` session takes the write lock at its start (waiting up to the busy
        timeout), so read-then-write logic never fails half-way; pass ``write=False`` for reads.
        SQLAlchemy errors come out as :class:`StorageError`.
        """
        if self._sessions is None:
            raise StorageError("the database is not started")
        turn: AbstractAsyncContextManager[object] = self._turns or nullcontext()
        if self._idle is None:
            self._idle = asyncio.Event()
        self._active_sessions += 1
        self._idle.clear()
        try:
            async with turn, self._transaction(write) as session:
                yield session
        finally:
            self._active_sessions -= 1
            if not self._active_sessions:
                self._idle.set()

    @asynccontextmanager
    async def _transaction(self, write: bool) -> AsyncIterator[AsyncSession]:
        if self._sessions is None:
            raise StorageError("the database is not started")
        try:
            async with self._sessions() as session:
                await session.connection(execution_options={dialects.WRITE_OPTION: write})
                yield session
                await session.commit()
        except StatementError as err:
            if isinstance(err.orig, ValueError | TypeError):
                raise type(err.orig)(str(err.orig)) from err
            raise StorageError(f"database operation failed: {err.orig or err}") from err
        except SQLAlchemyError as err:
            raise StorageError(f"database operation failed: {err}") from err
