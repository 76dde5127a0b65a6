"""How the app shows a failure: a UserError in a dialog with its message; anything else is a bug.

A bug is logged with its traceback (the rotating log file of ``app.setup_logging``) and shown in a
dialog that says so and names the log folder. ``install_hooks`` routes exceptions nobody caught -
in a slot, a timer, a worker thread - the same way, so they are seen and logged instead of ending
the app or vanishing.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ..domain.rules import sentence
from ..errors import UserError
from ..paths import log_dir
from .messages import NOT_SAVED, Messages
from .tasks import log_failure

log = logging.getLogger(__name__)


def bug_text(what: str, exc: BaseException) -> str:
    """The first line of a bug dialog: what failed and the exception in one line."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{what} failed: {name}{': ' + detail if detail else ''}." if what else \
        f"Unexpected error: {name}{': ' + detail if detail else ''}."


#: The words the forms use for the fields a ``UserError`` names (a field not listed: its name, capitalised).
FIELD_LABELS = {
    "conditions": "Conditions", "decision": "Decision", "website": "Website", "name": "Name",
    "level": "Level", "figure": "Figure", "answer": "Answer", "review_by": "Review by", "text": "Text",
    "owner": "Owner", "organisation": "Organisation", "status": "Status", "number": "Number",
    "benefit_claim": "Benefit claim", "cadence": "Cadence", "criterion": "Criterion", "kind": "Kind",
}


def field_label(field: str) -> str:
    """The label the user knows a field by: 'conditions' → 'Conditions', 'review_by' → 'Review by'."""
    return FIELD_LABELS.get(field) or field.replace("_", " ").strip().capitalize()


def user_text(exc: BaseException) -> str:
    """A failure's message in the user's words: a UserError built with ``UserError.at`` says 'field conditions:
    a …' for the developer; shown, it reads 'Conditions: A …' (file and line, when given, stay in front)."""
    text = str(exc)
    field = getattr(exc, "field", None) if isinstance(exc, UserError) else None
    if not field:
        return text
    marker = f"field {field}: "
    at = text.find(marker)
    if at < 0 or not (at == 0 or text[:at].endswith(", ")):
        return text
    return f"{text[:at]}{field_label(field)}: {sentence(text[at + len(marker):])}"


def show_failure(messages: Messages, parent: QWidget | None, what: str, exc: BaseException, *,
                 not_saved: bool = False) -> None:
    """Show one failure: a UserError as itself, anything else logged (with traceback) as a bug."""
    log_failure(exc, what)
    suffix = " — not saved" if not_saved else ""
    if isinstance(exc, UserError):
        text = f"{user_text(exc)}\n\n{NOT_SAVED}" if not_saved else user_text(exc)
        messages.error(parent, f"{what}{suffix}" if what else "vendoreval", text)
        return
    text = bug_text(what, exc) + (f" {NOT_SAVED}" if not_saved else "")
    messages.bug(parent, f"{what}{suffix}" if what else "vendoreval — unexpected error", text, log_dir())


class _Relay(QObject):
    """Carries an exception from another thread to the UI thread (a queued signal)."""

    raised = Signal(object, str)


class ExceptionHooks:
    """``sys.excepthook`` and ``threading.excepthook`` that log and show instead of printing or quitting."""

    def __init__(self, messages: Callable[[], Messages], parent: Callable[[], QWidget | None]) -> None:
        self._messages, self._parent = messages, parent
        self._previous: tuple[Any, Any] | None = None
        self._relay = _Relay()
        self._relay.raised.connect(self._show)
        self._showing = False

    def install(self) -> ExceptionHooks:
        """Replace the interpreter's hooks (``uninstall`` puts the previous ones back)."""
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        return self

    def uninstall(self) -> None:
        """Put back the hooks that were there before ``install``."""
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def excepthook(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """An exception nobody caught on the UI thread (a slot, a timer, a virtual method)."""
        if not issubclass(kind, Exception):  # KeyboardInterrupt, SystemExit: the default behaviour
            previous = self._previous[0] if self._previous else sys.__excepthook__
            previous(kind, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        if threading.current_thread() is not threading.main_thread():
            log_failure(exc, "Background work")
            self._relay.raised.emit(exc, "Background work")
            return
        self._show(exc, "")

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        """An exception that ended a Python thread: logged there, shown on the UI thread."""
        if args.exc_value is None or not issubclass(args.exc_type, Exception):
            previous = self._previous[1] if self._previous else threading.__excepthook__
            previous(args)
            return
        name = args.thread.name if args.thread is not None else "a thread"
        log_failure(args.exc_value, f"Thread {name}")
        self._relay.raised.emit(args.exc_value, f"Background work ({name})")

    def _show(self, exc: BaseException, what: str) -> None:
        log_failure(exc, what or "An action")
        if self._showing:  # a failure while the dialog for another is open (e.g. in a repaint): logged only
            return
        self._showing = True
        try:
            show_failure(self._messages(), self._parent(), what, exc)
        except Exception:  # the dialog itself failed: the log has it, the app goes on
            log.exception("could not show the failure dialog")
        finally:
            self._showing = False


def install_hooks(messages: Callable[[], Messages], parent: Callable[[], QWidget | None]) -> ExceptionHooks:
    """Route uncaught exceptions (UI thread and other threads) to the log and a dialog; returns the hooks."""
    return ExceptionHooks(messages, parent).install()
