"""SQLite errors reach the user as StoreErrors chosen by SQLite's result code, never by the message text.

Each case makes SQLite fail for real (a lock held by another connection, a read-only connection, a
file of random bytes, a truncated database, a size limit reached) and checks the error type, the
message (naming the file) and that the SQLite error it came from, with its code, is its ``__cause__``.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from vendoreval.errors import UserError
from vendoreval.services import Workspace
from vendoreval.store.database import (
    DB_FILENAME,
    DamagedDatabase,
    DatabaseLocked,
    DatabaseUnavailable,
    DiskFull,
    ReadOnlyDatabase,
    StoreError,
    WriteRefused,
    translate,
)


def caused_by(err: StoreError, code: int) -> None:
    """``err`` came from a sqlite3 error whose primary result code is ``code``."""
    cause = err.__cause__
    assert isinstance(cause, sqlite3.Error), repr(cause)
    assert cause.sqlite_errorcode & 0xFF == code, (cause.sqlite_errorcode, cause.sqlite_errorname)


def rows(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("vendors", "audit")}
    finally:
        conn.close()


@pytest.fixture
def filled(data_dir: Path) -> Path:
    """A closed workspace with one vendor; returns its database file."""
    w = Workspace(data_dir, evaluator="ann")
    w.vendors.create("Acme")
    w.close()
    return data_dir / DB_FILENAME


def test_a_lock_held_by_another_connection_is_database_locked(filled: Path, data_dir: Path) -> None:
    w = Workspace(data_dir, evaluator="ann", busy_timeout_ms=50)
    other = sqlite3.connect(filled)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked) as caught:
            w.vendors.create("Newco")
    finally:
        other.rollback()
        other.close()
    err = caught.value
    assert isinstance(err, UserError)
    assert str(err).startswith(f"The workspace database {filled} is locked by another program")
    assert "nothing was saved" in str(err) and err.file == str(filled)
    caused_by(err, sqlite3.SQLITE_BUSY)
    assert rows(filled) == {"vendors": 1, "audit": 1}
    w.close()


def test_a_query_only_workspace_refuses_a_service_write_as_read_only(filled: Path, data_dir: Path) -> None:
    """Works as root too (so does test_store's mode=ro connection): SQLite itself refuses the write."""
    w = Workspace(data_dir, evaluator="ann")
    w.store.db.execute("PRAGMA query_only = ON")
    with pytest.raises(ReadOnlyDatabase, match="is read-only") as caught:
        w.vendors.create("Newco")
    caused_by(caught.value, sqlite3.SQLITE_READONLY)
    w.close()
    assert rows(filled) == {"vendors": 1, "audit": 1}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes files whatever their permissions; the mode=ro tests cover read-only then")
def test_a_read_only_file_is_read_only_database(filled: Path, data_dir: Path) -> None:
    w = Workspace(data_dir, evaluator="ann")
    for p in data_dir.iterdir():
        if p.is_file():
            p.chmod(stat.S_IRUSR)
    try:
        with pytest.raises(ReadOnlyDatabase) as caught:
            w.vendors.create("Newco")
        caused_by(caught.value, sqlite3.SQLITE_READONLY)
    finally:
        w.close()
        for p in data_dir.iterdir():
            p.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_random_bytes_are_not_a_database(data_dir: Path) -> None:
    path = data_dir / DB_FILENAME
    path.write_bytes(os.urandom(8192))
    before = path.read_bytes()
    with pytest.raises(DamagedDatabase) as caught:
        Workspace(data_dir)
    assert str(caught.value).startswith(f"{path} is not a vendoreval database or is damaged")
    assert caught.value.file == str(path)
    caused_by(caught.value, sqlite3.SQLITE_NOTADB)
    assert path.read_bytes() == before


def test_a_truncated_database_is_damaged(data_dir: Path) -> None:
    w = Workspace(data_dir, evaluator="ann")
    for i in range(300):  # enough pages that half the file loses tables' pages, not just free space
        w.vendors.create(f"Vendor {i}", description="x" * 400)
    w.close()
    path = data_dir / DB_FILENAME
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(DamagedDatabase, match="is not a vendoreval database or is damaged") as caught:
        ws = Workspace(data_dir)
        try:
            ws.store.counts()
            ws.vendors.list()
        finally:
            ws.close()
    caused_by(caught.value, sqlite3.SQLITE_CORRUPT)


def test_a_full_database_is_disk_full(filled: Path, data_dir: Path) -> None:
    w = Workspace(data_dir, evaluator="ann")
    pages = w.store.db.execute("PRAGMA page_count").fetchone()[0]
    w.store.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite reports SQLITE_FULL as on a full disk
    with pytest.raises(DiskFull) as caught:
        w.vendors.create("Newco", description="x" * 100_000)
    assert str(caught.value).startswith(f"The disk holding the workspace database {filled} is full")
    caused_by(caught.value, sqlite3.SQLITE_FULL)
    w.close()
    assert rows(filled) == {"vendors": 1, "audit": 1}


def test_a_folder_in_place_of_the_database_cannot_be_opened(data_dir: Path) -> None:
    (data_dir / DB_FILENAME).mkdir()
    with pytest.raises(DatabaseUnavailable) as caught:
        Workspace(data_dir)
    assert f"Cannot open the workspace database {data_dir / DB_FILENAME}" in str(caught.value)
    caused_by(caught.value, sqlite3.SQLITE_CANTOPEN)


def test_a_trigger_refusal_is_a_refused_write(ws: Workspace) -> None:
    ws.vendors.create("Acme")
    with pytest.raises(WriteRefused, match="refused the change") as caught, ws.store.transaction():
        ws.store.db.execute("DELETE FROM audit")
    caused_by(caught.value, sqlite3.SQLITE_CONSTRAINT)
    assert len(ws.history()) == 1


# --- the classifier reads the code, not the words ------------------------------------------------------


def sqlite_error(cls: type[sqlite3.Error], message: str, code: int | None, name: str | None) -> sqlite3.Error:
    """A sqlite3 error as the module raises it: message text plus SQLite's code and name."""
    exc = cls(message)
    if code is not None:
        exc.sqlite_errorcode = code  # type: ignore[attr-defined]
        exc.sqlite_errorname = name  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize(
    ("message", "code", "name", "expected"),
    [
        # misleading text: the code wins
        ("attempt to write a readonly database", sqlite3.SQLITE_BUSY, "SQLITE_BUSY", DatabaseLocked),
        ("file is not a database", sqlite3.SQLITE_LOCKED, "SQLITE_LOCKED", DatabaseLocked),
        ("database is locked", sqlite3.SQLITE_READONLY, "SQLITE_READONLY", ReadOnlyDatabase),
        ("database is locked", 1032, "SQLITE_READONLY_DBMOVED", ReadOnlyDatabase),  # an extended code
        ("database or disk is full", sqlite3.SQLITE_NOTADB, "SQLITE_NOTADB", DamagedDatabase),
        ("unable to open database file", sqlite3.SQLITE_CORRUPT, "SQLITE_CORRUPT", DamagedDatabase),
        ("database is locked", sqlite3.SQLITE_FULL, "SQLITE_FULL", DiskFull),
        ("database disk image is malformed", 778, "SQLITE_IOERR_WRITE", DatabaseUnavailable),
        ("database is locked", sqlite3.SQLITE_CANTOPEN, "SQLITE_CANTOPEN", DatabaseUnavailable),
        ("database is locked", 2067, "SQLITE_CONSTRAINT_UNIQUE", WriteRefused),
        ("readonly", sqlite3.SQLITE_TOOBIG, "SQLITE_TOOBIG", WriteRefused),
        # no code (raised by the sqlite3 module itself, or by hand): the words alone decide nothing
        ("database is locked", None, None, StoreError),
        ("attempt to write a readonly database", None, None, StoreError),
        ("file is not a database", sqlite3.SQLITE_ERROR, "SQLITE_ERROR", StoreError),
    ],
)
def test_the_classifier_ignores_the_message_text(
    message: str, code: int | None, name: str | None, expected: type[StoreError]
) -> None:
    err = translate(sqlite_error(sqlite3.OperationalError, message, code, name), "/data/vendoreval.db")
    assert type(err) is expected
    assert isinstance(err, UserError) and err.file == "/data/vendoreval.db"
    assert "/data/vendoreval.db" in str(err)


def test_an_evidence_folder_that_cannot_be_written_is_named_and_nothing_is_stored(tmp_path: Path) -> None:
    from vendoreval.store.blobs import BlobError, BlobStore

    (tmp_path / "evidence").write_text("a file where the evidence folder should be")
    store = BlobStore(tmp_path / "evidence")
    source = tmp_path / "dpa.pdf"
    source.write_bytes(b"%PDF-1.4 signed DPA")
    for put in (lambda: store.put_bytes(b"bundle evidence", "evidence 1a2b"), lambda: store.put_file(source)):
        with pytest.raises(BlobError, match="cannot be stored in the evidence folder") as err:
            put()
        assert "cannot read" not in str(err.value)  # the user's file is fine: the folder is not
