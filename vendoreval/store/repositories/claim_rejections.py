"""The candidate claims a reviewer rejected (by vendor and the SHA-256 of the sentence), so the claim
finder leaves them out the next time."""

from __future__ import annotations

from collections.abc import Iterable

from .base import Repository


class ClaimRejectionRepository(Repository):
    """The ``claim_rejections`` table."""

    def claim_rejections(self, vendor_id: str) -> dict[str, str]:
        """The text hashes of the candidates a reviewer decided for a vendor → 'rejected' or 'edited'."""
        rows = self._rows("SELECT text_sha256, outcome FROM claim_rejections WHERE vendor_id = ?", [vendor_id])
        return {str(r["text_sha256"]): str(r["outcome"]) for r in rows}

    def save_claim_rejections(self, vendor_id: str, text_hashes: Iterable[str], document_sha256: str,
                              rejected_at: str, outcome: str = "rejected") -> None:
        """Remember decided candidates (inside a transaction); a sentence seen again keeps its first record."""
        self.db.conn.executemany(
            "INSERT INTO claim_rejections (vendor_id, text_sha256, document_sha256, rejected_at, outcome) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (vendor_id, text_sha256) DO NOTHING",
            [(vendor_id, h, document_sha256, rejected_at, outcome) for h in dict.fromkeys(text_hashes)])

    def forget_claim_rejections(self, vendor_id: str, text_hashes: Iterable[str]) -> None:
        """Forget rejections (the undo of a review), inside a transaction."""
        self.db.conn.executemany("DELETE FROM claim_rejections WHERE vendor_id = ? AND text_sha256 = ?",
                            [(vendor_id, h) for h in text_hashes])
