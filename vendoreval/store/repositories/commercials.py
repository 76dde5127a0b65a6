"""Commercial terms (one row per vendor) and the notes users write on derived risks."""

from __future__ import annotations

from decimal import Decimal

from ...domain.commercials import Commercials
from ...domain.risks import RiskNote
from ..mappers import Row
from .base import Repository


def _decimal(text: object) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def commercials_from_row(r: Row) -> Commercials:
    """A stored row as the domain's record (amounts back to Decimal, exactly as stored)."""
    return Commercials(
        vendor_id=str(r["vendor_id"]), pricing_model=str(r["pricing_model"] or ""), one_off=_decimal(r["one_off"]),
        annual=_decimal(r["annual"]), exit_cost=_decimal(r["exit_cost"]),
        currency=None if r["currency"] is None else str(r["currency"]),
        term_months=None if r["term_months"] is None else int(str(r["term_months"])),
        renewal=None if r["renewal"] is None else str(r["renewal"]),
        notice_months=None if r["notice_months"] is None else int(str(r["notice_months"])),
        category=str(r.get("category") or ""), use_case=str(r.get("use_case") or ""),
        benefit=str(r.get("benefit") or ""), benefit_claim=str(r.get("benefit_claim") or ""),
        updated_at=str(r["updated_at"]), revision=int(str(r["revision"])),
    )


def commercials_row(c: Commercials) -> Row:
    """The row of a record (amounts as decimal text, never REAL)."""
    def text(d: Decimal | None) -> str | None:
        return None if d is None else format(d, "f")
    return {"vendor_id": c.vendor_id, "pricing_model": c.pricing_model, "one_off": text(c.one_off),
            "annual": text(c.annual), "exit_cost": text(c.exit_cost), "currency": c.currency,
            "term_months": c.term_months, "renewal": c.renewal, "notice_months": c.notice_months,
            "category": c.category, "use_case": c.use_case, "benefit": c.benefit, "benefit_claim": c.benefit_claim,
            "updated_at": c.updated_at, "revision": max(1, c.revision)}


def risk_note_from_row(r: Row) -> RiskNote:
    """A stored note as the domain's record."""
    return RiskNote(
        kind=str(r["kind"]), vendor_id=str(r["vendor_id"]), criterion=str(r["criterion"]),
        owner=str(r["owner"]), mitigation=str(r["mitigation"]), residual=str(r["residual"]),
        impact=None if r["impact"] is None else int(str(r["impact"])),
        likelihood=None if r["likelihood"] is None else int(str(r["likelihood"])),
        updated_at=str(r["updated_at"]), revision=int(str(r["revision"])),
    )


def risk_note_row(n: RiskNote) -> Row:
    """The row of a note."""
    return {"kind": n.kind, "vendor_id": n.vendor_id, "criterion": n.criterion, "owner": n.owner,
            "mitigation": n.mitigation, "residual": n.residual, "impact": n.impact, "likelihood": n.likelihood,
            "updated_at": n.updated_at, "revision": max(1, n.revision)}


class CommercialsRepository(Repository):
    """The ``commercials`` table (no row: nothing recorded)."""

    def commercials_all(self) -> list[Commercials]:
        """Every vendor's stored terms, by vendor id."""
        return [commercials_from_row(r) for r in self._rows("SELECT * FROM commercials ORDER BY vendor_id")]

    def commercials(self, vendor_id: str) -> Commercials | None:
        """One vendor's stored terms (None: never recorded)."""
        rows = self._rows("SELECT * FROM commercials WHERE vendor_id = ?", [vendor_id])
        return commercials_from_row(rows[0]) if rows else None

    def save_commercials(self, record: Commercials) -> None:
        """Store a vendor's terms (inside a transaction); the stored revision is raised by one."""
        self._upsert("commercials", commercials_row(record), ("vendor_id",))

    def put_commercials_bulk(self, records: list[Commercials]) -> None:
        """Insert or replace many records exactly as given, revisions included (imports, restores)."""
        for record in records:
            self.db.execute("DELETE FROM commercials WHERE vendor_id = ?", [record.vendor_id])
            row = commercials_row(record)
            cols = list(row)
            self.db.execute(f"INSERT INTO commercials ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                            [row[c] for c in cols])


class RiskNoteRepository(Repository):
    """The ``risk_notes`` table: owner, mitigation, residual and ratings users wrote, by risk key."""

    def risk_notes(self, vendor_id: str | None = None) -> list[RiskNote]:
        """Every note (or one vendor's), by key."""
        if vendor_id is None:
            rows = self._rows("SELECT * FROM risk_notes ORDER BY kind, vendor_id, criterion")
        else:
            rows = self._rows("SELECT * FROM risk_notes WHERE vendor_id = ? ORDER BY kind, criterion", [vendor_id])
        return [risk_note_from_row(r) for r in rows]

    def risk_note(self, kind: str, vendor_id: str, criterion: str) -> RiskNote | None:
        """One note (None: nothing written)."""
        rows = self._rows("SELECT * FROM risk_notes WHERE kind = ? AND vendor_id = ? AND criterion = ?",
                          [kind, vendor_id, criterion])
        return risk_note_from_row(rows[0]) if rows else None

    def save_risk_note(self, note: RiskNote) -> None:
        """Store a note (inside a transaction); the stored revision is raised by one."""
        self._upsert("risk_notes", risk_note_row(note), ("kind", "vendor_id", "criterion"))

    def put_risk_notes_bulk(self, notes: list[RiskNote]) -> None:
        """Insert or replace many notes exactly as given (imports, restores)."""
        for note in notes:
            self.db.execute("DELETE FROM risk_notes WHERE kind = ? AND vendor_id = ? AND criterion = ?",
                            [note.kind, note.vendor_id, note.criterion])
            row = risk_note_row(note)
            cols = list(row)
            self.db.execute(f"INSERT INTO risk_notes ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                            [row[c] for c in cols])
