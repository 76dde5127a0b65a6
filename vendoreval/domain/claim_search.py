"""Searching the claims of every vendor by words: in the claim's text, its source (and page), its status
(value or label) and the note on the status. Pure: no Qt, no SQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .models import Claim, ClaimStatus


@dataclass(frozen=True)
class ClaimHit:
    """A claim that matches a search, with its vendor's name and the fields the words were found in."""

    claim: Claim
    vendor: str
    fields: tuple[str, ...]  # of "text", "source", "status", in that order


def _fields(claim: Claim) -> dict[str, str]:
    status = ClaimStatus(claim.status)
    return {"text": claim.text.casefold(),
            "source": f"{claim.source} {claim.page}".casefold(),
            "status": f"{status.value} {status.value.replace('_', ' ')} {status.label} {claim.status_note}".casefold()}


def search_claims(claims: Iterable[Claim], query: str, vendor_names: Mapping[str, str],
                  status: ClaimStatus | None = None) -> list[ClaimHit]:
    """The claims in which every word of ``query`` appears (case-insensitive) in the text, the source or the
    status, optionally of one ``status``; by vendor name, then the order recorded. An empty query matches
    every claim (of that status)."""
    words = query.casefold().split()
    hits = []
    for claim in claims:
        if status is not None and ClaimStatus(claim.status) != status:
            continue
        fields = _fields(claim)
        hay = " ".join(fields.values())
        if all(w in hay for w in words):
            where = tuple(name for name, text in fields.items() if any(w in text for w in words))
            hits.append(ClaimHit(claim, vendor_names.get(claim.vendor_id, "?"), where))
    hits.sort(key=lambda h: (h.vendor.casefold(), h.claim.created_at, h.claim.id))
    return hits
