"""Run every benchmark in benchmarks/ and print one table.

    python benchmarks/run.py                 # all bench_*.py scripts, then the table
    python benchmarks/run.py --only ui       # just bench_ui.py (repeatable)
    python benchmarks/run.py --json          # the figures as JSON (for CI or a spreadsheet)

Convention for benchmark scripts (``benchmarks/bench_*.py``):

* A script is run as ``python benchmarks/bench_NAME.py`` from the repository root, with
  ``PYTHONPATH`` set to the root and ``QT_QPA_PLATFORM=offscreen``; it uses its own defaults (no
  arguments) and exits 0 when it ran.
* It prints, besides anything for humans, one machine-readable line per figure on stdout::

      RESULT <name>=<number> <unit>

  ``name`` is lowercase ``[a-z0-9_]+``; ``number`` is a plain decimal (``12.5``, ``4000``); ``unit`` is
  free text (``ms``, ``s``, ``rows/s``, ``%``, ``MB``). Times are wall-clock medians in ``ms`` unless the
  name says otherwise. Example: ``RESULT compare_50_ms=143.2 ms``.
* The headline figures use these names (the first column of the table); any other RESULT line is
  listed below the table under its own name:

      startup_ms               bench_ui.py        launch → first paint, 200-vendor workspace
      switch_vendor_ms         bench_ui.py        vendor → its scorecard shown
      score_edit_ms            bench_ui.py        score edit → persisted + totals updated
      ui_stall_max_gap_ms      bench_ui_stall.py  longest UI-thread stall while a Compare weight is dragged
      compare_50_ms            bench_compare.py   ComparisonService.compare, 50 vendors
      brief_10_ms              bench_brief.py     brief of 10 vendors: gather + render PDF
      import_10000_scores_ms   bench_exchange.py  import of a 10,000-row scores CSV
      export_ms                bench_exchange.py  export of the whole workspace file
      launch_cpu_ratio         bench_launch.py    CPU of app start → first paint / bare PySide6 window

The exit code is 0 when every script ran, 1 when one failed or timed out (the table is printed anyway).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
RESULT_LINE = re.compile(r"^RESULT\s+([a-z0-9_]+)=(-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)(?:\s+(.*?))?\s*$")


@dataclass(frozen=True)
class Headline:
    """One row of the table: the RESULT name, what it measures, the script expected to print it, the aim."""

    name: str
    label: str
    script: str
    aim: str


HEADLINES = [
    Headline("startup_ms", "start-up (launch to first paint, 200 vendors)", "bench_ui.py", "≤ 1000 ms"),
    Headline("switch_vendor_ms", "switch vendor (vendor → scorecard)", "bench_ui.py", "≤ 100 ms"),
    Headline("score_edit_ms", "score edit (persisted + totals)", "bench_ui.py", "≤ 30 ms"),
    Headline("ui_stall_max_gap_ms", "UI stall while a weight is dragged (Compare, 200 vendors)",
             "bench_ui_stall.py", "≤ 50 ms"),
    Headline("compare_50_ms", "compare 50 vendors", "bench_compare.py", "≤ 200 ms"),
    Headline("brief_10_ms", "brief of 10 vendors (PDF)", "bench_brief.py", "≤ 1500 ms"),
    Headline("import_10000_scores_ms", "import of 10,000 scores", "bench_exchange.py", ""),
    Headline("export_ms", "export (whole workspace)", "bench_exchange.py", ""),
    Headline("launch_cpu_ratio", "launch CPU ÷ bare PySide6 (200 vendors)", "bench_launch.py", "≤ 2.5 x"),
]


@dataclass
class ScriptRun:
    """One benchmark script's run: exit status, wall time, and the RESULT figures it printed."""

    script: str
    returncode: int | None = None
    seconds: float = 0.0
    results: dict[str, tuple[float, str]] = field(default_factory=dict)
    error: str = ""


def parse_results(stdout: str) -> dict[str, tuple[float, str]]:
    """The ``RESULT name=value unit`` lines of a script's output, as {name: (value, unit)}."""
    out: dict[str, tuple[float, str]] = {}
    for line in stdout.splitlines():
        m = RESULT_LINE.match(line.strip())
        if m:
            out[m.group(1)] = (float(m.group(2)), m.group(3) or "")
    return out


def discover(only: list[str] | None = None) -> list[Path]:
    """The benchmark scripts (bench_*.py), optionally only those named (``ui`` or ``bench_ui.py``)."""
    scripts = sorted(HERE.glob("bench_*.py"))
    if only:
        wanted = {n if n.startswith("bench_") else f"bench_{n}" for n in only}
        wanted = {n if n.endswith(".py") else f"{n}.py" for n in wanted}
        scripts = [s for s in scripts if s.name in wanted]
    return scripts


def run_script(script: Path, timeout: float, echo: bool) -> ScriptRun:
    """Run one script in a fresh interpreter and collect its RESULT lines."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    run = ScriptRun(script.name)
    started = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        run.error = f"timed out after {timeout:.0f} s"
        run.seconds = time.perf_counter() - started
        return run
    run.seconds = time.perf_counter() - started
    run.returncode = proc.returncode
    run.results = parse_results(proc.stdout)
    if echo:
        sys.stderr.write(proc.stdout)
    if proc.returncode != 0:
        said = proc.stderr.strip().splitlines() or proc.stdout.strip().splitlines() or ["(no message)"]
        run.error = f"exit {proc.returncode}: {said[-1]}"
    elif not run.results:
        run.error = "printed no RESULT lines"
    return run


def _fmt(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"
    return f"{text} {unit}".strip()


def table(runs: list[ScriptRun]) -> str:
    """The one table: headline figures first, then every other RESULT, then scripts that failed."""
    found: dict[str, tuple[float, str, str]] = {}
    for r in runs:
        for name, (value, unit) in r.results.items():
            found[name] = (value, unit, r.script)
    ran = {r.script: r for r in runs}
    rows: list[list[str]] = []
    for h in HEADLINES:
        if h.name in found:
            value, unit, script = found[h.name]
            rows.append([h.label, _fmt(value, unit), h.aim, script])
        elif h.script in ran:
            why = ran[h.script].error or f"no RESULT {h.name}"
            rows.append([h.label, "—", h.aim, f"{h.script}: {why}"])
        else:
            there = (HERE / h.script).is_file()
            rows.append([h.label, "—", h.aim, f"{h.script} " + ("not run (--only)" if there else "not present")])
    headline_names = {h.name for h in HEADLINES}
    for name, (value, unit, script) in sorted(found.items(), key=lambda kv: (kv[1][2], kv[0])):
        if name not in headline_names:
            rows.append([name, _fmt(value, unit), "", script])
    headers = ["BENCHMARK", "RESULT", "AIM", "SOURCE"]
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) for i in range(len(headers))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    failed = [r for r in runs if r.error and (r.returncode != 0)]
    for r in failed:
        lines.append(f"! {r.script}: {r.error}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the table; 0 when every script ran."""
    parser = argparse.ArgumentParser(description="Run every benchmark in benchmarks/ and print one table.")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this script (e.g. ui, compare)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per script (default 900)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of the table")
    parser.add_argument("--verbose", action="store_true", help="echo each script's own output to stderr")
    args = parser.parse_args(argv)

    scripts = discover(args.only)
    if not scripts:
        print("no benchmark scripts found", file=sys.stderr)
        return 1
    runs = []
    for script in scripts:
        print(f"running {script.name} …", file=sys.stderr, flush=True)
        run = run_script(script, args.timeout, args.verbose)
        print(f"  {script.name}: {run.seconds:.1f} s" + (f" ({run.error})" if run.error else ""), file=sys.stderr)
        runs.append(run)
    if args.json:
        print(json.dumps({r.script: {"seconds": round(r.seconds, 2), "error": r.error or None,
                                     "results": {k: {"value": v, "unit": u} for k, (v, u) in r.results.items()}}
                          for r in runs}, indent=2))
    else:
        print(table(runs))
    return 0 if all(r.returncode == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
