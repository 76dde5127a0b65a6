"""Use cases on claims: record the vendor's words, link them to criteria, move their status."""

from __future__ import annotations

import builtins
import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..domain.claim_links import criteria_diff, suggested_claims
from ..domain.claim_search import ClaimHit, search_claims
from ..domain.models import Claim, ClaimStatus, CriterionRef, utc_now
from . import claim_links
from .claim_links import ScoreKey
from .vendors import validation_message
from .workspace import NotFound, ServiceError, check_fresh, on_latest

if TYPE_CHECKING:
    from .workspace import Workspace

_EDITABLE = ("text", "source_kind", "source", "page", "said_on", "said_to", "criteria", "evidence_ids")


def _refs(items: builtins.list[CriterionRef | str]) -> builtins.list[CriterionRef]:
    """Criterion links from 'rubric:criterion' strings or refs; ServiceError on a malformed one."""
    try:
        return [CriterionRef.parse(c) if isinstance(c, str) else c for c in items]
    except ValueError as exc:
        raise ServiceError(f"Invalid criterion link: {exc}") from None


class ClaimService:
    """Claims a vendor made."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def list(self, vendor_id: str | None = None) -> builtins.list[Claim]:
        """Claims of a vendor (or all), oldest first."""
        return self.ws.store.claims(vendor_id)

    def search(self, query: str, status: ClaimStatus | None = None,
               include_archived: bool = True) -> builtins.list[ClaimHit]:
        """Claims of every vendor whose text, source or status holds every word of ``query`` (domain/claim_search)."""
        vendors = self.ws.store.vendors()
        names = {v.id: v.name for v in vendors if include_archived or not v.archived}
        claims = [c for c in self.ws.store.claims() if c.vendor_id in names]
        return search_claims(claims, query, names, status)

    def get(self, claim_id: str) -> Claim:
        """One claim (NotFound if missing)."""
        c = self.ws.store.claim(claim_id)
        if c is None:
            raise NotFound(f"No claim with id {claim_id}.")
        return c

    def _check_criteria(self, refs: builtins.list[CriterionRef]) -> None:
        for ref in refs:
            rubric = self.ws.library.latest(ref.rubric_id)
            if rubric is None:
                raise ServiceError(f"Unknown rubric '{ref.rubric_id}' in criterion link {ref}.")
            if ref.criterion_id not in rubric.criterion_ids() and not any(
                ref.criterion_id in r.criterion_ids() for r in self.ws.library.versions(ref.rubric_id)
            ):
                raise ServiceError(f"Rubric '{ref.rubric_id}' has no criterion '{ref.criterion_id}'.")

    def add(self, vendor_id: str, text: str, **fields: Any) -> Claim:
        """Record a claim verbatim with its source; criteria may be 'rubric:criterion' strings.

        The claim is linked to its criteria's scores on my draft scorecards of the vendor, in the same
        transaction (services/claim_links.py).
        """
        self.ws.vendors.get(vendor_id)
        if "criteria" in fields:
            fields["criteria"] = _refs(fields["criteria"])
        try:
            claim = Claim(vendor_id=vendor_id, text=text, **fields)
        except (ValidationError, ValueError) as exc:
            msg = validation_message(exc) if isinstance(exc, ValidationError) else str(exc)
            raise ServiceError(f"Invalid claim: {msg}") from None
        self._check_criteria(claim.criteria)
        with self.ws.unit_of_work() as uow:
            self.ws.store.save_claim(claim)
            uow.audit("create", "claim", claim.id, vendor_id=vendor_id, new=claim.text[:200],
                      summary="Recorded a claim")
            uow.changed("claim", claim.id, vendor_id)
            claim_links.relink(self.ws, uow, claim, claim.criteria, ())
        return claim

    def _fresh(self, claim: Claim, expected_revision: int | None, field: str | None) -> None:
        """Inside the unit of work: StaleEdit when the edit was made on an older revision than ``claim`` (as read
        before the unit), or when the claim moved on since (re-read under the write lock)."""
        what = f"The claim “{claim.text[:60]}”"
        if expected_revision is not None:
            check_fresh(claim, expected_revision, what, field=field)
        check_fresh(self.ws.store.claim(claim.id), claim.revision, what, field=field)

    @on_latest
    def update(self, claim_id: str, *, expected_revision: int | None = None, **fields: Any) -> Claim:
        """Edit a claim's text, source or links (status has its own use case).

        ``expected_revision``: the revision the edit was made on; StaleEdit when the claim moved on since.
        A change of criteria links the claim to the added criteria's scores and unlinks it from the removed
        ones' on my draft scorecards, in the same transaction; other edits touch no score.
        """
        claim = self.get(claim_id)
        unknown = set(fields) - set(_EDITABLE)
        if unknown:
            raise ServiceError(f"Cannot edit claim field(s): {', '.join(sorted(unknown))}")
        if "criteria" in fields:
            fields["criteria"] = _refs(fields["criteria"])
        if isinstance(fields.get("said_on"), str):
            fields["said_on"] = dt.date.fromisoformat(fields["said_on"]) if fields["said_on"] else None
        changes = {k: v for k, v in fields.items() if getattr(claim, k) != v}
        if not changes:
            return claim
        try:
            updated = Claim.model_validate({**claim.model_dump(), **changes, "updated_at": utc_now(),
                                            "revision": claim.revision + 1})
        except ValidationError as exc:
            raise ServiceError(f"Invalid claim: {validation_message(exc)}") from None
        self._check_criteria(updated.criteria)
        with self.ws.unit_of_work() as uow:
            self._fresh(claim, expected_revision, next(iter(changes)) if len(changes) == 1 else None)
            self.ws.store.save_claim(updated)
            for key in changes:
                old, new = getattr(claim, key), getattr(updated, key)
                if key == "criteria":
                    old, new = ", ".join(map(str, old)), ", ".join(map(str, new))
                uow.audit("update", "claim", claim_id, vendor_id=claim.vendor_id, field=key,
                          old=old, new=new, summary=f"Edited claim ({key})")
            uow.changed("claim", claim_id, claim.vendor_id)
            if "criteria" in changes:
                claim_links.relink(self.ws, uow, updated, *criteria_diff(claim.criteria, updated.criteria))
        return updated

    @on_latest
    def set_status(self, claim_id: str, status: ClaimStatus | str, note: str = "", *,
                   expected_revision: int | None = None) -> Claim:
        """Move a claim's status (asserted → documented → committed → verified, or contradicted/declined).

        StaleEdit as in ``update``.
        """
        claim = self.get(claim_id)
        try:
            new_status = ClaimStatus(status)
        except ValueError:
            raise ServiceError(
                f"'{status}' is not a claim status; use one of: {', '.join(s.value for s in ClaimStatus)}"
            ) from None
        if new_status == claim.status and note == claim.status_note:
            return claim
        updated = claim.model_copy(update={"status": new_status, "status_note": note, "updated_at": utc_now(),
                                           "revision": claim.revision + 1})
        with self.ws.unit_of_work() as uow:
            self._fresh(claim, expected_revision, "status")
            self.ws.store.save_claim(updated)
            uow.audit("status", "claim", claim_id, vendor_id=claim.vendor_id, field="status",
                      old=ClaimStatus(claim.status).label, new=new_status.label,
                      summary=f"Claim status: {new_status.label}" + (f" — {note}" if note else ""))
            uow.changed("claim", claim_id, claim.vendor_id)
        return updated

    def suggested(self, scorecard_id: str, criterion_id: str) -> builtins.list[Claim]:
        """Claims of the scorecard's vendor linked to the criterion but not to its score on that scorecard: on a
        submitted or a colleague's scorecard (never written for them), or a draft where the evaluator unlinked."""
        card = self.ws.scorecards.get(scorecard_id)
        return suggested_claims(self.ws.store.claims(card.vendor_id), card.rubric_id, criterion_id,
                                card.scores.get(criterion_id))

    def linked_scores(self, claim_id: str) -> builtins.list[ScoreKey]:
        """The (scorecard id, criterion id) of the scores on my drafts that link the claim: what ``delete``
        unlinks, for ``restore(claim, links)`` to put back."""
        claim = self.get(claim_id)
        return claim_links.linked_scores(self.ws, claim.id, claim.vendor_id)

    def delete(self, claim_id: str) -> Claim:
        """Delete a claim; returns it so the deletion can be undone with ``restore``.

        It is unlinked from the scores of my draft scorecards in the same transaction; submitted and
        colleagues' scorecards keep the id (a missing claim counts for nothing there).
        """
        claim = self.get(claim_id)
        with self.ws.unit_of_work() as uow:
            claim_links.unlink_everywhere(self.ws, uow, claim)
            self.ws.store.delete_claim(claim_id)
            uow.audit("delete", "claim", claim_id, vendor_id=claim.vendor_id, old=claim.text[:200],
                      summary="Deleted a claim")
            uow.changed("claim", claim_id, claim.vendor_id)
        return claim

    def position(self, claim_id: str) -> int | None:
        """Where the claim sits in its vendor's list, for ``restore`` to put it back there after a deletion (a
        document's claims are recorded at one moment and listed in the document's order)."""
        return self.ws.store.claim_position(claim_id)

    def restore(self, claim: Claim, links: builtins.list[ScoreKey] | None = None, *,
                position: int | None = None) -> Claim:
        """Put a deleted claim back, linked again to ``links`` (from ``linked_scores`` before the deletion) or,
        without them, to its criteria's scores on my drafts (as when it was first recorded); at ``position``
        (from ``position`` before the deletion) when that place is free, else after its document's claims."""
        with self.ws.unit_of_work() as uow:
            self.ws.store.restore_claim(claim, position)
            uow.audit("restore", "claim", claim.id, vendor_id=claim.vendor_id, new=claim.text[:200],
                      summary="Restored a claim")
            uow.changed("claim", claim.id, claim.vendor_id)
            if links is None:
                claim_links.relink(self.ws, uow, claim, claim.criteria, ())
            else:
                claim_links.link_to(self.ws, uow, claim, links)
        return claim
