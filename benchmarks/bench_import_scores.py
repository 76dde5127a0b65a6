"""Scores-CSV import through the unit of work against sqlite-utils ``insert_all`` of the same rows.

The target (issue 11): the import of 10,000 scores reaches at least 50 % of the rate of
``db["scores"].insert_all(rows)`` inside one ``db.atomic()`` on a copy of the same database. Both are
measured here in one run, ``--repeat`` times on fresh copies; the figures are the medians (the machine may be
shared, so the ratio of the two sides of the same run is what counts). Run from the repository root:
``PYTHONPATH=. python benchmarks/bench_import_scores.py``.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlite_utils import Database

from benchmarks.workspace_gen import generate_workspace, new_evaluator_scores
from vendoreval.services import Workspace
from vendoreval.services.exchange import ExchangeService
from vendoreval.store.database import CACHE_KIB, WAL_AUTOCHECKPOINT_PAGES


def _scores_csv(ws: Workspace, target: Path, n: int, evaluator: str) -> int:
    """``n`` rows of the workspace's scores, re-attributed to a new evaluator: ``n`` new scores."""
    rows = new_evaluator_scores(ExchangeService(ws).scores_csv().decode("utf-8-sig"), n, evaluator)
    with target.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return len(rows) - 1


def main(argv: list[str] | None = None) -> int:
    """Generate a workspace, then time both ways of writing the same 10,000 scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scores", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--same-pragmas", action="store_true",
                        help="give the insert_all side the app's page cache and checkpoint threshold too")
    args = parser.parse_args(argv)
    vendors = max(10, args.scores // (7 * 12 * 3) + 1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate_workspace(root / "source", vendors=vendors, files_per_vendor=0)
        imports: list[float] = []
        inserts: list[float] = []
        n = 0
        for i in range(args.repeat):
            run = root / f"run{i}"
            shutil.copytree(root / "source", run)
            pristine = root / f"pristine{i}.db"
            shutil.copy(run / "vendoreval.db", pristine)
            ws = Workspace(run, evaluator="bench")
            file = root / f"scores{i}.csv"
            n = _scores_csv(ws, file, args.scores, f"Importer {i}")
            started = time.perf_counter()
            result = ExchangeService(ws).import_file(file)
            imports.append(time.perf_counter() - started)
            assert result.added["scores"] == n, result.summary()
            rows = ws.store.db.execute_returning_dicts(
                "SELECT s.* FROM scores s JOIN scorecards c ON c.id = s.scorecard_id WHERE c.evaluator LIKE ?",
                [f"Importer {i} for %"])
            headers = ws.store.db.execute_returning_dicts(
                "SELECT * FROM scorecards WHERE evaluator LIKE ?", [f"Importer {i} for %"])
            ws.close()
            db = Database(pristine)
            if args.same_pragmas:
                db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
                db.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
            started = time.perf_counter()
            with db.atomic():
                db["scorecards"].insert_all(headers, pk="id")  # type: ignore[union-attr]
                db["scores"].insert_all(rows, pk=("scorecard_id", "criterion_id"))  # type: ignore[union-attr]
            inserts.append(time.perf_counter() - started)
            db.close()
            print(f"  run {i + 1}: import {imports[-1] * 1000:.1f} ms, insert_all {inserts[-1] * 1000:.1f} ms, "
                  f"{100 * inserts[-1] / imports[-1]:.0f} %", flush=True)
        best_import, best_insert = statistics.median(imports), statistics.median(inserts)
        import_rate, insert_rate = n / best_import, n / best_insert
        ratio = statistics.median(b / a for a, b in zip(imports, inserts, strict=True))
        print(f"scores imported per run            {n:>10,}")
        print(f"CSV import through the unit of work (median) {best_import * 1000:9.1f} ms  {import_rate:10,.0f} rows/s")
        print(f"sqlite-utils insert_all, one atomic {best_insert * 1000:9.1f} ms  {insert_rate:10,.0f} rows/s")
        print(f"RESULT import_rate_vs_insert_all={100 * ratio:.0f} %  (median of the runs' ratios; target >= 50 %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
