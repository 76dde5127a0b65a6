"""The workspace store: the one object services hold (``ws.store``), composed of one repository per aggregate.

The SQL lives in ``store/repositories/`` (one module per aggregate: vendors, claims, evidence, rubric
snapshots, engagement contexts, scorecards with their scores, agreed scores, the audit log, weight profiles,
settings and trusted keys), the row <-> model mapping in ``store/mappers.py`` and backup/restore in ``store/backup.py``.

``Store`` *inherits* the repositories rather than delegating to them. Every service calls
``ws.store.<method>`` (some sixty methods, and tests replace single methods on a live store with
monkeypatch); inheriting keeps all those names working with no forwarding boilerplate to keep in step,
and costs nothing per call. The mixing is safe because each repository only uses ``self.db``,
``self.path`` and the helpers of ``repositories.base.Repository`` (one shared connection and one cache of
prepared statements), the method names of the repositories are disjoint, and ``Repository.__init__`` is
the only initialiser. A repository can still be made and tested on its own: ``VendorRepository(db, path)``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from .backup import backup_database, restore_database
from .blobs import BlobStore
from .database import (
    DB_FILENAME,
    DamagedDatabase,
    StoreError,
    atomic,
    checkpoint,
    data_version,
    open_database,
    write_lock_free,
)
from .repositories.agreed import AgreedScoreRepository
from .repositories.audit import AuditRepository
from .repositories.claim_rejections import ClaimRejectionRepository
from .repositories.claims import ClaimRepository
from .repositories.commercials import CommercialsRepository, RiskNoteRepository
from .repositories.contexts import EngagementContextRepository
from .repositories.evidence import EvidenceRepository
from .repositories.owners import OwnershipRepository
from .repositories.profiles import WeightProfileRepository
from .repositories.rubrics import RubricVersionRepository
from .repositories.scorecards import ScorecardRepository
from .repositories.settings import SettingsRepository
from .repositories.supply_chain import AgeingRepository, SupplyChainRepository
from .repositories.vendors import VendorRepository

#: Tables counted by ``counts`` (status lines and tests) and, with the rest, by ``table_counts``.
#: How many virtual-machine steps SQLite runs between two questions of ``stopping_when`` (about 0.1 ms).
STOP_CHECK_STEPS = 10_000

_COUNTED = ("vendors", "claims", "evidence", "scorecards", "scores", "agreed_scores", "audit")
_ALL_TABLES = ("vendors", "claims", "evidence", "rubric_versions", "scorecards", "scores", "agreed_scores",
               "audit", "weight_profiles", "settings", "trusted_keys", "vendor_models", "baseline_editions",
               "baseline_scores", "evidence_dates", "claim_reviews", "vendor_cadence", "recheck_confirmations",
               "engagement_contexts", "conditions", "condition_drops", "commercials", "risk_notes",
               "claim_rejections", "record_owners", "decision_positions")


class Store(
    VendorRepository,
    EngagementContextRepository,
    ClaimRepository,
    EvidenceRepository,
    RubricVersionRepository,
    ScorecardRepository,
    AgreedScoreRepository,
    AuditRepository,
    WeightProfileRepository,
    SettingsRepository,
    SupplyChainRepository,
    AgeingRepository,
    CommercialsRepository,
    RiskNoteRepository,
    ClaimRejectionRepository,
    OwnershipRepository,
):
    """One workspace: the SQLite file and the evidence blobs beside it."""

    def __init__(self, data_dir: Path, *, create: bool = True, busy_timeout_ms: int = 3000,
                 read_only: bool = False) -> None:
        """Open the workspace in ``data_dir``; ``read_only``: an existing one, on a connection that cannot write."""
        self.data_dir = Path(data_dir)
        create = create and not read_only
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise StoreError(f"The data folder {self.data_dir} is a file, not a folder; choose a folder.")
        if create:
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"Cannot create the data folder {self.data_dir}: {exc.strerror}") from None
        elif not self.data_dir.is_dir():
            raise StoreError(f"The data folder {self.data_dir} does not exist.")
        path = self.data_dir / DB_FILENAME
        self.read_only = read_only
        super().__init__(open_database(path, create=create, busy_timeout_ms=busy_timeout_ms, read_only=read_only),
                         path)
        self.blobs = BlobStore(self.data_dir / "evidence")

    # --- the workspace as a whole -----------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: all writes inside land together or not at all."""
        with atomic(self.db, self.path):
            yield

    def close(self) -> None:
        """Close the connection."""
        with contextlib.suppress(sqlite3.Error):
            self.db.close()

    @contextlib.contextmanager
    def stopping_when(self, stop: Callable[[], bool]) -> Iterator[None]:
        """Inside, a statement of this connection fails with SQLITE_INTERRUPT (a StoreError) soon after
        ``stop()`` turns true: SQLite asks it every few thousand steps of its virtual machine, so a long
        statement (a quick check of a large file) ends within milliseconds of a cancel, from any thread,
        whether it had started yet or not (``sqlite3_interrupt`` misses a statement not yet running).
        """
        self.db.conn.set_progress_handler(lambda: 1 if stop() else 0, STOP_CHECK_STEPS)
        try:
            yield
        finally:
            self.db.conn.set_progress_handler(None, 0)

    def change_stamp(self) -> tuple[int, int]:
        """Changes by this connection and PRAGMA data_version (others'): equal stamps mean unchanged data."""
        with self._reading():
            version = int(self.db.execute("PRAGMA data_version").fetchone()[0])
            return self.db.conn.total_changes, version

    def data_version(self) -> int:
        """PRAGMA data_version: a new value means another connection (process, window, thread) committed."""
        with self._reading():
            return data_version(self.db)

    def checkpoint(self) -> tuple[int, int] | None:
        """``database.checkpoint``: (frames in the write-ahead log, frames copied into the file), or None when
        a transaction is open on this connection or it is read-only."""
        if self.read_only:
            return None
        with self._reading():
            return checkpoint(self.db)

    def write_lock_free(self) -> bool:
        """True when another connection does not hold the write lock right now (asked without waiting)."""
        with self._reading():
            return write_lock_free(self.db)

    def is_empty(self) -> bool:
        """True when the workspace has no vendors."""
        with self._reading():
            return int(self.db.execute("SELECT COUNT(*) FROM vendors").fetchone()[0]) == 0

    def integrity_check(self) -> str:
        """SQLite's integrity check result ('ok' when healthy)."""
        return "\n".join(self.check_pages(full=True))

    def check_pages(self, *, full: bool = False, limit: int = 20) -> list[str]:
        """SQLite's ``PRAGMA quick_check`` (or with ``full`` the slower ``integrity_check``, which also compares
        every index with its table): ``["ok"]`` when healthy, else up to ``limit`` problems in SQLite's words.

        A file too damaged to be read at all is reported the same way (not raised): what it says is the answer.
        """
        pragma = "integrity_check" if full else "quick_check"
        try:
            with self._reading():
                return [str(r[0]) for r in self.db.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()]
        except StoreError as exc:
            if not isinstance(exc, DamagedDatabase):
                raise
            return [str(exc.__cause__ or exc)]

    def counts(self) -> dict[str, int]:
        """Row counts per table (for status lines and tests)."""
        return self._count(_COUNTED)

    def table_counts(self) -> dict[str, int]:
        """Row counts of every workspace table, rubric snapshots, settings and keys included."""
        return self._count(_ALL_TABLES)

    def _count(self, tables: tuple[str, ...]) -> dict[str, int]:
        with self._reading():
            return {t: int(self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}

    # --- backup & restore (store/backup.py; used by services/backup.py) ---------------------------

    def backup_to(self, target: Path) -> None:
        """Write a consistent copy of the live database to ``target`` (a single file, rollback journal).

        Uses SQLite's online backup API, so it is safe while other connections read and write. The copy
        is written to a temporary file beside ``target``, checked, and moved into place: ``target`` is
        either the complete copy or untouched.
        """
        backup_database(self.db.conn, target, self.path)

    def restore_from(self, prepared: Path) -> None:
        """Replace the live database's content with a file checked by ``backup.prepare_restore``.

        One write transaction on the live database (the backup API copies every page in one step), so
        a crash or an error leaves the old content; other connections see the new content afterwards.
        """
        restore_database(self.db, prepared, self.path)
