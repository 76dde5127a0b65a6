"""File → Export for a colleague… and Import bundle…: choose what to send; see who signed before merging."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.text import plural
from ...services.bundles import BundleService, ExportResult, ImportPlan, ImportResult
from ...services.identity import IdentityService, group_fingerprint
from ...services.workspace import ServiceError, Workspace
from ..colours import TEXT_CONTRAST, mute, readable_on
from ..failures import show_failure
from ..messages import Messages
from ..tasks import Runner, SyncRunner, announce_outside_change, reading, writing

BUNDLE_FILTER = "vendoreval bundles (*.vebundle);;All files (*)"
_OK = QColor("#1d5e20")
_WARN = QColor("#8a4b00")


def _tone(label: QWidget, colour: QColor, *, bold: bool) -> None:
    """Colour a status line (green: signed and trusted, amber: check this), lightened in a dark palette."""
    ink = readable_on(colour, label.palette().window().color(), TEXT_CONTRAST)
    label.setStyleSheet(f"color: {ink.name()};" + (" font-weight: bold;" if bold else ""))


def _checklist(items: list[tuple[str, str]], name: str, parent: QWidget) -> QListWidget:
    lst = QListWidget(parent)
    lst.setAccessibleName(name)
    for text, data in items:
        it = QListWidgetItem(text, lst)
        it.setData(Qt.ItemDataRole.UserRole, data)
        it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        it.setCheckState(Qt.CheckState.Checked)
    return lst


def _checked(lst: QListWidget) -> list[str]:
    return [lst.item(i).data(Qt.ItemDataRole.UserRole) for i in range(lst.count())
            if lst.item(i).checkState() == Qt.CheckState.Checked]


class ExportBundleDialog(QDialog):
    """Pick vendors and evaluators and a file; shows whether the bundle will be signed and by which key."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, messages: Messages | None = None,
                 runner: Runner | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export for a colleague")
        self.ws = ws
        self.service = BundleService(ws)
        self.messages = messages or Messages()
        self.runner: Runner = runner or SyncRunner()
        self.result_: ExportResult | None = None
        cards = self.service.select()
        vendor_ids = sorted({c.vendor_id for c in cards})
        vendors = sorted((v for v in ws.vendors.list() if v.id in vendor_ids), key=lambda v: v.name.casefold())
        self.vendors = _checklist([(v.name, v.id) for v in vendors], "Vendors to export", self)
        self.evaluators = _checklist([(e, e) for e in self.service.evaluators()], "Evaluators to export", self)
        lists = QHBoxLayout()
        for title, lst in (("Vendors", self.vendors), ("Evaluators", self.evaluators)):
            box = QGroupBox(title, self)
            QVBoxLayout(box).addWidget(lst)
            lists.addWidget(box)
        info, key, problem = IdentityService(ws).signing_key(create=True)
        self.signing = QLabel(self)
        self.signing.setWordWrap(True)
        self.signing.setAccessibleName("Signing")
        if key is not None and info is not None:
            self.signing.setText(f"Signed with your key {info.grouped} ({ws.evaluator}). Tell your colleague this "
                                 "fingerprint so they can check it.")
            _tone(self.signing, _OK, bold=False)
        else:
            self.signing.setText(f"The bundle will be UNSIGNED. {problem or ''}")
            _tone(self.signing, _WARN, bold=True)
        self.path = QLineEdit(self)
        self.path.setAccessibleName("Bundle file")
        self.path.setPlaceholderText("Where to save the bundle")
        default = Path.home() / f"scorecards-{ws.evaluator.replace(' ', '-').lower()}.vebundle"
        self.path.setText(str(default))
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.do_export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Scorecards of the checked vendors by the checked evaluators travel with the claims "
                                "and evidence files they link to and the rubric versions they were scored "
                                "against.", self, wordWrap=True))
        layout.addLayout(lists)
        layout.addWidget(self.signing)
        layout.addLayout(file_row)
        layout.addWidget(self.buttons)
        self.export_button.setEnabled(bool(cards))
        self.resize(560, 420)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export bundle", self.path.text(), BUNDLE_FILTER)
        if name:
            self.path.setText(name)

    def do_export(self) -> None:
        """Write the bundle off the UI thread; on success close the dialog and tell the user what was written."""
        text = self.path.text().strip()
        if not text:
            self.messages.error(self, "Export", "Choose where to save the bundle.")
            return
        path = Path(text)
        if path.suffix == "":
            path = path.with_suffix(".vebundle")
        vendors, evaluators = _checked(self.vendors), _checked(self.evaluators)
        if not vendors or not evaluators:
            self.messages.error(self, "Export", "Check at least one vendor and one evaluator.")
            return
        ws, runner = self.ws, self.runner

        def work() -> ExportResult:
            # its own connection on a worker: the first export records the signing key it creates
            with writing(ws, runner) as own:
                return BundleService(own).export(path, vendors, evaluators)

        def done(result: ExportResult) -> None:
            self.export_button.setEnabled(True)
            self.result_ = result
            self.messages.info(self, "Bundle exported", result.describe())
            self.accept()

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            show_failure(self.messages, self, "Bundle not exported", exc)

        self.export_button.setEnabled(False)
        runner.run(work, done, failed, label=f"Writing {path.name}…", parent=self)


class ImportBundleDialog(QDialog):
    """Shows who signed a bundle, trust, warnings, rubric versions to accept, what will change and what is
    refused; then imports.

    ``trusted_plan`` is what the import would do once the signer's key is trusted (for a key not trusted
    yet): ticking *Trust* shows it, so the user sees which refusals trusting the key lifts.
    """

    def __init__(self, ws: Workspace, path: Path, plan: ImportPlan, parent: QWidget | None = None,
                 messages: Messages | None = None, runner: Runner | None = None,
                 trusted_plan: ImportPlan | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import bundle — {path.name}")
        self.ws = ws
        self.runner: Runner = runner or SyncRunner()
        self.path = path
        self.plan = plan
        self.untrusted_plan = plan
        self.trusted_plan = trusted_plan
        self.messages = messages or Messages()
        self.result_: ImportResult | None = None
        layout = QVBoxLayout(self)
        self.signer = QLabel(plan.signer_line(), self)
        self.signer.setAccessibleName("Signer")
        self.signer.setWordWrap(True)
        self.signer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if plan.signer is None:
            _tone(self.signer, _WARN, bold=True)
        elif plan.trusted:
            _tone(self.signer, _OK, bold=True)
        else:
            _tone(self.signer, _WARN, bold=True)
        layout.addWidget(self.signer)
        meta = QLabel(f"Exported by {plan.exported_by or 'unknown'} on {_when(plan.created_at)}.", self)
        layout.addWidget(meta)
        if plan.signer is not None:
            fp = QLabel(f"Full key fingerprint (SHA-256): {plan.signer.fingerprint}", self)
            fp.setStyleSheet("font-family: monospace;")
            mute(fp)
            fp.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            fp.setWordWrap(True)
            layout.addWidget(fp)
        self.trust = QCheckBox(self)
        self.trust.setAccessibleName("Trust this key")
        if plan.signer is not None and not plan.trusted:
            self.trust.setText(f"Trust {plan.signer.name}'s key {group_fingerprint(plan.signer.fingerprint)} from now "
                               "on (check the fingerprint with them first)")
            layout.addWidget(self.trust)
            self.trust.toggled.connect(self._trust_toggled)
        else:
            self.trust.hide()
        self.accept_unsigned = QCheckBox(self)
        self.accept_unsigned.setAccessibleName("Accept an unsigned bundle")
        if plan.unsigned:
            self.accept_unsigned.setText("Import this unsigned bundle anyway: add its new scorecards "
                                         "(it cannot replace any)")
            layout.addWidget(self.accept_unsigned)
            self.accept_unsigned.toggled.connect(self._update_button)
        else:
            self.accept_unsigned.hide()
        self.warnings = QLabel("\n".join(f"⚠ {w}" for w in plan.warnings), self)
        self.warnings.setAccessibleName("Warnings")
        self.warnings.setWordWrap(True)
        _tone(self.warnings, _WARN, bold=False)
        if plan.warnings:
            box = QGroupBox("Warnings", self)
            QVBoxLayout(box).addWidget(self.warnings)
            layout.addWidget(box)
        else:
            self.warnings.hide()
        self.accept_rubrics = QCheckBox(self)
        self.accept_rubrics.setAccessibleName("Accept rubric versions")
        if plan.missing_rubrics:
            names = "\n".join(f"• {r.title} {r.version} ({r.id}, {plural(len(r.criteria), 'criterion')})"
                              for r in plan.missing_rubrics)
            rbox = QGroupBox("Rubric versions this workspace does not have", self)
            rl = QVBoxLayout(rbox)
            rl.addWidget(QLabel(names, rbox))
            self.accept_rubrics.setText("Take these rubric versions from the bundle")
            rl.addWidget(self.accept_rubrics)
            layout.addWidget(rbox)
            self.accept_rubrics.toggled.connect(self._update_button)
        else:
            self.accept_rubrics.hide()
        sbox = QGroupBox("What will change", self)
        self.summary = QListWidget(sbox)
        self.summary.setAccessibleName("What will change")
        QVBoxLayout(sbox).addWidget(self.summary)
        layout.addWidget(sbox, 1)
        self.refused_box = QGroupBox("Refused: these scorecards stay as they are", self)
        self.refused = QListWidget(self.refused_box)
        self.refused.setAccessibleName("Refused scorecards")
        self.refused.setWordWrap(True)
        QVBoxLayout(self.refused_box).addWidget(self.refused)
        layout.addWidget(self.refused_box, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._show_plan()
        self.summary.setMinimumHeight(100)
        self.refused.setMinimumHeight(140)
        self.resize(760, 600)

    def _trust_toggled(self, checked: bool) -> None:
        self.plan = self.trusted_plan if checked and self.trusted_plan is not None else self.untrusted_plan
        self._show_plan()

    def _show_plan(self) -> None:
        """Fill 'What will change' and 'Refused' from the plan that holds for the current choices."""
        self.summary.clear()
        for line in self.plan.summary_lines():
            QListWidgetItem(line, self.summary)
        self.refused.clear()
        for card, why in self.plan.refused_scorecards:
            it = QListWidgetItem(f"{self.plan._card_words(card)}\n    {why}", self.refused)
            it.setToolTip(why)
        for which, why in self.plan.refused_records:
            it = QListWidgetItem(f"{which}\n    {why}", self.refused)
            it.setToolTip(why)
        self.refused_box.setVisible(self.plan.refused_anything)
        self.refused_box.setTitle("Refused: these scorecards stay as they are" if not self.plan.refused_records
                                  else "Refused: these scorecards and records stay as they are")
        self._update_button()

    def _update_button(self) -> None:
        needs = bool(self.plan.missing_rubrics) and not self.accept_rubrics.isChecked()
        unsigned = self.plan.unsigned and self.plan.changes_anything and not self.accept_unsigned.isChecked()
        untrusted = self.plan.signer is not None and not self.untrusted_plan.trusted
        nothing = not self.plan.changes_anything and not (untrusted and self.trust.isChecked())
        self.import_button.setEnabled(not needs and not unsigned and not nothing)
        tip = ("Accept the rubric versions first" if needs else
               "Confirm that you want to import an unsigned bundle" if unsigned else
               "Nothing in this bundle can be imported" if nothing else "")
        self.import_button.setToolTip(tip)

    def do_import(self) -> None:
        """Merge the bundle off the UI thread; close on success, keep the dialog open with a message on refusal."""
        ws, runner, path = self.ws, self.runner, self.path
        signer = self.untrusted_plan.signer
        trust = signer.fingerprint if self.trust.isChecked() and signer is not None else None
        accept, unsigned = self.accept_rubrics.isChecked(), self.accept_unsigned.isChecked()

        def work() -> ImportResult:
            with writing(ws, runner) as own:
                return BundleService(own).import_bundle(path, trust_key=trust, accept_rubrics=accept,
                                                        accept_unsigned=unsigned)

        def done(result: ImportResult) -> None:
            announce_outside_change(ws, runner, "bundle")
            self.result_ = result
            self._update_button()
            self.accept()

        def failed(exc: BaseException) -> None:
            self._update_button()
            show_failure(self.messages, self, "Nothing imported", exc)

        self.import_button.setEnabled(False)
        runner.run(work, done, failed, label=f"Importing {path.name}…", parent=self)


def _when(iso: str) -> str:
    """'2026-11-27T21:06:04Z' as '27 Nov 2026, 21:06 UTC' (the text itself when it is not a timestamp)."""
    import datetime as dt

    try:
        t = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return t.strftime("%d %b %Y, %H:%M UTC")


def export_bundle(ws: Workspace, parent: QWidget | None = None, *, messages: Messages | None = None,
                  runner: Runner | None = None) -> None:
    """File → Export for a colleague…"""
    messages = messages or Messages()
    if not BundleService(ws).select():
        messages.info(parent, "Export for a colleague", "There are no scorecards to export yet.")
        return
    ExportBundleDialog(ws, parent, messages, runner).exec()


def import_bundle(ws: Workspace, parent: QWidget | None = None, *, messages: Messages | None = None,
                  path: Path | None = None, runner: Runner | None = None,
                  on_finished: Callable[[ImportResult | None], None] | None = None) -> ImportResult | None:
    """File → Import bundle…: pick a file, show who signed it and what changes, import on confirmation.

    Reading and verifying the file, and the import itself, run off the UI thread. Returns the result
    when the runner finished at once (synchronous runner), else None; ``on_finished`` gets it either way
    (None when nothing was imported).
    """
    messages = messages or Messages()
    run: Runner = runner or SyncRunner()
    if path is None:
        name, _ = QFileDialog.getOpenFileName(parent, "Import bundle", str(Path.home()), BUNDLE_FILTER)
        if not name:
            return None
        path = Path(name)
    chosen = path
    outcome: list[ImportResult | None] = []

    def finish(result: ImportResult | None) -> None:
        outcome.append(result)
        if on_finished is not None:
            on_finished(result)

    def work() -> tuple[ImportPlan, ImportPlan | None]:
        with reading(ws, run) as source:
            svc = BundleService(source)
            plan = svc.preview(chosen)
            # what trusting the key would change, worked out now so the dialog can show it at once
            trusted = None
            if plan.signer is not None and not plan.trusted:
                try:
                    trusted = svc.preview(chosen, trust_key=plan.signer.fingerprint)
                except ServiceError:
                    pass  # a key that can never be trusted: the import refuses it with the reason
            return plan, trusted

    def previewed(plans: tuple[ImportPlan, ImportPlan | None]) -> None:
        dialog = ImportBundleDialog(ws, chosen, plans[0], parent, messages, run, trusted_plan=plans[1])
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_ is not None:
            messages.info(parent, "Bundle imported", dialog.result_.describe())
            finish(dialog.result_)
        else:
            finish(None)

    def failed(exc: BaseException) -> None:
        show_failure(messages, parent, "Nothing imported", exc)
        finish(None)

    run.run(work, previewed, failed, label=f"Reading {chosen.name}…", parent=parent)
    return outcome[0] if outcome else None
