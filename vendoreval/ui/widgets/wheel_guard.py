"""The mouse wheel over a combo box or spin box that has no focus scrolls the form around it, never the value.

Without this, scrolling a long form (the scorecard editor, the weights tree) changes whichever combo box or spin
box passes under the pointer: evidence strengths and weights changed without the user noticing. One filter on the
QApplication covers every such widget, including ones created later: each one is given ``Qt.StrongFocus`` when it
is first polished (so the wheel no longer gives it focus), and a wheel event over one without focus goes to the
nearest scroll area around it instead. Once the user clicks or tabs into the widget, the wheel changes it as usual.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

#: The widgets whose value the wheel changes.
GUARDED = (QComboBox, QAbstractSpinBox)
NAME = "vendoreval_wheel_guard"


class WheelGuard(QObject):
    """Application-wide event filter: wheel over an unfocused combo/spin box scrolls the enclosing scroll area."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Give guarded widgets strong focus when polished; redirect the wheel while they lack focus."""
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            if isinstance(watched, GUARDED) and not watched.hasFocus() and isinstance(event, QWheelEvent):
                scroll_instead(watched, event)
                return True
        elif kind == QEvent.Type.Polish and isinstance(watched, GUARDED) \
                and watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return False


def enclosing_scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area whose viewport holds ``widget`` (None when it sits in none)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return parent
        parent = parent.parentWidget()
    return None


def scroll_instead(widget: QWidget, event: QWheelEvent) -> None:
    """Send the wheel event to the viewport of the scroll area around ``widget`` (nothing happens without one)."""
    area = enclosing_scroll_area(widget)
    if area is None:
        return
    viewport = area.viewport()
    pos = widget.mapTo(viewport, event.position().toPoint())
    forwarded = QWheelEvent(pos.toPointF(), event.globalPosition(), event.pixelDelta(), event.angleDelta(),
                            event.buttons(), event.modifiers(), event.phase(), event.inverted(), event.source())
    QCoreApplication.sendEvent(viewport, forwarded)


def install_wheel_guard() -> WheelGuard | None:
    """Install the guard on the running QApplication once; returns it (None without an application)."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    existing = app.findChild(WheelGuard, NAME)
    if isinstance(existing, WheelGuard):
        return existing
    guard = WheelGuard(app)
    guard.setObjectName(NAME)
    app.installEventFilter(guard)
    return guard
