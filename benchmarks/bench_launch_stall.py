"""How long the UI thread stalls in the first seconds after launch, while the launch's background work runs.

Run:  PYTHONPATH=. QT_QPA_PLATFORM=offscreen python benchmarks/bench_launch_stall.py [--workspace DIR] [--runs 3]
      [--no-hold]

The real main window (with the app's ThreadRunner) is opened offscreen on the 200-vendor workspace of
benchmarks/workspace_gen.py, as the app starts it: with the collector held back (ui/heap.py), unless
``--no-hold``. The background work then counts every vendor's totals and the AI-washing signals. A 1 ms QTimer
records the time between event-loop turns for ``--seconds``; printed per run: the longest gaps, and the full
garbage-collection passes (generation 2) with how long each took. Each run is a fresh process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent("""
    import gc, sys, threading, time
    from pathlib import Path
    from PySide6.QtCore import QSettings, QTimer
    from vendoreval.ui.heap import hold_full_collections
    if sys.argv[3] == "hold":
        hold_full_collections()  # as vendoreval's start does
    from vendoreval.services.workspace import Workspace
    from vendoreval.ui.app import application
    from vendoreval.ui.main_window import MainWindow
    from vendoreval.ui.messages import RecordingMessages
    from vendoreval.ui.tasks import ThreadRunner

    passes, started = [], {}
    def watch(phase, info):
        if phase == "start":
            started["t"] = time.perf_counter()
        elif info["generation"] == 2:
            passes.append(time.perf_counter() - started["t"])
    gc.callbacks.append(watch)
    app = application()
    ws = Workspace(Path(sys.argv[1]), evaluator="bench")
    window = MainWindow(ws, messages=RecordingMessages(), runner=ThreadRunner(app),
                        settings=QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window.resize(1280, 800)
    window.show()
    gaps, last = [], [time.perf_counter()]
    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(tick)
    timer.start()
    QTimer.singleShot(int(float(sys.argv[4]) * 1000), app.quit)
    app.exec()
    gaps.sort(reverse=True)
    print("GAPS", " ".join(f"{g * 1000:.0f}" for g in gaps[:5]))
    print("PASSES", " ".join(f"{p * 1000:.0f}" for p in passes))
    window.close()
    ws.close()
""")


def main(argv: list[str] | None = None) -> int:
    """Run the launch ``--runs`` times and print the longest stalls and full collections of each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, help="reuse (or create) the 200-vendor workspace here")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--no-hold", action="store_true", help="leave the collector as Python starts it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-launch-stall-") as tmp:
        folder = args.workspace or Path(tmp) / "ws"
        if not (folder / "vendoreval.db").is_file():
            sys.path.insert(0, str(ROOT))
            from benchmarks.workspace_gen import generate_workspace

            generate_workspace(folder, vendors=200)
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled modules, as installed (a compile holds the lock)
        longest = []
        for i in range(args.runs + 1):  # the first run compiles the bytecode and is not counted
            proc = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(Path(tmp) / "q.ini"),
                                   "free" if args.no_hold else "hold", str(args.seconds)],
                                  env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
            if proc.returncode != 0:
                raise SystemExit(proc.stderr[-3000:])
            lines = dict(line.split(" ", 1) if " " in line else (line, "") for line in proc.stdout.splitlines())
            gaps = [int(x) for x in lines.get("GAPS", "").split()]
            passes = [int(x) for x in lines.get("PASSES", "").split()]
            if i == 0:
                continue
            longest.append(gaps[0])
            print(f"  run {i}: longest gaps {', '.join(map(str, gaps))} ms; full collections: "
                  f"{len(passes)} ({', '.join(map(str, passes)) or 'none'} ms)", flush=True)
    print(f"RESULT launch_stall_max_gap_ms={statistics.median(longest):.0f} ms (median of the runs' longest)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
