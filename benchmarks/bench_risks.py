"""Risk register benchmark: deriving the risks on a generated workspace of 200 vendors.

Prints the median time of (a) one vendor's risks, as the vendor page's Risks tab asks for them (ranked against
every other vendor), and (b) the whole register, as the board brief and `vendoreval risks` ask for it. Both
are warm (the totals cache filled by a first untimed run). The Risks tab derives them in the background;
(a) is how long the tab waits for its rows.

    PYTHONPATH=. python benchmarks/bench_risks.py [--vendors 200] [--runs 5] [--workspace DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.workspace_gen import generate_workspace
from vendoreval.services.workspace import Workspace


def main(argv: list[str] | None = None) -> int:
    """Generate (or reuse) the workspace, time both, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workspace", type=Path, help="reuse (or create) the benchmark workspace here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-risks-") as tmp:
        folder = args.workspace or Path(tmp) / "ws"
        if not (folder / "vendoreval.db").is_file():
            generate_workspace(folder, vendors=args.vendors)
        ws = Workspace(folder, evaluator="bench", read_only="benchmark")
        vendors = ws.vendors.list()
        first = vendors[len(vendors) // 2].id
        started = time.perf_counter()
        ws.risks.list(first)
        cold = time.perf_counter() - started
        one, whole = [], []
        count_one = count_all = 0
        for i in range(args.runs):
            vid = vendors[(i * 37) % len(vendors)].id
            started = time.perf_counter()
            count_one = len(ws.risks.list(vid))
            one.append(time.perf_counter() - started)
            started = time.perf_counter()
            count_all = len(ws.risks.list())
            whole.append(time.perf_counter() - started)
        ws.close()
    print(f"vendors                                {len(vendors):>8}")
    print(f"one vendor's risks, first (cold)       {cold * 1000:8.0f} ms")
    print(f"one vendor's risks (median)            {statistics.median(one) * 1000:8.0f} ms  ({count_one} risks)")
    print(f"the whole register (median)            {statistics.median(whole) * 1000:8.0f} ms  ({count_all} risks)")
    print(f"RESULT risks_one_vendor_ms={statistics.median(one) * 1000:.0f} ms")
    print(f"RESULT risks_register_ms={statistics.median(whole) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
