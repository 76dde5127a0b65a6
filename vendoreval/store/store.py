"""The workspace store: every query the app runs, returning pydantic models. The only place with SQL."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from ..domain.models import (
    AgreedScore,
    Answer,
    AuditEntry,
    Claim,
    CriterionRef,
    Decision,
    Evidence,
    EvidenceStrength,
    Score,
    Scorecard,
    ScorecardStatus,
    Vendor,
    WeightProfile,
    utc_now,
)
from ..domain.rubric import Rubric
from ..inputs import input_file_problem
from .blobs import BlobStore
from .database import DB_FILENAME, StoreError, atomic, open_database, translate

_JSON = json.dumps

#: How long a restore waits for another program's lock on the live database before giving up (tests patch it).
RESTORE_LOCK_SECONDS = 3.0


def _loads(text: str | None, default: Any) -> Any:
    if not text or text == "[]":
        return [] if text == "[]" else default
    return json.loads(text)


_SCORE_COLUMNS = "criterion_id, answer, level, figure, strength, rationale, claim_ids, evidence_ids, updated_at"
_ANSWERS = {a.value: a for a in Answer}
_STRENGTHS = {s.value: s for s in EvidenceStrength}


class Store:
    """One workspace: the SQLite file and the evidence blobs beside it."""

    def __init__(self, data_dir: Path, *, create: bool = True, busy_timeout_ms: int = 3000,
                 read_only: bool = False) -> None:
        """Open the workspace in ``data_dir``; ``read_only``: an existing one, on a connection that cannot write."""
        self.data_dir = Path(data_dir)
        create = create and not read_only
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise StoreError(f"The data folder {self.data_dir} is a file, not a folder; choose a folder.")
        if create:
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"Cannot create the data folder {self.data_dir}: {exc.strerror}") from None
        elif not self.data_dir.is_dir():
            raise StoreError(f"The data folder {self.data_dir} does not exist.")
        self.path = self.data_dir / DB_FILENAME
        self.read_only = read_only
        self.db: Database = open_database(self.path, create=create, busy_timeout_ms=busy_timeout_ms,
                                          read_only=read_only)
        self.blobs = BlobStore(self.data_dir / "evidence")
        self._upsert_sql: dict[tuple[str, tuple[str, ...], tuple[str, ...]], str] = {}

    # --- plumbing -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: all writes inside land together or not at all."""
        with atomic(self.db, self.path):
            yield

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def close(self) -> None:
        """Close the connection."""
        with contextlib.suppress(sqlite3.Error):
            self.db.close()

    def change_stamp(self) -> tuple[int, int]:
        """Changes by this connection and PRAGMA data_version (others'): equal stamps mean unchanged data."""
        with self._reading():
            version = int(self.db.execute("PRAGMA data_version").fetchone()[0])
            return self.db.conn.total_changes, version

    def is_empty(self) -> bool:
        """True when the workspace has no vendors."""
        with self._reading():
            return self.db.execute("SELECT COUNT(*) FROM vendors").fetchone()[0] == 0

    def integrity_check(self) -> str:
        """SQLite's integrity check result ('ok' when healthy)."""
        with self._reading():
            return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    def counts(self) -> dict[str, int]:
        """Row counts per table (for status lines and tests)."""
        tables = ["vendors", "claims", "evidence", "scorecards", "scores", "agreed_scores", "audit"]
        with self._reading():
            return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}

    # --- vendors --------------------------------------------------------------------------------

    @staticmethod
    def _vendor(row: dict[str, Any]) -> Vendor:
        return Vendor.model_construct(
            id=row["id"],
            name=row["name"],
            product=row["product"],
            website=row["website"],
            description=row["description"],
            decision=Decision(row["decision"]),
            conditions=_loads(row["conditions"], []),
            archived=bool(row["archived"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    def vendors(self, include_archived: bool = True) -> list[Vendor]:
        """All vendors, by name."""
        where = "" if include_archived else "WHERE archived = 0"
        with self._reading():
            rows = self.db.execute_returning_dicts(
                f"SELECT * FROM vendors {where} ORDER BY name COLLATE NOCASE, id"
            )
        return [self._vendor(r) for r in rows]

    def vendor(self, vendor_id: str) -> Vendor | None:
        """One vendor by id."""
        with self._reading():
            rows = self.db.execute_returning_dicts("SELECT * FROM vendors WHERE id = ?", [vendor_id])
        return self._vendor(rows[0]) if rows else None

    def vendor_by_name(self, name: str) -> Vendor | None:
        """One vendor by name (case-insensitive)."""
        with self._reading():
            rows = self.db.execute_returning_dicts(
                "SELECT * FROM vendors WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1", [name.strip()]
            )
        return self._vendor(rows[0]) if rows else None

    def save_vendor(self, vendor: Vendor) -> None:
        """Insert or replace a vendor (call inside a transaction)."""
        row = vendor.model_dump(mode="json")
        row["conditions"] = _JSON(row["conditions"], ensure_ascii=False)
        row["archived"] = int(row["archived"])
        self.db["vendors"].upsert(row, pk="id")  # type: ignore[union-attr]

    def delete_vendor(self, vendor_id: str) -> None:
        """Delete a vendor with its claims, evidence records and scorecards (cascade)."""
        self.db.execute("DELETE FROM vendors WHERE id = ?", [vendor_id])

    # --- claims ---------------------------------------------------------------------------------

    @staticmethod
    def _claim(row: dict[str, Any]) -> Claim:
        return Claim.model_validate(
            {
                **row,
                "criteria": [CriterionRef.parse(c) for c in _loads(row["criteria"], [])],
                "evidence_ids": _loads(row["evidence_ids"], []),
            }
        )

    def claims(self, vendor_id: str | None = None) -> list[Claim]:
        """Claims of one vendor (or all), oldest first."""
        with self._reading():
            if vendor_id is None:
                rows = self.db.execute_returning_dicts("SELECT * FROM claims ORDER BY created_at, id")
            else:
                rows = self.db.execute_returning_dicts(
                    "SELECT * FROM claims WHERE vendor_id = ? ORDER BY created_at, id", [vendor_id]
                )
        return [self._claim(r) for r in rows]

    def claim(self, claim_id: str) -> Claim | None:
        """One claim by id."""
        with self._reading():
            rows = self.db.execute_returning_dicts("SELECT * FROM claims WHERE id = ?", [claim_id])
        return self._claim(rows[0]) if rows else None

    def save_claim(self, claim: Claim) -> None:
        """Insert or replace a claim (inside a transaction)."""
        row = claim.model_dump(mode="json")
        row["criteria"] = _JSON(row_criteria(claim.criteria))
        row["evidence_ids"] = _JSON(row["evidence_ids"])
        self.db["claims"].upsert(row, pk="id")  # type: ignore[union-attr]

    def delete_claim(self, claim_id: str) -> None:
        """Delete a claim."""
        self.db.execute("DELETE FROM claims WHERE id = ?", [claim_id])

    # --- evidence -------------------------------------------------------------------------------

    def evidence(self, vendor_id: str | None = None) -> list[Evidence]:
        """Evidence items of one vendor (or all), oldest first."""
        with self._reading():
            if vendor_id is None:
                rows = self.db.execute_returning_dicts("SELECT * FROM evidence ORDER BY created_at, id")
            else:
                rows = self.db.execute_returning_dicts(
                    "SELECT * FROM evidence WHERE vendor_id = ? ORDER BY created_at, id", [vendor_id]
                )
        return [Evidence.model_validate(r) for r in rows]

    def evidence_item(self, evidence_id: str) -> Evidence | None:
        """One evidence item by id."""
        with self._reading():
            rows = self.db.execute_returning_dicts("SELECT * FROM evidence WHERE id = ?", [evidence_id])
        return Evidence.model_validate(rows[0]) if rows else None

    def save_evidence(self, item: Evidence) -> None:
        """Insert or replace an evidence record (inside a transaction)."""
        self.db["evidence"].upsert(item.model_dump(mode="json"), pk="id")  # type: ignore[union-attr]

    def delete_evidence(self, evidence_id: str) -> None:
        """Delete an evidence record (the blob stays: other records may share it)."""
        self.db.execute("DELETE FROM evidence WHERE id = ?", [evidence_id])

    def blob_in_use(self, sha256: str) -> bool:
        """True when any evidence record points at this blob."""
        with self._reading():
            return bool(self.db.execute("SELECT 1 FROM evidence WHERE sha256 = ? LIMIT 1", [sha256]).fetchone())

    # --- rubric snapshots -----------------------------------------------------------------------

    def save_rubric_version(self, rubric: Rubric, origin: str = "shipped") -> bool:
        """Keep a snapshot of this exact rubric content; returns True when it was new."""
        h = rubric.content_hash
        exists = self.db.execute("SELECT 1 FROM rubric_versions WHERE content_hash = ?", [h]).fetchone()
        if exists:
            return False
        self.db["rubric_versions"].insert(  # type: ignore[union-attr]
            {
                "content_hash": h,
                "rubric_id": rubric.id,
                "version": rubric.version,
                "title": rubric.title,
                "body": rubric.to_json(),
                "added_at": utc_now(),
                "origin": origin,
            }
        )
        return True

    def rubric_versions(self) -> list[tuple[Rubric, str]]:
        """Every rubric snapshot kept in the database, with its origin."""
        with self._reading():
            rows = self.db.execute_returning_dicts(
                "SELECT body, origin FROM rubric_versions ORDER BY rubric_id, added_at, version"
            )
        return [(Rubric.model_validate_json(r["body"]), r["origin"]) for r in rows]

    def rubric_by_hash(self, content_hash: str) -> Rubric | None:
        """The rubric snapshot with this content hash."""
        with self._reading():
            row = self.db.execute("SELECT body FROM rubric_versions WHERE content_hash = ?", [content_hash]).fetchone()
        return Rubric.model_validate_json(row[0]) if row else None

    # --- scorecards -----------------------------------------------------------------------------

    @staticmethod
    def _score(row: dict[str, Any]) -> Score:
        return Score.model_construct(
            criterion_id=row["criterion_id"],
            answer=Answer(row["answer"]),
            level=row["level"],
            figure=row["figure"],
            strength=EvidenceStrength(row["strength"]) if row["strength"] else None,
            rationale=row["rationale"],
            claim_ids=_loads(row["claim_ids"], []),
            evidence_ids=_loads(row["evidence_ids"], []),
            updated_at=row["updated_at"],
        )

    def _cards(self, where: str, args: Iterable[Any]) -> list[Scorecard]:
        with self._reading():
            cards = self.db.execute_returning_dicts(
                f"SELECT * FROM scorecards {where} ORDER BY vendor_id, rubric_id, evaluator, version, id",
                list(args),
            )
            ids = [c["id"] for c in cards]
            by_card: dict[str, dict[str, Score]] = {i: {} for i in ids}
            if ids:
                if len(ids) > 500:
                    cursor = self.db.execute(f"SELECT scorecard_id, {_SCORE_COLUMNS} FROM scores")
                else:
                    marks = ",".join("?" * len(ids))
                    cursor = self.db.execute(
                        f"SELECT scorecard_id, {_SCORE_COLUMNS} FROM scores WHERE scorecard_id IN ({marks})", ids
                    )
                construct = Score.model_construct
                for card_id, cid, answer, level, figure, strength, rationale, claims, evidence, at in cursor:
                    bucket = by_card.get(card_id)
                    if bucket is not None:
                        bucket[cid] = construct(
                            criterion_id=cid, answer=_ANSWERS[answer], level=level, figure=figure,
                            strength=_STRENGTHS[strength] if strength else None, rationale=rationale,
                            claim_ids=_loads(claims, []), evidence_ids=_loads(evidence, []), updated_at=at,
                        )
        return [
            Scorecard.model_construct(**{**c, "status": ScorecardStatus(c["status"])}, scores=by_card[c["id"]])
            for c in cards
        ]

    def scorecards(self, vendor_id: str | None = None, rubric_id: str | None = None) -> list[Scorecard]:
        """Scorecards with their scores, filtered by vendor and/or rubric."""
        clauses, args = [], []
        if vendor_id is not None:
            clauses.append("vendor_id = ?")
            args.append(vendor_id)
        if rubric_id is not None:
            clauses.append("rubric_id = ?")
            args.append(rubric_id)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._cards(where, args)

    def scorecard(self, scorecard_id: str) -> Scorecard | None:
        """One scorecard with its scores."""
        cards = self._cards("WHERE id = ?", [scorecard_id])
        return cards[0] if cards else None

    def save_scorecard_header(self, card: Scorecard) -> None:
        """Insert or replace a scorecard's header row (not its scores)."""
        row = card.model_dump(mode="json", exclude={"scores"})
        self._upsert("scorecards", row, ("id",))

    def save_score(self, scorecard_id: str, score: Score) -> None:
        """Insert or replace one score."""
        self._upsert("scores", self.score_row(scorecard_id, score), ("scorecard_id", "criterion_id"))

    def _upsert(self, table: str, row: dict[str, Any], pk: tuple[str, ...]) -> None:
        """INSERT ... ON CONFLICT DO UPDATE for one row with a prepared statement.

        sqlite-utils' upsert() introspects the table on every call, which made each edit and each
        imported row several times slower; an update never deletes, so child rows are untouched.
        """
        cols = tuple(row)
        key = (table, cols, pk)
        sql = self._upsert_sql.get(key)
        if sql is None:
            names = ", ".join(f'"{c}"' for c in cols)
            marks = ", ".join("?" for _ in cols)
            updates = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c not in pk)
            conflict = ", ".join(f'"{c}"' for c in pk)
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT ({conflict}) DO UPDATE SET {updates}'
            self._upsert_sql[key] = sql
        self.db.execute(sql, [row[c] for c in cols])

    @staticmethod
    def score_row(scorecard_id: str, score: Score) -> dict[str, Any]:
        """The database row for one score."""
        return {
            "scorecard_id": scorecard_id,
            "criterion_id": score.criterion_id,
            "answer": str(score.answer),
            "level": score.level,
            "figure": score.figure,
            "strength": str(score.strength) if score.strength is not None else None,
            "rationale": score.rationale,
            "claim_ids": _JSON(list(score.claim_ids)),
            "evidence_ids": _JSON(list(score.evidence_ids)),
            "updated_at": score.updated_at,
        }

    def delete_score(self, scorecard_id: str, criterion_id: str) -> None:
        """Remove one score (the criterion becomes unscored)."""
        self.db.execute(
            "DELETE FROM scores WHERE scorecard_id = ? AND criterion_id = ?", [scorecard_id, criterion_id]
        )

    def delete_scorecard(self, scorecard_id: str) -> None:
        """Delete a scorecard and its scores."""
        self.db.execute("DELETE FROM scorecards WHERE id = ?", [scorecard_id])

    def insert_scorecards_bulk(self, cards: list[Scorecard]) -> None:
        """Insert many new scorecards with their scores (inside a transaction)."""
        headers = [c.model_dump(mode="json", exclude={"scores"}) for c in cards]
        scores = [self.score_row(c.id, s) for c in cards for s in c.scores.values()]
        self.db["scorecards"].insert_all(headers, pk="id", batch_size=1000)  # type: ignore[union-attr]
        self.db["scores"].insert_all(  # type: ignore[union-attr]
            scores, pk=("scorecard_id", "criterion_id"), batch_size=2000
        )

    # --- agreed scores --------------------------------------------------------------------------

    def agreed_scores(self, vendor_id: str | None = None) -> list[AgreedScore]:
        """Agreed (consensus) scores."""
        with self._reading():
            if vendor_id is None:
                rows = self.db.execute_returning_dicts("SELECT * FROM agreed_scores ORDER BY vendor_id, criterion_id")
            else:
                rows = self.db.execute_returning_dicts(
                    "SELECT * FROM agreed_scores WHERE vendor_id = ? ORDER BY criterion_id", [vendor_id]
                )
        return [AgreedScore.model_validate(r) for r in rows]

    def save_agreed_score(self, agreed: AgreedScore) -> None:
        """Insert or replace an agreed score."""
        self.db["agreed_scores"].upsert(  # type: ignore[union-attr]
            agreed.model_dump(mode="json"), pk=("vendor_id", "rubric_hash", "criterion_id")
        )

    def delete_agreed_score(self, vendor_id: str, rubric_hash: str, criterion_id: str) -> None:
        """Remove an agreed score."""
        self.db.execute(
            "DELETE FROM agreed_scores WHERE vendor_id = ? AND rubric_hash = ? AND criterion_id = ?",
            [vendor_id, rubric_hash, criterion_id],
        )

    # --- audit ----------------------------------------------------------------------------------

    def add_audit(self, entry: AuditEntry) -> None:
        """Append one audit entry (inside the transaction of the change it records)."""
        self.db.execute(
            "INSERT INTO audit (at, actor, action, entity, entity_id, vendor_id, field, old, new, summary) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [entry.at, entry.actor, entry.action, entry.entity, entry.entity_id, entry.vendor_id, entry.field,
             entry.old, entry.new, entry.summary],
        )

    def add_audit_entries(self, entries: list[AuditEntry]) -> None:
        """Append audit entries in one prepared statement (inside the transaction of the change)."""
        self.db.conn.executemany(
            "INSERT INTO audit (at, actor, action, entity, entity_id, vendor_id, field, old, new, summary) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(e.at, e.actor, e.action, e.entity, e.entity_id, e.vendor_id, e.field, e.old, e.new, e.summary)
             for e in entries],
        )

    def audit(self, vendor_id: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Audit entries, newest first."""
        sql = "SELECT * FROM audit"
        args: list[Any] = []
        if vendor_id is not None:
            sql += " WHERE vendor_id = ?"
            args.append(vendor_id)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._reading():
            rows = self.db.execute_returning_dicts(sql, args)
        return [AuditEntry.model_validate(r) for r in rows]

    def insert_audit_rows(self, entries: list[AuditEntry]) -> None:
        """Append audit entries keeping their ids (workspace restore)."""
        rows = [e.model_dump(mode="json") for e in entries]
        self.db["audit"].insert_all(rows, pk="id")  # type: ignore[union-attr]

    # --- weight profiles ------------------------------------------------------------------------

    def weight_profiles(self) -> list[WeightProfile]:
        """Stored weight profiles by name."""
        with self._reading():
            rows = self.db.execute_returning_dicts("SELECT * FROM weight_profiles ORDER BY builtin DESC, name")
        return [
            WeightProfile(
                name=r["name"],
                description=r["description"],
                rubric_weights=_loads(r["rubric_weights"], {}),
                criterion_weights=_loads(r["criterion_weights"], {}),
                builtin=bool(r["builtin"]),
            )
            for r in rows
        ]

    def save_weight_profile(self, profile: WeightProfile) -> None:
        """Insert or replace a weight profile."""
        self.db["weight_profiles"].upsert(  # type: ignore[union-attr]
            {
                "name": profile.name,
                "description": profile.description,
                "rubric_weights": _JSON(profile.rubric_weights, sort_keys=True),
                "criterion_weights": _JSON(profile.criterion_weights, sort_keys=True),
                "builtin": int(profile.builtin),
            },
            pk="name",
        )

    def delete_weight_profile(self, name: str) -> None:
        """Delete a weight profile."""
        self.db.execute("DELETE FROM weight_profiles WHERE name = ?", [name])

    # --- settings & keys ------------------------------------------------------------------------

    def settings(self) -> dict[str, Any]:
        """Workspace settings as a dict of JSON values."""
        with self._reading():
            rows = self.db.execute("SELECT key, value FROM settings").fetchall()
        return {k: json.loads(v) for k, v in rows}

    def set_setting(self, key: str, value: Any) -> None:
        """Store one workspace setting."""
        self.db["settings"].upsert({"key": key, "value": _JSON(value)}, pk="key")  # type: ignore[union-attr]

    def trusted_keys(self) -> dict[str, dict[str, str]]:
        """Trusted signing keys by fingerprint."""
        with self._reading():
            rows = self.db.execute_returning_dicts("SELECT * FROM trusted_keys ORDER BY fingerprint")
        return {r["fingerprint"]: r for r in rows}

    def trust_key(self, fingerprint: str, public_key: str, name: str, at: str) -> None:
        """Record a signing key as trusted."""
        self.db["trusted_keys"].upsert(  # type: ignore[union-attr]
            {"fingerprint": fingerprint, "public_key": public_key, "name": name, "trusted_at": at},
            pk="fingerprint",
        )

    # --- exchange: bulk reads and writes for workspace export/import (services/exchange.py) ----

    def table_counts(self) -> dict[str, int]:
        """Row counts of every workspace table, rubric snapshots, settings and keys included."""
        tables = ["vendors", "claims", "evidence", "rubric_versions", "scorecards", "scores", "agreed_scores",
                  "audit", "weight_profiles", "settings", "trusted_keys"]
        with self._reading():
            return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}

    def rubric_version_rows(self) -> list[dict[str, Any]]:
        """Every rubric snapshot row (content_hash, rubric_id, version, title, body, added_at, origin)."""
        with self._reading():
            return self.db.execute_returning_dicts("SELECT * FROM rubric_versions ORDER BY content_hash")

    def insert_rubric_version_rows(self, rows: list[dict[str, Any]]) -> None:
        """Insert rubric snapshot rows as they are, skipping hashes already kept (inside a transaction)."""
        self.db["rubric_versions"].insert_all(rows, pk="content_hash", ignore=True)  # type: ignore[union-attr]

    def insert_vendors_bulk(self, vendors: list[Vendor], *, upsert: bool = False) -> None:
        """Insert (or with upsert, insert-or-update) many vendors (inside a transaction)."""
        rows = []
        for v in vendors:
            row = v.model_dump(mode="json")
            row["conditions"] = _JSON(row["conditions"], ensure_ascii=False)
            row["archived"] = int(row["archived"])
            rows.append(row)
        self._put_all("vendors", rows, "id", upsert)

    def insert_claims_bulk(self, claims: list[Claim], *, upsert: bool = False) -> None:
        """Insert (or with upsert, insert-or-update) many claims (inside a transaction)."""
        rows = []
        for c in claims:
            row = c.model_dump(mode="json")
            row["criteria"] = _JSON(row_criteria(c.criteria))
            row["evidence_ids"] = _JSON(row["evidence_ids"])
            rows.append(row)
        self._put_all("claims", rows, "id", upsert)

    def insert_evidence_bulk(self, items: list[Evidence], *, upsert: bool = False) -> None:
        """Insert (or with upsert, insert-or-update) many evidence records (inside a transaction)."""
        rows = [e.model_dump(mode="json") for e in items]
        self._put_all("evidence", rows, "id", upsert)

    def insert_agreed_bulk(self, items: list[AgreedScore], *, upsert: bool = False) -> None:
        """Insert (or with upsert, insert-or-update) many agreed scores (inside a transaction)."""
        rows = [a.model_dump(mode="json") for a in items]
        self._put_all("agreed_scores", rows, ("vendor_id", "rubric_hash", "criterion_id"), upsert)

    def _put_all(self, table: str, rows: list[dict[str, Any]], pk: Any, upsert: bool) -> None:
        # upsert is INSERT ... ON CONFLICT DO UPDATE: never a delete, so no cascade to child rows
        if upsert:
            self.db[table].upsert_all(rows, pk=pk, batch_size=1000)  # type: ignore[union-attr]
        else:
            self.db[table].insert_all(rows, pk=pk, batch_size=1000)  # type: ignore[union-attr]

    def audit_ascending(self) -> list[AuditEntry]:
        """The whole audit log, oldest first."""
        with self._reading():
            rows = self.db.execute_returning_dicts("SELECT * FROM audit ORDER BY id")
        return [AuditEntry.model_validate(r) for r in rows]

    # --- end of exchange ------------------------------------------------------------------------

    # --- backup & restore (SQLite online backup API; used by services/backup.py) ---------------

    def backup_to(self, target: Path) -> None:
        """Write a consistent copy of the live database to ``target`` (a single file, rollback journal).

        Uses SQLite's online backup API, so it is safe while other connections read and write. The copy
        is written to a temporary file beside ``target``, checked, and moved into place: ``target`` is
        either the complete copy or untouched.
        """
        backup_database(self.db.conn, target, self.path)

    def restore_from(self, prepared: Path) -> None:
        """Replace the live database's content with a file checked by ``prepare_restore``.

        One write transaction on the live database (the backup API copies every page in one step), so
        a crash or an error leaves the old content; other connections see the new content afterwards.
        """
        try:
            src = sqlite3.connect(str(prepared))
        except sqlite3.Error as exc:
            raise translate(exc, prepared) from None
        # Python's backup loop retries a locked destination forever; give up after RESTORE_LOCK_SECONDS.
        deadline = time.monotonic() + RESTORE_LOCK_SECONDS

        def give_up_when_locked(status: int, remaining: int, total: int) -> None:
            if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
                raise sqlite3.OperationalError("database is locked")

        try:
            src.backup(self.db.conn, pages=-1, progress=give_up_when_locked, sleep=0.05)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        finally:
            src.close()
        result = self.integrity_check()
        if result != "ok":  # pragma: no cover - a checked file copied by SQLite itself
            raise StoreError(f"The restored database {self.path} failed its integrity check: {result}")

    # --- consensus page: scorecard headers without scores (services/consensus.py) ---------------

    def scorecard_rubric_versions(self, vendor_id: str | None = None) -> list[tuple[str, str, str, str]]:
        """Distinct (vendor_id, rubric_id, rubric_version, rubric_hash) of scorecards, without reading scores."""
        sql = "SELECT DISTINCT vendor_id, rubric_id, rubric_version, rubric_hash FROM scorecards"
        args: list[Any] = []
        if vendor_id is not None:
            sql += " WHERE vendor_id = ?"
            args.append(vendor_id)
        with self._reading():
            return [tuple(r) for r in self.db.execute(sql + " ORDER BY vendor_id, rubric_id", args)]


def backup_database(conn: sqlite3.Connection, target: Path, source_name: Path | str) -> None:
    """Copy the database behind ``conn`` to ``target`` atomically (temp file, check, rename)."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Cannot create the backup folder {target.parent}: {exc.strerror or exc}") from None
    tmp = target.with_name(f".{target.name}.partial")
    _remove_db_files(tmp)
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            conn.backup(dest, pages=-1)
            # A backup is one self-contained file: no -wal beside it, whatever the live journal mode.
            dest.execute("PRAGMA journal_mode = DELETE")
            check = str(dest.execute("PRAGMA quick_check").fetchone()[0])
        finally:
            dest.close()
        if check != "ok":  # pragma: no cover - SQLite copied its own pages
            raise StoreError(f"The backup of {source_name} failed its check ({check}); nothing was written.")
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        _remove_db_files(tmp)
        if _is_write_failure(exc):  # the backup file could not be written: name it, not the live database
            raise StoreError(f"Cannot write the backup {target}: {exc}; nothing was written.") from None
        raise translate(exc, source_name) from None
    except OSError as exc:
        _remove_db_files(tmp)
        raise StoreError(f"Cannot write the backup {target}: {exc.strerror or exc}") from None


def _is_write_failure(exc: sqlite3.Error) -> bool:
    """True for SQLite errors that mean a file could not be created or written (not a damaged source)."""
    text = str(exc).lower()
    return any(w in text for w in ("unable to open", "readonly", "read-only", "disk i/o", "disk is full"))


@dataclasses.dataclass(frozen=True)
class DatabaseFileInfo:
    """What a candidate restore file holds: its schema version and row counts."""

    path: Path
    schema_version: int
    counts: dict[str, int]


def prepare_restore(source: Path, staging: Path) -> DatabaseFileInfo:
    """Copy ``source`` to ``staging`` and make it ready to restore; StoreError if it is not usable.

    Refuses a file that is not SQLite, fails ``PRAGMA integrity_check``, is not a vendoreval database,
    or has a newer schema (NewerSchemaError). An older schema is upgraded in the staging copy. The
    source file is never opened for writing.
    """
    source, staging = Path(source), Path(staging)
    problem = input_file_problem(source)
    if problem is not None:
        raise StoreError(f"{source}: {problem}; nothing was restored.")
    _remove_db_files(staging)
    try:
        staging.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, staging)
        # Committed transactions may still sit in the source's write-ahead log: bring it along.
        wal = source.with_name(source.name + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, staging.with_name(staging.name + "-wal"))
    except OSError as exc:
        _remove_db_files(staging)
        raise StoreError(f"Cannot read {source}: {exc.strerror or exc}") from None
    try:
        return _check_candidate(source, staging)
    except BaseException:
        _remove_db_files(staging)
        raise


def _check_candidate(source: Path, staging: Path) -> DatabaseFileInfo:
    not_ours = StoreError(f"{source} is not a vendoreval database (no vendoreval schema in it); nothing was restored.")
    conn = sqlite3.connect(str(staging))
    try:
        try:
            check = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{source} is not a vendoreval database or is damaged ({exc}); nothing was restored.") \
                from None
        if check != ["ok"]:
            raise StoreError(f"{source} is damaged (integrity check: {'; '.join(check[:3])}); nothing was restored.")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "_sqlite_migrations" not in tables or "vendors" not in tables:
            raise not_ours
        ours = conn.execute("SELECT COUNT(*) FROM _sqlite_migrations WHERE migration_set = 'vendoreval'").fetchone()[0]
        if not ours:
            raise not_ours
    except sqlite3.Error as exc:
        raise StoreError(f"{source} cannot be read as a vendoreval database ({exc}); nothing was restored.") from None
    finally:
        conn.close()
    # open_database refuses a newer schema and applies pending migrations to the staging copy.
    db = open_database(staging, create=False)
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        tables_now = set(db.table_names())
        counts: dict[str, int] = {t: int(db.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0])
                  for t in ("vendors", "claims", "evidence", "scorecards", "scores", "audit") if t in tables_now}
        db.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise translate(exc, source) from None
    finally:
        db.close()
    return DatabaseFileInfo(source, version, counts)


def replace_database_file(prepared: Path, live: Path, aside: Path) -> None:
    """Swap a damaged live database for ``prepared`` by rename; the damaged files are moved to ``aside``.

    Only for a live database that cannot be opened (so no connection can be using it).
    """
    try:
        aside.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            old = live.with_name(live.name + suffix)
            if old.exists():
                os.replace(old, aside.with_name(aside.name + suffix))
        os.replace(prepared, live)
    except OSError as exc:
        raise StoreError(f"Cannot replace {live}: {exc.strerror or exc}") from None


def database_opens(path: Path) -> bool:
    """True when the file at ``path`` opens and reads as SQLite (false for a damaged file)."""
    try:
        conn = sqlite3.connect(str(path))
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return True


def _remove_db_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()

# --- end of backup & restore ----------------------------------------------------------------------


def row_criteria(refs: Iterable[CriterionRef]) -> list[str]:
    """Criterion references as 'rubric:criterion' strings for storage."""
    return [str(r) for r in refs]
