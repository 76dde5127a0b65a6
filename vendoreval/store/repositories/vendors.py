"""Vendors: the companies and products under evaluation."""

from __future__ import annotations

from ...domain.models import Vendor
from ..mappers import vendor_from_row, vendor_row
from .base import Repository


class VendorRepository(Repository):
    """The ``vendors`` table."""

    def vendors(self, include_archived: bool = True) -> list[Vendor]:
        """All vendors, by name."""
        where = "" if include_archived else "WHERE archived = 0"
        rows = self._rows(f"SELECT * FROM vendors {where} ORDER BY name COLLATE NOCASE, id")
        return [vendor_from_row(r) for r in rows]

    def vendor(self, vendor_id: str) -> Vendor | None:
        """One vendor by id."""
        rows = self._rows("SELECT * FROM vendors WHERE id = ?", [vendor_id])
        return vendor_from_row(rows[0]) if rows else None

    def vendor_by_name(self, name: str) -> Vendor | None:
        """One vendor by name (case-insensitive)."""
        rows = self._rows("SELECT * FROM vendors WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1", [name.strip()])
        return vendor_from_row(rows[0]) if rows else None

    def save_vendor(self, vendor: Vendor) -> None:
        """Insert or replace a vendor (call inside a transaction)."""
        self._upsert("vendors", vendor_row(vendor), ("id",))

    def insert_vendors_bulk(self, vendors: list[Vendor], *, upsert: bool = False) -> None:
        """Insert (or with upsert, insert-or-update) many vendors (inside a transaction)."""
        self._put_all("vendors", [vendor_row(v) for v in vendors], "id", upsert)

    def delete_vendor(self, vendor_id: str) -> None:
        """Delete a vendor with its claims, evidence records and scorecards (cascade)."""
        self.db.execute("DELETE FROM vendors WHERE id = ?", [vendor_id])
