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

from benchmarks.workspace_gen import generate_workspace
from vendoreval.services import Workspace
from vendoreval.services.exchange import ExchangeService


def _timed(label: str, fn, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    out = fn(*args)
    print(f"{label:<42} {time.perf_counter() - started:7.2f} s")
    return out


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
        size = _timed("export (whole workspace, one file)", ExchangeService(src).export_workspace, file)
        print(f"{'file size':<42} {size / 1024 / 1024:7.2f} MB")
        dst = Workspace(root / "restored", evaluator="bench")
        _timed("import into an empty workspace (restore)", ExchangeService(dst).import_file, file)
        again = root / "again.json"
        _timed("export of the restored workspace", ExchangeService(dst).export_workspace, again)
        print(f"{'byte-identical round trip':<42} {file.read_bytes() == again.read_bytes()!s:>7}")
        _timed("import into the same workspace (merge)", ExchangeService(dst).import_file, file)
        scores = root / "scores.csv"
        _timed("export scores CSV", ExchangeService(src).export_csv, scores, "scores")
        print(f"{'scores CSV size':<42} {scores.stat().st_size / 1024 / 1024:7.2f} MB")
        src.close()
        dst.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
