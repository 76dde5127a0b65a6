"""Test helpers that damage a workspace database the way disks, syncs and crashes do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from vendoreval.services import Workspace
from vendoreval.services import backup as backups


def backed_up_workspace(data_dir: Path, names: tuple[str, ...], claims: int,
                        claim_text: str = "Claim {i} of {name}") -> Path:
    """A workspace with these vendors and ``claims`` claims each (and their audit trail), closed, and one
    manual backup of it; returns the backup."""
    ws = Workspace(data_dir, evaluator="ann")
    for name in names:
        v = ws.vendors.create(name)
        for i in range(claims):
            ws.claims.add(v.id, claim_text.format(i=i, name=name))
    made = backups.backup(ws)
    ws.close()
    return made


def damage_a_page(db: Path, table: str = "audit") -> int:
    """Overwrite the b-tree header of one leaf page of ``table`` in the (closed, checkpointed) database file
    with garbage, as a bad sector or a torn sync would; every other page stays intact. Returns the page number.

    The workspace still opens and most commands still work (the page is read only by queries of that
    table); ``PRAGMA quick_check`` reports it.
    """
    conn = sqlite3.connect(db)
    try:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        rows = conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                            (table,)).fetchall()
        if not rows:
            rows = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchall()
    finally:
        conn.close()
    page = int(rows[-1][0])
    with db.open("r+b") as fh:
        fh.seek((page - 1) * page_size)
        fh.write(b"\x07\xff\xff\xff\xff\x00\x00\x00" + b"\xee" * 56)
    return page
