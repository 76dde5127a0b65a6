"""The empty-workspace page: what to do next, with a visible 'Load sample workspace' button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class FirstRunView(QWidget):
    """Shown while the workspace has no vendors."""

    new_vendor = Signal()
    load_sample = Signal()
    open_workspace = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("<h1>No vendors yet</h1>", self)
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        text = QLabel(
            "<p>vendoreval keeps each AI vendor's claims word for word, with their source and evidence, "
            "and scores them against evidence-based rubrics — training data, capabilities, GDPR, copyright, "
            "the EU AI Act, viability and transparency.</p>"
            "<p><b>What to do next</b></p>"
            "<ol><li>Add the first vendor you are evaluating.</li>"
            "<li>Paste what the vendor claims, with where and when they said it, and attach the documents.</li>"
            "<li>Start a scorecard and score each criterion — by mouse or with the keyboard.</li></ol>"
            "<p>Everything you type is saved as you go; there is no Save button.</p>"
            "<p>Not sure yet? Load the sample workspace to look around with a few fictional vendors.</p>",
            self,
        )
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setMaximumWidth(620)
        self.add_button = QPushButton("Add a vendor…", self)
        self.add_button.setDefault(True)
        self.add_button.setToolTip("Create your first vendor (Ctrl+N)")
        self.sample_button = QPushButton("Load sample workspace", self)
        self.sample_button.setToolTip("Fill this workspace with fictional sample vendors, claims and scores")
        self.open_button = QPushButton("Open another workspace…", self)
        self.open_button.setToolTip("Switch to a different data folder")
        for b in (self.add_button, self.sample_button, self.open_button):
            b.setAccessibleName(b.text().replace("…", ""))
            b.setMinimumHeight(32)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.sample_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        col = QVBoxLayout()
        col.addStretch(1)
        col.addWidget(title)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(text)
        row.addStretch(1)
        col.addLayout(row)
        col.addSpacing(12)
        col.addLayout(buttons)
        col.addStretch(2)
        self.setLayout(col)
        self.add_button.clicked.connect(self.new_vendor)
        self.sample_button.clicked.connect(self.load_sample)
        self.open_button.clicked.connect(self.open_workspace)
