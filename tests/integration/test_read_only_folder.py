"""A read-only data folder opens read-only: it says so, reads, exports and briefs work, writes are refused.

Before: every command, even ``vendors list``, failed with "the workspace database is read-only ... nothing
was saved" (SQLite could not create the WAL's shared-memory file in the folder).

Permissions do not apply to root, and CI runs as root: the real case runs the CLI in a subprocess as the
unprivileged user ``nobody`` (``setpriv``), over a folder owned by root with mode 0555. A read-only bind
mount needs CAP_SYS_ADMIN and a mount namespace, which a CI container does not reliably give; access(2),
which the detection uses, reports a read-only mount to root as well. Without setpriv, a ``nobody`` user
or root, those tests are skipped; the in-process tests cover the same rules with ``read_only=True``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from vendoreval.services import Workspace
from vendoreval.services import backup as backups
from vendoreval.services.brief import BriefRequest, BriefService, VerifyStatus
from vendoreval.services.workspace import ReadOnlyWorkspace
from vendoreval.store.database import UpgradeRefused

REPO = Path(__file__).resolve().parents[2]
SETPRIV = shutil.which("setpriv")


def _make_workspace(folder: Path) -> None:
    ws = Workspace(folder, evaluator="ann")
    v = ws.vendors.create("Acme AI", product="Copy")
    ws.claims.add(v.id, "Trained on 15T tokens")
    ws.close()


def _forget_a_migration(db: Path) -> None:
    """Make the database look like one written by an older vendoreval (a migration still to apply)."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0001_initial'")
    conn.close()


# --- in process: the rules, with read_only chosen -------------------------------------------------

def test_a_read_only_workspace_reads_and_refuses_writes(data_dir: Path, tmp_path: Path) -> None:
    _make_workspace(data_dir)
    ws = Workspace(data_dir, read_only=True)
    try:
        assert ws.read_only and ws.read_only_reason
        assert [v.name for v in ws.vendors.list()] == ["Acme AI"]
        with pytest.raises(ReadOnlyWorkspace, match="read-only"):
            ws.vendors.create("Nope")
        with pytest.raises(ReadOnlyWorkspace):
            ws.set_evaluator("bob")
        evidence = tmp_path / "dpa.txt"
        evidence.write_text("Data processing agreement")
        with pytest.raises(ReadOnlyWorkspace):
            ws.evidence.add_file(ws.vendors.find("Acme AI").id, evidence)
        assert not any(p.is_file() for p in (data_dir / "evidence").rglob("*"))  # no copy taken in
        assert backups.daily_backup(ws) is None
        assert not backups.backups_dir(data_dir).exists()  # no daily backup
        with pytest.raises(backups.BackupError, match="--out"):
            backups.backup(ws)
        assert backups.backup(ws, tmp_path / "elsewhere.db").is_file()  # a backup elsewhere is a read
        out = tmp_path / "brief.pdf"
        BriefService(ws).export(BriefRequest(date=dt.date(2026, 11, 27)), out)
        assert BriefService(ws).verify(out).status == VerifyStatus.MATCH
        with ws.reading() as twin:
            assert [v.name for v in twin.vendors.list()] == ["Acme AI"]
    finally:
        ws.close()
    again = Workspace(data_dir)
    try:
        assert [v.name for v in again.vendors.list()] == ["Acme AI"]
    finally:
        again.close()


def test_a_needed_upgrade_is_refused_read_only_saying_why(data_dir: Path) -> None:
    _make_workspace(data_dir)
    _forget_a_migration(data_dir / "vendoreval.db")
    with pytest.raises(UpgradeRefused, match=r"needs an upgrade.*read-only"):
        Workspace(data_dir, read_only=True)


def test_no_workspace_is_created_in_a_folder_opened_read_only(data_dir: Path) -> None:
    with pytest.raises(Exception, match="No workspace can be created"):
        Workspace(data_dir, read_only=True)
    assert not (data_dir / "vendoreval.db").exists()


# --- as an unprivileged user: the folder really is read-only ---------------------------------------

def _can_switch_user() -> bool:
    if SETPRIV is None or os.geteuid() != 0:
        return False
    try:
        import pwd

        pwd.getpwnam("nobody")
    except KeyError:
        return False
    probe = subprocess.run([SETPRIV, "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-c",
                            "import vendoreval"], env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                           timeout=60)
    return probe.returncode == 0


needs_nobody = pytest.mark.skipif(not _can_switch_user(),
                                  reason="needs root, setpriv and a 'nobody' user able to run this Python")


@pytest.fixture
def locked_folder() -> Iterator[Path]:
    """A workspace (and a scratch folder ``nobody`` may write) outside pytest's root-only temp folders;
    the workspace folder and its files are made read-only (0555/0444)."""
    root = Path(tempfile.mkdtemp(prefix="vendoreval-ro-", dir="/tmp"))
    try:
        root.chmod(0o755)
        folder = root / "ws"
        _make_workspace(folder)
        scratch = root / "scratch"
        scratch.mkdir()
        scratch.chmod(0o777)
        for path in [folder, *folder.rglob("*")]:
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
                       | ((stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH) if path.is_dir() else 0))
        yield folder
    finally:
        for path in [root, *root.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(root, ignore_errors=True)


def _as_nobody(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    scratch = folder.parent / "scratch"
    env = {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(scratch), "XDG_CONFIG_HOME": str(scratch / "config"),
           "XDG_DATA_HOME": str(scratch / "share"), "VENDOREVAL_HOME": str(scratch / "unused")}
    return subprocess.run([SETPRIV or "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                           sys.executable, "-m", "vendoreval", "--data-dir", str(folder), *args],
                          env=env, capture_output=True, text=True, timeout=180)


@needs_nobody
def test_read_commands_work_in_a_read_only_folder(locked_folder: Path) -> None:
    scratch = locked_folder.parent / "scratch"
    listed = _as_nobody(locked_folder, "vendors", "list")
    assert listed.returncode == 0, listed.stderr
    assert "Acme AI" in listed.stdout
    assert "read-only" in listed.stderr and str(locked_folder) in listed.stderr  # says why, once
    assert listed.stderr.count("note:") == 1
    scores = _as_nobody(locked_folder, "scores", "--json")
    assert scores.returncode == 0, scores.stderr
    exported = _as_nobody(locked_folder, "export", str(scratch / "ws.json"))
    assert exported.returncode == 0, exported.stderr
    brief = scratch / "brief.pdf"
    made = _as_nobody(locked_folder, "brief", "--out", str(brief), "--date", "2026-11-27")
    assert made.returncode == 0, made.stderr
    verified = _as_nobody(locked_folder, "brief", "--verify", str(brief))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert sorted(p.name for p in locked_folder.iterdir()) == ["vendoreval.db"]  # no backups, no -wal or -shm


@needs_nobody
def test_writes_in_a_read_only_folder_are_refused_saying_why(locked_folder: Path) -> None:
    added = _as_nobody(locked_folder, "vendors", "add", "Nope")
    assert added.returncode == 2
    assert "read-only" in added.stderr and "nothing was changed" in added.stderr
    assert "Traceback" not in added.stderr
    decided = _as_nobody(locked_folder, "decide", "Acme AI", "no_go")
    assert decided.returncode == 2 and "read-only" in decided.stderr


@needs_nobody
def test_a_needed_upgrade_in_a_read_only_folder_is_refused_saying_why(locked_folder: Path) -> None:
    db = locked_folder / "vendoreval.db"
    db.chmod(0o644)
    _forget_a_migration(db)
    db.chmod(0o444)
    listed = _as_nobody(locked_folder, "vendors", "list")
    assert listed.returncode == 2
    assert "needs an upgrade" in listed.stderr and "read-only" in listed.stderr
