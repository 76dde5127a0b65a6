"""The workspace: the one API both front ends call (vendors, claims, evidence, scorecards, totals)."""

from __future__ import annotations

import contextlib
import functools
import getpass
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar

from ..domain.models import AuditEntry, AuditRecord, utc_now
from ..errors import UserError
from ..secrets import KeyringSecretStore, SecretStore
from ..store.database import DB_FILENAME, StoreError, read_only_reason
from ..store.store import Store
from .library import RubricLibrary


class ServiceError(UserError):
    """A request the workspace refuses; the message says why in the user's words."""


class NotFound(ServiceError):
    """The vendor, claim, scorecard or rubric asked for does not exist."""


class Locked(ServiceError):
    """The scorecard is submitted and cannot be edited without reopening it."""


class ReadOnlyWorkspace(ServiceError):
    """The workspace is open read-only (its folder cannot be written, or the user chose so): no change is made."""


class StaleEdit(ServiceError):
    """The record was changed elsewhere since the edit's copy of it was read: the edit was refused, nothing saved.

    Another window, the command line or an import wrote it in between. ``current`` is the record as it
    is now (None when it was deleted), so a front end can show the newer value beside the user's own and
    let them apply theirs again (on ``current.revision``) or discard it; the edit never lands silently
    over the newer value.
    """

    def __init__(self, message: str, *, current: Any = None, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.current = current

    @property
    def revision(self) -> int | None:
        """The record's revision now (None when it was deleted)."""
        return getattr(self.current, "revision", None)


class _Revised(Protocol):
    revision: int


R = TypeVar("R", bound=_Revised)


def check_fresh(current: R | None, expected: int, what: str, *, field: str | None = None) -> R:
    """``current`` when it is still at revision ``expected``; else StaleEdit (carrying it), NotFound-like when gone.

    Services call this inside their unit of work, on the record re-read there: the write transaction
    holds the lock from its start (``BEGIN IMMEDIATE``), so what it reads is the latest committed state and
    nobody can write between the check and the edit. ``expected`` 0 means "expected not to exist yet".
    """
    if current is None:
        if expected == 0:
            return current  # type: ignore[return-value]  # (a new record: nothing to be stale against)
        raise StaleEdit(f"{what} was deleted elsewhere (in another window, on the command line or by an import) "
                        "while you edited it; your change was not saved.", current=None, field=field)
    if current.revision != expected:
        raise StaleEdit(f"{what} was changed elsewhere (in another window, on the command line or by an import) "
                        "since you opened it, so your change was not saved over the newer value.",
                        current=current, field=field)
    return current


P = ParamSpec("P")
T = TypeVar("T")

#: How often an edit that names no revision is tried again when another writer slipped in between its read
#: and its unit of work (then it is refused all the same: StaleEdit).
RETRIES = 3


def on_latest(edit: Callable[P, T]) -> Callable[P, T]:
    """An edit method that, given no ``expected_revision`` ("set this now", as the CLI says it), is redone on
    the latest record when another writer committed between its read and its write; given one (an app
    field edited on what it showed), a StaleEdit is the answer and goes to the caller.
    """
    @functools.wraps(edit)
    def attempt(*args: P.args, **kwargs: P.kwargs) -> T:
        for tries_left in range(RETRIES - 1, -1, -1):
            try:
                return edit(*args, **kwargs)
            except StaleEdit:
                if kwargs.get("expected_revision") is not None or not tries_left:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover
    return attempt


@dataclass(frozen=True)
class Change:
    """What changed, for listeners that refresh views: entity kind and id, and the vendor it belongs to."""

    entity: str
    entity_id: str
    vendor_id: str | None = None


@dataclass
class UnitOfWork:
    """One transaction's worth of work: the audit entries it writes and the changes it announces.

    Made by ``Workspace.unit_of_work()``; a writer calls ``audit`` and ``changed`` inside it. The audit
    entries are written in the same transaction as the change they record; the changes reach
    listeners only after the commit, and not at all when the work is rolled back.
    """

    actor: str
    at: str = field(default_factory=utc_now)  # one unit, one moment: every entry of it carries this time
    entries: list[AuditRecord] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    committed: list[Callable[[], None]] = field(default_factory=list)

    def audit(self, action: str, entity: str, entity_id: str, *, vendor_id: str | None = None, field: str = "",
              old: object = None, new: object = None, summary: str = "") -> None:
        """Record an audit entry for this unit's transaction."""
        self.entries.append(AuditRecord(
            self.at, self.actor, action, entity, entity_id, vendor_id, field,
            None if old is None else str(old), None if new is None else str(new), summary,
        ))

    def audit_many(self, action: str, entity: str,
                   items: Iterable[tuple[str, str | None, str, str | None, str | None, str]]) -> None:
        """Record one audit entry per item (entity id, vendor id, field, old, new, summary): ``audit`` for
        the thousands of entries of a bulk write, without a call per entry."""
        at, actor = self.at, self.actor
        self.entries.extend([AuditRecord(at, actor, action, entity, entity_id, vendor_id, field, old, new, summary)
                             for entity_id, vendor_id, field, old, new, summary in items])

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the transaction has committed, before listeners hear of the changes.

        For in-memory state that must follow the database (the rubric library), never for writes.
        """
        self.committed.append(action)

    def changed(self, entity: str, entity_id: str, vendor_id: str | None = None) -> None:
        """Announce (after the commit) that this record changed."""
        change = Change(entity, entity_id, vendor_id)
        if change not in self.changes:
            self.changes.append(change)


def default_evaluator() -> str:
    """The OS user name, used as the evaluator when none is set."""
    try:
        return getpass.getuser() or "evaluator"
    except (KeyError, OSError):
        return "evaluator"


class Workspace:
    """A data folder opened for use: store, rubric library and the use-case services."""

    def __init__(self, data_dir: Path, evaluator: str | None = None, *, busy_timeout_ms: int = 3000,
                 secrets: SecretStore | None = None, read_only: str | bool | None = None,
                 _twin_of: Workspace | None = None) -> None:
        """Open the workspace in ``data_dir``.

        ``read_only``: None opens it read-only when its folder or database file cannot be written (and
        says so in ``read_only_reason``); a reason (or True) opens it read-only by choice, e.g. while
        another window has it open. A read-only workspace reads as usual; every write is refused with
        ReadOnlyWorkspace, and nothing (no upgrade, no built-in profiles) is written when it opens.
        """
        self.data_dir = Path(data_dir)
        self.busy_timeout_ms = busy_timeout_ms
        # The keyring store is lazy: nothing touches the OS keyring until a bundle is signed.
        self.secrets: SecretStore = secrets if secrets is not None else KeyringSecretStore()
        if _twin_of is not None:
            reason = _twin_of.read_only_reason
        elif read_only is None:
            reason = read_only_reason(self.data_dir)
        elif read_only is True:
            reason = "opened read-only"
        else:
            reason = read_only or None
        if reason is not None and _twin_of is None and not (self.data_dir / DB_FILENAME).exists():
            raise StoreError(f"No workspace can be created in {self.data_dir}: {reason}.", file=str(self.data_dir))
        #: Why this workspace is read-only (shown to the user), or None when it can be written.
        self.read_only_reason: str | None = reason
        twin_options = {"read_only": True} if (_twin_of is not None or reason) else {}  # (tests stand in for Store)
        self.store = Store(self.data_dir, busy_timeout_ms=busy_timeout_ms, **twin_options)
        original: Workspace | None = _twin_of
        library_dir = original.library.user_dir if original is not None else self.data_dir / "rubrics"
        self.library: RubricLibrary = RubricLibrary(self.store, library_dir)
        self.evaluator: str = (original.evaluator if original is not None
                               else evaluator or self.store.settings().get("evaluator") or default_evaluator())
        self._listeners: list[Callable[[Change], None]] = []
        self._open_work = threading.local()  # the unit of work open on this thread, if any
        self._twins: list[Workspace] = []  # idle read-only twins, for work on other threads
        self._twins_lock = threading.Lock()
        self._closed = False
        self._build_services()
        if _twin_of is None and reason is None:
            self.profiles.ensure_builtin()

    @property
    def read_only(self) -> bool:
        """True when the workspace is open read-only (see ``read_only_reason``)."""
        return self.read_only_reason is not None

    def check_writable(self) -> None:
        """Raise ReadOnlyWorkspace, saying why, when the workspace is open read-only (every write path asks)."""
        if self.read_only_reason is not None:
            raise ReadOnlyWorkspace(f"The workspace {self.data_dir} is open read-only ({self.read_only_reason}); "
                                    "nothing was changed.", file=str(self.data_dir))

    def _build_services(self) -> None:
        from .claims import ClaimService
        from .commercials import CommercialsService
        from .conditions import ConditionService
        from .contexts import ContextService
        from .evidence import EvidenceService
        from .profiles import ProfileService
        from .risks import RiskService
        from .scorecards import ScorecardService
        from .totals import TotalsService
        from .vendors import VendorService

        self.vendors = VendorService(self)
        self.claims = ClaimService(self)
        self.evidence = EvidenceService(self)
        self.scorecards = ScorecardService(self)
        self.totals = TotalsService(self)
        self.profiles = ProfileService(self)
        self.contexts = ContextService(self)
        self.conditions = ConditionService(self)
        self.commercials = CommercialsService(self)
        self.risks = RiskService(self)

    def close(self) -> None:
        """Close the database (and the read-only twins not in use; one in use closes when it is handed back).

        The log is checkpointed first: closing the last connection checkpoints only when that connection can
        write, and a twin still reading on a worker (a start-up job when the app quits at once) closes after
        this one, read-only, leaving the session's commits in ``-wal`` instead of ``vendoreval.db``.
        """
        with self._twins_lock:
            self._closed = True
            twins, self._twins = self._twins, []
        for twin in twins:
            twin.store.close()
        with contextlib.suppress(UserError):  # read-only (a twin), locked or failing: the log stays, SQLite reads it
            self.store.checkpoint()
        self.store.close()

    def checkpoint(self) -> tuple[int, int] | None:
        """Copy the committed write-ahead log into the database file (the store's ``checkpoint``)."""
        return self.store.checkpoint()

    # --- reading from other threads -------------------------------------------------------------

    def open_twin(self) -> Workspace:
        """A read-only twin of this workspace on its own database connection (a write through it fails).

        SQLite connections are not shared between threads: work on a worker thread reads through a
        twin while the UI thread keeps its own connection. The caller closes the twin (``close()``).
        """
        return Workspace(self.data_dir, busy_timeout_ms=self.busy_timeout_ms, secrets=self.secrets,
                         _twin_of=self)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Workspace]:
        """A read-only twin for one piece of work on any thread; idle twins are kept, so caches stay warm.

        A twin serves one thread at a time. It sees what was committed (not an open transaction of this
        workspace); its rubric library is re-read when this workspace's changed.
        """
        with self._twins_lock:
            twin = self._twins.pop() if self._twins else None
        if twin is None:
            twin = self.open_twin()
        twin.evaluator = self.evaluator
        twin.library.follow(self.library)
        try:
            yield twin
        finally:
            with self._twins_lock:
                keep = not self._closed
                if keep:
                    self._twins.append(twin)
            if not keep:
                twin.store.close()

    # --- change notification ----------------------------------------------------------------

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        """Call ``listener`` after every committed change."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Change], None]) -> None:
        """Stop calling ``listener``."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def notify(self, change: Change) -> None:
        """Tell listeners about a committed change."""
        for listener in list(self._listeners):
            listener(change)

    # --- the one write path --------------------------------------------------------------------

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One transaction for one user action: writes, their audit entries, then the announcement.

        Validate first, then open the unit and apply. Inside it, writers call the store and record
        ``uow.audit(...)`` and ``uow.changed(...)``. On leaving it the audit entries are written and the
        transaction commits; listeners then hear of each change once. An exception rolls everything
        back and nobody is told. A unit opened inside another joins it (one transaction, one commit).
        """
        current: UnitOfWork | None = getattr(self._open_work, "uow", None)
        if current is not None:
            yield current
            return
        self.check_writable()
        uow = UnitOfWork(actor=self.evaluator)
        self._open_work.uow = uow
        try:
            with self.store.transaction():
                yield uow
                if uow.entries:
                    self.store.add_audit_entries(uow.entries)
        finally:
            self._open_work.uow = None
        for action in uow.committed:
            action()
        for change in uow.changes:
            self.notify(change)

    def history(self, vendor_id: str | None = None, limit: int | None = 200) -> list[AuditEntry]:
        """Audit entries, newest first."""
        return self.store.audit(vendor_id, limit)

    def set_evaluator(self, name: str) -> None:
        """Set the evaluator name used for new scorecards and audit entries."""
        name = name.strip()
        if not name:
            raise ServiceError("The evaluator name cannot be empty.")
        with self.unit_of_work() as uow:
            self.store.set_setting("evaluator", name)
            uow.changed("settings", "evaluator")
            uow.after_commit(lambda: setattr(self, "evaluator", name))  # before listeners hear of it
