"""Use cases on vendors: create, edit, archive, decide, delete and restore (for undo)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..domain.commercials import Commercials
from ..domain.context import VendorContext
from ..domain.models import AgreedScore, Claim, Condition, Decision, Evidence, Scorecard, Vendor, utc_now
from ..domain.rules import check_decision, check_name, check_website
from .workspace import NotFound, ServiceError, check_fresh, on_latest

if TYPE_CHECKING:
    from .workspace import Workspace

_EDITABLE = ("name", "product", "website", "description")


@dataclass(frozen=True)
class VendorSnapshot:
    """Everything a deleted vendor owned, so the deletion can be undone."""

    vendor: Vendor
    claims: list[Claim]
    evidence: list[Evidence]
    scorecards: list[Scorecard]
    agreed: list[AgreedScore]
    context: VendorContext | None = None  # the engagement-context answers (deleted with the vendor)
    conditions: tuple[Condition, ...] = ()  # the condition records (positions, owners), deleted with the vendor
    dropped: tuple[dict[str, str], ...] = ()  # the proposals dropped for it
    commercials: Commercials | None = None  # the commercial terms (deleted with the vendor)


def validation_message(exc: ValidationError) -> str:
    """A pydantic error as one line per field."""
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors())


class VendorService:
    """Vendors and their decision state."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def list(self, include_archived: bool = True) -> builtins.list[Vendor]:
        """All vendors by name."""
        return self.ws.store.vendors(include_archived)

    def get(self, vendor_id: str) -> Vendor:
        """One vendor (NotFound if missing)."""
        v = self.ws.store.vendor(vendor_id)
        if v is None:
            raise NotFound(f"No vendor with id {vendor_id}.")
        return v

    def find(self, name: str) -> Vendor:
        """A vendor by name, case-insensitive (NotFound if missing)."""
        v = self.ws.store.vendor_by_name(name)
        if v is None:
            raise NotFound(f"No vendor named '{name}'.")
        return v

    def check_new(self, name: str, **fields: Any) -> Vendor:
        """The vendor ``create`` would store, not stored; refuses (``field`` set where known) a duplicate name or a
        website that is not a web address. The new-vendor dialog asks it before it closes."""
        if "website" in fields:
            fields["website"] = check_website(str(fields["website"]))
        check_name(name)
        try:
            vendor = Vendor(name=name, **fields)
        except ValidationError as exc:
            raise ServiceError(f"Invalid vendor: {validation_message(exc)}") from None
        if self.ws.store.vendor_by_name(vendor.name) is not None:
            raise ServiceError(f"A vendor named '{vendor.name}' already exists.", field="name")
        return vendor

    def create(self, name: str, **fields: Any) -> Vendor:
        """Create a vendor; refuses a duplicate name or a website that is not a web address."""
        vendor = self.check_new(name, **fields)
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_vendor(vendor)
            uow.audit("create", "vendor", vendor.id, vendor_id=vendor.id, new=vendor.name,
                      summary=f"Created vendor {vendor.name}")
            uow.changed("vendor", vendor.id, vendor.id)
        return vendor

    def _fresh(self, vendor: Vendor, expected_revision: int | None, field: str | None = None) -> None:
        """Inside the unit of work: refuse (StaleEdit) an edit made on an older revision than ``vendor`` (as read
        before the unit), or when the vendor moved on since it was read (re-read under the write lock)."""
        what = f"Vendor {vendor.name}"
        if expected_revision is not None:
            check_fresh(vendor, expected_revision, what, field=field)
        check_fresh(self.ws.store.vendor(vendor.id), vendor.revision, what, field=field)

    @on_latest
    def update(self, vendor_id: str, *, expected_revision: int | None = None, **fields: Any) -> Vendor:
        """Change profile fields (name, product, website, description); one audit entry per field.

        ``expected_revision``: the revision the edit was made on (the app's fields); when the vendor has
        moved on since, the edit is refused with StaleEdit (unless it changes nothing: then both agree).
        """
        vendor = self.get(vendor_id)
        changes = {k: v for k, v in fields.items() if k in _EDITABLE and getattr(vendor, k) != v}
        unknown = set(fields) - set(_EDITABLE)
        if unknown:
            raise ServiceError(f"Cannot edit vendor field(s): {', '.join(sorted(unknown))}")
        if not changes:
            return vendor
        if "name" in changes:
            check_name(str(changes["name"]))
        field = next(iter(changes)) if len(changes) == 1 else None
        try:
            updated = Vendor.model_validate({**vendor.model_dump(), **changes, "updated_at": utc_now(),
                                             "revision": vendor.revision + 1})
        except ValidationError as exc:
            raise ServiceError(f"Invalid vendor: {validation_message(exc)}") from None
        if "name" in changes:
            other = self.ws.store.vendor_by_name(updated.name)
            if other is not None and other.id != vendor_id:
                raise ServiceError(f"A vendor named '{updated.name}' already exists.")
        with self.ws.unit_of_work() as uow:
            self._fresh(vendor, expected_revision, field)
            self.ws.store.save_vendor(updated)
            for key in changes:
                uow.audit("update", "vendor", vendor_id, vendor_id=vendor_id, field=key,
                          old=getattr(vendor, key), new=getattr(updated, key),
                          summary=f"Changed {key} of {updated.name}")
            uow.changed("vendor", vendor_id, vendor_id)
        return updated

    @on_latest
    def set_archived(self, vendor_id: str, archived: bool, *, expected_revision: int | None = None) -> Vendor:
        """Archive or unarchive a vendor (StaleEdit as in ``update``)."""
        vendor = self.get(vendor_id)
        if vendor.archived == archived:
            return vendor
        updated = vendor.model_copy(update={"archived": archived, "updated_at": utc_now(),
                                            "revision": vendor.revision + 1})
        with self.ws.unit_of_work() as uow:
            self._fresh(vendor, expected_revision, "archived")
            self.ws.store.save_vendor(updated)
            uow.audit("archive" if archived else "unarchive", "vendor", vendor_id, vendor_id=vendor_id,
                      field="archived", old=vendor.archived, new=archived,
                      summary=f"{'Archived' if archived else 'Restored'} {vendor.name}")
            uow.changed("vendor", vendor_id, vendor_id)
        return updated

    @on_latest
    def decide(self, vendor_id: str, decision: Decision | str, conditions: builtins.list[str] | None = None, *,
               expected_revision: int | None = None) -> Vendor:
        """Record a decision (and the conditions to negotiate), audit-logged (StaleEdit as in ``update``)."""
        vendor = self.get(vendor_id)
        try:
            new_decision = Decision(decision)
        except ValueError:
            raise ServiceError(
                f"'{decision}' is not a decision; use one of: {', '.join(d.value for d in Decision)}"
            ) from None
        new_conditions = [c.strip() for c in (conditions if conditions is not None else vendor.conditions)]
        new_conditions = [c for c in new_conditions if c]
        check_decision(new_decision, new_conditions)  # the domain's rule (UserError), before anything is written
        if new_decision == vendor.decision and new_conditions == vendor.conditions:
            return vendor
        updated = vendor.model_copy(
            update={"decision": new_decision, "conditions": new_conditions, "updated_at": utc_now(),
                    "revision": vendor.revision + 1}
        )
        field = "conditions" if new_decision == vendor.decision else "decision"
        with self.ws.unit_of_work() as uow:
            self._fresh(vendor, expected_revision, field)
            self.ws.store.save_vendor(updated)
            if new_decision != vendor.decision:
                uow.audit("decide", "vendor", vendor_id, vendor_id=vendor_id, field="decision",
                          old=Decision(vendor.decision).label, new=new_decision.label,
                          summary=f"Decision on {vendor.name}: {new_decision.label}")
            if new_conditions != vendor.conditions:
                uow.audit("decide", "vendor", vendor_id, vendor_id=vendor_id, field="conditions",
                          old="; ".join(vendor.conditions), new="; ".join(new_conditions),
                          summary=f"Conditions for {vendor.name} changed")
            uow.changed("vendor", vendor_id, vendor_id)
        return updated

    def delete(self, vendor_id: str) -> VendorSnapshot:
        """Delete a vendor and everything it owns; returns a snapshot that ``restore`` puts back."""
        vendor = self.get(vendor_id)
        store = self.ws.store
        snap = VendorSnapshot(
            vendor,
            store.claims(vendor_id),
            store.evidence(vendor_id),
            store.scorecards(vendor_id=vendor_id),
            store.agreed_scores(vendor_id),
            store.engagement_context(vendor_id),
            tuple(store.conditions(vendor_id)),
            tuple(store.dropped_proposals(vendor_id).values()),
            store.commercials(vendor_id),
        )
        with self.ws.unit_of_work() as uow:
            store.delete_vendor(vendor_id)
            uow.audit("delete", "vendor", vendor_id, vendor_id=vendor_id, old=vendor.name,
                      summary=f"Deleted vendor {vendor.name}")
            uow.changed("vendor", vendor_id, vendor_id)
        return snap

    def restore(self, snap: VendorSnapshot) -> Vendor:
        """Put a deleted vendor back exactly as it was."""
        store = self.ws.store
        if store.vendor(snap.vendor.id) is not None:
            raise ServiceError(f"Vendor {snap.vendor.name} already exists.")
        with self.ws.unit_of_work() as uow:
            store.save_vendor(snap.vendor)
            for c in snap.claims:
                store.save_claim(c)
            for e in snap.evidence:
                store.save_evidence(e)
            for card in snap.scorecards:
                store.save_scorecard_header(card)
                for s in card.scores.values():
                    store.save_score(card.id, s)
            for a in snap.agreed:
                store.save_agreed_score(a)
            if snap.context is not None:
                store.save_engagement_context(snap.context)
            if snap.conditions:
                store.replace_conditions(snap.vendor.id, list(snap.conditions))
            for d in snap.dropped:
                store.save_dropped_proposal(snap.vendor.id, d["key"], d["text"], d["dropped_at"], d["actor"])
            if snap.commercials is not None:
                store.put_commercials_bulk([snap.commercials])
            uow.audit("restore", "vendor", snap.vendor.id, vendor_id=snap.vendor.id, new=snap.vendor.name,
                      summary=f"Restored vendor {snap.vendor.name}")
            uow.changed("vendor", snap.vendor.id, snap.vendor.id)
        return snap.vendor
