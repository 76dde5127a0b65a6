"""The action registry: every menu and toolbar command declared once, with shortcut, tooltip and handler."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

Shortcut = QKeySequence.StandardKey | str | None


@dataclass(frozen=True)
class ActionSpec:
    """One command: id, menu text, shortcut, tooltip and whether it goes on the toolbar."""

    key: str
    text: str
    shortcut: Shortcut = None
    tip: str = ""
    toolbar: bool = False


class ActionRegistry:
    """Creates QActions from specs and finds them by id (menus, toolbar and tests use the same objects)."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.actions: dict[str, QAction] = {}
        self.specs: dict[str, ActionSpec] = {}

    def add(self, spec: ActionSpec, handler: Callable[[], object]) -> QAction:
        """Create the action and connect it to ``handler``."""
        action = QAction(spec.text, self.parent)
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        tip = spec.tip or spec.text.replace("…", "").replace("&", "")
        if not action.shortcut().isEmpty():
            tip += f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: handler())
        self.actions[spec.key] = action
        self.specs[spec.key] = spec
        return action

    def __getitem__(self, key: str) -> QAction:
        return self.actions[key]

    def get(self, key: str) -> QAction | None:
        """The action with this id, if registered."""
        return self.actions.get(key)

    def toolbar_keys(self) -> list[str]:
        """Ids of actions that go on the toolbar, in registration order."""
        return [k for k, s in self.specs.items() if s.toolbar]

    def shortcuts(self) -> list[tuple[str, str]]:
        """(text, shortcut) of every action that has one, for Help → Keyboard shortcuts."""
        out = []
        for key, action in self.actions.items():
            seq = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if seq:
                out.append((self.specs[key].text.replace("&", "").replace("…", ""), seq))
        return out
