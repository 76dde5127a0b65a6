"""Export and import times (and file size) for the 200-vendor x 7-rubric x 12-criteria x 3-evaluator workspace.

Run from the repository root: ``PYTHONPATH=. python benchmarks/bench_exchange.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.workspace_gen import generate_workspace, new_evaluator_scores
from vendoreval.services import Workspace
from vendoreval.services.exchange import ExchangeService

TIMES: dict[str, float] = {}


def _timed(label: str, fn, *args, key: str | None = None):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    out = fn(*args)
    seconds = time.perf_counter() - started
    print(f"{label:<42} {seconds:7.2f} s")
    if key:
        TIMES[key] = seconds * 1000
    return out


def _ten_thousand_scores(scores_csv: Path, target: Path) -> int:
    """The first 10,000 rows of the scores CSV, re-attributed to a new evaluator: 10,000 new scores."""
    import csv

    rows = new_evaluator_scores(scores_csv.read_text(encoding="utf-8-sig"), 10_000, "Importer")
    with target.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return len(rows) - 1


def main(argv: list[str] | None = None) -> int:
    """Generate the workspace, then time export, restore into an empty folder, re-export and a merge."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        info = generate_workspace(root / "source", vendors=args.vendors)
        print(f"workspace: {info.counts}")
        src = Workspace(root / "source", evaluator="bench")
        file = root / "workspace.json"
        size = _timed("export (whole workspace, one file)", ExchangeService(src).export_workspace, file,
                      key="export_ms")
        print(f"{'file size':<42} {size / 1024 / 1024:7.2f} MB")
        dst = Workspace(root / "restored", evaluator="bench")
        _timed("import into an empty workspace (restore)", ExchangeService(dst).import_file, file,
               key="import_workspace_ms")
        again = root / "again.json"
        _timed("export of the restored workspace", ExchangeService(dst).export_workspace, again)
        print(f"{'byte-identical round trip':<42} {file.read_bytes() == again.read_bytes()!s:>7}")
        _timed("import into the same workspace (merge)", ExchangeService(dst).import_file, file)
        scores = root / "scores.csv"
        _timed("export scores CSV", ExchangeService(src).export_csv, scores, "scores")
        print(f"{'scores CSV size':<42} {scores.stat().st_size / 1024 / 1024:7.2f} MB")
        ten_k = root / "scores-10000.csv"
        n = _ten_thousand_scores(scores, ten_k)
        _timed(f"import of a {n:,}-row scores CSV (new drafts)", ExchangeService(dst).import_file, ten_k,
               key="import_10000_scores_ms")
        src.close()
        dst.close()
    for key, ms in TIMES.items():
        print(f"RESULT {key}={ms:.1f} ms")
    print(f"RESULT export_size_mb={size / 1024 / 1024:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
