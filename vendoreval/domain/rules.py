"""The write rules of the domain: what makes a change valid, checked before anything is stored.

Every writer (the services behind the app, the CLI, importers) calls these; the front ends do not
repeat them, they show the ``UserError`` raised here. Pure: domain models and the standard library.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import UserError
from .models import Decision

# --- Decisions ----------------------------------------------------------------------------------


class DecisionError(UserError):
    """A decision that cannot be recorded as asked (field 'decision' or 'conditions')."""


#: Decisions that take no conditions to negotiate: a plain go, and a no-go (nothing left to negotiate).
_NO_CONDITIONS = (Decision.GO, Decision.NO_GO)


def check_decision(decision: Decision | str, conditions: Sequence[str] | None) -> None:
    """Refuse a decision its conditions do not fit; None when it may be recorded.

    'Go with conditions' needs at least one condition that is not blank; a plain 'Go' and a 'No-go'
    take none. ``conditions`` are the ones the vendor will have after the change (None: none).
    """
    try:
        d = Decision(decision)
    except ValueError:
        raise DecisionError.at(
            f"'{decision}' is not a decision; use one of: {', '.join(x.value for x in Decision)}",
            field="decision",
        ) from None
    given = [c for c in (conditions or ()) if c.strip()]
    if d == Decision.GO_WITH_CONDITIONS and not given:
        raise DecisionError.at(
            f"'{d.label}' needs at least one condition to negotiate.", field="conditions"
        )
    if d in _NO_CONDITIONS and given:
        n = len(given)
        raise DecisionError.at(
            f"a '{d.label}' decision takes no conditions ({n} given); remove {'it' if n == 1 else 'them'} "
            f"or choose '{Decision.GO_WITH_CONDITIONS.label}'.",
            field="conditions",
        )
