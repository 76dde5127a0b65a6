"""Claims: what a vendor said, where and when, and how far it has been substantiated."""

from __future__ import annotations

from ...domain.models import Claim
from ..mappers import claim_from_row, claim_row
from .base import Repository


class ClaimRepository(Repository):
    """The ``claims`` table."""

    def claims(self, vendor_id: str | None = None) -> list[Claim]:
        """Claims of one vendor (or all), oldest first; claims of the same second (those recorded together from
        one document) in the order they were written, which is the document's order."""
        if vendor_id is None:
            rows = self._rows("SELECT * FROM claims ORDER BY created_at, rowid")
        else:
            rows = self._rows("SELECT * FROM claims WHERE vendor_id = ? ORDER BY created_at, rowid", [vendor_id])
        return [claim_from_row(r) for r in rows]

    def claim(self, claim_id: str) -> Claim | None:
        """One claim by id."""
        rows = self._rows("SELECT * FROM claims WHERE id = ?", [claim_id])
        return claim_from_row(rows[0]) if rows else None

    def save_claim(self, claim: Claim) -> None:
        """Insert or replace a claim (inside a transaction)."""
        self._upsert("claims", claim_row(claim), ("id",))

    def insert_claims_bulk(self, claims: list[Claim], *, upsert: bool = False) -> None:
        """Insert (or with upsert, insert-or-update) many claims (inside a transaction)."""
        self._put_all("claims", [claim_row(c) for c in claims], "id", upsert)

    def claim_position(self, claim_id: str) -> int | None:
        """Where the claim sits among claims recorded at the same moment (its rowid: a document's claims are
        listed by recording time, then this), for ``restore_claim``; None when there is no such claim."""
        with self._reading():
            row = self.db.execute("SELECT rowid FROM claims WHERE id = ?", [claim_id]).fetchone()
        return None if row is None else int(row[0])

    def restore_claim(self, claim: Claim, position: int | None) -> None:
        """Put a deleted claim back at ``position`` (``claim_position`` before the deletion) when that place is
        still free, else after the claims recorded with it (inside a transaction)."""
        free = position is not None and self.db.execute(
            "SELECT 1 FROM claims WHERE rowid = ?", [position]).fetchone() is None
        if free:
            self._upsert("claims", {"rowid": position, **claim_row(claim)}, ("id",))
        else:
            self.save_claim(claim)

    def delete_claim(self, claim_id: str) -> None:
        """Delete a claim."""
        self.db.execute("DELETE FROM claims WHERE id = ?", [claim_id])
