"""Backup and restore of the workspace database file (SQLite's online backup API; used by services/backup.py)."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import re
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from ..files import PROCESS_START, input_file_problem, is_disk_full, make_partial, remove_stale_partials
from .connection import Connection
from .database import (
    DAMAGED,
    WRITE_FAILURES,
    DamagedDatabase,
    DiskFull,
    NewerSchemaError,
    StoreError,
    open_database,
    primary_code,
    translate,
)

#: How long a restore waits for another program's lock on the live database before giving up (tests patch it).
RESTORE_LOCK_SECONDS = 3.0


def backup_database(conn: sqlite3.Connection, target: Path, source_name: Path | str) -> None:
    """Copy the database behind ``conn`` to ``target`` atomically (temp file, check, rename).

    The temporary file is one of ``files.make_partial``'s (recognisable, locked while written); stale
    ones a killed backup left in the target folder are removed first.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Cannot create the backup folder {target.parent}: {exc.strerror or exc}") from None
    remove_stale_partials(target.parent)
    _remove_legacy_partials(target)
    try:
        fd, tmp = make_partial(target)
    except OSError as exc:
        raise _write_error(target, exc) from None
    if os.name == "nt":  # pragma: no cover - Windows cannot rename a file that is open; it has no flock either
        os.close(fd)
        fd = -1
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            conn.backup(dest, pages=-1)
            # A backup is one self-contained file: no -wal beside it, whatever the live journal mode.
            dest.execute("PRAGMA journal_mode = DELETE")
            check = str(dest.execute("PRAGMA quick_check").fetchone()[0])
        finally:
            dest.close()
        if check != "ok":  # pragma: no cover - SQLite copied its own pages
            raise StoreError(f"The backup of {source_name} failed its check ({check}); nothing was written.")
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        _remove_db_files(tmp)
        if primary_code(exc) == sqlite3.SQLITE_FULL:
            raise DiskFull(f"Cannot write the backup {target}: the disk is full; nothing was written. Free some "
                           "space and try again.", file=str(target)) from exc
        if _is_write_failure(exc):  # the backup file could not be written: name it, not the live database
            raise StoreError(f"Cannot write the backup {target}: {exc}; nothing was written.",
                             file=str(target)) from exc
        raise translate(exc, source_name) from exc
    except OSError as exc:
        _remove_db_files(tmp)
        raise _write_error(target, exc) from None
    except BaseException:
        _remove_db_files(tmp)
        raise
    finally:
        if fd >= 0:
            os.close(fd)  # releases the lock (after the rename, so the file was never unlocked under its temp name)


def _remove_legacy_partials(target: Path) -> None:
    """Remove what killed backups of older versions left: ``.<name>.partial`` (no lock, no pid in the name).

    That of the target's own name, and in the folder those of default-named backups (``vendoreval-*.db``)
    written before this process started; nothing else of that shape is ours for sure.
    """
    _remove_db_files(target.with_name(f".{target.name}.partial"))
    with contextlib.suppress(OSError):
        for old in target.parent.glob(".vendoreval-*.db.partial"):
            with contextlib.suppress(OSError):
                if old.is_file() and old.stat().st_mtime < PROCESS_START:
                    _remove_db_files(old)


def _write_error(target: Path, exc: OSError) -> StoreError:
    if is_disk_full(exc):
        return DiskFull(f"Cannot write the backup {target}: the disk is full; nothing was written. Free some "
                        "space and try again.", file=str(target))
    return StoreError(f"Cannot write the backup {target}: {exc.strerror or exc}", file=str(target))


def _is_write_failure(exc: sqlite3.Error) -> bool:
    """True for SQLite errors that mean a file could not be created or written (not a damaged source)."""
    return primary_code(exc) in WRITE_FAILURES


def restore_database(db: Connection, prepared: Path, live: Path) -> None:
    """Replace the content of the open database ``db`` (the file ``live``) with a file checked by ``prepare_restore``.

    One write transaction on the live database (the backup API copies every page in one step), so
    a crash or an error leaves the old content; other connections see the new content afterwards.
    """
    try:
        src = sqlite3.connect(str(prepared))
    except sqlite3.Error as exc:
        raise translate(exc, prepared) from exc
    # Python's backup loop retries a locked destination forever; give up after RESTORE_LOCK_SECONDS.
    deadline = time.monotonic() + RESTORE_LOCK_SECONDS

    def give_up_when_locked(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            locked = sqlite3.OperationalError("database is locked")  # as SQLite says it, with its code
            locked.sqlite_errorcode = status
            locked.sqlite_errorname = "SQLITE_BUSY" if status == sqlite3.SQLITE_BUSY else "SQLITE_LOCKED"
            raise locked

    try:
        src.backup(db.conn, pages=-1, progress=give_up_when_locked, sleep=0.05)
    except sqlite3.Error as exc:
        raise translate(exc, live) from exc
    finally:
        src.close()
    try:
        result = str(db.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.Error as exc:  # pragma: no cover - the database was just written
        raise translate(exc, live) from exc
    if result != "ok":  # pragma: no cover - a checked file copied by SQLite itself
        raise StoreError(f"The restored database {live} failed its integrity check: {result}")


@dataclasses.dataclass(frozen=True)
class DatabaseFileInfo:
    """What a candidate restore file holds: its schema version and row counts."""

    path: Path
    schema_version: int
    counts: dict[str, int]


def prepare_restore(source: Path, staging: Path) -> DatabaseFileInfo:
    """Copy ``source`` to ``staging`` and make it ready to restore; StoreError if it is not usable.

    Refuses a file that is not SQLite, fails ``PRAGMA integrity_check``, is not a vendoreval database,
    or has a newer schema (NewerSchemaError). An older schema is upgraded in the staging copy. The
    source file is never opened for writing.
    """
    source, staging = Path(source), Path(staging)
    problem = input_file_problem(source)
    if problem is not None:
        raise StoreError(f"{source}: {problem}; nothing was restored.")
    _remove_db_files(staging)
    try:
        staging.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, staging)
        # Committed transactions may still sit in the source's write-ahead log: bring it along.
        wal = source.with_name(source.name + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, staging.with_name(staging.name + "-wal"))
    except OSError as exc:
        _remove_db_files(staging)
        raise StoreError(f"Cannot read {source}: {exc.strerror or exc}") from None
    try:
        return _check_candidate(source, staging)
    except BaseException:
        _remove_db_files(staging)
        raise


def _check_candidate(source: Path, staging: Path) -> DatabaseFileInfo:
    not_ours = StoreError(f"{source} is not a vendoreval database (no vendoreval schema in it); nothing was restored.")
    conn = sqlite3.connect(str(staging))
    try:
        try:
            check = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.Error as exc:
            if primary_code(exc) not in DAMAGED:
                raise
            raise DamagedDatabase(f"{source} is not a vendoreval database or is damaged ({exc}); nothing was "
                                  "restored.", file=str(source)) from exc
        if check != ["ok"]:
            raise DamagedDatabase(f"{source} is damaged (integrity check: {'; '.join(check[:3])}); nothing was "
                                  "restored.", file=str(source))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "_sqlite_migrations" not in tables or "vendors" not in tables:
            raise not_ours
        ours = conn.execute("SELECT COUNT(*) FROM _sqlite_migrations WHERE migration_set = 'vendoreval'").fetchone()[0]
        if not ours:
            raise not_ours
    except sqlite3.Error as exc:
        raise StoreError(f"{source} cannot be read as a vendoreval database ({exc}); nothing was restored.",
                         file=str(source)) from exc
    finally:
        conn.close()
    # open_database refuses a newer schema and applies pending migrations to the staging copy.
    try:
        db = open_database(staging, create=False)
    except NewerSchemaError as exc:  # it names the staging copy; the user chose ``source``
        raise NewerSchemaError(str(exc).replace(str(staging), str(source)).replace(
            "the file was not changed", "nothing was restored"), file=str(source)) from None
    try:
        foreign = schema_differences(db.conn)
        if foreign:
            raise StoreError(
                f"{source} holds database objects vendoreval does not make, or lacks some it does "
                f"({'; '.join(foreign[:5])}{'; …' if len(foreign) > 5 else ''}). A backup vendoreval wrote has "
                "exactly its own tables, indexes and triggers, so this file was altered by another program; "
                "nothing was restored.", file=str(source))
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        tables_now = set(db.table_names())
        counts: dict[str, int] = {t: int(db.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0])
                  for t in ("vendors", "claims", "evidence", "scorecards", "scores", "audit") if t in tables_now}
        db.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise translate(exc, source) from exc
    finally:
        db.close()
    return DatabaseFileInfo(source, version, counts)


#: SQLite's own tables, which ANALYZE and AUTOINCREMENT create in any database.
_SQLITE_INTERNAL = re.compile(r"sqlite_(stat\d|sequence)")


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """(type, name) → its SQL, whitespace folded, for every table, index, view and trigger of the schema."""
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    return {(str(t), str(n)): " ".join(str(sql or "").split()) for t, n, sql in rows
            if not (t == "table" and _SQLITE_INTERNAL.fullmatch(str(n)))}


@functools.lru_cache(maxsize=1)
def reference_schema() -> dict[tuple[str, str], str]:
    """The schema objects of a database this build creates (made once per process, in a temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="vendoreval-schema-") as tmp:
        db = open_database(Path(tmp) / "reference.db")
        try:
            return _objects(db.conn)
        finally:
            db.close()


def schema_differences(conn: sqlite3.Connection) -> list[str]:
    """How a database's schema differs from the one this build makes, in words ('trigger "x" is not ours').

    A restored file becomes the live workspace: a trigger or view smuggled into it would run inside every
    later edit (deleting audit entries, rewriting scores), and a missing trigger of ours would drop the audit
    log's protection. Tables and indexes are compared by name (an upgraded table's SQL differs from a new one's
    in layout only); triggers and views by their SQL as well.
    """
    found, want = _objects(conn), reference_schema()
    out = [f'{kind} "{name}" is not one of vendoreval\'s' for kind, name in sorted(set(found) - set(want))]
    out += [f'{kind} "{name}" is missing' for kind, name in sorted(set(want) - set(found))]
    out += [f'{kind} "{name}" was changed' for (kind, name), sql in sorted(found.items())
            if kind in ("trigger", "view") and (kind, name) in want and want[kind, name] != sql]
    return out


def move_database_files(live: Path, aside: Path) -> None:
    """Move a database file and its -wal and -shm (those that exist) to ``aside`` by rename (OSError on failure).

    Only with no connection open on it.
    """
    aside.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        old = live.with_name(live.name + suffix)
        if old.exists():
            os.replace(old, aside.with_name(aside.name + suffix))


def replace_database_file(prepared: Path, live: Path, aside: Path) -> None:
    """Swap a damaged live database for ``prepared`` by rename; the damaged files are moved to ``aside``.

    Only for a live database that cannot be opened (so no connection can be using it).
    """
    try:
        move_database_files(live, aside)
        os.replace(prepared, live)
    except OSError as exc:
        raise StoreError(f"Cannot replace {live}: {exc.strerror or exc}") from None


def database_problem(path: Path) -> str | None:
    """Why the database file at ``path`` is no good copy of a workspace (empty, damaged, not vendoreval's),
    or None when it reads, passes ``PRAGMA quick_check`` and holds a vendoreval schema. Never writes to it."""
    try:
        if path.stat().st_size == 0:
            return "it is empty (0 bytes)"
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error) as exc:
        return f"it cannot be read ({exc})"
    try:
        check = [str(r[0]) for r in conn.execute("PRAGMA quick_check(3)").fetchall()]
        if check != ["ok"]:
            return f"it is damaged ({'; '.join(check)})"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"_sqlite_migrations", "vendors"} <= tables:
            return "it is not a vendoreval database"
    except sqlite3.Error as exc:
        return f"it is damaged ({exc})"
    finally:
        conn.close()
    return None


def database_opens(path: Path) -> bool:
    """True when the file at ``path`` opens and reads as SQLite (false for a damaged file)."""
    try:
        conn = sqlite3.connect(str(path))
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return True


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()
