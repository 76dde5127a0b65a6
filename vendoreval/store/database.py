"""Opening the workspace database: pragmas, migrations, version checks, and errors in the user's words."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from ..errors import UserError
from .migrations import MIGRATIONS, SCHEMA_VERSION

DB_FILENAME = "vendoreval.db"


class StoreError(UserError):
    """The database cannot do what was asked; the message says why in the user's words."""


class DatabaseLocked(StoreError):
    """Another process holds a lock on the database."""


class ReadOnlyDatabase(StoreError):
    """The database file or its folder cannot be written."""


class NewerSchemaError(StoreError):
    """The database was written by a newer version of vendoreval."""


def translate(exc: sqlite3.Error, path: Path | str) -> StoreError:
    """Turn a sqlite3 error into a StoreError that says what happened and what to do."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLocked(
            f"The workspace database {path} is locked by another program (perhaps another vendoreval "
            "window). Close it and try again; nothing was saved."
        )
    if "readonly" in text or "read-only" in text or "attempt to write" in text:
        return ReadOnlyDatabase(f"The workspace database {path} is read-only; nothing was saved.")
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return StoreError(f"{path} is not a vendoreval database or is damaged ({exc}).")
    if "unable to open" in text or "disk i/o" in text:
        return StoreError(f"Cannot open or write the workspace database {path} ({exc}).")
    return StoreError(f"Database error in {path}: {exc}")


def open_database(path: Path, *, create: bool = True, busy_timeout_ms: int = 3000,
                  read_only: bool = False) -> Database:
    """Open (and upgrade) the workspace database at ``path`` with foreign keys and WAL on.

    ``read_only`` opens an existing database for reading only (no upgrade; a write raises), as a
    worker thread's own connection. Raises NewerSchemaError for a database from a newer vendoreval,
    StoreError for anything else.
    """
    if (read_only or not create) and not path.exists():
        raise StoreError(f"No workspace database at {path}.")
    if read_only:
        return _open_read_only(path, busy_timeout_ms)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"Cannot open the workspace database {path}: {exc}") from None
    try:
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        db.execute("PRAGMA foreign_keys = ON")
        check_schema_version(db, path)
        if db.journal_mode != "wal":
            with contextlib.suppress(sqlite3.OperationalError):
                db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        migrate(db)
    except NewerSchemaError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from None
    return db


def _open_read_only(path: Path, busy_timeout_ms: int) -> Database:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000,
                               check_same_thread=False)  # used by one thread at a time, not always the same one
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"Cannot open the workspace database {path}: {exc}") from None
    try:
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        check_schema_version(db, path)
    except NewerSchemaError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from None
    return db


def schema_version(db: Database) -> int:
    """The schema version recorded in the database (0 for a new file)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def check_schema_version(db: Database, path: Path | str) -> None:
    """Refuse a database whose schema is newer than this build knows."""
    found = schema_version(db)
    known = {m.name for m in MIGRATIONS._migrations}
    applied = {m.name for m in MIGRATIONS.applied(db)}
    if found > SCHEMA_VERSION or (applied - known):
        raise NewerSchemaError(
            f"The workspace database {path} was written by a newer version of vendoreval "
            f"(schema {found}, this version knows up to {SCHEMA_VERSION}). Update vendoreval to open it; "
            "the file was not changed."
        )


def migrate(db: Database) -> None:
    """Apply pending migrations, each in its own transaction."""
    MIGRATIONS.apply(db)


@contextlib.contextmanager
def atomic(db: Database, path: Path | str) -> Iterator[Database]:
    """One transaction; sqlite3 errors leave the database as it was and surface as StoreError."""
    try:
        with db.atomic():
            yield db
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
