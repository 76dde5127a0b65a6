"""Edits that name the revision they were made on, and what the app does when another writer was first.

Every editor passes the revision of the record it showed (``expected_revision``); the services refuse
an edit on an older one with StaleEdit, carrying the record as it is now. Then:

- the changed field is not the one edited (another window changed another field of the same record):
  the edit is applied on the newer revision, nothing to ask;
- both wrote the same value: nothing to do;
- otherwise the newer value is loaded into the field, the user's own text is kept in a ConflictNote
  under it (marked "not saved", one click to apply or drop), and a dialog shows both.

Nothing the user typed is lost and nothing lands silently over a newer value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..domain.rules import RuleError
from ..errors import UserError
from ..services.workspace import StaleEdit
from .session import Session
from .widgets.autosave import AutoSave
from .widgets.conflict_note import ConflictNote

R = TypeVar("R")


def _gone(session: Session, what: str, exc: StaleEdit, mine: str) -> None:
    """The record was deleted elsewhere: say so, with the user's words (they are not lost: they can copy them)."""
    session.report(what, UserError(f"{exc}\n\nYour text, not saved (copy it if you need it):\n\n{mine}"))


def commit_on_revision(session: Session, field: AutoSave, note: ConflictNote | None, what: str, text: str,
                       apply: Callable[[int | None], Any], undo: Callable[[], Any],
                       shown: Callable[[Any], str]) -> bool:
    """Commit one text field's ``text`` through ``apply(revision)`` on the revision the field was read at.

    ``shown(record)`` is the field's text for a record (to compare the newer value with the user's);
    True when saved (the field's revision then follows the record's). Words the rules refuse (a RuleError:
    'abc' as an amount) are marked refused on the field before the dialog says so: the focus the dialog takes,
    and every later pass of the focus through the field, do not commit (and refuse, in a dialog) them again.
    """
    base, revision = field.committed, field.revision

    def checked(revision: int | None) -> Any:
        try:
            return apply(revision)
        except RuleError:
            field.refuse()
            raise

    def saved(record: Any) -> Any:
        field.revision = getattr(record, "revision", field.revision)
        if note is not None and note.mine == text:
            note.clear()
        return record

    def reapply(mine: str) -> None:
        field.type_text(mine)
        field.flush()  # committed on the field's (newer) revision: a second conflict asks again

    def conflict(exc: StaleEdit) -> None:
        current = exc.current
        if current is None:
            _gone(session, what, exc, text)
            return None
        theirs = shown(current)
        field.set_text(theirs, current.revision)  # the newer value is what the field shows
        if note is not None:
            note.hold(text, reapply)
        from .dialogs.stale_edit_dialog import APPLY, DISCARD  # the dialog's module: only when there is a conflict

        choice = session.messages.stale_edit(session.dialog_parent, what, str(exc), theirs, text)
        if choice == APPLY:
            reapply(text)
        elif choice == DISCARD and note is not None:
            note.clear()
        return None

    def stale(exc: StaleEdit) -> Any:
        current = exc.current
        if current is None:
            _gone(session, what, exc, text)
            return None
        theirs = shown(current)
        if theirs == text:  # both wrote the same: nothing is lost either way
            field.set_text(theirs, current.revision)
            return saved(current)
        if theirs == base:  # another field of the record changed, not this one: apply on the newer revision
            done = session.edit(what, lambda: saved(checked(current.revision)) or True, undo, lambda: apply(None),
                                stale=conflict)
            return done
        return conflict(exc)

    # redo (after an undo) sets the value again on whatever is latest, like the undo itself
    result = session.edit(what, lambda: saved(checked(revision)) or True, undo, lambda: apply(None), stale=stale)
    return result is not None


def on_stale(session: Session, what: str, mine: str, shown: Callable[[Any], str], retry: Callable[[int | None], R],
             reload: Callable[[], None], undo: Callable[[], Any] | None = None) -> Callable[[StaleEdit], R | None]:
    """The StaleEdit handler of a one-click edit (a decision, a level, a status): the page shows the newer
    record (``reload``), a dialog shows it beside ``mine``; "Apply mine" runs ``retry(newer revision)``
    (recorded for undo with ``undo`` when given)."""

    def handle(exc: StaleEdit) -> R | None:
        reload()
        current = exc.current
        if current is None:
            _gone(session, what, exc, mine)
            return None
        theirs = shown(current)
        if theirs == mine:
            return None  # both chose the same: the page shows it
        from .dialogs.stale_edit_dialog import APPLY

        if session.messages.stale_edit(session.dialog_parent, what, str(exc), theirs, mine) != APPLY:
            return None
        again = on_stale(session, what, mine, shown, retry, reload, undo)
        rev = current.revision
        result = (session.attempt(lambda: retry(rev), what, stale=again) if undo is None
                  else session.edit(what, lambda: retry(rev), undo, lambda: retry(None), stale=again))
        reload()
        return result

    return handle
