"""The write-ahead log is checkpointed when the app is idle or the last connection closes, not inside a user's
commit: a bulk write commits without copying its pages into the database file, and ``checkpoint`` then does."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from vendoreval.services import Workspace
from vendoreval.store.database import CACHE_KIB, DB_FILENAME, WAL_AUTOCHECKPOINT_PAGES

#: Enough audit entries (~5 MB) that the commit's log passes SQLite's default threshold of 1,000 pages.
ENTRIES = 20_000


def _bulk_write(ws: Workspace) -> None:
    with ws.unit_of_work() as uow:
        uow.audit_many("note", "vendor", ((f"v{i}", None, "notes", None, "x" * 200, f"Bulk note {i}")
                                          for i in range(ENTRIES)))


def _entries_in_the_file_alone(data_dir: Path, tmp_path: Path) -> int:
    """Audit entries of the database file without its write-ahead log (what a power cut would leave)."""
    copy = tmp_path / "file-alone.db"
    shutil.copy(data_dir / DB_FILENAME, copy)
    conn = sqlite3.connect(copy)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM audit WHERE action = 'note'").fetchone()[0])
    finally:
        conn.close()


def test_the_connection_has_the_larger_cache_and_checkpoint_threshold(ws: Workspace) -> None:
    assert ws.store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == WAL_AUTOCHECKPOINT_PAGES
    assert ws.store.db.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB


def test_a_bulk_commit_leaves_the_copy_into_the_file_to_the_checkpoint(ws: Workspace, data_dir: Path,
                                                                       tmp_path: Path) -> None:
    ws.checkpoint()  # the new database's tables
    _bulk_write(ws)
    assert len(ws.history(limit=None)) >= ENTRIES  # committed and read back
    assert _entries_in_the_file_alone(data_dir, tmp_path) == 0  # still only in the log
    done = ws.checkpoint()
    assert done is not None
    frames, copied = done
    assert frames > 1000 and copied == frames
    assert _entries_in_the_file_alone(data_dir, tmp_path) == ENTRIES


def test_with_sqlites_default_threshold_the_commit_would_have_checkpointed(ws: Workspace, data_dir: Path,
                                                                          tmp_path: Path) -> None:
    """The control for the test above: the same write under the default of 1,000 pages copies in the commit."""
    ws.store.db.execute("PRAGMA wal_autocheckpoint = 1000")
    _bulk_write(ws)
    assert _entries_in_the_file_alone(data_dir, tmp_path) == ENTRIES


def test_no_checkpoint_inside_an_open_transaction_and_none_on_a_read_only_connection(ws: Workspace,
                                                                                      data_dir: Path) -> None:
    with ws.unit_of_work():
        ws.store.set_setting("k", "v")
        assert ws.checkpoint() is None
    reader = Workspace(data_dir, evaluator="ann", read_only=True)
    try:
        assert reader.checkpoint() is None
    finally:
        reader.close()


def test_closing_the_last_connection_copies_the_log(data_dir: Path, tmp_path: Path) -> None:
    """The command line never idles: its close is its checkpoint."""
    ws = Workspace(data_dir, evaluator="ann")
    _bulk_write(ws)
    ws.close()
    assert _entries_in_the_file_alone(data_dir, tmp_path) == ENTRIES
