"""The store's own connection: writes outside a transaction are committed at once, a failed one leaves no
transaction behind, and opening, reading and editing a workspace never imports sqlite-utils."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vendoreval.store.connection import Connection
from vendoreval.store.database import DB_FILENAME
from vendoreval.store.store import Store


def test_a_setting_written_outside_a_transaction_is_seen_by_another_connection(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.set_setting("organisation", "Board & Co")
    other = sqlite3.connect(tmp_path / DB_FILENAME)
    try:
        row = other.execute("SELECT value FROM settings WHERE key = 'organisation'").fetchone()
    finally:
        other.close()
    store.close()
    assert row is not None and "Board & Co" in row[0]


def test_a_failed_write_outside_a_transaction_leaves_none_open(tmp_path: Path) -> None:
    db = Connection(sqlite3.connect(tmp_path / "x.db"))
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    db.execute("INSERT INTO t (id, name) VALUES (1, 'a')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO t (id, name) VALUES (2, NULL)")
    assert not db.conn.in_transaction
    assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 1
    db.execute("BEGIN")  # transaction control is the caller's: not committed behind its back
    db.execute("INSERT INTO t (id, name) VALUES (3, 'c')")
    assert db.conn.in_transaction
    db.execute("ROLLBACK")
    assert db.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 1
    db.close()


def test_recursive_triggers_are_on_as_before(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    store.close()


def test_opening_reading_and_editing_a_workspace_does_not_import_sqlite_utils(tmp_path: Path) -> None:
    Store(tmp_path).close()  # created (the migrations use sqlite-utils), then opened afresh in a child
    script = textwrap.dedent(f"""
        import sys
        from vendoreval.services.workspace import Workspace
        ws = Workspace({str(tmp_path)!r}, evaluator="ann")
        v = ws.vendors.create("Acme AI")
        ws.vendors.update(v.id, name="Acme AI Ltd")
        ws.store.set_setting("organisation", "Board")
        assert [x.name for x in ws.vendors.list()] == ["Acme AI Ltd"]
        ws.close()
        print("sqlite_utils" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
