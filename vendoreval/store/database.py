"""Opening the workspace database: pragmas, migrations, version checks, and errors in the user's words."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, TypeVar

from ..errors import UserError
from .connection import Connection, savepoint
from .migrations import MIGRATION_SET, MIGRATIONS_TABLE, SCHEMA_VERSION, migration_names, migration_set

DB_FILENAME = "vendoreval.db"


class StoreError(UserError):
    """The database cannot do what was asked; the message says why in the user's words."""


class DatabaseLocked(StoreError):
    """Another process holds a lock on the database (SQLITE_BUSY, SQLITE_LOCKED)."""


class ReadOnlyDatabase(StoreError):
    """The database file or its folder cannot be written (SQLITE_READONLY)."""


class DamagedDatabase(StoreError):
    """The file is not an SQLite database or its pages are damaged (SQLITE_NOTADB, SQLITE_CORRUPT)."""


class DiskFull(StoreError):
    """The disk (or the database's size limit) is full (SQLITE_FULL)."""


class DatabaseUnavailable(StoreError):
    """The file cannot be opened, or the disk failed to read or write it (SQLITE_CANTOPEN, SQLITE_IOERR...)."""


class WriteRefused(StoreError):
    """The database refused a change: a constraint or trigger, a value too large (SQLITE_CONSTRAINT, SQLITE_TOOBIG)."""


class NewerSchemaError(StoreError):
    """The database was written by a newer version of vendoreval."""


class EmptyDatabaseFile(DamagedDatabase):
    """The database file exists but holds nothing (0 bytes): its data was lost, it is not a new workspace."""


class UpgradeRefused(StoreError):
    """The database needs a schema upgrade that cannot be written (the workspace is open read-only)."""


def empty_database_file(path: Path) -> bool:
    """True when ``path`` is a 0-byte file with no write-ahead log holding data beside it.

    SQLite would take such a file for a new, empty database; vendoreval writes the first page when it
    creates a workspace, so a 0-byte workspace database is one whose content was lost (truncated,
    copied while it was written, a sync conflict).
    """
    try:
        if path.stat().st_size != 0:
            return False
    except OSError:
        return False
    try:
        return path.with_name(path.name + "-wal").stat().st_size == 0
    except OSError:
        return True


def refuse_empty_file(path: Path) -> None:
    """Raise EmptyDatabaseFile for a 0-byte workspace database (see ``empty_database_file``)."""
    if empty_database_file(path):
        raise EmptyDatabaseFile(
            f"The workspace database {path} is empty (0 bytes): the workspace's data is not in it (the file was "
            "truncated, or copied while it was being written). It was not opened as a new, empty workspace, and "
            "nothing was changed.", file=str(path))


def read_only_reason(data_dir: Path) -> str | None:
    """Why the workspace in ``data_dir`` cannot be written (the folder or the database file is read-only),
    or None when it can (or does not exist yet).

    Asks the OS (``access(2)``): that says "read-only" for a read-only mount even to root, and for
    permissions to everybody else (root passes permission checks, so a chmod'ed folder is writable to it).
    """
    path = data_dir / DB_FILENAME
    if not data_dir.is_dir():
        return None
    if not os.access(data_dir, os.W_OK):
        return f"the data folder {data_dir} is read-only"
    if path.exists() and not os.access(path, os.W_OK):
        return f"the workspace database {path} is read-only"
    return None


def primary_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of ``exc`` (its extended code & 0xFF); None when SQLite gave none.

    Python 3.11 sets ``sqlite_errorcode`` on every error SQLite reported; errors raised by the sqlite3
    module itself (a closed connection, a bad parameter) and hand-made ones carry no code.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _message(code: int | None, exc: BaseException, path: Path | str) -> tuple[type[StoreError], str]:
    """The error type and the message in the user's words for a primary result code."""
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseLocked, (f"The workspace database {path} is locked by another program (perhaps another "
                                "vendoreval window, the command line or an import writing to it): the data folder "
                                "is busy. Try again when it has finished; nothing was saved.")
    if code == sqlite3.SQLITE_READONLY:
        return ReadOnlyDatabase, (f"The workspace database {path} is read-only (check the permissions of the file "
                                  "and its folder); nothing was saved.")
    if code in DAMAGED:
        return DamagedDatabase, (f"{path} is not a vendoreval database or is damaged ({exc}); restore it from a "
                                 "backup or choose another data folder.")
    if code == sqlite3.SQLITE_FULL:
        return DiskFull, (f"The disk holding the workspace database {path} is full; nothing was saved. Free some "
                          "space and try again.")
    if code == sqlite3.SQLITE_CANTOPEN:
        return DatabaseUnavailable, (f"Cannot open the workspace database {path} ({exc}); check that the file and "
                                     "its folder exist and can be read and written.")
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH, sqlite3.SQLITE_NOLFS):
        return DatabaseUnavailable, (f"Cannot read or write the workspace database {path} ({exc}); check the disk "
                                     "or network drive it is on; nothing was saved.")
    if code == sqlite3.SQLITE_TOOBIG:
        return WriteRefused, f"A value is too large for the workspace database {path}; nothing was saved."
    if code in (sqlite3.SQLITE_CONSTRAINT, sqlite3.SQLITE_MISMATCH, sqlite3.SQLITE_RANGE):
        return WriteRefused, f"The workspace database {path} refused the change ({exc}); nothing was saved."
    return StoreError, f"Database error in {path}: {exc}"


def translate(exc: sqlite3.Error, path: Path | str) -> StoreError:
    """Turn a sqlite3 error into a StoreError that says what happened and what to do.

    Classified by SQLite's result code (``exc.sqlite_errorcode``), never by the message text, which
    differs between SQLite versions and is not meant to be parsed. Raise it ``from exc``.
    """
    kind, message = _message(primary_code(exc), exc, path)
    return kind(message, file=str(path))


#: Primary result codes of a file that is not SQLite or whose pages are damaged.
DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})

#: Primary result codes that mean a file could not be created or written (not a damaged or locked source).
WRITE_FAILURES = frozenset({sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR,
                            sqlite3.SQLITE_FULL, sqlite3.SQLITE_PERM})


#: SQLite checkpoints the write-ahead log into the database file inside the commit that makes it longer than
#: this many pages (its default is 1,000, about 4 MB). The app checkpoints when it is idle
#: (``checkpoint``, ui/session.py) and closing the last connection checkpoints too, so a user's commit (an
#: edit, an import of 10,000 scores: ~1,400 pages) no longer pays for one; this is the backstop for a
#: writer that never idles or closes.
WAL_AUTOCHECKPOINT_PAGES = 4000
#: The writing connection's page cache (SQLite's default is 2 MB): a bulk write of thousands of rows and its
#: audit entries fits in it instead of spilling pages to the log before the commit.
CACHE_KIB = 16384


def open_database(path: Path, *, create: bool = True, busy_timeout_ms: int = 3000,
                  read_only: bool = False) -> Connection:
    """Open (and upgrade) the workspace database at ``path`` with foreign keys and WAL on.

    ``read_only`` opens an existing database for reading only (no upgrade; a write raises), as a
    worker thread's own connection. Raises NewerSchemaError for a database from a newer vendoreval,
    StoreError for anything else.
    """
    if (read_only or not create) and not path.exists():
        raise StoreError(f"No workspace database at {path}.")
    refuse_empty_file(path)
    if read_only:
        return _open_read_only(path, busy_timeout_ms)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False)
    except OSError as exc:
        raise StoreError(f"Cannot open the workspace database {path}: {exc.strerror or exc}",
                         file=str(path)) from exc
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    try:
        db = Connection(conn)
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        db.execute("PRAGMA recursive_triggers = on")  # as sqlite-utils' Database set it before
        db.execute("PRAGMA foreign_keys = ON")
        check_schema_version(db, path)
        if db.journal_mode != "wal":
            with contextlib.suppress(sqlite3.OperationalError):
                db.execute("PRAGMA journal_mode = wal")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        migrate(db)
    except NewerSchemaError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from exc
    return db


def _open_read_only(path: Path, busy_timeout_ms: int) -> Connection:
    try:
        return _connect_read_only(path, busy_timeout_ms, immutable=False)
    except StoreError as exc:
        # A WAL database in a folder we cannot write: SQLite cannot create the shared-memory file it
        # reads through (SQLITE_READONLY_DIRECTORY, SQLITE_CANTOPEN). Nobody can write there either,
        # so the file is read as immutable (no locks, no -shm).
        if not isinstance(exc.__cause__, sqlite3.Error) or primary_code(exc.__cause__) not in (
                sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
            raise
    return _connect_read_only(path, busy_timeout_ms, immutable=True)


def _connect_read_only(path: Path, busy_timeout_ms: int, *, immutable: bool) -> Connection:
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout_ms / 1000,
                               check_same_thread=False)  # used by one thread at a time, not always the same one
    except OSError as exc:
        raise StoreError(f"Cannot open the workspace database {path}: {exc.strerror or exc}",
                         file=str(path)) from exc
    except sqlite3.Error as exc:  # by its result code, as on the writing connection
        raise translate(exc, path) from exc
    try:
        db = Connection(conn)
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        db.execute("PRAGMA recursive_triggers = on")  # as sqlite-utils' Database set it before
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # reading is what fails in a read-only folder
        check_schema_version(db, path)
        pending = pending_migrations(db)
        if pending:
            raise UpgradeRefused(
                f"The workspace database {path} needs an upgrade to this version of vendoreval (schema "
                f"{schema_version(db)} → {SCHEMA_VERSION}: {', '.join(pending)}), which cannot be "
                "written while it is open read-only. Open it once with write access (or copy the folder somewhere "
                "you can write); the file was not changed.", file=str(path))
    except StoreError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from exc
    return db


class HasConnection(Protocol):
    """A connection wrapper: ours (``Connection``) or sqlite-utils' ``Database`` (tests, benchmarks)."""

    @property
    def conn(self) -> sqlite3.Connection: ...


Db = TypeVar("Db", bound=HasConnection)


def schema_version(db: HasConnection) -> int:
    """The schema version recorded in the database (0 for a new file)."""
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])


def applied_migrations(db: HasConnection) -> list[str]:
    """The names of the migrations applied to the database, in the order they were (sqlite-utils' table)."""
    found = db.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                            [MIGRATIONS_TABLE]).fetchone()
    if found is None:
        return []
    rows = db.conn.execute(f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY rowid",
                           [MIGRATION_SET]).fetchall()
    return [str(r[0]) for r in rows]


def pending_migrations(db: HasConnection) -> list[str]:
    """The names of this build's migrations not applied to the database yet, in order."""
    applied = set(applied_migrations(db))
    return [name for name in migration_names() if name not in applied]


def check_schema_version(db: HasConnection, path: Path | str) -> None:
    """Refuse a database whose schema is newer than this build knows."""
    found = schema_version(db)
    applied = set(applied_migrations(db))
    if found > SCHEMA_VERSION or (applied - set(migration_names())):
        raise NewerSchemaError(
            f"The workspace database {path} was written by a newer version of vendoreval "
            f"(schema {found}, this version knows up to {SCHEMA_VERSION}). Update vendoreval to open it; "
            "the file was not changed."
        )


def migrate(db: HasConnection) -> None:
    """Apply pending migrations, each in its own transaction (through sqlite-utils' Migrations)."""
    if pending_migrations(db):
        migration_set().apply(db.utils if isinstance(db, Connection) else db)  # type: ignore[arg-type]


@contextlib.contextmanager
def atomic(db: Db, path: Path | str) -> Iterator[Db]:
    """One write transaction; sqlite3 errors leave the database as it was and surface as StoreError.

    It begins IMMEDIATE: the write lock is taken at the start, waiting up to the busy timeout for
    another writer (another window, the CLI, an import) to finish. A deferred transaction would take
    it only at its first write and, in WAL mode, fail at once with "locked" when another connection
    had committed since its first read. Holding the lock from the start also makes what the
    transaction reads (revisions checked before an edit) the latest committed state. Nested inside an
    open transaction it is a savepoint of that one.
    """
    try:
        if db.conn.in_transaction:
            with savepoint(db.conn):
                yield db
            return
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.conn.rollback()  # a no-op when an error already ended the transaction
            raise
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            db.conn.rollback()
            raise
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc


def data_version(db: Connection) -> int:
    """SQLite's ``PRAGMA data_version`` of this connection: it changes when another connection commits.

    Cheap (no table is read), so the app polls it to notice what the CLI or another window wrote.
    """
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def checkpoint(db: Connection) -> tuple[int, int] | None:
    """Copy the committed write-ahead log into the database file without waiting for anyone (PASSIVE).

    Returns (frames in the log, frames copied), or None when this connection is inside a transaction (the
    checkpoint waits for the next call). With ``synchronous = NORMAL`` a commit reaches the disk for good at
    the next checkpoint (the log is synced first): an idle checkpoint also makes recent edits survive a
    power cut, not only a crash of the app.
    """
    if db.conn.in_transaction:
        return None
    row = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(row[1]), int(row[2])


def write_lock_free(db: Connection) -> bool:
    """True when no other connection holds the write lock now (tried without waiting, nothing written)."""
    if db.conn.in_transaction:
        return True  # this connection holds it
    timeout = int(db.execute("PRAGMA busy_timeout").fetchone()[0])
    db.execute("PRAGMA busy_timeout = 0")
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if primary_code(exc) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return False
        raise
    else:
        db.conn.rollback()
        return True
    finally:
        db.execute(f"PRAGMA busy_timeout = {timeout}")
