"""Scorecards with their scores: one evaluator's answers for one vendor against one exact rubric version."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ...domain.models import Score, Scorecard
from ..mappers import (
    SCORE_COLUMNS,
    SCORE_ROW_COLUMNS,
    SqlValue,
    score_from_columns,
    score_row,
    score_values,
    scorecard_from_row,
    scorecard_row,
)
from .base import Repository

_SCORE_PK = ("scorecard_id", "criterion_id")
_SCORE_SELECT = f"SELECT scorecard_id, {', '.join(SCORE_COLUMNS)} FROM scores"


class ScorecardRepository(Repository):
    """The ``scorecards`` table (headers) and the ``scores`` table (a scorecard's answers)."""

    def _cards(self, where: str, args: Sequence[SqlValue]) -> list[Scorecard]:
        with self._reading():
            cards = self.db.execute_returning_dicts(
                f"SELECT * FROM scorecards {where} ORDER BY vendor_id, rubric_id, evaluator, version, id",
                list(args),
            )
            ids = [c["id"] for c in cards]
            by_card: dict[str, dict[str, Score]] = {i: {} for i in ids}
            if ids:
                if len(ids) > 500:
                    cursor = self.db.execute(_SCORE_SELECT)
                else:
                    marks = ",".join("?" * len(ids))
                    cursor = self.db.execute(f"{_SCORE_SELECT} WHERE scorecard_id IN ({marks})", ids)
                # tuples, not dicts: the totals read every score of the workspace
                for card_id, cid, answer, level, figure, strength, rationale, claims, evidence, at, rev in cursor:
                    bucket = by_card.get(card_id)
                    if bucket is not None:
                        bucket[cid] = score_from_columns(
                            cid, answer, level, figure, strength, rationale, claims, evidence, at, rev
                        )
        return [scorecard_from_row(c, by_card[c["id"]]) for c in cards]

    def scorecards(self, vendor_id: str | None = None, rubric_id: str | None = None) -> list[Scorecard]:
        """Scorecards with their scores, filtered by vendor and/or rubric."""
        clauses: list[str] = []
        args: list[SqlValue] = []
        if vendor_id is not None:
            clauses.append("vendor_id = ?")
            args.append(vendor_id)
        if rubric_id is not None:
            clauses.append("rubric_id = ?")
            args.append(rubric_id)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._cards(where, args)

    def scorecards_by_evaluator(self, evaluators: Iterable[str]) -> list[Scorecard]:
        """The scorecards (with their scores) of these evaluators, in one query."""
        names = sorted(set(evaluators))
        if not names:
            return []
        return self._cards(f"WHERE evaluator IN ({','.join('?' * len(names))})", names)

    def scorecard(self, scorecard_id: str) -> Scorecard | None:
        """One scorecard with its scores."""
        cards = self._cards("WHERE id = ?", [scorecard_id])
        return cards[0] if cards else None

    def scorecard_rubric_versions(self, vendor_id: str | None = None) -> list[tuple[str, str, str, str]]:
        """Distinct (vendor_id, rubric_id, rubric_version, rubric_hash) of scorecards, without reading scores."""
        sql = "SELECT DISTINCT vendor_id, rubric_id, rubric_version, rubric_hash FROM scorecards"
        args: list[SqlValue] = []
        if vendor_id is not None:
            sql += " WHERE vendor_id = ?"
            args.append(vendor_id)
        with self._reading():
            return [(r[0], r[1], r[2], r[3]) for r in self.db.execute(sql + " ORDER BY vendor_id, rubric_id", args)]

    def save_scorecard_header(self, card: Scorecard) -> None:
        """Insert or replace a scorecard's header row (not its scores)."""
        self._upsert("scorecards", scorecard_row(card), ("id",))

    def save_scorecard_headers(self, cards: Iterable[Scorecard]) -> None:
        """Insert or replace many scorecard header rows in one prepared statement."""
        self._upsert_many("scorecards", [scorecard_row(c) for c in cards], ("id",))

    def save_score(self, scorecard_id: str, score: Score) -> None:
        """Insert or replace one score."""
        self._upsert("scores", score_row(scorecard_id, score), _SCORE_PK)

    def save_scores(self, scores: Iterable[tuple[str, Score]]) -> None:
        """Insert or replace many scores (scorecard id, score) in one prepared statement."""
        self._upsert_values("scores", SCORE_ROW_COLUMNS, [score_values(cid, s) for cid, s in scores], _SCORE_PK)

    def insert_scorecards_bulk(self, cards: list[Scorecard]) -> None:
        """Insert many new scorecards with their scores (inside a transaction)."""
        headers = [scorecard_row(c) for c in cards]
        scores = [score_row(c.id, s) for c in cards for s in c.scores.values()]
        self.db.table("scorecards").insert_all(headers, pk="id", batch_size=1000)
        self.db.table("scores").insert_all(scores, pk=_SCORE_PK, batch_size=2000)

    def scorecard_owner_counts(self) -> dict[str, int]:
        """How many scorecards each owner key owns (scorecards owned by no key left out)."""
        with self._reading():
            rows = self.db.execute("SELECT owner_key, COUNT(*) FROM scorecards WHERE owner_key IS NOT NULL "
                                   "GROUP BY owner_key").fetchall()
        return {str(k): int(n) for k, n in rows}

    def move_scorecard_owner(self, old_key: str, new_key: str) -> int:
        """Give every scorecard owned by ``old_key`` to ``new_key``; returns how many moved."""
        cursor = self.db.execute("UPDATE scorecards SET owner_key = ? WHERE owner_key = ?", [new_key, old_key])
        return int(cursor.rowcount)

    def delete_score(self, scorecard_id: str, criterion_id: str) -> None:
        """Remove one score (the criterion becomes unscored)."""
        self.db.execute("DELETE FROM scores WHERE scorecard_id = ? AND criterion_id = ?", [scorecard_id, criterion_id])

    def delete_scorecard(self, scorecard_id: str) -> None:
        """Delete a scorecard and its scores."""
        self.db.execute("DELETE FROM scorecards WHERE id = ?", [scorecard_id])
