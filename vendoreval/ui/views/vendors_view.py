"""The Vendors page: the list on the left, the selected vendor's detail on the right, or the first-run page."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QSplitter, QStackedWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from ...domain.claim_search import search_claims
from ...domain.models import Claim, Vendor
from ...errors import UserError
from ...services.ageing import AgeingService, today
from ...services.outside import OUTSIDE
from ...services.workspace import Change, Workspace
from ..dialogs.vendor_dialog import NewVendorDialog
from ..failures import user_text
from ..models.vendor_list_model import VendorRow
from ..session import Session
from ..tasks import reading
from .first_run_view import FirstRunView
from .vendor_detail_view import VendorDetailView
from .vendor_list_view import VendorListView

log = logging.getLogger(__name__)
Totals = tuple[float | None, float | None, bool]  # claimed, evidence-weighted, knocked out
#: What the background count hands back: every vendor's totals, the vendors, and their stale lines.
FullCount = tuple[dict[str, Totals], list[Vendor], dict[str, tuple[str, ...]] | None]


def stale_lines(ws: Workspace, vendor_ids: list[str]) -> dict[str, tuple[str, ...]] | None:
    """Per vendor, what is past its review date today, as lines for the Review column's tooltip (None when
    the dates cannot be read: the list shows without them)."""
    try:
        return AgeingService(ws).stale_lines(vendor_ids)
    except Exception as exc:  # the list must show even when the dates cannot be read
        log.warning("reading the review dates failed: %s", exc, exc_info=True)
        return None


class VendorsView(QWidget):
    """Vendors: list, detail, and the create / archive / delete commands (with undo)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.first_run = FirstRunView(self)
        self.list = VendorListView(self)
        self.detail = VendorDetailView(session, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([500, 740])
        self.splitter.setChildrenCollapsible(False)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.first_run)
        self.stack.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.stack)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(150)  # coalesce bursts of changes into one recount of totals
        self._refresh_timer.timeout.connect(self._refresh)
        self._totals: dict[str, Totals] = {}
        self._dirty: set[str] = set()
        self._touched_since_full: set[str] = set()
        self._full_running = False
        self._full_again = False
        self._changes_since_full = 0  # changes announced since the background count began
        self._outside = False  # another writer committed: every shown total is re-counted (kept until then)
        self._claims: list[Claim] | None = None  # every vendor's claims, read once per change, for the search
        # the Review column's lines, read per vendor: an edit re-reads its own vendor's, not all 200
        self._stale: dict[str, tuple[str, ...]] = {}
        self._stale_read: set[str] = set()  # vendors whose lines in ``_stale`` are current (absent: none)
        self._stale_day: dt.date | None = None  # the day they were read for: past midnight, all are read again
        self._stale_changed: set[str] | None = set()  # vendors changed while the background count read (None: all)
        self.list.selected.connect(self.detail.set_vendor)
        self.list.search.textChanged.connect(lambda _t: self._search_claims())
        self.list.archived.toggled.connect(lambda _on: self._search_claims())
        self.list.claim_chosen.connect(self.show_claim)
        self.first_run.new_vendor.connect(self.new_vendor)
        session.changed.connect(self._on_change)
        self.reload()

    # --- data -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the vendors at once; overall scores come from the cache, missing ones are computed."""
        self._refresh_timer.stop()
        try:
            vendors = self.ws.vendors.list()
        except Exception as exc:
            self.session.show_failure("Reading the vendors", exc)
            return
        missing = [v.id for v in vendors if v.id not in self._totals]
        later = False  # the review dates come with the background count
        if missing and len(missing) <= 20:
            self._update_totals(missing)  # a few new vendors: quick enough here
        elif missing and self.session.runner.threaded and not self.isVisible():
            # let the window paint first; the worker competes with the UI thread for the interpreter
            # (at launch: part of the work the launch's heap freeze waits for, see ui/heap.py); it reads
            # the review dates too, so the first paint does not wait for them
            self.session.after_paint(self._start_full_totals)
            later = True
        elif missing:
            self._start_full_totals()
        self._show(vendors, stale_later=later)

    def _show(self, vendors: list[Vendor] | None = None,
              stale: dict[str, tuple[str, ...]] | None = None, *, stale_later: bool = False) -> None:
        if vendors is None:
            vendors = self.ws.vendors.list()
        rows = []
        if stale is None and not stale_later:
            stale = self._stale_of([v.id for v in vendors])
        known = stale is not None
        stale = stale or {}
        for v in vendors:
            t = self._totals.get(v.id)
            lines = stale.get(v.id, ())
            rows.append(VendorRow(v, *t, stale=lines, stale_known=known) if t is not None
                        else VendorRow(v, pending=True, stale=lines, stale_known=known))
        keep = self.list.current_id()
        self.list.set_rows(rows, keep=keep)
        self.stack.setCurrentWidget(self.splitter if rows else self.first_run)
        if rows and self.list.current_id() is None:
            self.list.table.selectRow(0)

    def _remember_stale(self, stale: dict[str, tuple[str, ...]], vendor_ids: list[str]) -> None:
        """Keep the lines the background count read, but not those of vendors changed while it read."""
        self._stale = dict(stale)
        changed = self._stale_changed
        self._stale_read = set() if changed is None else set(vendor_ids) - changed
        self._stale_day = today()

    def _stale_of(self, vendor_ids: list[str]) -> dict[str, tuple[str, ...]]:
        """The Review lines of these vendors: those not read yet (new, or changed since) are read now."""
        if self._stale_day != today():
            self._stale_read.clear()
            self._stale_day = today()
        todo = [i for i in vendor_ids if i not in self._stale_read]
        if todo:
            fresh = stale_lines(self.ws, todo)
            if fresh is None:
                return self._stale  # tried again at the next refresh
            for i in todo:
                if i in fresh:
                    self._stale[i] = fresh[i]
                else:
                    self._stale.pop(i, None)
            self._stale_read.update(todo)
        return self._stale

    def _start_full_totals(self) -> None:
        """Compute every vendor's overall score off the UI thread (seconds on a 200-vendor workspace)."""
        if self._full_running:
            self._full_again = True
            return
        if self.session.closed:
            return
        self._full_running, self._full_again = True, False
        self._touched_since_full = set()
        self._changes_since_full = 0
        self._stale_changed = set()
        ws, runner = self.ws, self.session.runner

        def work() -> FullCount:
            # a worker thread reads through a twin; the UI thread's connection is never used from two threads
            with reading(ws, runner) as source:
                totals = {t.vendor.id: (t.overall.claimed, t.overall.evidence_weighted, t.overall.knocked_out)
                          for t in source.totals.vendor_totals(include_archived=True)}
                # the list's other reads too: on the UI thread, while another worker computes (a comparison),
                # each row of these queries waits for the interpreter lock (480 ms stalls on 200 vendors)
                vendors = source.vendors.list()
                return totals, vendors, stale_lines(source, [v.id for v in vendors])

        def done(result: FullCount) -> None:
            self._full_running = False
            if not isValid(self) or self.ws is not ws:
                return
            totals, vendors, stale = result
            fresh = {k: v for k, v in totals.items() if k not in self._touched_since_full}
            self._totals.update(fresh)
            if stale is not None:
                self._remember_stale(stale, [v.id for v in vendors])
            if self._changes_since_full:  # something changed while it counted: read the list afresh
                self._show()
            else:
                self._show(vendors, self._stale_of([v.id for v in vendors]))
            if self._full_again:
                self._start_full_totals()

        def failed(exc: BaseException) -> None:
            self._full_running = False
            if isValid(self):
                self.session.show_failure("Computing the overall scores", exc)

        self.session.runner.run(work, done, failed, label="Computing overall scores…")

    def _update_totals(self, vendor_ids: list[str]) -> None:
        """Re-total a few vendors (after their scores, claims or decision changed)."""
        try:
            totals = self.ws.totals.vendor_totals(vendor_ids=vendor_ids, include_archived=True)
        except Exception as exc:
            log.warning("re-totalling failed: %s", exc)
            return
        for t in totals:
            self._totals[t.vendor.id] = (t.overall.claimed, t.overall.evidence_weighted, t.overall.knocked_out)
        self._touched_since_full.update(vendor_ids)

    def _search_claims(self) -> None:
        """Search the claims of every vendor (shown ones: archived vendors only with 'Archived' ticked)."""
        words = self.list.search.text().strip()
        if not words:
            self.list.show_claim_hits(None)
            return
        try:
            if self._claims is None:
                self._claims = self.ws.claims.list()
            vendors = self.ws.vendors.list(include_archived=self.list.archived.isChecked())
        except Exception as exc:
            self.session.show_failure("Searching the claims", exc)
            return
        names = {v.id: v.name for v in vendors}
        self.list.show_claim_hits(search_claims([c for c in self._claims if c.vendor_id in names], words, names))

    def show_claim(self, vendor_id: str, claim_id: str) -> None:
        """Select the vendor and show the claim on its Claims tab."""
        if not self.list.select(vendor_id):
            self.list.decision.setCurrentIndex(0)  # a filter hides the vendor: show every decision
            if not self.list.select(vendor_id):
                self.list.archived.setChecked(True)
                self.list.select(vendor_id)
        self.detail.set_vendor(vendor_id)
        self.detail.tabs.setCurrentWidget(self.detail.claims)
        self.detail.claims.refresh(keep=claim_id)
        self.detail.claims.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_change(self, change: Change) -> None:
        self._changes_since_full += 1
        if change.entity in ("claim", "vendor", "workspace"):
            self._claims = None  # re-read at the next search
            if self.list.search.text().strip():
                self._search_claims()
        if change.entity in ("vendor", "score", "scorecard", "claim", "agreed_score", "evidence", "context"):
            if change.vendor_id is not None:
                self._dirty.add(change.vendor_id)
            self._stale_changes(change.vendor_id)
            self._refresh_timer.start()
        elif change.entity == "workspace" and change.entity_id == OUTSIDE:
            self._outside = True
            self._stale_changes(None)
            self._refresh_timer.start()
        elif change.entity in ("weight_profile", "workspace", "settings", "rubric"):
            self._totals.clear()
            self._stale_changes(None)
            self._refresh_timer.start()

    def _stale_changes(self, vendor_id: str | None) -> None:
        """A vendor's review lines (None: every vendor's) are to be read again."""
        if vendor_id is None:
            self._stale_read.clear()
            self._stale_changed = None
            return
        self._stale_read.discard(vendor_id)
        if self._stale_changed is not None:
            self._stale_changed.add(vendor_id)

    def _refresh(self) -> None:
        if self.session.closed:
            return  # the window closed while a refresh was pending
        dirty, self._dirty = list(self._dirty), set()
        if self._outside:  # which vendors another writer touched is not known: all of them, a few here
            self._outside = False
            if len(self._totals) <= 20:
                dirty = list(self._totals)
            else:
                self._start_full_totals()
        if dirty:
            self._update_totals(dirty)
        self.reload()

    # --- commands ---------------------------------------------------------------------------

    def current_vendor(self) -> Vendor | None:
        """The selected vendor (None when there is none)."""
        vid = self.list.current_id()
        if vid is None:
            return None
        try:
            return self.ws.vendors.get(vid)
        except Exception:
            return None

    def new_vendor(self, values: dict[str, str] | None = None) -> Vendor | None:
        """Create a vendor (asking for its name when ``values`` is None); undoable."""
        if values is None:
            return self._ask_new_vendor()
        fields = {k: v for k, v in values.items() if k != "name" and v}
        name = values.get("name", "")
        holder: list[Vendor] = []

        def do() -> Vendor:
            v = self.ws.vendors.create(name, **fields)
            holder[:] = [v]
            return v

        def undo() -> None:
            snap = self.ws.vendors.delete(holder[0].id)
            holder.append(snap)  # type: ignore[arg-type]

        def redo() -> None:
            snap = holder.pop()
            self.ws.vendors.restore(snap)  # type: ignore[arg-type]

        vendor = self.session.edit(f"Create vendor {name}", do, undo, redo)
        if vendor is not None:
            self.reload()
            self.list.select(vendor.id)
        return vendor

    def _ask_new_vendor(self) -> Vendor | None:
        """The New vendor dialog: a name taken or a website that is not one is refused with the dialog open; when
        creating fails anyway (another writer took the name meanwhile), the dialog comes back as it was typed."""
        def check(values: dict[str, str]) -> tuple[str, str] | None:
            try:
                self.ws.vendors.check_new(values["name"], **{k: v for k, v in values.items() if k != "name"})
            except UserError as exc:
                return exc.field or "name", user_text(exc)
            return None

        dialog = NewVendorDialog(self, check=check,
                                 report=lambda text: self.session.messages.error(dialog, "New vendor", text))
        dialog.fix("name")
        while dialog.exec() == QDialog.DialogCode.Accepted:
            vendor = self.new_vendor(dialog.values())
            if vendor is not None:
                return vendor
            problem = check(dialog.values())
            dialog.fix(problem[0] if problem else "name")
        return None

    def archive_current(self) -> None:
        """Archive the selected vendor, or bring it back if it is archived; undoable."""
        vendor = self.current_vendor()
        if vendor is None:
            return
        vid, new = vendor.id, not vendor.archived
        self.session.edit(f"{'Archive' if new else 'Unarchive'} {vendor.name}",
                          lambda: self.ws.vendors.set_archived(vid, new),
                          lambda: self.ws.vendors.set_archived(vid, not new))
        if new and not self.list.archived.isChecked():
            self.list.archived.setChecked(True)  # keep the archived vendor in sight, marked in italics
        self.reload()

    def delete_current(self, confirm: bool = True) -> None:
        """Delete the selected vendor and everything it owns, after asking; undoable."""
        vendor = self.current_vendor()
        if vendor is None:
            return
        if confirm and not self.session.messages.confirm(
            self, "Delete vendor",
            f"Delete {vendor.name} with all its claims, evidence records and scorecards?\n\n"
            "You can undo this with Edit → Undo (Ctrl+Z) until you close the app. "
            "Archiving keeps the vendor but hides it.",
        ):
            return
        vid = vendor.id
        snaps: list[object] = []

        def do() -> None:
            snaps[:] = [self.ws.vendors.delete(vid)]

        self.session.edit(f"Delete {vendor.name}", do,
                          lambda: self.ws.vendors.restore(snaps[0]),  # type: ignore[arg-type]
                          do)
        self.reload()

    def focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.stack.setCurrentWidget(self.splitter) if self.list.model.total() else None
        self.list.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.list.search.selectAll()
