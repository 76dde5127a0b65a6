"""`vendoreval backup` and `vendoreval restore`: copy the workspace database, or put a copy back."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..domain.text import counted, plural
from ..paths import data_dir
from ..services import backup as backups
from .common import EXIT_OK, Context, print_table


def register(sub: Any) -> None:
    """Add the `backup` and `restore` subcommands."""
    p = sub.add_parser("backup", help="copy the workspace database to a backup file",
                       description="Copy the workspace database (SQLite online backup; safe while the app runs). "
                                   "Default: <data folder>/backups/vendoreval-<date>-<time>.db.")
    p.add_argument("--out", metavar="FILE", type=Path, help="write the backup here (a file name or a folder)")
    p.add_argument("--list", action="store_true", help="list the backups in the workspace's backups folder")
    p.set_defaults(func=cmd_backup)

    r = sub.add_parser("restore", help="replace the workspace database with a backup file",
                       description="Check FILE (integrity, vendoreval schema not newer than this version), keep a "
                                   "safety copy of the current database in the backups folder, then replace the "
                                   "database in one step: fully restored or unchanged.")
    r.add_argument("file", metavar="FILE", type=Path, help="a backup made by `vendoreval backup` (or any copy)")
    r.set_defaults(func=cmd_restore)


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    """Write a backup, or list the backups."""
    if args.list:
        rows = [[b.path.name, b.kind, f"{b.size / 1024:.0f} KiB"] for b in backups.list_backups(ctx.ws.data_dir)]
        print_table(["FILE", "KIND", "SIZE"], rows)
        return EXIT_OK
    path = backups.backup(ctx.ws, args.out)
    print(f"Backed up the workspace to {path}")
    return EXIT_OK


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    """Restore the workspace database from a backup file."""
    # The workspace is deliberately not opened through ctx.ws: its database may be the damaged one.
    result = backups.restore(data_dir(ctx.args.data_dir), args.file, actor=ctx.args.evaluator)
    counts = ", ".join(counted(n, t) for t, n in result.info.counts.items() if t in ("vendors", "claims", "scorecards"))
    print(f"Restored the workspace from {result.source} ({counts}).")
    if result.safety_copy:
        print(f"The previous database was kept as {result.safety_copy}")
    if result.missing_evidence_files:
        n = len(result.missing_evidence_files)
        what = ("is not in the evidence folder; that record keeps its title and notes but has no file" if n == 1 else
                "are not in the evidence folder; those records keep their titles and notes but have no file")
        print(f"warning: {plural(n, 'evidence file')} referenced by the backup {what}.")
    return EXIT_OK
