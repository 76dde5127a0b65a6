"""What every repository shares: the connection, the file name for error messages, reads, upserts."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path

from ..connection import Connection
from ..database import translate
from ..mappers import Row, SqlValue

#: The most parameters one statement may bind on every SQLite Python may be built with (999 before 3.32).
MAX_PARAMETERS = 999


class Repository:
    """The plumbing of the repositories: ``db`` (the workspace's connection) and ``path`` (its file).

    Each repository is a subclass whose methods use only ``self.db``, ``self.path`` and the helpers here,
    so one can be made on its own (``VendorRepository(db, path)``) or mixed into ``Store`` with the others,
    where all of them share one connection and one cache of prepared statements.
    """

    def __init__(self, db: Connection, path: Path) -> None:
        self.db = db
        self.path = path
        self._upsert_sql: dict[tuple[str, tuple[str, ...], tuple[str, ...], int], str] = {}

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Reads inside turn sqlite3 errors into StoreError in the user's words (writes: ``atomic`` does)."""
        try:
            yield
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def _upsert(self, table: str, row: Row, pk: tuple[str, ...]) -> None:
        """INSERT ... ON CONFLICT DO UPDATE for one row with a prepared statement.

        sqlite-utils' upsert() introspects the table on every call, which made each edit and each
        imported row several times slower; an update never deletes, so child rows are untouched.
        A row with a ``revision`` column is inserted with the revision it carries and, when it replaces
        a stored row, gets the stored revision + 1 (whatever it carried): every write raises it by one.
        """
        self._upsert_many(table, [row], pk)

    def _upsert_many(self, table: str, rows: Sequence[Row], pk: tuple[str, ...]) -> None:
        """The upsert of ``_upsert`` for rows that all have the same columns, as one executemany."""
        if not rows:
            return
        cols = tuple(rows[0])
        if len(rows) == 1:
            self.db.execute(self._upsert_statement(table, cols, pk), [rows[0][c] for c in cols])
        else:
            self._upsert_values(table, cols, [[row[c] for c in cols] for row in rows], pk)

    def _upsert_values(self, table: str, cols: tuple[str, ...], values: Sequence[Sequence[SqlValue]],
                       pk: tuple[str, ...]) -> None:
        """``_upsert_many`` of rows given as values in the order of ``cols`` (a bulk write makes no dicts).

        Many rows go in one statement each (as sqlite-utils' insert_all does): SQLite runs one statement
        per chunk instead of one per row. Rows of the same key later in the list win, as one by one.
        """
        if not values:
            return
        per = MAX_PARAMETERS // len(cols)
        whole = len(values) - len(values) % per
        conn = self.db.conn
        if whole:
            sql = self._upsert_statement(table, cols, pk, per)
            for start in range(0, whole, per):
                conn.execute(sql, list(chain.from_iterable(values[start:start + per])))
        if whole < len(values):
            conn.executemany(self._upsert_statement(table, cols, pk), values[whole:])

    def _upsert_statement(self, table: str, cols: tuple[str, ...], pk: tuple[str, ...], rows: int = 1) -> str:
        key = (table, cols, pk, rows)
        sql = self._upsert_sql.get(key)
        if sql is None:
            names = ", ".join(f'"{c}"' for c in cols)
            marks = ", ".join(["(" + ", ".join("?" for _ in cols) + ")"] * rows)
            updates = ", ".join(f'"{c}" = "{table}"."revision" + 1' if c == "revision" else f'"{c}" = excluded."{c}"'
                                for c in cols if c not in pk)
            conflict = ", ".join(f'"{c}"' for c in pk)
            sql = f'INSERT INTO "{table}" ({names}) VALUES {marks} ON CONFLICT ({conflict}) DO UPDATE SET {updates}'
            self._upsert_sql[key] = sql
        return sql

    def _put_all(self, table: str, rows: list[Row], pk: str | tuple[str, ...], upsert: bool) -> None:
        """Insert (or with upsert, insert-or-update, revisions raised as in ``_upsert``) many rows."""
        # upsert is INSERT ... ON CONFLICT DO UPDATE: never a delete, so no cascade to child rows
        if upsert:
            self._upsert_many(table, rows, (pk,) if isinstance(pk, str) else pk)
        else:
            self.db.table(table).insert_all(rows, pk=pk, batch_size=1000)

    def _rows(self, sql: str, args: Sequence[SqlValue] = ()) -> list[Row]:
        """The rows of a read query as dicts (sqlite3 errors as StoreError)."""
        with self._reading():
            return self.db.execute_returning_dicts(sql, list(args))
