"""The About box: version, and the licences of what ships with the app."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ... import __version__


def about_html() -> str:
    """Version and licence text."""
    return f"""
<h2>vendoreval {__version__}</h2>
<p>Score AI vendors' claims against evidence-based rubrics, compare them, and brief the board — offline.
The app makes no network connection.</p>
<h3>Licences of what ships</h3>
<ul>
<li><b>Qt {qVersion()}</b> and <b>PySide6 {PySide6.__version__}</b> (Qt for Python) — GNU Lesser General
Public License v3 (LGPLv3). Qt is © The Qt Company Ltd. The Qt libraries are dynamically linked and can be
replaced by the user; the LGPLv3 text and Qt's source are available from https://www.qt.io/licensing and
https://code.qt.io.</li>
<li><b>Fonts</b> embedded in board briefs: DejaVu Sans (Bitstream Vera Fonts licence,
DejaVu changes in the public domain)
and Droid Sans Fallback for Chinese and Japanese text (Apache License 2.0); texts in resources/fonts.</li>
<li><b>Foundation Model Transparency Index (FMTI)</b> indicators and data — Stanford Center for Research on
Foundation Models (CRFM), licensed under Creative Commons Attribution 4.0 International (CC BY 4.0).
The FMTI rubric in this app is adapted from their indicators; changes were made.</li>
<li>Python libraries: pydantic (MIT), sqlite-utils (Apache-2.0), reportlab (BSD), keyring (MIT),
platformdirs (MIT), openpyxl (MIT), cryptography (Apache-2.0 / BSD).</li>
</ul>
"""


class AboutDialog(QDialog):
    """Shows about_html()."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About vendoreval")
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("About and licences")
        self.text.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(600, 520)
