"""A vendor's claims: the table, the selected claim's editor, and add / delete / status / evidence commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QFileDialog, QHeaderView, QSplitter, QVBoxLayout, QWidget

from ...domain.models import Claim, ClaimStatus
from ...errors import UserError
from ...services.evidence import StoredFile
from ...services.workspace import Change, NotFound
from ..models.claims_model import ClaimsModel
from ..session import Session
from ..stale import on_stale
from ..tasks import Token
from ..widgets.claim_editor import ClaimEditor
from ..widgets.file_drop import FileDropArea
from ..widgets.flow_layout import wrapping_button_row
from .table_tab import VendorTab, push_button, row_table, selected_row

if TYPE_CHECKING:  # the dialogs are imported when first opened: launching builds this tab, not them
    from ..dialogs.claim_review_dialog import Review


class ClaimsTab(VendorTab):
    """Claims of the selected vendor."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = ClaimsModel(self)
        self.table = row_table(self, self.model, "Claims", word_wrap=False, stretch=None, min_rows=3)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        h.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        h.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        h.resizeSection(2, 130)
        h.setSectionHidden(3, True)  # sources and criteria are shown in full in the editor below
        h.setResizeContentsPrecision(40)
        self.add_button = push_button(self, "Add claim…", "Add claim",
                                      "Paste what the vendor said, with where and when (Ctrl+Shift+N)")
        self.add_button.setShortcut("Ctrl+Shift+N")
        self.attach_button = push_button(self, "Attach evidence…", "Attach evidence",
                                         "Attach files that support or contradict the selected claim")
        self.delete_button = push_button(self, "Delete claim", "Delete claim",
                                         "Delete the selected claim (undo with Ctrl+Z)")
        self.review_button = push_button(self, "Review by…", "Review by",
                                         "The date by which the claim should be looked at again (it goes stale "
                                         "after)")
        self.find_button = push_button(self, "Find claims in a document…", "Find claims in a document",
                                       "Read a vendor's deck, data sheet, web page or e-mail and review the claims "
                                       "it makes, one by one (Ctrl+Shift+F); or drop the file on this tab")
        self.find_button.setShortcut("Ctrl+Shift+F")
        self.setAcceptDrops(True)  # a document dropped on the tab (not on the evidence area) is read for claims
        self.editor = ClaimEditor(session, self)
        self.drop = FileDropArea("Drop files here to attach them to the selected claim", self)
        self.drop.setMaximumHeight(48)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(wrapping_button_row(
            [self.add_button, self.find_button, self.attach_button, self.review_button], [self.delete_button]))
        top_layout.addWidget(self.table, 1)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 4, 0, 0)
        bottom_layout.addWidget(self.editor)
        bottom_layout.addWidget(self.drop)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setChildrenCollapsible(False)
        split.setSizes([260, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.add_button.clicked.connect(lambda: self.add_claim())
        self.find_button.clicked.connect(lambda: self.find_claims())
        self.attach_button.clicked.connect(lambda: self.attach_files())
        self.delete_button.clicked.connect(lambda: self.delete_current())
        # Delete (Backspace on a Mac keyboard) in the table does what the Delete claim button does
        for seq in (QKeySequence.StandardKey.Delete, QKeySequence(Qt.Key.Key_Backspace)):
            shortcut = QShortcut(QKeySequence(seq), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self.delete_button.click() if self.delete_button.isEnabled() else None)
        self.review_button.clicked.connect(lambda: self.set_review_by())
        self.editor.link_criteria_requested.connect(lambda: self.link_criteria())
        self.drop.dropped.connect(self.attach_files)

    # --- view -------------------------------------------------------------------------------

    def refresh(self, keep: str | None = None) -> None:
        """Reload the claims, keeping the selection."""
        keep = keep or self.editor.claim_id
        claims = self.ws.claims.list(self.vendor_id) if self.vendor_id else []
        self.model.set_rows(claims)
        row = next((i for i, c in enumerate(claims) if c.id == keep), 0 if claims else -1)
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._show_current()

    def current(self) -> Claim | None:
        """The selected claim."""
        return selected_row(self.table, self.model)

    def _show_current(self) -> None:
        claim = self.current()
        self.editor.set_claim(claim, force=claim is None or claim.id != self.editor.claim_id)
        for b in (self.attach_button, self.delete_button, self.review_button):
            b.setEnabled(claim is not None)
        self.drop.setEnabled(claim is not None)
        self.find_button.setEnabled(self.vendor_id is not None)

    def on_change(self, change: Change) -> None:
        """Reload after claims or evidence of this vendor changed (or another writer changed the workspace)."""
        if change.entity in ("claim", "evidence", "vendor", "workspace"):
            self.refresh()

    # --- commands ---------------------------------------------------------------------------

    def set_review_by(self, text: str | None = None) -> bool:
        """Set the selected claim's review-by date (asking when ``text`` is None; empty clears); undoable."""
        from ...domain.ageing import DateRuleError, parse_date
        from ...services.ageing import AgeingService

        claim = self.current()
        if claim is None:
            return False
        svc = AgeingService(self.ws)
        old = svc.review_by(claim.id)
        if text is None:  # asked: a date it cannot read is said in the dialog, which stays open with the words
            from ..dialogs.dates_dialog import ReviewByDialog

            dialog = ReviewByDialog(old, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            day = dialog.chosen
        else:
            try:
                day = parse_date(text, "Review by") if text.strip() else None
            except DateRuleError as exc:
                self.session.messages.error(self, "Review by", f"{exc}. Nothing was saved.")
                return False
        cid = claim.id
        return self.session.edit("Claim review date", lambda: svc.set_review_by(cid, day) or True,
                                 lambda: svc.set_review_by(cid, old)) is not None

    def add_claim(self, values: dict[str, Any] | None = None) -> Claim | None:
        """Record a claim (asking for it when ``values`` is None); undoable.

        Asked for, *Record and add another* records it and opens the dialog again with the same source,
        date and recipient, for the next claim of the same document; returns the last claim recorded.
        """
        if values is not None:
            return self._record(values)
        from ..dialogs.claim_dialog import ClaimDialog

        rubrics = self.ws.library.latest_all()
        last: Claim | None = None
        keep: dict[str, Any] = {}
        while True:
            dialog = ClaimDialog(rubrics, self)
            dialog.set_source(keep)
            dialog.confirm_discard = lambda d=dialog: self.session.messages.confirm(
                d, "Discard the claim", "Throw away the words you typed? The claim is not recorded.", cautious=True)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return last
            values = dialog.values()
            claim = self._record(values)
            if claim is None:
                return last
            last = claim
            if not dialog.again:
                return last
            keep = {k: values[k] for k in ("source_kind", "source", "page", "said_on", "said_to")}

    def _record(self, values: dict[str, Any]) -> Claim | None:
        vid = self.vendor_id
        if vid is None:
            return None
        values = dict(values)
        text = values.pop("text")
        holder: list[Claim] = []

        def do() -> Claim:
            claim = self.ws.claims.add(vid, text, **values)
            holder[:] = [claim]
            return claim

        claim = self.session.edit("Add claim", do, lambda: self.ws.claims.delete(holder[0].id),
                                  lambda: self._show_restored(self.ws.claims.restore(holder[0])))
        if claim is not None:
            self.refresh(keep=claim.id)
        return claim

    def delete_current(self) -> None:
        """Delete the selected claim; undoable."""
        claim = self.current()
        if claim is None:
            return
        cid = claim.id
        links = self.ws.claims.linked_scores(cid)  # the scores it is unlinked from, to link again on undo
        position = self.ws.claims.position(cid)  # and its place in the document's order
        self.session.edit("Delete claim", lambda: self.ws.claims.delete(cid),
                          lambda: self._show_restored(self.ws.claims.restore(claim, links, position=position)))

    def _show_restored(self, claim: Claim) -> Claim:
        """After an undone deletion (or a redone addition) the claim that came back is the one selected, when
        this tab shows its vendor: the user sees what Undo did, not the first claim of the list."""
        if claim.vendor_id == self.vendor_id:
            self.refresh(keep=claim.id)
        return claim

    def link_criteria(self, keys: list[str] | None = None) -> None:
        """Set the criteria the selected claim bears on (asking when ``keys`` is None); undoable."""
        claim = self.current()
        if claim is None:
            return
        if keys is None:
            from ..dialogs.criteria_picker import CriteriaPicker

            picker = CriteriaPicker(self.ws.library.latest_all(), claim.criteria, self)
            if picker.exec() != QDialog.DialogCode.Accepted:
                return
            keys = picker.chosen()
        cid, old = claim.id, [str(r) for r in claim.criteria]
        new = list(keys)

        def apply(revision: int | None) -> Claim:
            return self.ws.claims.update(cid, criteria=new, expected_revision=revision)

        def undo() -> Claim:
            return self.ws.claims.update(cid, criteria=old)

        def words(keys: list[str]) -> str:
            return ", ".join(keys) or "(no criteria)"

        self.session.edit("Link criteria", lambda: apply(claim.revision), undo, lambda: apply(None),
                          stale=on_stale(self.session, "Link criteria", words(new),
                                         lambda c: words([str(r) for r in c.criteria]), apply, self.refresh, undo))

    def change_status(self, status: ClaimStatus | None = None, note: str = "") -> None:
        """Move the selected claim's status with a note (asking when ``status`` is None); undoable."""
        claim = self.current()
        if claim is None:
            return
        if status is None:
            from ..dialogs.status_dialog import StatusDialog

            dialog = StatusDialog(ClaimStatus(claim.status), claim.status_note, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            status, note = dialog.values()
        cid, old_status, old_note = claim.id, claim.status, claim.status_note
        new_status = status
        what = "Claim status note" if ClaimStatus(old_status) == ClaimStatus(status) else \
            f"Claim status: {ClaimStatus(status).label}"

        def apply(revision: int | None) -> Claim:
            return self.ws.claims.set_status(cid, new_status, note, expected_revision=revision)

        def undo() -> Claim:
            return self.ws.claims.set_status(cid, old_status, old_note)

        def words(status: ClaimStatus | str, note: str) -> str:
            return ClaimStatus(status).label + (f" — {note}" if note else "")

        self.session.edit(what, lambda: apply(claim.revision), undo, lambda: apply(None),
                          stale=on_stale(self.session, what, words(new_status, note),
                                         lambda c: words(c.status, c.status_note), apply, self.refresh, undo))

    def find_claims(self, path: Path | None = None, review: Review | None = None) -> None:
        """Read a vendor document (asking for it when ``path`` is None) and review its candidate claims."""
        if self.vendor_id is None:
            return
        from ..dialogs.claim_review_dialog import DOCUMENT_FILTER, find_claims_in_document

        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "Find claims in a document", "", DOCUMENT_FILTER)
            if not name:
                return
            path = Path(name)
        find_claims_in_document(self.session, self.vendor_id, path, review=review,
                                on_finished=lambda done: self.refresh() if done is not None else None)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # a drag over the tab: local files only
        if self.vendor_id is not None and event.mimeData().hasUrls() and \
                any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # the first file dropped is read for claims
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.find_claims(paths[0])

    def attach_files(self, paths: list[Path] | None = None) -> None:
        """Store files as evidence linked to the selected claim (asking for them when ``paths`` is None)."""
        claim = self.current()
        if claim is None or self.vendor_id is None:
            return
        if paths is None:
            names, _ = QFileDialog.getOpenFileNames(self, "Attach evidence to the claim")
            paths = [Path(n) for n in names]
        attach_evidence(self.session, self.vendor_id, paths, [claim.id])


def attach_evidence(session: Session, vendor_id: str, paths: list[Path], claim_ids: list[str],
                    on_finished: Callable[[int], None] | None = None) -> int:
    """Store each file by hash as evidence (undoable); says which ones failed.

    Copying and hashing (files up to 100 MB) run in the background with progress and Cancel; each
    stored file is then recorded on the UI thread as its own undoable edit. Returns how many were
    stored when the runner finished at once (synchronous runner), else 0; ``on_finished`` gets the
    number either way.
    """
    ws = session.ws
    paths = list(paths)
    stored_count: list[int] = []
    if not paths:
        return 0

    def work(token: Token) -> list[tuple[Path, StoredFile | UserError]]:
        sizes = []
        for p in paths:
            try:
                sizes.append(p.stat().st_size if p.is_file() else 0)
            except OSError:
                sizes.append(0)
        total = max(1, sum(sizes))
        before = 0
        out: list[tuple[Path, StoredFile | UserError]] = []
        for i, path in enumerate(paths):
            token.check()
            token.progress(f"Copying {path.name} into the workspace ({i + 1} of {len(paths)})…", before / total)

            def copied(n: int, start: int = before) -> None:
                token.check()  # Cancel stops in the middle of a large file; the partial copy is removed
                token.progress(None, min(1.0, (start + n) / total))

            try:
                out.append((path, ws.evidence.store_file(path, copied)))
            except UserError as exc:
                out.append((path, exc))
            before += sizes[i]
        return out

    def done(results: list[tuple[Path, StoredFile | UserError]]) -> None:
        stored = 0
        for path, outcome in results:
            if isinstance(outcome, UserError):
                session.report(f"Attach {path.name}", outcome)
            elif _record_stored(session, vendor_id, path, outcome, claim_ids):
                stored += 1
        stored_count.append(stored)
        if on_finished is not None:
            on_finished(stored)

    def failed(exc: BaseException) -> None:
        session.report("Attach evidence", exc)

    label = f"Copying {paths[0].name} into the workspace…" if len(paths) == 1 else \
        f"Copying {len(paths)} files into the workspace…"
    session.runner.run(work, done, failed, label=label, parent=session.dialog_parent,
                       on_cancelled=lambda: session.failed.emit("Attaching evidence cancelled; nothing was added."))
    return stored_count[0] if stored_count else 0


def _record_stored(session: Session, vendor_id: str, path: Path, stored: StoredFile, claim_ids: list[str]) -> bool:
    """Record one copied file as evidence, undoable (undo deletes the record; the stored copy stays)."""
    ws = session.ws
    holder: list[Any] = []

    def do() -> object:
        item = ws.evidence.add_stored_file(vendor_id, stored, claim_ids=claim_ids)
        holder[:] = [item]
        return item

    def undo() -> None:
        try:
            ws.evidence.delete(holder[0].id)
        except NotFound:
            pass

    def redo() -> None:
        ws.evidence.restore(holder[0], claim_ids)

    return session.edit(f"Attach {path.name}", do, undo, redo) is not None
