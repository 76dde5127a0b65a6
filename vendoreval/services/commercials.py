"""Use cases on commercial terms: each vendor's pricing, costs, term, renewal and notice, and the total cost.

Every change goes through the unit of work with one audit entry per field changed; an edit made on an
older revision of the terms (``expected_revision``, as the app's fields pass it) is refused with
StaleEdit, as vendor edits are (services/vendors.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from ..domain.commercials import FIELDS, LABELS, Commercials, CommercialsError, TotalCost
from ..domain.models import utc_now
from .workspace import check_fresh, on_latest  # (cast: a frozen record's revision is read-only to mypy)

if TYPE_CHECKING:
    from .workspace import Workspace


class CommercialsService:
    """Each vendor's commercial terms (nothing recorded: an empty record at revision 0)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def get(self, vendor_id: str) -> Commercials:
        """A vendor's terms (NotFound when the vendor does not exist)."""
        self.ws.vendors.get(vendor_id)
        return self.ws.store.commercials(vendor_id) or Commercials(vendor_id)

    def all(self) -> dict[str, Commercials]:
        """Every vendor's recorded terms, by vendor id."""
        return {c.vendor_id: c for c in self.ws.store.commercials_all()}

    def totals(self, vendor_ids: list[str] | None = None) -> dict[str, TotalCost | None]:
        """Each vendor's total cost over the term (None: none can be computed), by vendor id."""
        stored = self.all()
        ids = vendor_ids if vendor_ids is not None else list(stored)
        return {vid: (stored[vid].total() if vid in stored else None) for vid in ids}

    @on_latest
    def set(self, vendor_id: str, values: Mapping[str, object], *,
            expected_revision: int | None = None) -> Commercials:
        """Set some terms (None or '' clears one); the others keep their values.

        Every value is checked before anything is written (CommercialsError names the field); StaleEdit
        when ``expected_revision`` is given and the terms changed since (0: expected never recorded).
        """
        vendor = self.ws.vendors.get(vendor_id)
        unknown = [k for k in values if k not in FIELDS]
        if unknown:
            raise CommercialsError(f"'{unknown[0]}' is not a commercial term; the terms are: {', '.join(FIELDS)}",
                                   field=unknown[0])
        if values.get("benefit_claim"):
            values = {**values, "benefit_claim": self._claim_id(vendor_id, values["benefit_claim"])}
        current = self.get(vendor_id)
        new = current.with_values(values)
        changed = [f for f in FIELDS if current.value(f) != new.value(f)
                   or (current.value(f) is not None and current.field_text(f) != new.field_text(f))]
        if not changed:
            return current
        what = f"The commercial terms of {vendor.name}"
        field = changed[0] if len(changed) == 1 else None
        updated = replace(new, updated_at=utc_now(), revision=current.revision + 1)
        with self.ws.unit_of_work() as uow:
            if expected_revision is not None:
                check_fresh(cast(Any, _stored(current)), expected_revision, what, field=field)
            check_fresh(cast(Any, self.ws.store.commercials(vendor_id)), current.revision, what, field=field)
            self.ws.store.save_commercials(updated)
            for f in changed:
                uow.audit("update", "commercials", vendor_id, vendor_id=vendor_id, field=f,
                          old=current.field_text(f) or None, new=updated.field_text(f) or None,
                          summary=f"Commercials of {vendor.name}: {LABELS[f]} "
                                  + (f"= {updated.field_text(f)}" if updated.field_text(f) else "cleared"))
            uow.changed("commercials", vendor_id, vendor_id)
        return updated

    def _claim_id(self, vendor_id: str, ref: object) -> str:
        """The id of the vendor's claim ``ref`` names (its id, or the start of it: 6 characters or more)."""
        text = str(ref).strip()
        claims = self.ws.store.claims(vendor_id)
        hits = [c for c in claims if c.id == text] or [c for c in claims if len(text) >= 6 and c.id.startswith(text)]
        if len(hits) != 1:
            reason = ("no claim of this vendor has that id" if not hits
                      else "it matches several claims; give more of the id")
            raise CommercialsError(f"{LABELS['benefit_claim']}: '{text[:64]}': {reason}", field="benefit_claim")
        return hits[0].id

    def replace(self, vendor_id: str, record: Commercials) -> Commercials:
        """Make a vendor's terms exactly ``record``'s values (undo)."""
        return self.set(vendor_id, {f: record.value(f) for f in FIELDS})


def _stored(c: Commercials) -> Commercials | None:
    return c if c.revision else None
