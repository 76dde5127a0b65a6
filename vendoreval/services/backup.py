"""Backups of the workspace database: on demand, automatic at start-up (one a day, rotated), and restore.

Backups are made with SQLite's online backup API (through the store), so they are consistent even
while the app is writing. They cover the database; evidence files live content-addressed beside it
in ``evidence/`` and are not copied (a restore reports evidence records whose file is missing).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.models import AuditEntry
from ..files import display_name
from ..store.backup import (
    DatabaseFileInfo,
    database_opens,
    database_problem,
    move_database_files,
    prepare_restore,
    replace_database_file,
)
from ..store.database import DB_FILENAME, DatabaseLocked, StoreError, empty_database_file
from ..store.store import Store
from .workspace import ServiceError, Workspace, default_evaluator

log = logging.getLogger(__name__)

BACKUP_DIRNAME = "backups"
DEFAULT_KEEP = 7

_AUTO = re.compile(r"^vendoreval-auto-(\d{8})-(\d{6})\.db$")


class BackupError(ServiceError):
    """A backup or restore that could not be done; the message says why and what was left as it was."""


class DamagedWorkspace(BackupError):
    """The workspace database failed its integrity check: no backup is taken of it (none replaces a good one)."""


@dataclass(frozen=True)
class BackupFile:
    """One file in the backups folder: its path, kind (auto, manual, before-restore, damaged) and size."""

    path: Path
    kind: str
    size: int


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the file restored, the safety copy of the old database, what is missing."""

    source: Path
    safety_copy: Path | None
    info: DatabaseFileInfo
    missing_evidence_files: list[str] = field(default_factory=list)


def backups_dir(data_dir: Path) -> Path:
    """The folder where a workspace keeps its backups: ``<data_dir>/backups``."""
    return Path(data_dir) / BACKUP_DIRNAME


def _stamp(now: dt.datetime | None) -> str:
    moment = (now or dt.datetime.now()).astimezone()
    return moment.strftime("%Y%m%d-%H%M%S")


def _unique(path: Path) -> Path:
    """``path`` or, if taken, the same name with -2, -3… (two backups within one second)."""
    n, candidate = 2, path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


def backup(ws: Workspace, out: Path | None = None, *, now: dt.datetime | None = None) -> Path:
    """Back up the workspace database now; returns the file written.

    ``out`` may be a file name or an existing folder; by default the copy goes to
    ``<data_dir>/backups/vendoreval-<date>-<time>.db``. An existing file is never overwritten.
    """
    if out is None:
        if ws.read_only_reason:
            raise BackupError(f"The workspace is open read-only ({ws.read_only_reason}), so its backups folder "
                              "cannot be written: give a file or folder elsewhere with --out.")
        target = _unique(backups_dir(ws.data_dir) / f"vendoreval-{_stamp(now)}.db")
    else:
        out = Path(out).expanduser()
        target = _unique(out / f"vendoreval-{_stamp(now)}.db") if out.is_dir() else out
        if target.exists():
            raise BackupError(f"{target} already exists; choose another name (nothing was written).")
    try:
        ws.store.backup_to(target)
    except StoreError as exc:
        raise BackupError(str(exc)) from None
    return target


def list_backups(data_dir: Path) -> list[BackupFile]:
    """The backup files of a workspace, oldest first (by name, which starts with the date)."""
    folder = backups_dir(data_dir)
    if not folder.is_dir():
        return []
    out = []
    for p in sorted(folder.glob("vendoreval-*.db")):
        if _AUTO.match(p.name):
            kind = "auto"
        elif p.name.startswith("vendoreval-before-restore-"):
            kind = "before-restore"
        elif p.name.startswith("vendoreval-damaged-"):
            kind = "damaged"
        else:
            kind = "manual"
        out.append(BackupFile(p, kind, p.stat().st_size))
    return out


def auto_backup(ws: Workspace, keep: int = DEFAULT_KEEP, *, now: dt.datetime | None = None) -> Path | None:
    """Back up the workspace at start-up: at most one a day, the last ``keep`` automatic ones kept.

    Returns the new backup, or None when there was nothing to do (already one today, or the workspace
    is empty). Older automatic backups beyond ``keep`` are deleted; manual and safety copies never are.
    Raises BackupError (a ServiceError) if the copy cannot be written; the workspace is untouched then.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    folder = backups_dir(ws.data_dir)
    autos = [b.path for b in list_backups(ws.data_dir) if b.kind == "auto"]
    today = (now or dt.datetime.now()).astimezone().strftime("%Y%m%d")
    made: Path | None = None
    if not any(m and m.group(1) == today for m in (_AUTO.match(p.name) for p in autos)) and not ws.store.is_empty():
        # The full check (every page, every index against its table) before the copy: a damaged database
        # is not backed up, and the good backups it would have rotated out are all kept.
        problems = ws.store.check_pages(full=True)
        if problems != ["ok"]:
            raise DamagedWorkspace(
                f"The workspace database {ws.store.path} is damaged (integrity check: {'; '.join(problems[:3])}). "
                "No automatic backup was made of it, and the earlier backups were all kept. "
                + recovery_advice(ws.data_dir), file=str(ws.store.path))
        made = _unique(folder / f"vendoreval-auto-{_stamp(now)}.db")
        try:
            ws.store.backup_to(made)
        except StoreError as exc:
            raise BackupError(f"The automatic backup failed: {exc}") from None
        autos.append(made)
    for old in sorted(autos, key=lambda p: p.name)[:-keep]:
        try:
            old.unlink()
        except OSError:
            pass  # a backup we cannot delete is harmless; try again next start
    return made


def latest_good_backup(data_dir: Path) -> BackupFile | None:
    """The newest backup of the workspace that is a sound vendoreval database (quick check), or None.

    Newest by modification time (automatic, manual and before-restore copies; never the damaged files
    moved aside); a backup that is empty, damaged or not vendoreval's is passed over.
    """
    candidates = [b for b in list_backups(data_dir) if b.kind != "damaged"]
    candidates.sort(key=lambda b: (b.path.stat().st_mtime, b.path.name), reverse=True)
    for b in candidates:
        problem = database_problem(b.path)
        if problem is None:
            return b
        log.warning("backup %s passed over: %s", b.path, problem)
    return None


def recovery_advice(data_dir: Path) -> str:
    """What to do about a damaged or emptied workspace database: the latest good backup and the command that
    restores it, or how to start again when there is none."""
    data_dir = Path(data_dir)
    good = latest_good_backup(data_dir)
    if good is not None:
        when = dt.datetime.fromtimestamp(good.path.stat().st_mtime).astimezone().strftime("%Y-%m-%d %H:%M")
        return (f"The latest good backup is {good.path} (from {when}); restore it with: "
                f"vendoreval --data-dir {data_dir} restore {good.path}")
    return (f"There is no good backup in {backups_dir(data_dir)}. If you have a copy of the workspace elsewhere, "
            f"restore it with: vendoreval --data-dir {data_dir} restore FILE; or move {data_dir / DB_FILENAME} "
            "away to start an empty workspace.")


def set_aside_damaged(data_dir: Path, *, now: dt.datetime | None = None) -> Path:
    """Move a damaged (or 0-byte) workspace database out of the way into the backups folder, so the folder
    opens as a new, empty workspace; returns where it went (``backups/vendoreval-damaged-<date>-<time>.db``).

    Only with no connection open on it (the app closes its workspace first). Its -wal and -shm go with it.
    """
    data_dir = Path(data_dir)
    live = data_dir / DB_FILENAME
    aside = _unique(backups_dir(data_dir) / f"vendoreval-damaged-{_stamp(now)}.db")
    try:
        move_database_files(live, aside)
    except OSError as exc:
        raise BackupError(f"Cannot move {live} aside: {exc.strerror or exc}; nothing was changed.") from None
    return aside


def restore(data_dir: Path, source: Path, *, actor: str | None = None,
            now: dt.datetime | None = None) -> RestoreResult:
    """Replace the workspace database with the backup ``source``, keeping a safety copy of the current one.

    The file is checked first (SQLite integrity check, a vendoreval schema, not newer than this
    version; an older schema is upgraded in a staging copy). Then the current database is copied to
    ``backups/vendoreval-before-restore-<date>-<time>.db`` and the content is replaced in one SQLite
    transaction: the workspace is either fully restored or unchanged. A damaged current database that
    cannot be opened is moved aside to ``backups/vendoreval-damaged-…`` and replaced by rename.
    """
    data_dir, source = Path(data_dir), Path(source).expanduser()
    folder = backups_dir(data_dir)
    live = data_dir / DB_FILENAME
    staging = folder / f".restore-{os.getpid()}.db"
    try:
        info = prepare_restore(source, staging)
    except StoreError as exc:
        raise BackupError(str(exc)) from None
    safety: Path | None = None
    existed = live.exists()
    try:
        store = _open_live(data_dir) if (not live.exists() or _sound(live)) else None
        if store is None:
            safety = _unique(folder / f"vendoreval-damaged-{_stamp(now)}.db")
            replace_database_file(staging, live, safety)
            store = Store(data_dir, create=False)
        else:
            try:
                if existed:
                    safety = _unique(folder / f"vendoreval-before-restore-{_stamp(now)}.db")
                    store.backup_to(safety)
                store.restore_from(staging)
            except BaseException:
                store.close()
                raise
        try:
            missing = sorted({e.sha256 for e in store.evidence() if e.sha256 and not store.blobs.has(e.sha256)})
            with store.transaction():
                store.add_audit(AuditEntry(
                    actor=actor or default_evaluator(), action="restore", entity="workspace", entity_id="",
                    summary=f"Restored the workspace from {display_name(source)}"
                            + (f" (the previous database was kept as {safety.name})" if safety else ""),
                ))
        finally:
            store.close()
    except StoreError as exc:
        kept = f" The previous database was kept as {safety}." if safety and safety.exists() else ""
        raise BackupError(f"{exc}{kept}") from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                staging.with_name(staging.name + suffix).unlink()
            except FileNotFoundError:
                pass
    return RestoreResult(source, safety, info, missing)


def _sound(live: Path) -> bool:
    """True when the live database opens and passes the quick check (a damaged one is moved aside, not copied)."""
    if empty_database_file(live) or not database_opens(live):
        return False
    return database_problem(live) is None


def _open_live(data_dir: Path) -> Store | None:
    """The live store, or None when its database is damaged beyond opening (locks are refused)."""
    try:
        return Store(data_dir)
    except DatabaseLocked:
        raise
    except StoreError:
        return None


def daily_backup(ws: Workspace, keep: int = DEFAULT_KEEP) -> str | None:
    """Take the day's automatic backup when a workspace is opened; returns a warning to show if it failed.

    A failed backup never stops the app: it is logged and reported in words, and work goes on. A
    workspace open read-only is not backed up (its backups folder cannot be written, or it belongs to
    the window that has it open).
    """
    if ws.read_only:
        return None
    try:
        made = auto_backup(ws, keep)
    except ServiceError as exc:
        log.warning("automatic backup failed: %s", exc)
        return f"Automatic backup failed: {exc}"
    if made is not None:
        log.info("automatic backup written to %s", made)
    return None
