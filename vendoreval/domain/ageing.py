"""Claims and evidence that age: effective dates, valid-until, review-by, the reassessment cadence, and
the scores a change out in the world puts "to re-check".

Stale is computed as of a given date (today in the app, the brief's date in a brief, so that
``brief --verify`` rebuilds the same pages):

- evidence is stale past its valid-until date, or when it was issued (its effective date, else the
  day it was recorded) longer ago than the vendor's reassessment cadence;
- a claim is stale past its review-by date;
- a vendor is due for reassessment when its newest scorecard was last changed longer ago than the
  cadence (default 12 months; 6 when the engagement context says the use is high-risk, Annex III).

Pure rules: no I/O, no SQL, no Qt.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

DEFAULT_CADENCE_MONTHS = 12
HIGH_RISK_CADENCE_MONTHS = 6
#: Items due within this many days are listed as due soon (not yet stale).
DUE_SOON_DAYS = 30
#: The longest cadence accepted (five years); a reassessment less often than that is no cadence.
MAX_CADENCE_MONTHS = 60


class DateRuleError(ValueError):
    """A date that breaks a rule: in the future, or a valid-until before the effective date."""


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, the day clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_date(text: str, what: str) -> dt.date:
    """A YYYY-MM-DD date in ASCII digits; DateRuleError naming ``what`` otherwise."""
    value = text.strip()
    if not (value.isascii() and len(value) == 10 and value[4] == "-" and value[7] == "-"):
        raise DateRuleError(f"{what}: '{text}' is not a date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DateRuleError(f"{what}: '{text}' is not a date (YYYY-MM-DD)") from None


def check_evidence_dates(effective_on: dt.date | None, valid_until: dt.date | None, today: dt.date, *,
                         effective: str = "effective date", until: str = "valid until") -> None:
    """An effective date cannot be in the future; valid-until cannot come before the effective date.

    ``effective`` and ``until`` name the two dates as the writer shows them (the app's fields say "Issued on"
    and "Valid until"; the command line's options say effective and valid until).
    """
    if effective_on is not None and effective_on > today:
        raise DateRuleError(f"{effective} {effective_on.isoformat()} is in the future (today is "
                            f"{today.isoformat()}); give the date the document was issued")
    if effective_on is not None and valid_until is not None and valid_until < effective_on:
        raise DateRuleError(f"{until} {valid_until.isoformat()} is before the {effective} "
                            f"{effective_on.isoformat()}")


def check_cadence(months: int) -> None:
    """A reassessment cadence is 1 to 60 whole months."""
    if not 1 <= months <= MAX_CADENCE_MONTHS:
        raise DateRuleError(f"cadence: {months} months; give 1 to {MAX_CADENCE_MONTHS} months")


def cadence_months(chosen: int | None, *, high_risk: bool) -> int:
    """The vendor's cadence: the one chosen for it, else 6 months for a high-risk use, else 12."""
    if chosen is not None:
        return chosen
    return HIGH_RISK_CADENCE_MONTHS if high_risk else DEFAULT_CADENCE_MONTHS


Kind = Literal["evidence", "claim", "vendor"]


@dataclass(frozen=True)
class DueItem:
    """Something that needs a look by a date: evidence, a claim, or a whole vendor's reassessment."""

    kind: Kind
    vendor_id: str
    vendor: str
    item_id: str
    title: str
    due_on: dt.date
    reason: str

    def stale(self, as_of: dt.date) -> bool:
        """Past its date (due on the day itself is not yet stale)."""
        return self.due_on < as_of

    def status(self, as_of: dt.date) -> str:
        """'stale' (overdue), 'due soon' (within 30 days) or 'current'."""
        if self.stale(as_of):
            return "stale"
        return "due soon" if (self.due_on - as_of).days <= DUE_SOON_DAYS else "current"

    def line(self, as_of: dt.date) -> str:
        """'Acme AI — evidence "SOC 2 report": expired on 2026-06-30 (156 days ago)'."""
        days = (as_of - self.due_on).days
        when = (f"{days} days ago" if days > 1 else "yesterday" if days == 1 else "today" if days == 0
                else f"in {-days} days" if days < -1 else "tomorrow")
        return f"{self.vendor} — {self.kind} \u201c{self.title}\u201d: {self.reason} ({when})"


def evidence_due(vendor_id: str, vendor: str, evidence_id: str, title: str, recorded_on: dt.date,
                 effective_on: dt.date | None, valid_until: dt.date | None, cadence: int) -> DueItem:
    """When evidence needs a look: its valid-until, or its issue date plus the cadence, whichever is first."""
    issued = effective_on or recorded_on
    by_age = add_months(issued, cadence)
    issued_text = f"issued {issued.isoformat()}" if effective_on else f"recorded {issued.isoformat()}, no issue date"
    if valid_until is not None and valid_until <= by_age:
        return DueItem("evidence", vendor_id, vendor, evidence_id, title, valid_until,
                       f"valid until {valid_until.isoformat()}")
    until = f"; valid until {valid_until.isoformat()}" if valid_until is not None else ""
    return DueItem("evidence", vendor_id, vendor, evidence_id, title, by_age,
                   f"{issued_text}; older than the {cadence}-month cadence from {by_age.isoformat()}{until}")


def claim_due(vendor_id: str, vendor: str, claim_id: str, text: str, review_by: dt.date) -> DueItem:
    """A claim with a review-by date."""
    short = text if len(text) <= 70 else text[:69].rstrip() + "…"
    return DueItem("claim", vendor_id, vendor, claim_id, short, review_by, f"review by {review_by.isoformat()}")


def vendor_due(vendor_id: str, vendor: str, last_assessed: dt.date, cadence: int) -> DueItem:
    """A vendor whose newest scorecard is older than its cadence."""
    due = add_months(last_assessed, cadence)
    return DueItem("vendor", vendor_id, vendor, vendor_id, vendor, due,
                   f"last assessed {last_assessed.isoformat()}; reassessment every {cadence} months")


def soonest_first(items: Iterable[DueItem]) -> list[DueItem]:
    """Items by due date, then vendor and kind (stable for printing)."""
    order = {"vendor": 0, "evidence": 1, "claim": 2}
    return sorted(items, key=lambda i: (i.due_on, i.vendor.casefold(), order[i.kind], i.title, i.item_id))


# --- scores to re-check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    """Something that happened after a score was last set and may change it."""

    key: str  # stable: "model:<id>:<version>", "expired:<evidence id>", "document:<evidence id>:<sha>"
    at: str  # ISO timestamp (UTC) it happened
    reason: str  # in words: "OpenAI GPT-4o moved to version 2024-11-20"


@dataclass(frozen=True)
class Recheck:
    """A score marked "to re-check" and why."""

    scorecard_id: str
    criterion_id: str
    trigger: Trigger


def to_recheck(scores: Iterable[tuple[str, str, str, frozenset[str]]],
               triggers: Iterable[tuple[Trigger, frozenset[str]]],
               confirmed: set[tuple[str, str, str]]) -> list[Recheck]:
    """Scores to re-check: (scorecard id, criterion key, updated_at, evidence ids) set before a trigger that
    bears on them, and not confirmed since.

    A trigger bears on a score through the criterion keys ("rubric:criterion") or evidence ids it names
    (its frozenset). A score changed after the trigger was re-checked by that change.
    """
    triggers = list(triggers)
    out = []
    for card_id, key, updated_at, evidence in scores:
        for trig, targets in triggers:
            if updated_at >= trig.at:
                continue
            criterion = key.partition(":")[2]
            # a target names a criterion key, an evidence id, or one scorecard's criterion ("<card id>|<key>")
            hit = key in targets or bool(evidence & targets) or f"{card_id}|{key}" in targets
            if hit and (card_id, criterion, trig.key) not in confirmed:
                out.append(Recheck(card_id, criterion, trig))
    return out
