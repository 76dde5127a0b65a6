"""Backups: `vendoreval backup`/`restore`, automatic rotating backups at start-up, and refusals."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vendoreval.services import Workspace
from vendoreval.services import backup as backups

REPO = Path(__file__).resolve().parents[2]


def names(data_dir: Path) -> list[str]:
    """Vendor names in the workspace at ``data_dir`` (opened afresh)."""
    w = Workspace(data_dir, evaluator="check")
    try:
        return [v.name for v in w.vendors.list()]
    finally:
        w.close()


def day(n: int) -> dt.datetime:
    """Local noon on the n-th day of a test month."""
    return dt.datetime(2026, 3, 1, 12, 0, 0).astimezone() + dt.timedelta(days=n)


def test_backup_and_restore_round_trip_keeps_a_safety_copy(ws, cli, data_dir: Path, tmp_path: Path) -> None:
    ws.vendors.create("Acme AI")
    ws.claims.add(ws.vendors.find("Acme AI").id, "Trained on 15T tokens")
    out = tmp_path / "monday.db"
    r = cli("backup", "--out", str(out))
    assert r.code == 0, r.err
    assert str(out) in r.out and out.is_file()
    assert not Path(str(out) + "-wal").exists()  # one self-contained file

    ws.vendors.create("Later Vendor")  # made after the backup: the restore must take it away
    r = cli("restore", str(out))
    assert r.code == 0, r.err
    assert "Restored" in r.out and "kept as" in r.out

    assert names(data_dir) == ["Acme AI"]
    # The open workspace sees the restored content too (the content was replaced, not the file).
    assert [v.name for v in ws.vendors.list()] == ["Acme AI"]
    assert ws.store.integrity_check() == "ok"
    safety = [b for b in backups.list_backups(data_dir) if b.kind == "before-restore"]
    assert len(safety) == 1
    conn = sqlite3.connect(safety[0].path)
    assert sorted(r[0] for r in conn.execute("SELECT name FROM vendors")) == ["Acme AI", "Later Vendor"]
    conn.close()
    assert ws.history(limit=1)[0].action == "restore"


def test_backup_default_goes_to_the_backups_folder_and_never_overwrites(ws, cli, data_dir: Path) -> None:
    ws.vendors.create("Acme AI")
    r = cli("backup")
    assert r.code == 0, r.err
    [made] = backups.list_backups(data_dir)
    assert made.kind == "manual" and made.path.parent == data_dir / "backups"
    r = cli("backup", "--out", str(made.path))
    assert r.code == 2 and "already exists" in r.err
    r = cli("backup", "--list")
    assert made.path.name in r.out


def test_backup_is_consistent_while_another_connection_writes(ws, data_dir: Path, tmp_path: Path) -> None:
    ws.vendors.create("Acme AI")
    other = Workspace(data_dir, evaluator="bob")
    try:
        with other.store.transaction():  # an uncommitted write in progress elsewhere
            other.store.db.execute("UPDATE vendors SET name = 'half-written'")
            target = backups.backup(ws, tmp_path / "during.db")
    finally:
        other.close()
    conn = sqlite3.connect(target)
    assert [r[0] for r in conn.execute("SELECT name FROM vendors")] == ["Acme AI"]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_auto_backup_at_most_once_a_day_and_keeps_the_last_n(ws, data_dir: Path) -> None:
    assert backups.auto_backup(ws, keep=3, now=day(0)) is None  # an empty workspace is not worth a copy
    ws.vendors.create("Acme AI")
    first = backups.auto_backup(ws, keep=3, now=day(0))
    assert first is not None and first.is_file()
    assert backups.auto_backup(ws, keep=3, now=day(0) + dt.timedelta(hours=5)) is None  # same day
    manual = backups.backup(ws, now=day(0))
    made = [first]
    for n in range(1, 6):
        p = backups.auto_backup(ws, keep=3, now=day(n))
        assert p is not None
        made.append(p)
    autos = [b.path for b in backups.list_backups(data_dir) if b.kind == "auto"]
    assert autos == made[-3:]  # the last three days, oldest deleted
    assert manual.is_file()  # manual backups are never rotated away


def test_restore_refuses_files_that_are_not_vendoreval_databases(ws, cli, data_dir: Path, tmp_path: Path) -> None:
    ws.vendors.create("Acme AI")
    text = tmp_path / "notes.db"
    text.write_text("not a database\n" * 100)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE vendors (id TEXT)")
    conn.commit()
    conn.close()
    for bad, reason in [(text, "not a vendoreval database"), (other, "not a vendoreval database"),
                        (tmp_path / "missing.db", "no such file")]:
        r = cli("restore", str(bad))
        assert r.code == 2, (bad, r.out)
        assert reason in r.err and str(bad) in r.err
    assert names(data_dir) == ["Acme AI"]
    assert backups.list_backups(data_dir) == []  # refused before any safety copy was needed
    assert not list((data_dir / "backups").glob(".restore-*")) if (data_dir / "backups").exists() else True


def test_restore_refuses_a_newer_schema_and_a_damaged_file(ws, cli, data_dir: Path, tmp_path: Path) -> None:
    ws.vendors.create("Acme AI")
    newer = backups.backup(ws, tmp_path / "newer.db")
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    r = cli("restore", str(newer))
    assert r.code == 2 and "newer version of vendoreval" in r.err
    assert str(newer) in r.err and ".restore-" not in r.err and "nothing was restored" in r.err  # the user's file

    for i in range(50):
        ws.claims.add(ws.vendors.find("Acme AI").id, f"claim {i} " + "x" * 400)
    damaged = backups.backup(ws, tmp_path / "damaged.db")
    raw = bytearray(damaged.read_bytes())
    page = 4096
    for p in range(2, len(raw) // page):  # scribble over every b-tree page header but the schema page
        raw[p * page: p * page + 12] = b"\xff" * 12
    damaged.write_bytes(bytes(raw))
    r = cli("restore", str(damaged))
    assert r.code == 2
    assert "damaged" in r.err and str(damaged) in r.err
    assert names(data_dir) == ["Acme AI"]
    assert newer.read_bytes()[:16] == b"SQLite format 3\x00"  # the source is never modified


def test_restore_upgrades_an_older_schema_file(ws, cli, data_dir: Path, tmp_path: Path) -> None:
    """A backup from an earlier schema is brought up to date in the staging copy before it goes live."""
    ws.vendors.create("Acme AI")
    old = backups.backup(ws, tmp_path / "old.db")
    r = cli("restore", str(old))
    assert r.code == 0, r.err
    from vendoreval.store.migrations import SCHEMA_VERSION

    conn = sqlite3.connect(data_dir / "vendoreval.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_restore_replaces_a_damaged_workspace_database(ws, cli, data_dir: Path, tmp_path: Path) -> None:
    ws.vendors.create("Acme AI")
    good = backups.backup(ws, tmp_path / "good.db")
    ws.close()
    live = data_dir / "vendoreval.db"
    for suffix in ("-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    live.write_bytes(b"garbage" * 1000)
    r = cli("restore", str(good))
    assert r.code == 0, r.err
    assert names(data_dir) == ["Acme AI"]
    damaged = [b for b in backups.list_backups(data_dir) if b.kind == "damaged"]
    assert len(damaged) == 1 and damaged[0].path.read_bytes().startswith(b"garbage")


def test_restore_reports_evidence_files_missing_from_the_folder(ws, cli, data_dir: Path, tmp_path: Path) -> None:
    vendor = ws.vendors.create("Acme AI")
    doc = tmp_path / "dpa.pdf"
    doc.write_bytes(b"%PDF-1.4 data processing agreement")
    item = ws.evidence.add_file(vendor.id, doc, title="DPA")
    saved = backups.backup(ws, tmp_path / "with-evidence.db")
    ws.store.blobs.path_for(item.sha256 or "").unlink()
    r = cli("restore", str(saved))
    assert r.code == 0, r.err
    assert "1 evidence file referenced by the backup is not in" in r.out


CHILD = r"""
import sys
from pathlib import Path
from vendoreval.services import backup
print("start", flush=True)
backup.restore(Path(sys.argv[1]), Path(sys.argv[2]))
print("done", flush=True)
"""


@pytest.mark.slow
def test_a_killed_restore_leaves_the_old_or_the_new_database_never_a_mix(tmp_path: Path) -> None:
    """SIGKILL a restore at random moments: the workspace is always wholly old or wholly restored."""
    data_dir = tmp_path / "ws"
    w = Workspace(data_dir, evaluator="ann")
    with w.store.transaction():
        for i in range(3000):
            w.store.db.execute("INSERT INTO vendors (id, name, created_at, updated_at) VALUES (?, ?, '', '')",
                               [f"new{i}", f"restored {i}"])
    saved = backups.backup(w, tmp_path / "saved.db")
    with w.store.transaction():
        w.store.db.execute("DELETE FROM vendors")
        w.store.db.execute("INSERT INTO vendors (id, name, created_at, updated_at) VALUES ('o', 'old', '', '')")
    w.close()
    rng = random.Random(8)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    outcomes = set()
    for _ in range(6):
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), str(saved)], stdout=subprocess.PIPE,
                                env=env, text=True)
        assert proc.stdout is not None
        proc.stdout.readline()  # "start": the interpreter is up, the restore is under way
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(data_dir / "vendoreval.db")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        got = {r[0] for r in conn.execute("SELECT name FROM vendors")}
        conn.close()
        assert got == {"old"} or got == {f"restored {i}" for i in range(3000)}
        outcomes.add("old" if got == {"old"} else "new")
        if got != {"old"}:  # put the old content back for the next round
            w = Workspace(data_dir, evaluator="ann")
            with w.store.transaction():
                w.store.db.execute("DELETE FROM vendors")
                w.store.db.execute(
                    "INSERT INTO vendors (id, name, created_at, updated_at) VALUES ('o', 'old', '', '')")
            w.close()
