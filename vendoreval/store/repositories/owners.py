"""Who owns the records that travel in bundles (``record_owners``), colleagues' decisions
(``decision_positions``), and writes of records exactly as a bundle carries them (revisions included)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from ...domain.commercials import Commercials
from ...domain.context import VendorContext
from ...domain.models import AgreedScore, Claim, Condition
from ...domain.risks import RiskNote
from ...domain.supply_chain import ModelUse
from ..mappers import Row, agreed_score_row, claim_row, condition_row, context_row
from .base import Repository
from .commercials import commercials_row, risk_note_row
from .supply_chain import _model_row


@dataclass(frozen=True)
class DecisionPosition:
    """A colleague's decision on a vendor, as their signed bundle carried it (one per key and vendor)."""

    vendor_id: str
    owner: str  # the fingerprint of the key that took it
    decided_by: str  # their display name
    decision: str
    conditions: tuple[str, ...]
    decided_at: str
    revision: int = 1


class OwnershipRepository(Repository):
    """The ``record_owners`` and ``decision_positions`` tables, and exact writes for bundle imports."""

    def record_owners(self, entity: str) -> dict[str, tuple[str, int]]:
        """Record key -> (owner fingerprint or '' for nobody, the revision the owner last sent) of one kind of
        record (a record without an entry was made here)."""
        rows = self._rows("SELECT record_key, owner, revision FROM record_owners WHERE entity = ?", [entity])
        return {str(r["record_key"]): (str(r["owner"]), int(r["revision"])) for r in rows}

    def set_record_owner(self, entity: str, record_key: str, owner: str, revision: int) -> None:
        """Record that ``owner`` (a fingerprint, or '' for nobody) owns a record and sent it at ``revision``
        (inside a transaction)."""
        self.db.execute("INSERT INTO record_owners (entity, record_key, owner, revision) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (entity, record_key) DO UPDATE SET owner = excluded.owner, "
                        "revision = excluded.revision", [entity, record_key, owner, revision])

    def move_record_owner(self, old_key: str, new_key: str) -> int:
        """Give every record owned by ``old_key`` to ``new_key`` (a hand-over); returns how many moved."""
        cursor = self.db.execute("UPDATE record_owners SET owner = ? WHERE owner = ?", [new_key, old_key])
        return int(cursor.rowcount)

    def put_exact(self, table: str, row: Row, pk: tuple[str, ...]) -> None:
        """Insert or update one row exactly as given, its ``revision`` included (the revision the owner gave
        it, not the stored one + 1); never a delete, so no cascade to child rows."""
        cols = tuple(row)
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in cols)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c not in pk)
        conflict = ", ".join(f'"{c}"' for c in pk)
        self.db.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT ({conflict}) DO UPDATE SET '
                        f"{updates}", [row[c] for c in cols])

    def decision_positions(self, vendor_id: str | None = None) -> list[DecisionPosition]:
        """Colleagues' decisions (of one vendor, or all), newest first."""
        if vendor_id is None:
            rows = self._rows("SELECT * FROM decision_positions ORDER BY vendor_id, decided_at DESC, owner")
        else:
            rows = self._rows("SELECT * FROM decision_positions WHERE vendor_id = ? ORDER BY decided_at DESC, owner",
                              [vendor_id])
        return [DecisionPosition(str(r["vendor_id"]), str(r["owner"]), str(r["decided_by"]), str(r["decision"]),
                                 tuple(json.loads(str(r["conditions"]))), str(r["decided_at"]), int(r["revision"]))
                for r in rows]

    def save_decision_position(self, p: DecisionPosition) -> None:
        """Store a colleague's decision exactly as given (inside a transaction)."""
        self.put_exact("decision_positions", {
            "vendor_id": p.vendor_id, "owner": p.owner, "decided_by": p.decided_by, "decision": p.decision,
            "conditions": json.dumps(list(p.conditions), ensure_ascii=False), "decided_at": p.decided_at,
            "revision": p.revision}, ("vendor_id", "owner"))

    # --- records exactly as a bundle carries them (the revision their owner gave them) ------------------------

    def put_claim_exact(self, claim: Claim, revision: int) -> None:
        """Insert or replace a claim with ``revision``."""
        self.put_exact("claims", {**claim_row(claim), "revision": revision}, ("id",))

    def put_condition_exact(self, condition: Condition, revision: int) -> None:
        """Insert or replace a condition record with ``revision`` (its number must be free or its own)."""
        self.put_exact("conditions", {**condition_row(condition), "revision": revision}, ("id",))

    def put_agreed_exact(self, agreed: AgreedScore, revision: int) -> None:
        """Insert or replace an agreed score with ``revision``."""
        self.put_exact("agreed_scores", {**agreed_score_row(agreed), "revision": revision},
                       ("vendor_id", "rubric_hash", "criterion_id"))

    def put_context_exact(self, record: VendorContext, revision: int) -> None:
        """Insert or replace a vendor's engagement context with ``revision``."""
        self.put_exact("engagement_contexts", {**context_row(record), "revision": revision}, ("vendor_id",))

    def put_commercials_exact(self, record: Commercials, revision: int) -> None:
        """Insert or replace a vendor's commercial terms with ``revision``."""
        self.put_exact("commercials", commercials_row(replace(record, revision=revision)), ("vendor_id",))

    def put_risk_note_exact(self, note: RiskNote, revision: int) -> None:
        """Insert or replace a risk-register note with ``revision``."""
        self.put_exact("risk_notes", risk_note_row(replace(note, revision=revision)),
                       ("kind", "vendor_id", "criterion"))

    def put_model_exact(self, model: ModelUse, revision: int) -> None:
        """Insert or replace a model entry of a vendor with ``revision``."""
        self.put_exact("vendor_models", {**_model_row(model), "revision": revision}, ("id",))
