"""The mouse wheel over a combo box or spin box that has no focus scrolls the form around it, never the value.

Without this, scrolling a long form (the scorecard editor, the weights tree) changes whichever combo box or spin
box passes under the pointer: evidence strengths and weights changed without the user noticing. Once the user
clicks or tabs into the widget, the wheel changes it as usual.

The guard watches the top-level windows (QWindow), where a wheel event arrives before Qt hands it to the widget
under the pointer, and where Qt would also give that widget the focus because of the wheel. A filter on the whole
QApplication would see every event of every widget and, in Python, made opening the pages about 60 % slower
(measured); a window sees only input events. Windows are picked up as they gain focus (dialogs too).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint
from PySide6.QtGui import QGuiApplication, QWheelEvent, QWindow
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

#: The widgets whose value the wheel changes.
GUARDED = (QComboBox, QAbstractSpinBox)
NAME = "vendoreval_wheel_guard"


class WheelGuard(QObject):
    """Event filter on top-level windows: wheel over an unfocused combo/spin box scrolls the enclosing scroll area."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Redirect a wheel event aimed at a guarded widget without focus; let everything else through."""
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWindow) \
                or not isinstance(event, QWheelEvent):
            return False
        root = _root_widget(watched)
        if root is None:
            return False
        at = event.position().toPoint()
        target = guarded_widget_at(root, at)
        if target is None or target.hasFocus():
            return False
        scroll_instead(target, target.mapFrom(root, at), event)
        return True

    def watch_windows(self, *_: object) -> None:
        """Filter every top-level window (installing twice is harmless: Qt keeps one copy)."""
        for window in QGuiApplication.topLevelWindows():
            window.installEventFilter(self)


def _root_widget(window: QWindow) -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if widget.windowHandle() is window:
            return widget
    return None


def guarded_widget_at(root: QWidget, pos: QPoint) -> QWidget | None:
    """The combo box or spin box under ``pos`` (in ``root``), also when the pointer is over its inner line edit."""
    widget = root.childAt(pos)
    while widget is not None and not isinstance(widget, GUARDED):
        if widget.isWindow():
            return None
        widget = widget.parentWidget()
    return widget


def enclosing_scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area whose viewport holds ``widget`` (None when it sits in none)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return parent
        parent = parent.parentWidget()
    return None


def scroll_instead(widget: QWidget, pos: QPoint, event: QWheelEvent) -> None:
    """Send the wheel to the viewport of the scroll area around ``widget`` (``pos`` in it); none: nothing happens."""
    area = enclosing_scroll_area(widget)
    if area is None:
        return
    viewport = area.viewport()
    at = widget.mapTo(viewport, pos)
    forwarded = QWheelEvent(at.toPointF(), event.globalPosition(), event.pixelDelta(), event.angleDelta(),
                            event.buttons(), event.modifiers(), event.phase(), event.inverted(), event.source())
    QCoreApplication.sendEvent(viewport, forwarded)


def install_wheel_guard() -> WheelGuard | None:
    """Start guarding (once per application); returns the guard (None without a QGuiApplication)."""
    app = QCoreApplication.instance()
    if not isinstance(app, QGuiApplication):
        return None
    existing = app.findChild(WheelGuard, NAME)
    if isinstance(existing, WheelGuard):
        return existing
    guard = WheelGuard(app)
    guard.setObjectName(NAME)
    app.focusWindowChanged.connect(guard.watch_windows)
    guard.watch_windows()
    return guard
