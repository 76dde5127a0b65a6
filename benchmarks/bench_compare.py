"""Comparison benchmark: 50 vendors x 7 rubrics x 12 criteria x 3 evaluators, full comparison with sensitivity.

Prints the median time of (a) the pure analysis alone (ranking, flip, 1,000-sample rank stability) and
(b) the whole ComparisonService.compare (reading the workspace, merging evaluators, matrix cells, analysis).
Aim: <= 200 ms for (b).

    python benchmarks/bench_compare.py [--vendors 50] [--samples 1000]
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
from vendoreval.domain.analysis import compare_vendors
from vendoreval.services.comparison import ComparisonService
from vendoreval.services.workspace import Workspace


def _median_ms(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median wall-clock and median CPU milliseconds (CPU time is steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    """Generate the workspace, time the comparison, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=50)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        info = generate_workspace(Path(tmp) / "ws", vendors=args.vendors, seed=1)
        ws = Workspace(info.data_dir, evaluator="bench")
        try:
            for r in info.rubrics:
                ws.library.remember(r)
            service = ComparisonService(ws)
            comparison = service.compare(samples=args.samples)
            inputs = [service._vendor_input(t) for t in ws.totals.vendor_totals()]
            rids = list(comparison.rubric_ids)

            def pure() -> None:
                compare_vendors(inputs, rids, comparison.weights, samples=args.samples)

            pure_wall, pure_cpu = _median_ms(pure, args.runs)
            full_wall, full_cpu = _median_ms(lambda: service.compare(samples=args.samples), args.runs)
            print(f"{len(comparison.ranking)} vendors x {len(rids)} rubrics, {args.samples} weightings, "
                  f"median of {args.runs} runs")
            print(f"analysis only (rank, flip, stability): {pure_wall:6.1f} ms wall, {pure_cpu:6.1f} ms CPU")
            print(f"full ComparisonService.compare:        {full_wall:6.1f} ms wall, {full_cpu:6.1f} ms CPU"
                  f"   aim <= 200 ms: {'ok' if min(full_wall, full_cpu) <= 200 else 'MISSED'}")
            # machine-readable figures (convention in benchmarks/run.py)
            print(f"RESULT compare_50_ms={full_wall:.1f} ms")
            print(f"RESULT compare_50_cpu_ms={full_cpu:.1f} ms")
            print(f"RESULT compare_analysis_50_ms={pure_wall:.1f} ms")
            if comparison.flip:
                print(comparison.flip.sentence)
            for s in comparison.stability_sentences[1:3]:
                print(s)
        finally:
            ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
