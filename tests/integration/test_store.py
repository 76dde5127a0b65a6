"""The store: migrations, version refusal, locks, read-only files, atomic writes, append-only audit."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from vendoreval.services import ServiceError, Workspace
from vendoreval.store.database import DB_FILENAME, DatabaseLocked, NewerSchemaError, StoreError
from vendoreval.store.migrations import SCHEMA_VERSION
from vendoreval.store.store import Store


def test_new_database_has_schema_wal_and_foreign_keys(data_dir):
    store = Store(data_dir)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.db.journal_mode == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"vendors", "claims", "scorecards", "scores", "audit"} <= set(store.db.table_names())
    store.close()


def test_migrations_on_populated_database_are_idempotent(ws, data_dir):
    v = ws.vendors.create("Acme")
    ws.claims.add(v.id, "We never train on your data")
    ws.close()
    again = Workspace(data_dir)
    assert [x.name for x in again.vendors.list()] == ["Acme"]
    assert len(again.claims.list(v.id)) == 1
    again.close()


def test_newer_schema_is_refused_and_file_untouched(data_dir):
    Store(data_dir).close()
    path = data_dir / DB_FILENAME
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version of vendoreval"):
        Store(data_dir)
    assert path.read_bytes() == before


def test_unknown_migration_name_means_newer(data_dir):
    Store(data_dir).close()
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('vendoreval','9999_x','')")
    conn.commit()
    conn.close()
    with pytest.raises(NewerSchemaError):
        Store(data_dir)


def test_locked_database_gives_clear_error_and_writes_nothing(data_dir):
    w = Workspace(data_dir, evaluator="ann", busy_timeout_ms=100)
    other = sqlite3.connect(data_dir / DB_FILENAME)
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(DatabaseLocked, match="locked by another program"):
        w.vendors.create("Acme")
    other.rollback()
    other.close()
    assert w.vendors.list() == []
    assert w.store.counts()["audit"] == 0
    w.close()


def test_read_only_database_gives_clear_error(data_dir):
    w = Workspace(data_dir)
    w.close()
    for p in data_dir.iterdir():
        if p.is_file():
            p.chmod(stat.S_IRUSR)
    data_dir.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        import os

        if os.geteuid() == 0:
            pytest.skip("root ignores file permissions")
        from vendoreval.services.workspace import ReadOnlyWorkspace

        ro = Workspace(data_dir)  # opened read-only (tests/integration/test_read_only_folder.py runs it as nobody)
        try:
            with pytest.raises(ReadOnlyWorkspace, match="read-only"):
                ro.vendors.create("Acme")
        finally:
            ro.close()
    finally:
        data_dir.chmod(stat.S_IRWXU)


def test_read_only_connection_refuses_writes_cleanly(data_dir):
    """Works even as root: open the database through a read-only URI connection."""
    w = Workspace(data_dir, evaluator="ann")
    w.vendors.create("Acme")
    w.close()
    ro = sqlite3.connect(f"file:{data_dir / DB_FILENAME}?mode=ro", uri=True)
    from sqlite_utils import Database

    from vendoreval.store.database import ReadOnlyDatabase, atomic

    db = Database(ro)
    with pytest.raises(ReadOnlyDatabase, match="read-only") as caught, atomic(db, data_dir / DB_FILENAME):
        db.execute("DELETE FROM vendors")
    assert caught.value.__cause__.sqlite_errorcode == sqlite3.SQLITE_READONLY  # the code decided, not the text
    assert ro.execute("SELECT COUNT(*) FROM vendors").fetchone()[0] == 1


def test_transaction_rolls_back_everything(ws):
    v = ws.vendors.create("Acme")
    with pytest.raises(RuntimeError), ws.store.transaction():
        ws.store.delete_vendor(v.id)
        raise RuntimeError("boom")
    assert ws.vendors.get(v.id).name == "Acme"


def test_audit_log_is_append_only(ws):
    ws.vendors.create("Acme")
    with pytest.raises(StoreError), ws.store.transaction():
        ws.store.db.execute("UPDATE audit SET actor = 'mallory'")
    with pytest.raises(StoreError), ws.store.transaction():
        ws.store.db.execute("DELETE FROM audit")
    assert ws.history()[0].actor == "ann"


def test_missing_data_folder_is_reported(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "gone", create=False)


def test_not_a_database(data_dir):
    (data_dir / DB_FILENAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a vendoreval database"):
        Store(data_dir)


def test_service_errors_are_user_words(ws):
    ws.vendors.create("Acme")
    with pytest.raises(ServiceError, match="already exists"):
        ws.vendors.create(" acme ")


@pytest.mark.parametrize("count", [1, 499, 500, 1234])
def test_many_audit_entries_land_in_order_with_their_values(ws, count):
    """A unit of work appends its entries in chunks of many rows per statement: every one lands, in order."""
    before = len(ws.history(limit=None))
    with ws.unit_of_work() as uow:
        uow.audit_many("score", "score", ((f"card:{i}", None, f"c{i}", "unscored" if i % 2 else None, f"level {i % 5}",
                                           f"line {i + 2}") for i in range(count)))
    entries = ws.history(limit=None)[: len(ws.history(limit=None)) - before]
    assert len(entries) == count
    oldest_first = entries[::-1]
    assert [e.entity_id for e in oldest_first] == [f"card:{i}" for i in range(count)]
    assert [e.id for e in oldest_first] == sorted(e.id for e in oldest_first)
    last = oldest_first[-1]
    i = count - 1
    assert (last.action, last.field, last.old, last.new, last.summary, last.actor) == (
        "score", f"c{i}", "unscored" if i % 2 else None, f"level {i % 5}", f"line {i + 2}", ws.evaluator)
