"""The workspace's SQLite connection as the repositories use it; sqlite-utils joins it at its first use.

Statements (every read, the prepared upserts of ``repositories/base.py``, the pragmas) run straight on
the ``sqlite3`` connection, as ``sqlite_utils.Database.execute`` runs them. sqlite-utils does what it is
good at — table operations (``insert_all``, ``upsert``, introspection) and the schema migrations — on
the same connection, through ``utils``, which imports it when first asked. Importing sqlite-utils costs
about 57 ms of CPU (its plugin manager, click, dateutil), 14 % of a whole launch on the 200-vendor
workspace (benchmarks/bench_launch.py), and opening a workspace to show it needs none of it: a workspace
whose schema is current is opened, checked and read with plain statements.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.db import Table

Parameters = Sequence[Any] | dict[str, Any]

_savepoints = itertools.count(1)
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})


def _first_keyword(sql: str) -> str:
    """The statement's first word, upper case (our statements start with their keyword)."""
    words = sql.lstrip(" \t\r\n;").split(None, 1)
    return words[0].upper() if words else ""


@contextlib.contextmanager
def savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    """A savepoint inside the open transaction: an exception inside rolls back to it and is raised."""
    name = f"vendoreval_{next(_savepoints)}"
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # a RAISE(ROLLBACK) trigger ends the whole transaction, savepoints with it
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    conn.execute(f"RELEASE SAVEPOINT {name}")


class Connection:
    """One ``sqlite3`` connection; ``utils`` is sqlite-utils' ``Database`` around it, made on first use."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._utils: Database | None = None

    @property
    def utils(self) -> Database:
        """sqlite-utils' Database on this connection (no plugins: that would scan every installed package)."""
        if self._utils is None:
            from sqlite_utils import Database

            self._utils = Database(self.conn, execute_plugins=False)
        return self._utils

    def execute(self, sql: str, parameters: Parameters | None = None) -> sqlite3.Cursor:
        """Run one statement as ``sqlite_utils.Database.execute`` does: a write outside a transaction is
        committed at once, and one that fails outside a transaction leaves none open behind it."""
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")  # the implicit transaction the failed statement opened
            raise
        if (not was_in_transaction and conn.in_transaction and cursor.description is None
                and _first_keyword(sql) not in _TRANSACTION_CONTROL):
            conn.execute("COMMIT")  # the implicit transaction a write outside ``atomic`` opened
        return cursor

    def execute_returning_dicts(self, sql: str, parameters: Parameters | None = None) -> list[dict[str, Any]]:
        """The rows of one query as dicts keyed by column name (as sqlite-utils' method of that name)."""
        cursor = self.execute(sql, parameters)
        keys = [d[0] for d in cursor.description or ()]
        return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]

    def table(self, name: str) -> Table:
        """sqlite-utils' table ``name`` (its bulk inserts and upserts)."""
        return self.utils.table(name)

    def table_names(self) -> list[str]:
        """The names of the tables, in the order SQLite lists them."""
        return [str(r[0]) for r in self.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]

    @property
    def journal_mode(self) -> str:
        """SQLite's journal mode ('wal' for a workspace)."""
        return str(self.execute("PRAGMA journal_mode").fetchone()[0])

    def savepoint(self) -> contextlib.AbstractContextManager[None]:
        """``savepoint`` on this connection."""
        return savepoint(self.conn)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
