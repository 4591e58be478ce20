"""The storage layer's exceptions: everything a caller must handle derives from StorageError."""

from __future__ import annotations


class StorageError(Exception):
    """A database operation failed (I/O, lock timeout, constraint, closed database)."""


class NotFoundError(StorageError):
    """The row an operation targets does not exist."""


class SchemaError(StorageError):
    """The database schema cannot be used by this version of the bot."""


class BackupError(StorageError):
    """A backup or a restore could not be completed; the destination was left untouched."""
