"""The models behind each vendor (``vendor_models``) and imported public baselines (``baseline_*``)."""

from __future__ import annotations

from ...domain.supply_chain import Baseline, ModelUse
from .base import Repository


def _model_row(m: ModelUse) -> dict[str, object]:
    return {"id": m.id, "vendor_id": m.vendor_id, "provider": m.provider, "model": m.model, "version": m.version,
            "own": int(m.own), "note": m.note, "created_at": m.created_at, "updated_at": m.updated_at,
            "revision": max(1, m.revision)}


def _model_from_row(r: dict[str, object]) -> ModelUse:
    return ModelUse(vendor_id=str(r["vendor_id"]), provider=str(r["provider"]), model=str(r["model"]),
                    version=str(r["version"]), own=bool(r["own"]), note=str(r["note"]), id=str(r["id"]),
                    created_at=str(r["created_at"]), updated_at=str(r["updated_at"]),
                    revision=int(str(r.get("revision", 1) or 1)))


class SupplyChainRepository(Repository):
    """The ``vendor_models``, ``baseline_editions`` and ``baseline_scores`` tables."""

    def vendor_models(self, vendor_id: str | None = None) -> list[ModelUse]:
        """The models of one vendor (or of all), in the order they were recorded."""
        if vendor_id is None:
            rows = self._rows("SELECT * FROM vendor_models ORDER BY vendor_id, created_at, rowid")
        else:
            rows = self._rows("SELECT * FROM vendor_models WHERE vendor_id = ? ORDER BY created_at, rowid", [vendor_id])
        return [_model_from_row(r) for r in rows]

    def save_vendor_model(self, model: ModelUse) -> None:
        """Insert or update one model entry."""
        self._upsert("vendor_models", _model_row(model), ("id",))

    def delete_vendor_model(self, model_id: str) -> None:
        """Remove one model entry."""
        self.db.execute("DELETE FROM vendor_models WHERE id = ?", [model_id])

    def baselines(self) -> list[Baseline]:
        """The imported baseline editions with their scores, oldest edition first."""
        editions = self._rows("SELECT * FROM baseline_editions ORDER BY edition")
        out = []
        for e in editions:
            scores: dict[str, dict[str, int]] = {}
            for r in self._rows("SELECT developer, indicator, value FROM baseline_scores WHERE edition = ? "
                                "ORDER BY rowid", [e["edition"]]):
                scores.setdefault(str(r["developer"]), {})[str(r["indicator"])] = int(r["value"])
            out.append(Baseline(edition=str(e["edition"]), title=str(e["title"]), rubric_id=str(e["rubric_id"]),
                                rubric_version=str(e["rubric_version"]), source=str(e["source"]), scores=scores))
        return out

    def baseline_sha256(self, edition: str) -> str | None:
        """The SHA-256 of the file an edition was imported from."""
        rows = self._rows("SELECT sha256 FROM baseline_editions WHERE edition = ?", [edition])
        return str(rows[0]["sha256"]) if rows else None

    def save_baseline(self, baseline: Baseline, sha256: str, imported_at: str) -> None:
        """Insert or replace one edition and all its scores (inside a transaction)."""
        self.db.execute("DELETE FROM baseline_scores WHERE edition = ?", [baseline.edition])
        self._upsert("baseline_editions", {
            "edition": baseline.edition, "title": baseline.title, "rubric_id": baseline.rubric_id,
            "rubric_version": baseline.rubric_version, "source": baseline.source, "sha256": sha256,
            "imported_at": imported_at}, ("edition",))
        self.db.conn.executemany(
            "INSERT INTO baseline_scores (edition, developer, indicator, value) VALUES (?, ?, ?, ?)",
            [(baseline.edition, dev, ind, value) for dev, values in baseline.scores.items()
             for ind, value in values.items()])

    def delete_baseline(self, edition: str) -> None:
        """Remove an imported edition."""
        self.db.execute("DELETE FROM baseline_editions WHERE edition = ?", [edition])


class AgeingRepository(Repository):
    """The ``evidence_dates``, ``claim_reviews``, ``vendor_cadence`` and ``recheck_confirmations`` tables."""

    def evidence_dates(self) -> dict[str, tuple[str | None, str | None]]:
        """evidence id -> (effective_on, valid_until) as YYYY-MM-DD text."""
        return {str(r["evidence_id"]): (r["effective_on"], r["valid_until"])
                for r in self._rows("SELECT * FROM evidence_dates")}

    def set_evidence_dates(self, evidence_id: str, effective_on: str | None, valid_until: str | None,
                           at: str) -> None:
        """Record (or with both None, clear) an evidence record's dates."""
        if effective_on is None and valid_until is None:
            self.db.execute("DELETE FROM evidence_dates WHERE evidence_id = ?", [evidence_id])
            return
        self._upsert("evidence_dates", {"evidence_id": evidence_id, "effective_on": effective_on,
                                        "valid_until": valid_until, "updated_at": at}, ("evidence_id",))

    def claim_reviews(self) -> dict[str, str]:
        """claim id -> review-by date (YYYY-MM-DD)."""
        return {str(r["claim_id"]): str(r["review_by"]) for r in self._rows("SELECT * FROM claim_reviews")}

    def claim_review_heads(self) -> list[tuple[str, str, str, str]]:
        """(claim id, vendor id, claim text, review-by date) of every claim with a review-by date, oldest claim
        first: what the due list needs of them, without reading and validating every claim of the workspace."""
        with self._reading():
            rows = self.db.execute("SELECT c.id, c.vendor_id, c.text, r.review_by FROM claim_reviews r "
                                   "JOIN claims c ON c.id = r.claim_id ORDER BY c.created_at, c.id").fetchall()
        return [(str(i), str(v), str(t), str(d)) for i, v, t, d in rows]

    def set_claim_review(self, claim_id: str, review_by: str | None, at: str) -> None:
        """Record (or with None, clear) a claim's review-by date."""
        if review_by is None:
            self.db.execute("DELETE FROM claim_reviews WHERE claim_id = ?", [claim_id])
            return
        self._upsert("claim_reviews", {"claim_id": claim_id, "review_by": review_by, "updated_at": at}, ("claim_id",))

    def cadences(self) -> dict[str, int]:
        """vendor id -> reassessment cadence in months (only vendors with one chosen)."""
        return {str(r["vendor_id"]): int(r["months"])
                for r in self._rows("SELECT * FROM vendor_cadence")}

    def set_cadence(self, vendor_id: str, months: int | None, at: str) -> None:
        """Choose (or with None, go back to the default) a vendor's cadence."""
        if months is None:
            self.db.execute("DELETE FROM vendor_cadence WHERE vendor_id = ?", [vendor_id])
            return
        self._upsert("vendor_cadence", {"vendor_id": vendor_id, "months": months, "updated_at": at}, ("vendor_id",))

    def scorecards_last_changed(self) -> dict[str, str]:
        """vendor id -> when its newest scorecard was last changed (ISO timestamp), one query for all."""
        return {str(r["vendor_id"]): str(r["last"])
                for r in self._rows("SELECT vendor_id, MAX(updated_at) AS last FROM scorecards GROUP BY vendor_id")}

    def ageing_rows(self) -> dict[str, list[dict[str, object]]]:
        """Every row of the four ageing tables, sorted (the workspace file's ``ageing`` section)."""
        return {
            "evidence": self._rows("SELECT * FROM evidence_dates ORDER BY evidence_id"),
            "claims": self._rows("SELECT * FROM claim_reviews ORDER BY claim_id"),
            "cadence": self._rows("SELECT * FROM vendor_cadence ORDER BY vendor_id"),
            "rechecks": self._rows("SELECT * FROM recheck_confirmations ORDER BY scorecard_id, criterion_id, "
                                   "trigger_key"),
        }

    def put_ageing_rows(self, rows: dict[str, list[dict[str, object]]]) -> None:
        """Insert or update ageing rows (a restore or a merge of a workspace file; inside a transaction)."""
        for key, table, pk in (("evidence", "evidence_dates", ("evidence_id",)),
                               ("claims", "claim_reviews", ("claim_id",)),
                               ("cadence", "vendor_cadence", ("vendor_id",)),
                               ("rechecks", "recheck_confirmations", ("scorecard_id", "criterion_id", "trigger_key"))):
            items = rows.get(key, [])
            for cols in {tuple(r) for r in items}:  # one statement per column set
                self._upsert_many(table, [r for r in items if tuple(r) == cols], pk)

    def recheck_confirmations(self) -> set[tuple[str, str, str]]:
        """(scorecard id, criterion id, trigger key) confirmed by an evaluator."""
        return {(str(r["scorecard_id"]), str(r["criterion_id"]), str(r["trigger_key"]))
                for r in self._rows("SELECT scorecard_id, criterion_id, trigger_key FROM recheck_confirmations")}

    def confirm_recheck(self, scorecard_id: str, criterion_id: str, trigger_key: str, at: str, actor: str,
                        note: str) -> None:
        """Record that an evaluator confirmed a score after a trigger."""
        self._upsert("recheck_confirmations", {"scorecard_id": scorecard_id, "criterion_id": criterion_id,
                                               "trigger_key": trigger_key, "confirmed_at": at, "actor": actor,
                                               "note": note}, ("scorecard_id", "criterion_id", "trigger_key"))
