"""A vendor's claims: their words, source, status and linked criteria."""

from __future__ import annotations

from ...domain.models import Claim, ClaimStatus
from ...domain.text import page_label
from .rows import Column, RowsModel


def source_text(c: Claim) -> str:
    """Where and when the claim was made, in one line."""
    parts = [c.source or c.source_kind.replace("_", " ")]
    if c.page.strip():
        parts.append(page_label(c.page))
    if c.said_on:
        parts.append(c.said_on.isoformat())
    if c.said_to:
        parts.append(f"to {c.said_to}")
    return ", ".join(parts)


class ClaimsModel(RowsModel[Claim]):
    """Claim text, status, source and criteria."""

    columns = (
        Column[Claim]("Claim", lambda c: " ".join(c.text.split())[:160], tooltip=lambda c: c.text),
        Column[Claim]("Status", lambda c: ClaimStatus(c.status).label,
                      sort=lambda c: list(ClaimStatus).index(ClaimStatus(c.status)),
                      tooltip=lambda c: c.status_note or ClaimStatus(c.status).label),
        Column[Claim]("Source", source_text),
        Column[Claim]("Criteria", lambda c: ", ".join(str(r) for r in c.criteria)),
        Column[Claim]("Evidence", lambda c: str(len(c.evidence_ids)) if c.evidence_ids else "", align_right=True),
    )
