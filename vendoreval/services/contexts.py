"""Use cases on the engagement context: each vendor's answers to the questions asked before scoring.

The answers decide which criteria apply (domain/context.py); the totals, the comparison, the brief
and the consensus read them through ``ContextService.get`` / ``all``. Every change goes through the
unit of work with one audit entry per question changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ..domain.context import (
    QUESTIONS,
    UNKNOWN,
    ContextError,
    ContextValue,
    EngagementContext,
    VendorContext,
    answer_text,
    applicability,
    parse_answer,
)
from ..domain.models import utc_now
from ..domain.rubric import Criterion, Rubric
from ..domain.supply_chain import gpai_conflict

if TYPE_CHECKING:
    from .workspace import Workspace


def parse_assignments(items: Iterable[str]) -> dict[str, ContextValue | None]:
    """``KEY=VALUE`` items as typed on the command line (or ``KEY VALUE`` as two items), checked.

    ContextError names the item and the question, and says what it takes; nothing is returned half-read.
    """
    items = list(items)
    if len(items) == 2 and "=" not in items[0] and "=" not in items[1]:
        items = [f"{items[0]}={items[1]}"]
    if not items:
        raise ContextError(f"give at least one KEY=VALUE; the questions are: {', '.join(QUESTIONS)}")
    out: dict[str, ContextValue | None] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep:
            raise ContextError(f"'{item}' is not KEY=VALUE (for example gpai-model=none); the questions are: "
                               f"{', '.join(QUESTIONS)}", field=key or None)
        if key in out:
            raise ContextError(f"{key} is given twice", field=key)
        out[key] = parse_answer(key, value)
    return out


class ContextService:
    """Each vendor's engagement context (no stored answers: nothing known, every criterion applies)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def get(self, vendor_id: str) -> EngagementContext:
        """A vendor's answers (NotFound when the vendor does not exist)."""
        self.ws.vendors.get(vendor_id)
        record = self.ws.store.engagement_context(vendor_id)
        return record.context if record is not None else UNKNOWN

    def record(self, vendor_id: str) -> VendorContext | None:
        """A vendor's stored answers with when they last changed (None: never answered)."""
        return self.ws.store.engagement_context(vendor_id)

    def all(self) -> dict[str, EngagementContext]:
        """Every vendor's answers that were ever given, by vendor id."""
        return {r.vendor_id: r.context for r in self.ws.store.engagement_contexts()}

    def ruled_out(self, context: EngagementContext) -> list[tuple[Rubric, Criterion, str]]:
        """The criteria of the newest library rubrics that ``context`` rules out, with the reason, by rubric id."""
        out = []
        for rubric in sorted(self.ws.library.latest_all(), key=lambda r: r.id):
            for criterion in rubric.criteria:
                reason = applicability(criterion, context)
                if reason is not None:
                    out.append((rubric, criterion, reason))
        return out

    def set(self, vendor_id: str, answers: Mapping[str, ContextValue | str | None]) -> EngagementContext:
        """Answer (or, with None / 'unset', clear) some questions; the others keep their answers.

        Values may be typed text ('text,image', 'none', 'unset') or parsed values. Everything is checked
        before anything is written (ContextError names the question and what it takes); one audit entry
        per question whose answer changed.
        """
        vendor = self.ws.vendors.get(vendor_id)
        current = self.get(vendor_id)
        new = current
        for key, value in answers.items():
            parsed = parse_answer(key, value) if isinstance(value, str) else _checked(key, value)
            new = new.with_answer(key, parsed)
        self._check_models(vendor.id, vendor.name, new)
        return self._save(vendor.id, vendor.name, current, new)

    def _check_models(self, vendor_id: str, name: str, context: EngagementContext) -> None:
        """The gpai-model answer may not contradict the models recorded behind the product (ContextError)."""
        answer = context.get("gpai-model")
        conflict = gpai_conflict(answer if isinstance(answer, str) else None, self.ws.store.vendor_models(vendor_id))
        if conflict is not None:
            raise ContextError(f"{name}: gpai-model was not changed: {conflict}. Remove that model on the Models "
                               "tab (or `vendoreval models remove`) first if it is no longer used.", field="gpai-model")

    def replace(self, vendor_id: str, context: EngagementContext) -> EngagementContext:
        """Make a vendor's answers exactly ``context`` (undo, imports)."""
        vendor = self.ws.vendors.get(vendor_id)
        return self._save(vendor.id, vendor.name, self.get(vendor_id), context)

    def _save(self, vendor_id: str, name: str, old: EngagementContext, new: EngagementContext) -> EngagementContext:
        changed = [k for k in QUESTIONS if old.get(k) != new.get(k)]
        if not changed:
            return old
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_engagement_context(VendorContext(vendor_id, new, utc_now()))
            for key in changed:
                before, after = old.get(key), new.get(key)
                uow.audit("context", "engagement_context", vendor_id, vendor_id=vendor_id, field=key,
                          old=None if before is None else answer_text(key, before),
                          new=None if after is None else answer_text(key, after),
                          summary=f"Engagement context of {name}: {key} = {answer_text(key, after)}")
            uow.changed("context", vendor_id, vendor_id)
        return new


def _checked(key: str, value: ContextValue | None) -> ContextValue | None:
    """A parsed value checked again against the vocabulary (a form or a file may hand over anything)."""
    if value is None:
        return None
    if isinstance(value, tuple | list):
        return parse_answer(key, ",".join(value) if value else "none")
    raise ContextError(f"{key}: not an answer", field=key)
