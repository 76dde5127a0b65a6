"""The candidate claims a reviewer rejected (by vendor and the SHA-256 of the sentence), so the claim
finder leaves them out the next time."""

from __future__ import annotations

from collections.abc import Iterable

from .base import Repository


class ClaimRejectionRepository(Repository):
    """The ``claim_rejections`` table."""

    def claim_rejections(self, vendor_id: str) -> set[str]:
        """The text hashes of the candidates rejected for a vendor."""
        rows = self._rows("SELECT text_sha256 FROM claim_rejections WHERE vendor_id = ?", [vendor_id])
        return {str(r["text_sha256"]) for r in rows}

    def save_claim_rejections(self, vendor_id: str, text_hashes: Iterable[str], document_sha256: str,
                              rejected_at: str) -> None:
        """Remember rejected candidates (inside a transaction); a sentence rejected again keeps its first date."""
        self.db.conn.executemany(
            "INSERT INTO claim_rejections (vendor_id, text_sha256, document_sha256, rejected_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (vendor_id, text_sha256) DO NOTHING",
            [(vendor_id, h, document_sha256, rejected_at) for h in dict.fromkeys(text_hashes)])

    def forget_claim_rejections(self, vendor_id: str, text_hashes: Iterable[str]) -> None:
        """Forget rejections (the undo of a review), inside a transaction."""
        self.db.conn.executemany("DELETE FROM claim_rejections WHERE vendor_id = ? AND text_sha256 = ?",
                            [(vendor_id, h) for h in text_hashes])
