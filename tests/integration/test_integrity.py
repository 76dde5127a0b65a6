"""A damaged or emptied workspace database is said to be so, never silently used or backed up over good copies.

Before: a 0-byte ``vendoreval.db`` opened as a new, empty workspace without a word, and a database with one
damaged page opened, listed, exported and was backed up every day (rotating out the good backups).
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
from pathlib import Path

import pytest

from tests.damage import backed_up_workspace, damage_a_page
from vendoreval.services import Workspace
from vendoreval.services import backup as backups
from vendoreval.store.database import DamagedDatabase, EmptyDatabaseFile


def _day(n: int) -> dt.datetime:
    return dt.datetime(2026, 3, 1, 12, 0, 0).astimezone() + dt.timedelta(days=n)


def _workspace_with_backup(data_dir: Path) -> Path:
    """A workspace with two vendors (and their audit trail), closed, and one manual backup of it."""
    return backed_up_workspace(data_dir, ("Acme AI", "Lumen Copy"), 40, "Claim {i} of {name}: trained on {i}T tokens")


def test_a_zero_byte_database_is_refused_naming_the_backup_and_the_command(cli, data_dir: Path) -> None:
    good = _workspace_with_backup(data_dir)
    db = data_dir / "vendoreval.db"
    db.write_bytes(b"")
    r = cli("vendors", "list")
    assert r.code == 2
    assert str(db) in r.err and "empty (0 bytes)" in r.err
    assert str(good) in r.err and f"restore {good}" in r.err
    assert db.stat().st_size == 0  # not made into a new workspace
    # the command it names works, and brings the vendors back
    command = shlex.split(r.err.rsplit("restore it with: ", 1)[1].strip())
    assert command[:3] == ["vendoreval", "--data-dir", str(data_dir)]
    assert cli(*command[3:]).code == 0
    listed = cli("vendors", "list")
    assert listed.code == 0 and "Acme AI" in listed.out and "Lumen Copy" in listed.out


def test_a_zero_byte_database_without_backups_says_so(cli, data_dir: Path) -> None:
    (data_dir / "vendoreval.db").write_bytes(b"")
    r = cli("vendors", "list")
    assert r.code == 2 and "empty (0 bytes)" in r.err and "no good backup" in r.err
    assert (data_dir / "vendoreval.db").stat().st_size == 0
    with pytest.raises(EmptyDatabaseFile):
        Workspace(data_dir)


def test_a_new_workspace_is_still_created_in_an_empty_folder(cli, data_dir: Path) -> None:
    r = cli("vendors", "add", "Acme AI")
    assert r.code == 0, r.err
    assert (data_dir / "vendoreval.db").stat().st_size > 0


def test_the_quick_check_finds_one_damaged_page(data_dir: Path, tmp_path: Path) -> None:
    _workspace_with_backup(data_dir)
    healthy = Workspace(data_dir)
    assert healthy.store.check_pages() == ["ok"] and healthy.store.check_pages(full=True) == ["ok"]
    healthy.close()
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy)
    damage_a_page(copy / "vendoreval.db", "claims")
    ws = Workspace(copy)  # it opens: the damaged page is read only by queries of the claims
    try:
        assert [v.name for v in ws.vendors.list()] == ["Acme AI", "Lumen Copy"]
        assert ws.store.check_pages() != ["ok"]
        assert ws.store.check_pages(full=True) != ["ok"]
    finally:
        ws.close()


def test_reading_the_damaged_page_from_the_cli_names_the_latest_good_backup(cli, data_dir: Path) -> None:
    good = _workspace_with_backup(data_dir)
    damage_a_page(data_dir / "vendoreval.db", "claims")
    r = cli("export", str(data_dir.parent / "out.json"))
    assert r.code == 2, (r.out, r.err)
    assert "damaged" in r.err and f"restore {good}" in r.err


def test_the_daily_backup_refuses_a_damaged_database_and_keeps_every_good_backup(data_dir: Path) -> None:
    _workspace_with_backup(data_dir)
    ws = Workspace(data_dir)
    for n in range(backups.DEFAULT_KEEP):
        assert backups.auto_backup(ws, now=_day(n)) is not None
    ws.close()
    before = sorted(p.name for p in backups.backups_dir(data_dir).iterdir())
    damage_a_page(data_dir / "vendoreval.db", "claims")
    ws = Workspace(data_dir)
    try:
        with pytest.raises(backups.DamagedWorkspace, match="damaged") as caught:
            backups.auto_backup(ws, now=_day(30))
        assert "restore" in str(caught.value)
        note = backups.daily_backup(ws)
        assert note is not None and "damaged" in note
    finally:
        ws.close()
    assert sorted(p.name for p in backups.backups_dir(data_dir).iterdir()) == before  # none rotated out


def test_the_latest_good_backup_passes_over_damaged_and_empty_ones(data_dir: Path) -> None:
    older = _workspace_with_backup(data_dir)
    ws = Workspace(data_dir)
    newer = backups.backup(ws, now=_day(400))
    empty = backups.backups_dir(data_dir) / "vendoreval-20990101-000000.db"
    ws.close()
    empty.write_bytes(b"")
    os.utime(older, (1_000_000_000, 1_000_000_000))
    assert backups.latest_good_backup(data_dir).path == newer  # the newest, not the empty one
    damage_a_page(newer, "claims")
    assert backups.latest_good_backup(data_dir).path == older


def test_restoring_over_a_damaged_database_moves_it_aside(cli, data_dir: Path) -> None:
    good = _workspace_with_backup(data_dir)
    damage_a_page(data_dir / "vendoreval.db", "claims")
    r = cli("restore", str(good))
    assert r.code == 0, r.err
    kinds = [b.kind for b in backups.list_backups(data_dir)]
    assert "damaged" in kinds and "before-restore" not in kinds  # the damaged file was moved, not copied
    ws = Workspace(data_dir)
    try:
        assert ws.store.check_pages(full=True) == ["ok"]
        assert len(ws.claims.list(ws.vendors.find("Acme AI").id)) == 40
    finally:
        ws.close()


def test_set_aside_damaged_leaves_an_empty_folder_for_a_new_workspace(data_dir: Path) -> None:
    _workspace_with_backup(data_dir)
    (data_dir / "vendoreval.db").write_bytes(b"")
    with pytest.raises(DamagedDatabase):
        Workspace(data_dir)
    aside = backups.set_aside_damaged(data_dir)
    assert aside.is_file() and aside.stat().st_size == 0
    ws = Workspace(data_dir)
    try:
        assert ws.vendors.list() == []
    finally:
        ws.close()
    assert [b.kind for b in backups.list_backups(data_dir)].count("damaged") == 1
