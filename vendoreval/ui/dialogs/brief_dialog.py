"""File → Export board brief…: ask what the brief covers and where it goes, then draw the PDF off the UI thread."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from ...domain.text import plural
from ...errors import UserError
from ...paths import log_dir
from ...reports.brief_data import DEFAULT_TITLE, default_decision
from ...services.brief import (
    FALLBACK_STOP,
    BriefError,
    BriefRequest,
    BriefResult,
    BriefService,
    check_dates,
    write_any,
)
from ...services.profiles import BALANCED
from ...services.workspace import Workspace
from ..failures import bug_text
from ..last_place import workspace_key
from ..tasks import Runner, ThreadRunner, Token, reading


class BriefDialog(QDialog):
    """Asks for the brief's title, decision, date, weight profile, vendors to rank and where to save it."""

    def __init__(self, n_vendors: int, default_path: Path, parent: QWidget | None = None, *,
                 profiles: Sequence[str] = (), profile: str = BALANCED,
                 vendors: Sequence[tuple[str, str]] = (), weights_edited: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export board brief")
        self.weights_edited = weights_edited
        self.title = QLineEdit(DEFAULT_TITLE, self)
        self.title.setAccessibleName("Brief title")
        self.decision = QPlainTextEdit(self)
        self.decision.setAccessibleName("Decision asked of the board")
        self.decision.setPlaceholderText(default_decision(n_vendors))
        self.decision.setFixedHeight(70)
        self.decision.setTabChangesFocus(True)  # Tab leaves the box instead of typing a tab character
        # its words wrap: a sideways scroll bar only took a line of its 70 px
        self.decision.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.date = QDateEdit(QDate.currentDate(), self)
        self.date.setAccessibleName("Brief date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.profile = QComboBox(self)
        self.profile.setAccessibleName("Weight profile")
        for name in profiles or (BALANCED,):
            self.profile.addItem(name, name)
        self.profile.setCurrentIndex(max(self.profile.findData(profile), 0))
        self.profile_note = QLabel(self)
        self.profile_note.setAccessibleName("Weights the brief uses")
        self.profile_note.setWordWrap(True)
        self.profile.currentIndexChanged.connect(lambda _i: self._show_profile_note())
        self._show_profile_note()
        self.vendors = QListWidget(self)
        self.vendors.setAccessibleName("Vendors in the brief")
        self.vendors.setToolTip("Untick the vendors the brief should leave out")
        for vendor_id, name in vendors:
            item = QListWidgetItem(name, self.vendors)
            item.setData(Qt.ItemDataRole.UserRole, vendor_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.vendors.setMaximumHeight(150)
        self.vendors.itemChanged.connect(lambda *_: self.decision.setPlaceholderText(
            default_decision(len(self.checked_vendor_ids()))))
        self.ask = self._ask_group(vendors)
        self.format = QComboBox(self)
        self.format.setAccessibleName("Format")
        for label, suffix in FORMATS:
            self.format.addItem(label, suffix)
        self.format.setToolTip("Word (DOCX) is for a company secretary's board template; it holds the pack only")
        self.annex_apart = QCheckBox("Annex (vendor pages, legal duties, claims) as its own PDF", self)
        self.annex_apart.setAccessibleName("Annex as its own PDF")
        self.annex_apart.setToolTip("Without it, the annex follows the five-page pack in the same PDF")
        self.annex_label = QLabel(self)
        self.annex_label.setObjectName("muted")
        self.annex_label.setWordWrap(True)
        self.path = QLineEdit(str(default_path), self)
        self.path.setAccessibleName("Board pack file")
        browse = QPushButton("Choose…", self)
        browse.setAccessibleName("Choose file")
        browse.clicked.connect(self._browse)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.annex_apart.toggled.connect(lambda _on: self._show_annex_path())
        self.path.textChanged.connect(lambda _text: self._show_annex_path())
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("&Title:", self.title)
        form.addRow("&Decision asked:", self.decision)
        form.addRow("D&ate:", self.date)
        form.addRow("Weight &profile:", self.profile)
        if weights_edited:
            form.addRow("", self.profile_note)
        else:
            self.profile_note.hide()
        if vendors:
            form.addRow("&Vendors:", self.vendors)
        else:
            self.vendors.hide()
        form.addRow(self.ask)
        # a row holding a layout gets no buddy from QFormLayout, so its label would show the '&' itself
        save_as = QLabel("&Save as:", self)
        save_as.setBuddy(self.path)
        form.addRow("F&ormat:", self.format)
        form.addRow(save_as, row)
        form.addRow("", self.annex_apart)
        form.addRow("", self.annex_label)
        self._show_annex_path()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _ask_group(self, vendors: Sequence[tuple[str, str]]) -> QGroupBox:
        """'The ask': who decides, at which meeting, on which paper, and what happens if the conditions fail."""
        box = QGroupBox("The ask", self)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)

        def line(name: str, placeholder: str = "") -> QLineEdit:
            edit = QLineEdit(box)
            edit.setAccessibleName(name)
            edit.setPlaceholderText(placeholder)
            return edit

        self.owner = line("Decision owner", "Name")
        self.owner_role = line("Decision owner's role", "e.g. CMO")
        self.meeting_date = line("Meeting date", "YYYY-MM-DD")
        self.agenda_item = line("Agenda item")
        self.paper = line("Paper number", "e.g. BP-2026-41")
        self.paper_version = line("Paper version", "e.g. 2")
        self.author = line("Author", "Name")
        self.contract_to = line("Final contract to", "e.g. Audit Committee")
        self.contract_by = line("Final contract by", "YYYY-MM-DD")
        self.purpose = QComboBox(box)
        self.purpose.setAccessibleName("Purpose")
        self.purpose.addItem("For decision", "decision")
        self.purpose.addItem("For information", "information")
        self.fallback = QComboBox(box)
        self.fallback.setAccessibleName("Fallback if the conditions fail")
        self.fallback.addItem("— (none)", "")
        for vendor_id, name in vendors:
            self.fallback.addItem(name, vendor_id)
        self.fallback.addItem("Stop the procurement", FALLBACK_STOP)
        pairs = [(("&Owner:", self.owner), ("Ro&le:", self.owner_role)),
                 (("&Meeting date:", self.meeting_date), ("Agenda &item:", self.agenda_item)),
                 (("Pape&r:", self.paper), ("Versio&n:", self.paper_version)),
                 (("Aut&hor:", self.author), ("P&urpose:", self.purpose)),
                 (("&Contract to:", self.contract_to), ("B&y:", self.contract_by))]
        for row, pair in enumerate(pairs):
            for col, (text, widget) in enumerate(pair):
                label = QLabel(text, box)
                label.setBuddy(widget)
                grid.addWidget(label, row, col * 2)
                grid.addWidget(widget, row, col * 2 + 1)
        label = QLabel("&Fallback:", box)
        label.setBuddy(self.fallback)
        grid.addWidget(label, len(pairs), 0)
        grid.addWidget(self.fallback, len(pairs), 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        box.setMinimumWidth(540)
        return box

    def _show_profile_note(self) -> None:
        name = str(self.profile.currentData() or BALANCED)
        self.profile_note.setText(
            f"The brief uses the saved weight profile '{name}'. The weights edited on the Compare page and not saved "
            "are not in it: save them as a profile there first to brief on them." if self.weights_edited else "")

    def _remembered_fields(self) -> dict[str, QLineEdit]:
        return {"title": self.title, "owner": self.owner, "owner_role": self.owner_role,
                "meeting_date": self.meeting_date, "agenda_item": self.agenda_item, "paper": self.paper,
                "paper_version": self.paper_version, "author": self.author, "contract_to": self.contract_to,
                "contract_by": self.contract_by}

    def entries(self) -> dict[str, str]:
        """What the next brief of this workspace starts from: the typed entries (not the date, vendors or file)."""
        values = {key: edit.text() for key, edit in self._remembered_fields().items()}
        values["decision"] = self.decision.toPlainText()
        values["purpose"] = str(self.purpose.currentData() or "")
        values["fallback"] = str(self.fallback.currentData() or "")
        values["format"] = self.suffix()
        values["annex_apart"] = "1" if self.annex_apart.isChecked() else ""
        return values

    def fill(self, values: dict[str, str]) -> None:
        """Show remembered ``entries`` (keys missing, or a fallback vendor gone: the defaults stay)."""
        for key, edit in self._remembered_fields().items():
            if key in values:
                edit.setText(values[key])
        if "decision" in values:
            self.decision.setPlainText(values["decision"])
        for box, key in ((self.purpose, "purpose"), (self.fallback, "fallback"), (self.format, "format")):
            at = box.findData(values.get(key, ""))
            if key in values and at >= 0:
                box.setCurrentIndex(at)
        if "annex_apart" in values and self.annex_apart.isEnabled():
            self.annex_apart.setChecked(bool(values["annex_apart"]))

    def checked_vendor_ids(self) -> tuple[str, ...]:
        """Ids of the ticked vendors, in list order."""
        items = (self.vendors.item(i) for i in range(self.vendors.count()))
        return tuple(str(it.data(Qt.ItemDataRole.UserRole)) for it in items
                     if it.checkState() == Qt.CheckState.Checked)

    def suffix(self) -> str:
        """'.pdf' or '.docx', as the Format box says."""
        return str(self.format.currentData() or ".pdf")

    def _format_changed(self) -> None:
        """A DOCX holds the pack only, so its annex is always a PDF of its own; the file name follows the format."""
        docx = self.suffix() == ".docx"
        if docx:
            self.annex_apart.setChecked(True)
        self.annex_apart.setEnabled(not docx)
        text = self.path.text().strip()
        if text:
            self.path.setText(str(_with_suffix(Path(text), self.suffix())))
        self._show_annex_path()

    def _show_annex_path(self) -> None:
        annex = self.annex_path()
        self.annex_label.setText(f"The annex goes to {annex}" if annex is not None else "")
        self.annex_label.setVisible(annex is not None)

    def _browse(self) -> None:
        pattern = "Word documents (*.docx)" if self.suffix() == ".docx" else "PDF files (*.pdf)"
        name, _ = QFileDialog.getSaveFileName(self, "Save board brief", self.path.text(), pattern)
        if name:
            self.path.setText(str(_with_suffix(Path(name), self.suffix())))

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            QMessageBox.warning(self, "Export board brief", problem)
            return
        self.accept()

    def problem(self) -> str:
        """Why the entries cannot be used ('' when they can)."""
        if self.vendors.count() and not self.checked_vendor_ids():
            return "Tick at least one vendor for the brief."
        for name, edit in (("Meeting date", self.meeting_date), ("Final contract by", self.contract_by)):
            if _day(edit.text()) is None and edit.text().strip():
                return f"{name}: '{edit.text().strip()}' is not a date of the form YYYY-MM-DD."
        try:  # the service's rule, asked here so that the dialog stays open with what was typed
            check_dates(self.request())
        except BriefError as exc:
            return f"Final contract by: {exc}."
        text = self.path.text().strip()
        if not text:
            return "Choose where to save the board pack."
        path = Path(text)
        if not path.name or path.is_dir() or text.endswith(("/", os.sep)):
            return f"{text} is a folder: add a file name for the board pack, e.g. {Path(text) / 'board-brief.pdf'}."
        if not path.parent.is_dir():
            return f"The folder {path.parent} does not exist."
        return ""

    def output_path(self) -> Path:
        """Where to save the pack, with the suffix of the chosen format."""
        return _with_suffix(Path(self.path.text().strip()), self.suffix())

    def annex_path(self) -> Path | None:
        """The annex's own PDF beside the pack ('<name>-annex.pdf'), or None when it follows the pack."""
        text = self.path.text().strip()
        if not self.annex_apart.isChecked() or not text:
            return None
        out = self.output_path()
        if not out.stem:  # still being typed ("/", "~/"): no file name yet
            return None
        return out.with_name(f"{out.stem}-annex.pdf")

    def request(self, vendor_ids: tuple[str, ...] | None = None, profile: str | None = None) -> BriefRequest:
        """The export request the entries describe (arguments, when given, win over the dialog's picks)."""
        if vendor_ids is None:
            checked = self.checked_vendor_ids()
            # every vendor ticked means "all not archived", as on the command line without --vendor
            vendor_ids = None if len(checked) == self.vendors.count() else checked
        if profile is None:
            profile = str(self.profile.currentData() or BALANCED)
        d = self.date.date()
        return BriefRequest(date=dt.date(d.year(), d.month(), d.day()), title=self.title.text().strip(),
                            decision=self.decision.toPlainText().strip(), vendor_ids=vendor_ids, profile=profile,
                            owner=self.owner.text().strip(), owner_role=self.owner_role.text().strip(),
                            meeting_date=_day(self.meeting_date.text()), agenda_item=self.agenda_item.text().strip(),
                            paper=self.paper.text().strip(), paper_version=self.paper_version.text().strip(),
                            author=self.author.text().strip(), purpose=str(self.purpose.currentData() or "decision"),
                            fallback=str(self.fallback.currentData() or ""),
                            contract_to=self.contract_to.text().strip(), contract_by=_day(self.contract_by.text()))


FORMATS = (("Board pack as PDF", ".pdf"), ("Board pack as Word (DOCX)", ".docx"))


def _with_suffix(path: Path, suffix: str) -> Path:
    """``path`` ending in ``suffix``: a .pdf/.docx ending is swapped, any other name gets the suffix added."""
    if path.suffix.lower() == suffix or not path.name:  # no file name yet ("/" while typing): nothing to add to
        return path
    if path.suffix.lower() in (".pdf", ".docx"):
        return path.with_suffix(suffix)
    return path.with_name(path.name + suffix)


def _day(text: str) -> dt.date | None:
    """A YYYY-MM-DD date typed in a box (None when empty or not a date: ``problem`` says which)."""
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def start_export(ws: Workspace, request: BriefRequest, out: Path, parent: QWidget | None = None, *,
                 runner: Runner | None = None, annex: Path | None = None,
                 on_finished: Callable[[BriefResult | None, str], None] | None = None) -> None:
    """Gather the brief's data and draw the pack (PDF or DOCX, by ``out``'s suffix) and, with ``annex``, the
    annex as its own PDF, in the background; a progress dialog shows after ~0.5 s.

    With a threaded runner the data is read through a read-only twin of the workspace (its own
    database connection), so neither step blocks the UI thread nor shares its connection.
    """

    def finished(result: BriefResult | None, message: str) -> None:
        if on_finished is not None:
            on_finished(result, message)
            return
        box = QMessageBox(QMessageBox.Icon.Information if result else QMessageBox.Icon.Warning,
                          "Export board brief", message, parent=parent)
        box.open()

    run = runner or ThreadRunner(parent)

    def work(token: Token) -> BriefResult:
        token.progress("Gathering the scores, claims and evidence…")
        with reading(ws, run) as source:
            try:
                data = BriefService(source).build(request)
            except UserError as exc:
                raise _NotBuilt(str(exc)) from exc
        token.check()
        token.progress("Drawing the board brief…")
        return write_any(data, request, out, annex)

    def done(result: Any) -> None:
        finished(result, saved_message(result))

    def failed(exc: BaseException) -> None:
        if isinstance(exc, _NotBuilt):
            finished(None, f"The brief could not be built: {exc}")
        elif isinstance(exc, UserError):
            finished(None, f"The brief could not be saved: {exc}")
        else:  # a bug: the runner logged it with its traceback in the worker
            finished(None, f"The brief could not be made because of a bug in vendoreval ({bug_text('', exc)}) "
                           f"The details are in the log file in {log_dir()}.")

    run.run(work, done, failed, label="Preparing the board brief…", parent=parent)


def saved_message(result: BriefResult) -> str:
    """What the user is told once the brief is written: where, how long, and where the annex went."""
    what = f"({plural(result.pages, 'page')})" if result.pages else "(Word document)"
    text = f"Saved the board brief {what} to {result.path}"
    if result.annex is not None:
        text += f", and its annex ({plural(result.annex_pages, 'page')}) to {result.annex}"
    return text + "."


class _NotBuilt(UserError):
    """The brief's data could not be gathered (as opposed to the PDF not written)."""


#: Where a workspace's brief entries are kept in the app's QSettings (beside ``LastPlace``'s, per workspace).
ENTRIES_GROUP = "brief"


def remembered_entries(settings: QSettings, data_dir: Path) -> dict[str, str]:
    """The brief entries last typed for the workspace in ``data_dir`` (empty: none yet)."""
    settings.beginGroup(f"{workspace_key(data_dir)}/{ENTRIES_GROUP}")
    try:
        return {key: value for key in settings.childKeys() if isinstance(value := settings.value(key), str)}
    finally:
        settings.endGroup()


def remember_entries(settings: QSettings, data_dir: Path, values: dict[str, str]) -> None:
    """Keep the brief entries for the next brief of the workspace in ``data_dir``."""
    group = f"{workspace_key(data_dir)}/{ENTRIES_GROUP}"
    for key, value in values.items():
        settings.setValue(f"{group}/{key}", value)
    settings.sync()


def export_brief(ws: Workspace, parent: QWidget | None = None, *, runner: Runner | None = None,
                 profile: str = BALANCED, settings: QSettings | None = None, weights_edited: bool = False,
                 on_finished: Callable[[BriefResult | None, str], None] | None = None) -> bool:
    """Ask what the brief covers (``profile`` preselected, vendors) and export it; False when cancelled.

    With ``settings``, the entries typed last time for this workspace are filled in, and what is typed now is kept
    (exported or cancelled: typing is not lost). ``weights_edited``: the Compare page holds weights not saved as a
    profile; the dialog says the brief does not use them.
    """
    vendors = ws.vendors.list(include_archived=False)
    default = Path.home() / f"board-brief-{dt.date.today().isoformat()}.pdf"
    dialog = BriefDialog(len(vendors), default, parent, profiles=[p.name for p in ws.profiles.list()],
                         profile=profile, vendors=[(v.id, v.name) for v in vendors], weights_edited=weights_edited)
    if settings is not None:
        dialog.fill(remembered_entries(settings, ws.data_dir))
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    if settings is not None:
        remember_entries(settings, ws.data_dir, dialog.entries())
    if not accepted:
        return False
    start_export(ws, dialog.request(), dialog.output_path(), parent, runner=runner, annex=dialog.annex_path(),
                 on_finished=on_finished)
    return True
