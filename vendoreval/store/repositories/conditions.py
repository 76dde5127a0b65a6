"""Conditions to negotiate: each vendor's numbered list, and the proposals a user dropped."""

from __future__ import annotations

from collections import defaultdict

from ...domain.conditions import reconcile_texts
from ...domain.models import Condition
from ..mappers import condition_from_row, condition_row
from .base import Repository


class ConditionRepository(Repository):
    """The ``conditions`` and ``condition_drops`` tables."""

    def conditions(self, vendor_id: str | None = None) -> list[Condition]:
        """One vendor's conditions (or every vendor's), in number order."""
        if vendor_id is None:
            rows = self._rows("SELECT * FROM conditions ORDER BY vendor_id, number")
        else:
            rows = self._rows("SELECT * FROM conditions WHERE vendor_id = ? ORDER BY number", [vendor_id])
        return [condition_from_row(r) for r in rows]

    def condition_texts(self, vendor_id: str | None = None) -> dict[str, list[str]]:
        """Vendor id -> the texts of its conditions in number order (vendors without any are left out)."""
        if vendor_id is None:
            rows = self._rows("SELECT vendor_id, text FROM conditions ORDER BY vendor_id, number")
        else:
            rows = self._rows("SELECT vendor_id, text FROM conditions WHERE vendor_id = ? ORDER BY number",
                              [vendor_id])
        out: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            out[r["vendor_id"]].append(r["text"])
        return dict(out)

    def replace_conditions(self, vendor_id: str, conditions: list[Condition]) -> None:
        """Make ``conditions`` the vendor's whole list (inside a transaction).

        A record that changed gets its stored revision + 1, an unchanged one keeps it, a new one starts
        at 1. Rows are deleted and inserted again, so numbers can move without tripping the unique
        (vendor, number) index halfway.
        """
        stored = {c.id: c for c in self.conditions(vendor_id)}
        rows = []
        for c in conditions:
            old = stored.get(c.id)
            row = condition_row(c)
            if old is None:
                row["revision"] = max(1, c.revision)
            else:
                same = old.model_dump() == c.model_dump()
                row["revision"] = old.revision if same else old.revision + 1
            rows.append(row)
        self.db.execute("DELETE FROM conditions WHERE vendor_id = ?", [vendor_id])
        if rows:
            self.db.table("conditions").insert_all(rows, pk="id")

    def sync_condition_texts(self, vendor_id: str, texts: list[str]) -> None:
        """Make the vendor's conditions read ``texts`` (a plain list, as ``Vendor.conditions`` holds), keeping
        the records whose text stays (domain.conditions.reconcile_texts); nothing happens when they do."""
        existing = self.conditions(vendor_id)
        if [c.text for c in existing] == [t.strip() for t in texts if t.strip()]:
            return
        self.replace_conditions(vendor_id, reconcile_texts(vendor_id, existing, texts))

    # --- dropped proposals ---------------------------------------------------------------------------------

    def dropped_proposals(self, vendor_id: str | None = None) -> dict[str, dict[str, str]]:
        """The keys of the proposals dropped for a vendor (or all: keyed 'vendor_id key'), with text, when, who."""
        if vendor_id is None:
            rows = self._rows("SELECT * FROM condition_drops ORDER BY vendor_id, key")
        else:
            rows = self._rows("SELECT * FROM condition_drops WHERE vendor_id = ? ORDER BY key", [vendor_id])
        return {(r["key"] if vendor_id is not None else f"{r['vendor_id']} {r['key']}"): dict(r) for r in rows}

    def save_dropped_proposal(self, vendor_id: str, key: str, text: str, dropped_at: str, actor: str) -> None:
        """Remember a dropped proposal (inside a transaction)."""
        self._upsert("condition_drops", {"vendor_id": vendor_id, "key": key, "text": text,
                                         "dropped_at": dropped_at, "actor": actor}, ("vendor_id", "key"))

    def forget_dropped_proposal(self, vendor_id: str, key: str) -> None:
        """Forget a dropped proposal (undo of a drop)."""
        self.db.execute("DELETE FROM condition_drops WHERE vendor_id = ? AND key = ?", [vendor_id, key])
