"""The audit log: append-only, one entry per committed change (triggers refuse updates and deletes)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from ...domain.models import AuditEntry, AuditRecord
from ..mappers import AUDIT_COLUMNS, SqlValue, audit_from_row, audit_row, audit_values
from .base import MAX_PARAMETERS, Repository

_APPEND = f"INSERT INTO audit ({', '.join(AUDIT_COLUMNS)}) VALUES ({', '.join('?' * len(AUDIT_COLUMNS))})"
#: Entries appended per statement by ``add_audit_entries``: one INSERT of many rows costs SQLite one
#: statement (and one update of the AUTOINCREMENT counter) instead of one per entry, within the 999
#: parameters SQLite before 3.32 allows.
_CHUNK = MAX_PARAMETERS // len(AUDIT_COLUMNS)
_ROW_MARKS = f"({', '.join('?' * len(AUDIT_COLUMNS))})"
_APPEND_CHUNK = f"INSERT INTO audit ({', '.join(AUDIT_COLUMNS)}) VALUES " + ", ".join([_ROW_MARKS] * _CHUNK)


class AuditRepository(Repository):
    """The ``audit`` table."""

    def add_audit(self, entry: AuditEntry) -> None:
        """Append one audit entry (inside the transaction of the change it records)."""
        self.db.execute(_APPEND, audit_values(entry))

    def add_audit_entries(self, entries: Iterable[AuditEntry | AuditRecord]) -> None:
        """Append audit entries, in their order, in few statements (inside the transaction of the change)."""
        values = [e if isinstance(e, AuditRecord) else audit_values(e) for e in entries]
        whole = len(values) - len(values) % _CHUNK
        conn = self.db.conn
        for start in range(0, whole, _CHUNK):
            conn.execute(_APPEND_CHUNK, list(chain.from_iterable(values[start:start + _CHUNK])))
        if whole < len(values):
            conn.executemany(_APPEND, values[whole:])

    def audit(self, vendor_id: str | None = None, limit: int | None = None) -> list[AuditEntry]:
        """Audit entries, newest first."""
        sql = "SELECT * FROM audit"
        args: list[SqlValue] = []
        if vendor_id is not None:
            sql += " WHERE vendor_id = ?"
            args.append(vendor_id)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [audit_from_row(r) for r in self._rows(sql, args)]

    def audit_ascending(self) -> list[AuditEntry]:
        """The whole audit log, oldest first."""
        return [audit_from_row(r) for r in self._rows("SELECT * FROM audit ORDER BY id")]

    def insert_audit_rows(self, entries: list[AuditEntry]) -> None:
        """Append audit entries keeping their ids (workspace restore)."""
        self.db.table("audit").insert_all([audit_row(e) for e in entries], pk="id")
