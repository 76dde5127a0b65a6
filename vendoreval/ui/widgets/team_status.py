"""The status-bar item "Team: 3 members, synced 2 min ago": hidden when not in a team; a click opens the Team folder."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QToolButton, QWidget

from ..team import TICK_MS, TeamController

#: Longer summaries (a missing folder's path) are cut to this width; the tooltip has them in full.
MAX_WIDTH_PX = 480
_HINT = "The team folder: click to see its members, trust a colleague's key or sync now"


class TeamStatusItem(QToolButton):
    """A flat button in the status bar that follows one TeamController (the window's current session's)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setAccessibleName("Team folder status")
        self.setToolTip(_HINT)
        self.controller: TeamController | None = None
        self.tick = QTimer(self)
        self.tick.setInterval(TICK_MS)  # "synced 2 min ago" becomes "3 min ago" without a sync
        self.tick.timeout.connect(self.update_text)
        self.tick.start()
        self.hide()

    def follow(self, controller: TeamController) -> None:
        """Show this controller's status from now on (the window switched workspace)."""
        if self.controller is not None:
            try:
                self.controller.status_changed.disconnect(self.update_text)
            except (RuntimeError, TypeError):
                pass  # the old controller is gone already
        self.controller = controller
        controller.status_changed.connect(self.update_text)
        self.update_text()

    def update_text(self, *_args: object) -> None:
        """Re-word the item from the controller's last status (hidden when not in a team folder)."""
        c = self.controller
        if c is None or c.closed or not c.joined:
            self.hide()
            return
        full = c.summary()
        self.setText(self.fontMetrics().elidedText(full, Qt.TextElideMode.ElideMiddle, MAX_WIDTH_PX))
        self.setToolTip(f"{full}\n\n{_HINT}")
        self.show()
