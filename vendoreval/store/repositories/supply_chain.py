"""The models behind each vendor (``vendor_models``) and imported public baselines (``baseline_*``)."""

from __future__ import annotations

from ...domain.supply_chain import Baseline, ModelUse
from .base import Repository


def _model_row(m: ModelUse) -> dict[str, object]:
    return {"id": m.id, "vendor_id": m.vendor_id, "provider": m.provider, "model": m.model, "version": m.version,
            "own": int(m.own), "note": m.note, "created_at": m.created_at, "updated_at": m.updated_at}


def _model_from_row(r: dict[str, object]) -> ModelUse:
    return ModelUse(vendor_id=str(r["vendor_id"]), provider=str(r["provider"]), model=str(r["model"]),
                    version=str(r["version"]), own=bool(r["own"]), note=str(r["note"]), id=str(r["id"]),
                    created_at=str(r["created_at"]), updated_at=str(r["updated_at"]))


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
