"""Agreed scores: the consensus answer for a criterion of a vendor, with its rationale."""

from __future__ import annotations

from ...domain.models import AgreedScore
from ..mappers import agreed_score_from_row, agreed_score_row
from .base import Repository

_PK = ("vendor_id", "rubric_hash", "criterion_id")


class AgreedScoreRepository(Repository):
    """The ``agreed_scores`` table."""

    def agreed_scores(self, vendor_id: str | None = None) -> list[AgreedScore]:
        """Agreed (consensus) scores."""
        if vendor_id is None:
            rows = self._rows("SELECT * FROM agreed_scores ORDER BY vendor_id, criterion_id")
        else:
            rows = self._rows("SELECT * FROM agreed_scores WHERE vendor_id = ? ORDER BY criterion_id", [vendor_id])
        return [agreed_score_from_row(r) for r in rows]

    def save_agreed_score(self, agreed: AgreedScore) -> None:
        """Insert or replace an agreed score."""
        self._upsert("agreed_scores", agreed_score_row(agreed), _PK)

    def insert_agreed_bulk(self, items: list[AgreedScore], *, upsert: bool = False) -> None:
        """Insert (or with upsert, insert-or-update) many agreed scores (inside a transaction)."""
        self._put_all("agreed_scores", [agreed_score_row(a) for a in items], _PK, upsert)

    def delete_agreed_score(self, vendor_id: str, rubric_hash: str, criterion_id: str) -> None:
        """Remove an agreed score."""
        self.db.execute(
            "DELETE FROM agreed_scores WHERE vendor_id = ? AND rubric_hash = ? AND criterion_id = ?",
            [vendor_id, rubric_hash, criterion_id],
        )
