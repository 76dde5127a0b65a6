"""A backup altered by another program — a trigger or view smuggled in, a table added, the audit log's
protection dropped — is refused by `vendoreval restore`, naming what differs; the workspace stays as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_backup import names
from vendoreval.services import Workspace
from vendoreval.services import backup as backups
from vendoreval.store.backup import schema_differences

FIXTURES = sorted(Path(__file__).resolve().parents[1].joinpath("fixtures").glob("schema-v*.db"))

ALTERATIONS = {
    "a trigger that empties the audit log": (
        "CREATE TRIGGER wipe AFTER INSERT ON vendors BEGIN DELETE FROM claims; END",
        'trigger "wipe" is not one of vendoreval\'s'),
    "a view": ("CREATE VIEW everything AS SELECT * FROM vendors", 'view "everything" is not one of vendoreval\'s'),
    "a table": ("CREATE TABLE payload (x BLOB)", 'table "payload" is not one of vendoreval\'s'),
    "the audit log's protection dropped": ("DROP TRIGGER audit_no_delete", 'trigger "audit_no_delete" is missing'),
    "our trigger rewritten": (
        "DROP TRIGGER audit_no_update; CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT 1; END",
        'trigger "audit_no_update" was changed'),
}


@pytest.mark.parametrize("what", ALTERATIONS)
def test_an_altered_backup_is_refused_naming_what_differs(ws: Workspace, cli: Any, data_dir: Path,
                                                         tmp_path: Path, what: str) -> None:
    ws.vendors.create("Acme AI")
    copy = backups.backup(ws, tmp_path / "copy.db")
    ws.vendors.create("Later Co")
    sql, reason = ALTERATIONS[what]
    conn = sqlite3.connect(copy)
    conn.executescript(sql)
    conn.commit()
    conn.close()
    r = cli("restore", str(copy))
    assert r.code == 2, r
    assert str(copy) in r.err and reason in r.err and "nothing was restored" in r.err
    assert "Traceback" not in r.err
    assert names(data_dir) == ["Acme AI", "Later Co"]
    assert backups.list_backups(data_dir) == []  # refused before a safety copy was made


def test_an_untouched_backup_and_every_released_schema_restore(ws: Workspace, cli: Any, data_dir: Path,
                                                               tmp_path: Path) -> None:
    ws.vendors.create("Acme AI")
    copy = backups.backup(ws, tmp_path / "copy.db")
    conn = sqlite3.connect(copy)
    conn.execute("ANALYZE")  # SQLite's own statistics tables are not foreign
    conn.commit()
    conn.close()
    assert cli("restore", str(copy)).code == 0
    for fixture in FIXTURES:
        staged = tmp_path / fixture.name
        shutil.copyfile(fixture, staged)
        r = cli("restore", str(staged))
        assert r.code == 0, (fixture.name, r.err)


def test_a_fresh_workspace_has_exactly_the_reference_schema(ws: Workspace) -> None:
    assert schema_differences(ws.store.db.conn) == []
