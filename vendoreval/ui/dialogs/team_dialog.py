"""Settings → Team folder: the folder, Join…/Leave/Sync now, the members with their keys, and Trust….

What the dialog shows comes from the TeamController's last status (the folder is read in the background);
it refreshes whenever the controller looked at the folder again.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services.identity import group_fingerprint
from ...services.team import MemberStatus, TeamStatus, ago
from ..colours import TEXT_CONTRAST, mute, readable_on
from ..messages import Messages
from ..team import TeamController

_WARN = QColor("#8a4b00")
_OK = QColor("#1d5e20")
#: The dialog once in a team: room for the members table.
JOINED_SIZE = (1000, 520)
_CLI_TRUST = re.compile(r"run `vendoreval team trust [^`]*`")
COLUMNS = ("Member", "Key fingerprint", "Trusted", "Last published", "Last imported here", "Problems", "")


def full_fingerprint(fp: str) -> str:
    """All 64 hex digits in groups of four, two lines of eight groups (for reading out in full)."""
    text = fp.upper()
    groups = [text[i:i + 4] for i in range(0, len(text), 4)]
    return "\n".join(" ".join(groups[i:i + 8]) for i in range(0, len(groups), 8))


def in_app(line: str) -> str:
    """A sync report line as the app says it: the CLI's "run `vendoreval team trust X`" is the Trust… button here."""
    return _CLI_TRUST.sub("press Trust… beside them above", line)


def status_notes(st: TeamStatus) -> list[tuple[str, bool]]:
    """The lines under the folder, each with True when it is a problem to look at."""
    if not st.joined:
        return [("Join the folder your team already syncs (OneDrive, Dropbox, Syncthing, a network share) to "
                 "publish your scorecards there and import the colleagues' you trust.", False)]
    out: list[tuple[str, bool]] = []
    if st.folder_problem:
        out.append((f"The folder is unavailable: {st.folder_problem}. Nothing is published or imported until it "
                    "is back; everything here stays as it is.", True))
    elif st.folder_read_only:
        out.append(("The folder is read-only here: your bundle is not published; imports still work.", True))
    if st.me_fingerprint:
        out.append((f"You publish as {st.me_name}, key {group_fingerprint(st.me_fingerprint)} — read it out to a "
                    "colleague who is about to trust you.", False))
    else:
        out.append((f"You are {st.me_name}, without a signing key yet: one is made at the first publish.", False)
                   if st.publish_problem is None else (f"You are {st.me_name}.", False))
    if st.publish_problem and not st.folder_problem:
        problem = st.publish_problem
        out.append((f"Not publishing: {problem}." if not problem.endswith(".") else f"Not publishing: {problem}",
                    True))
    elif st.last_published:
        out.append((f"Your bundle was last published {ago(st.last_published)}.", False))
    out.extend((f"Skipped {n.file}: {n.reason}", True) for n in st.skipped)
    return out


class JoinDialog(QDialog):
    """Join…: the folder (typed or picked) and the name colleagues see (the evaluator by default)."""

    def __init__(self, folder: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Join a team folder")
        self.folder = QLineEdit(folder, self)
        self.folder.setAccessibleName("Team folder")
        self.folder.setPlaceholderText("The folder your team syncs, e.g. OneDrive/Vendor evaluation")
        browse = QPushButton("Choose…", self)
        browse.setAccessibleName("Choose the team folder")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.name = QLineEdit(name, self)
        self.name.setAccessibleName("Member name")
        self.name.setToolTip("The name your colleagues see next to your key (your evaluator name by default)")
        hint = QLabel("Your signed bundle is written into this folder and your colleagues' bundles are read from "
                      "it. Nothing in the folder is imported before you trust its signer's key.", self)
        hint.setWordWrap(True)
        mute(hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Join")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        folder_label = QLabel("&Folder:", self)
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, row)
        form.addRow("&Your name:", self.name)
        form.addRow(hint)
        form.addRow(self.buttons)
        self.resize(620, self.sizeHint().height())

    def _browse(self) -> None:
        start = self.folder.text() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Choose the team folder", start)
        if chosen:
            self.folder.setText(chosen)


class TeamDialog(QDialog):
    """The team folder: who is in it, which keys are trusted, what the last sync did."""

    def __init__(self, controller: TeamController, messages: Messages, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.messages = messages
        self.setWindowTitle("Settings — Team folder")
        self.folder = QLabel(self)
        self.folder.setAccessibleName("Team folder")
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder.setWordWrap(True)
        self.join_button = QPushButton("&Join…", self)
        self.join_button.setToolTip("Sync this workspace with a folder your team shares")
        self.join_button.clicked.connect(self.join)
        self.leave_button = QPushButton("&Leave…", self)
        self.leave_button.setToolTip("Stop syncing (what was imported stays; the folder is left as it is)")
        self.leave_button.clicked.connect(self.leave)
        self.sync_button = QPushButton("&Sync now", self)
        self.sync_button.setToolTip("Publish your bundle if it changed and import the trusted members' bundles")
        self.sync_button.clicked.connect(controller.sync_now)
        top = QHBoxLayout()
        folder_caption = QLabel("<b>Folder:</b>", self)
        top.addWidget(folder_caption)
        top.addWidget(self.folder, 1)
        for b in (self.join_button, self.leave_button, self.sync_button):
            top.addWidget(b)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Team summary")
        self.notes = QVBoxLayout()
        self.notes.setSpacing(4)
        self.note_labels: list[QLabel] = []
        self.members_caption = QLabel("<b>Other members</b>", self)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setAccessibleName("Team members")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for i in range(len(COLUMNS)):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("Problems"), QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel("No other members' bundles in the folder yet.", self)
        mute(self.empty)
        self.report_caption = QLabel("<b>Last sync</b>", self)
        self.report = QPlainTextEdit(self)
        self.report.setAccessibleName("Last sync")
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.report.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.report.setFixedHeight(self.report.fontMetrics().lineSpacing() * 6 + 12)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(self.notes)
        layout.addSpacing(6)
        layout.addWidget(self.members_caption)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.report_caption)
        layout.addWidget(self.report)
        layout.addStretch(0)  # takes the room the members table leaves when not in a team folder
        self._stretch_at = layout.count() - 1
        layout.addWidget(close)
        self._layout = layout
        self.trust_buttons: dict[str, QPushButton] = {}
        controller.status_changed.connect(self.refresh)
        controller.synced.connect(self.refresh)
        self.refresh()
        if controller.shown_status().joined:
            self.resize(*JOINED_SIZE)
        else:  # one sentence and Join…: no screenful of blank dialog
            self.resize(760, self.sizeHint().height())

    # --- showing ------------------------------------------------------------------------------

    def refresh(self, *_args: object) -> None:
        """Show the controller's last status and sync report."""
        c = self.controller
        st = c.shown_status()
        self.folder.setText(str(st.folder) if st.joined else "Not in a team folder")
        writable = not c.ws.read_only
        self.join_button.setEnabled(writable)
        self.leave_button.setEnabled(st.joined and writable)
        self.sync_button.setEnabled(st.joined and writable)
        self.join_button.setText("Join another…" if st.joined else "&Join…")
        self.summary.setText(c.summary() if st.joined else "")
        self.summary.setVisible(st.joined)
        for label in self.note_labels:
            self.notes.removeWidget(label)
            label.hide()  # deleted later: not drawn meanwhile
            label.deleteLater()
        self.note_labels = []
        notes = status_notes(st)
        if c.ws.read_only:
            notes.insert(0, (f"This workspace is open read-only ({c.ws.read_only_reason}): nothing is published, "
                             "imported or trusted from this window.", True))
        for text, problem in notes:
            label = QLabel(text, self)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if problem:
                ink = readable_on(_WARN, label.palette().window().color(), TEXT_CONTRAST)
                label.setStyleSheet(f"color: {ink.name()};")
            self.notes.addWidget(label)
            self.note_labels.append(label)
        self._fill_members(st.members if st.joined and not st.folder_problem else [])
        for w in (self.members_caption, self.table):
            w.setVisible(st.joined)
        self.empty.setVisible(st.joined and not st.members and not st.folder_problem)
        self._layout.setStretch(self._stretch_at, 0 if st.joined else 1)
        if st.joined and self.isVisible() and self.height() < 400:  # just joined: room for the members
            self.resize(max(self.width(), JOINED_SIZE[0]), JOINED_SIZE[1])
        report = c.last_report
        lines = [*report.lines(), *report.warnings] if report is not None else []
        self.report.setPlainText("\n".join(in_app(line) for line in lines))
        self.report_caption.setVisible(report is not None)
        self.report.setVisible(report is not None)

    def _fill_members(self, members: list[MemberStatus]) -> None:
        self.table.clearContents()
        self.table.setRowCount(len(members))
        self.trust_buttons = {}
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for row, m in enumerate(members):
            name = m.name + (f" (signs as {m.signer_name})" if m.signer_name and m.signer_name != m.name else "")
            fp = QTableWidgetItem(m.grouped)
            fp.setFont(mono)
            fp.setToolTip(full_fingerprint(m.fingerprint) if m.fingerprint else "")
            trusted = QTableWidgetItem("Trusted" if m.trusted else "Not yet")
            trusted.setForeground(readable_on(_OK if m.trusted else _WARN, self.palette().base().color(),
                                              TEXT_CONTRAST))
            published = QTableWidgetItem(ago(m.last_published) if m.last_published else "unknown")
            published.setToolTip(m.last_published or "")
            imported = QTableWidgetItem(ago(m.last_imported) if m.last_imported else "never")
            imported.setToolTip(m.last_imported or "")
            problems = QTableWidgetItem("\n".join(m.problems))
            problems.setToolTip("\n".join(m.problems))
            for col, item in enumerate((QTableWidgetItem(name), fp, trusted, published, imported, problems)):
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
            if not m.trusted and m.fingerprint:
                button = QPushButton("Trust…", self.table)
                button.setEnabled(not self.controller.ws.read_only)
                button.setAccessibleName(f"Trust {m.name}")
                button.setToolTip(f"Check {m.name}'s key fingerprint with them, then import their scorecards")
                button.clicked.connect(lambda _c=False, member=m: self.trust(member))
                self.table.setCellWidget(row, len(COLUMNS) - 1, button)
                self.trust_buttons[m.fingerprint] = button
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        least = QPushButton("Trust…").sizeHint().height() + 8  # the button gets air above and below
        for row in range(self.table.rowCount()):
            self.table.setRowHeight(row, max(self.table.rowHeight(row), least))

    def rows(self) -> list[list[str]]:
        """The member table as shown (for tests)."""
        def text(r: int, c: int) -> str:
            item = self.table.item(r, c)
            return item.text() if item is not None else ""

        return [[text(r, c) for c in range(len(COLUMNS) - 1)] for r in range(self.table.rowCount())]

    def note_texts(self) -> list[str]:
        """The status lines as shown (for tests)."""
        return [label.text() for label in self.note_labels]

    # --- acting -------------------------------------------------------------------------------

    def join_dialog(self) -> JoinDialog:
        """The Join… dialog, filled with the current folder and name (tests fill it and accept it)."""
        st = self.controller.status
        folder = str(st.folder) if st.folder else ""
        return JoinDialog(folder, st.me_name or self.controller.ws.evaluator, self)

    def join(self) -> bool:
        """Join…: ask for the folder and the name, then join and sync."""
        dialog = self.join_dialog()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.join_with(dialog)

    def join_with(self, dialog: JoinDialog) -> bool:
        """Join with what the Join… dialog holds (an empty folder is refused with a message)."""
        folder = dialog.folder.text().strip()
        if not folder:
            self.messages.error(self, "Join the team folder", "Give the folder your team syncs. Nothing was changed.")
            return False
        return self.controller.join(folder, dialog.name.text())

    def leave(self) -> bool:
        """Leave… (asked first)."""
        st = self.controller.status
        if not st.joined:
            return False
        if not self.messages.confirm(self, "Leave the team folder",
                                     f"Stop syncing with {st.folder}?\n\nWhat was imported from your colleagues "
                                     "stays here, and the files in the folder are left as they are (your bundle "
                                     "stays there until you delete it).", cautious=True):
            return False
        return self.controller.leave()

    def trust(self, member: MemberStatus) -> bool:
        """Trust… one member: their name and full fingerprint, to be read out and compared, then confirmed."""
        if member.fingerprint is None:
            return False
        text = (f"Trust {member.name}'s key?\n\nKey fingerprint as their app shows it:\n{member.grouped}\n\n"
                f"Full fingerprint:\n{full_fingerprint(member.fingerprint)}\n\n"
                f"Ask {member.name} to read out the key shown in their Team folder settings (in person or on a "
                "call, not by e-mail or chat) and trust it only if every group matches. Their scorecards are "
                "imported from then on.")
        if not self.messages.confirm(self, f"Trust {member.name}", text, cautious=True):
            return False
        return self.controller.trust(member.fingerprint)
