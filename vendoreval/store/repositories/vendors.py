"""Vendors: the companies and products under evaluation."""

from __future__ import annotations

from ...domain.models import Vendor
from ..mappers import vendor_from_row, vendor_row
from .conditions import ConditionRepository


class VendorRepository(ConditionRepository):
    """The ``vendors`` table; a vendor's ``conditions`` are the texts of its condition records (schema 10)."""

    def vendors(self, include_archived: bool = True) -> list[Vendor]:
        """All vendors, by name."""
        where = "" if include_archived else "WHERE archived = 0"
        rows = self._rows(f"SELECT * FROM vendors {where} ORDER BY name COLLATE NOCASE, id")
        texts = self.condition_texts()
        return [vendor_from_row(r, texts.get(r["id"], [])) for r in rows]

    def vendor(self, vendor_id: str) -> Vendor | None:
        """One vendor by id."""
        rows = self._rows("SELECT * FROM vendors WHERE id = ?", [vendor_id])
        return self._vendor_of(rows[0]) if rows else None

    def vendor_by_name(self, name: str) -> Vendor | None:
        """One vendor by name (case-insensitive)."""
        rows = self._rows("SELECT * FROM vendors WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1", [name.strip()])
        return self._vendor_of(rows[0]) if rows else None

    def _vendor_of(self, row: dict[str, object]) -> Vendor:
        vendor_id = str(row["id"])
        return vendor_from_row(row, self.condition_texts(vendor_id).get(vendor_id, []))

    def save_vendor(self, vendor: Vendor) -> None:
        """Insert or replace a vendor (call inside a transaction); its condition records are made to read
        ``vendor.conditions`` (records whose text stays keep their positions and owner)."""
        self._upsert("vendors", vendor_row(vendor), ("id",))
        self.sync_condition_texts(vendor.id, vendor.conditions)

    def insert_vendors_bulk(self, vendors: list[Vendor], *, upsert: bool = False) -> None:
        """Insert (or with upsert, insert-or-update) many vendors (inside a transaction)."""
        self._put_all("vendors", [vendor_row(v) for v in vendors], "id", upsert)
        for v in vendors:
            self.sync_condition_texts(v.id, v.conditions)

    def delete_vendor(self, vendor_id: str) -> None:
        """Delete a vendor with its claims, evidence records and scorecards (cascade)."""
        self.db.execute("DELETE FROM vendors WHERE id = ?", [vendor_id])
