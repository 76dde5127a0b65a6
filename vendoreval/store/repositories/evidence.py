"""Evidence records: files (stored by SHA-256 beside the database), URLs and notes."""

from __future__ import annotations

from ...domain.models import Evidence, EvidenceHead
from ..mappers import evidence_from_row, evidence_row
from .base import Repository


class EvidenceRepository(Repository):
    """The ``evidence`` table (the files themselves are the BlobStore's)."""

    def evidence(self, vendor_id: str | None = None) -> list[Evidence]:
        """Evidence items of one vendor (or all), oldest first."""
        if vendor_id is None:
            rows = self._rows("SELECT * FROM evidence ORDER BY created_at, rowid")
        else:
            rows = self._rows("SELECT * FROM evidence WHERE vendor_id = ? ORDER BY created_at, rowid", [vendor_id])
        return [evidence_from_row(r) for r in rows]

    def evidence_heads(self) -> list[EvidenceHead]:
        """Every evidence item's id, vendor, date and names, oldest first (as ``evidence()``, without the records)."""
        rows = self._rows("SELECT id, vendor_id, created_at, title, original_name, url, note FROM evidence "
                          "ORDER BY created_at, rowid")
        return [EvidenceHead(str(r["id"]), str(r["vendor_id"]), str(r["created_at"]), r["title"] or "",
                             r["original_name"], r["url"], r["note"] or "") for r in rows]

    def evidence_item(self, evidence_id: str) -> Evidence | None:
        """One evidence item by id."""
        rows = self._rows("SELECT * FROM evidence WHERE id = ?", [evidence_id])
        return evidence_from_row(rows[0]) if rows else None

    def save_evidence(self, item: Evidence) -> None:
        """Insert or replace an evidence record (inside a transaction)."""
        self._upsert("evidence", evidence_row(item), ("id",))

    def insert_evidence_bulk(self, items: list[Evidence], *, upsert: bool = False) -> None:
        """Insert (or with upsert, insert-or-update) many evidence records (inside a transaction)."""
        self._put_all("evidence", [evidence_row(e) for e in items], "id", upsert)

    def delete_evidence(self, evidence_id: str) -> None:
        """Delete an evidence record (the blob stays: other records may share it)."""
        self.db.execute("DELETE FROM evidence WHERE id = ?", [evidence_id])

    def blob_in_use(self, sha256: str) -> bool:
        """True when any evidence record points at this blob."""
        with self._reading():
            return self.db.execute("SELECT 1 FROM evidence WHERE sha256 = ? LIMIT 1", [sha256]).fetchone() is not None
