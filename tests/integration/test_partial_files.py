"""A process killed while writing a backup or an export leaves a temporary file; the next run removes it.

The kill is real (SIGKILL from inside the writer, just before the rename that would finish the file),
and the next run is a new process, as it is for the user.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from vendoreval import files
from vendoreval.services import Workspace

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and flock are POSIX")

#: Runs the CLI with os.replace turned into a SIGKILL of the process: killed with the file fully written.
KILLED = """
import os, signal, sys
os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
from vendoreval.cli import main
main(sys.argv[1:])
"""


def run(args: list[str], *, killed: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-c", KILLED, *args] if killed else [sys.executable, "-m", "vendoreval", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)


def partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if files.is_partial(p.name))


@pytest.fixture
def filled(data_dir: Path) -> Path:
    w = Workspace(data_dir, evaluator="ann")
    try:
        for i in range(40):
            w.claims.add(w.vendors.create(f"Vendor {i}").id, "We never train on your data " * 200)
    finally:
        w.close()
    return data_dir


def test_a_killed_backup_out_leaves_a_partial_that_the_next_backup_removes(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    r = run(["--data-dir", str(filled), "backup", "--out", str(out / "monday.db")], killed=True)
    assert r.returncode == -signal.SIGKILL
    left = partials(out)
    assert len(left) == 1 and left[0].startswith(".monday.db.vendoreval-partial-")
    assert (out / left[0]).stat().st_size > 100_000  # the whole copy, as the report found (14.8 MB there)
    assert not (out / "monday.db").exists()

    r = run(["--data-dir", str(filled), "backup", "--out", str(out / "tuesday.db")])  # another name
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["tuesday.db"]


def test_a_killed_default_backup_is_cleaned_up_by_the_next_one(filled: Path) -> None:
    r = run(["--data-dir", str(filled), "backup"], killed=True)
    assert r.returncode == -signal.SIGKILL
    folder = filled / "backups"
    assert len(partials(folder)) == 1
    legacy = folder / ".vendoreval-20260101-120000.db.partial"  # what older versions left behind
    legacy.write_bytes(b"SQLite format 3\x00" + bytes(4096))
    r = run(["--data-dir", str(filled), "backup"])
    assert r.returncode == 0, r.stderr
    assert partials(folder) == [] and not legacy.exists()
    assert [p.suffix for p in folder.iterdir()] == [".db"]


def test_a_killed_export_leaves_a_partial_that_the_next_export_removes(filled: Path, tmp_path: Path) -> None:
    r = run(["--data-dir", str(filled), "export", str(tmp_path / "ws.json")], killed=True)
    assert r.returncode == -signal.SIGKILL
    assert len(partials(tmp_path)) == 1
    r = run(["--data-dir", str(filled), "export", str(tmp_path / "claims.csv")])
    assert r.returncode == 0, r.stderr
    assert partials(tmp_path) == [] and (tmp_path / "claims.csv").is_file()
