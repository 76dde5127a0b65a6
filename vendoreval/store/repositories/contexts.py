"""Engagement contexts: each vendor's answers to the questions asked before scoring."""

from __future__ import annotations

from ...domain.context import VendorContext
from ..mappers import context_from_row, context_row
from .base import Repository


class EngagementContextRepository(Repository):
    """The ``engagement_contexts`` table (no row for a vendor: nothing answered)."""

    def engagement_contexts(self, vendor_id: str | None = None) -> list[VendorContext]:
        """Every stored context (or one vendor's), by vendor id."""
        if vendor_id is None:
            rows = self._rows("SELECT * FROM engagement_contexts ORDER BY vendor_id")
        else:
            rows = self._rows("SELECT * FROM engagement_contexts WHERE vendor_id = ?", [vendor_id])
        return [context_from_row(r) for r in rows]

    def engagement_context(self, vendor_id: str) -> VendorContext | None:
        """One vendor's stored context, None when nothing was ever answered."""
        found = self.engagement_contexts(vendor_id)
        return found[0] if found else None

    def save_engagement_context(self, record: VendorContext) -> None:
        """Store a vendor's answers (call inside a transaction); no answers at all removes the row."""
        if record.context.is_empty():
            self.db.execute("DELETE FROM engagement_contexts WHERE vendor_id = ?", [record.vendor_id])
        else:
            self._upsert("engagement_contexts", context_row(record), ("vendor_id",))

    def insert_engagement_contexts_bulk(self, records: list[VendorContext]) -> None:
        """Insert or replace many contexts (inside a transaction); empty ones remove the row."""
        for record in records:
            self.save_engagement_context(record)
