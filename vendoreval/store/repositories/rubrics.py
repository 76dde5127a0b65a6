"""Rubric snapshots: every exact rubric content a scorecard was made against, kept by content hash."""

from __future__ import annotations

from ...domain.models import utc_now
from ...domain.rubric import Rubric
from ..mappers import Row, rubric_from_row, rubric_version_row
from .base import Repository


class RubricVersionRepository(Repository):
    """The ``rubric_versions`` table."""

    def save_rubric_version(self, rubric: Rubric, origin: str = "shipped") -> bool:
        """Keep a snapshot of this exact rubric content; returns True when it was new."""
        exists = self.db.execute(
            "SELECT 1 FROM rubric_versions WHERE content_hash = ?", [rubric.content_hash]
        ).fetchone()
        if exists:
            return False
        self.db.table("rubric_versions").insert(rubric_version_row(rubric, origin, utc_now()))
        return True

    def rubric_version_count(self) -> int:
        """How many rubric snapshots are kept (cheap: says whether another writer added one)."""
        return int(self._rows("SELECT COUNT(*) AS n FROM rubric_versions")[0]["n"])

    def rubric_versions(self) -> list[tuple[Rubric, str]]:
        """Every rubric snapshot kept in the database, with its origin."""
        rows = self._rows("SELECT body, origin FROM rubric_versions ORDER BY rubric_id, added_at, version")
        return [(rubric_from_row(r), r["origin"]) for r in rows]

    def rubric_by_hash(self, content_hash: str) -> Rubric | None:
        """The rubric snapshot with this content hash."""
        rows = self._rows("SELECT body FROM rubric_versions WHERE content_hash = ?", [content_hash])
        return rubric_from_row(rows[0]) if rows else None

    def rubric_version_rows(self) -> list[Row]:
        """Every rubric snapshot row (content_hash, rubric_id, version, title, body, added_at, origin)."""
        return self._rows("SELECT * FROM rubric_versions ORDER BY content_hash")

    def insert_rubric_version_rows(self, rows: list[Row]) -> None:
        """Insert rubric snapshot rows as they are, skipping hashes already kept (inside a transaction)."""
        self.db.table("rubric_versions").insert_all(rows, pk="content_hash", ignore=True)
