"""Whole-process CPU cost of starting the app, against a bare PySide6 window: the launch ratio.

Run:  PYTHONPATH=. QT_QPA_PLATFORM=offscreen python benchmarks/bench_launch.py [--runs 7] [--workspace DIR]

(a) ``python -m vendoreval --quit-after-first-paint --data-dir D`` on the 200-vendor workspace of
    benchmarks/workspace_gen.py: interpreter, imports, opening the database, the daily backup check,
    building the main window and its first paint;
(b) a bare PySide6 script that shows one QLabel and quits after its first paint (the floor: Python + Qt);
(c) the same bare script after importing the two libraries the app cannot open a workspace without,
    both fixed choices (pydantic for every record, sqlite-utils for the database): not part of the
    ratio, printed to show how much of the 2.5x budget the fixed dependencies alone take;
(d) (c) plus a window of the vendor page's shape built with plain Qt (menus, sidebar, a sortable 200-row
    table, ten tabs, a form), no app code and no database: the floor for such a window, also only printed.

Each is a fresh process; its CPU time is user + sys of the child (``resource.getrusage(RUSAGE_CHILDREN)``
before and after), so work on other threads counts too. One untimed warm-up run of each (page cache,
bytecode compiled into a temporary PYTHONPYCACHEPREFIX, and the app's one automatic backup a day), then
the runs alternate. Prints the medians and the ratio a/b;
target ratio ≤ 2.5. ``--workspace DIR`` reuses (or creates, when empty or missing) a workspace folder.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 2.5

#: The end of (b) and (d): show ``{widget}``, close it on the event-loop turn after its first paint, exit.
FIRST_PAINT = """
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, {widget}.close)
        return False

watcher = FirstPaint()
{widget}.installEventFilter(watcher)
{widget}.show()
sys.exit(app.exec())
"""

BARE = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    label = QLabel("bare PySide6")
""") + FIRST_PAINT.format(widget="label")


#: (c): the fixed dependencies every launch imports, then the bare window.
DEPS = "import pydantic, sqlite_utils\nfrom pydantic import BaseModel\n" + BARE

#: (d): the fixed dependencies and a window of the vendor page's shape built with plain Qt, no app code and no
#: database: a menu bar, a sidebar, a sortable 200 x 5 table, a tab widget of ten tabs and a six-field form.
#: What Qt alone costs for such a window (its Python enums, widgets, layout, styling and first paint).
SHAPE = "import pydantic, sqlite_utils\nfrom pydantic import BaseModel\n" + textwrap.dedent("""
    import sys
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QSortFilterProxyModel
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import (QApplication, QFormLayout, QHBoxLayout, QHeaderView, QLineEdit, QListWidget,
                                   QMainWindow, QSplitter, QTableView, QTabWidget, QTextEdit, QWidget)

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    for title in ("&File", "&Edit", "&Vendor", "V&iew", "&Help"):
        menu = window.menuBar().addMenu(title)
        for i in range(6):
            menu.addAction(f"Action {i}")
    central = QWidget()
    row = QHBoxLayout(central)
    sidebar = QListWidget()
    sidebar.addItems(["Vendors", "Scorecard", "Compare", "Consensus", "Rubrics"])
    row.addWidget(sidebar)
    split = QSplitter(Qt.Orientation.Horizontal)
    model = QStandardItemModel(200, 5)
    for r in range(200):
        for c in range(5):
            model.setItem(r, c, QStandardItem(f"Vendor {r:04d}" if c == 0 else str(r * c % 97)))
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    table = QTableView()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    split.addWidget(table)
    tabs = QTabWidget()
    profile = QWidget()
    form = QFormLayout(profile)
    for label in ("&Name:", "&Product:", "&Website:", "&Decision:"):
        form.addRow(label, QLineEdit())
    form.addRow("&Description:", QTextEdit())
    form.addRow("&Conditions:", QTextEdit())
    tabs.addTab(profile, "&Profile")
    for title in ("Context", "Claims", "Evidence", "Scorecards", "Conditions", "Models", "Commercials", "Risks",
                  "History"):
        tabs.addTab(QWidget(), title)
    split.addWidget(tabs)
    row.addWidget(split, 1)
    window.setCentralWidget(central)
    window.statusBar().showMessage("All changes saved")
    window.resize(1280, 800)
""") + FIRST_PAINT.format(widget="window")


def cpu_of(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run ``cmd`` to the end; returns (CPU seconds user+sys of the child, wall seconds). Fails on exit != 0."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}… exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def ensure_workspace(folder: Path, vendors: int) -> None:
    """Generate the benchmark workspace into ``folder`` unless it already holds one."""
    if (folder / "vendoreval.db").is_file():
        print(f"reusing the workspace in {folder}")
        return
    sys.path.insert(0, str(ROOT))
    from benchmarks.workspace_gen import generate_workspace

    folder.mkdir(parents=True, exist_ok=True)
    info = generate_workspace(folder, vendors=vendors)
    print(f"generated {info.counts.get('vendors')} vendors, {info.counts.get('scores')} scores "
          f"in {info.seconds:.1f} s into {folder}")


def measure(data_dir: Path, home: Path, runs: int) -> dict[str, list[float]]:
    """Alternate app and bare runs after one warm-up of each; returns their CPU and wall times."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "VENDOREVAL_HOME": str(home / "home"), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_DATA_HOME": str(home / "share"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           # Compiled bytecode, as an installed app has it (pip and PyInstaller compile), kept out of the tree.
           "PYTHONPYCACHEPREFIX": str(home / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    app_cmd = [sys.executable, "-m", "vendoreval", "--quit-after-first-paint", "--data-dir", str(data_dir)]
    bare_cmd = [sys.executable, "-c", BARE]
    deps_cmd = [sys.executable, "-c", DEPS]
    shape_cmd = [sys.executable, "-c", SHAPE]
    for cmd in (app_cmd, bare_cmd, deps_cmd, shape_cmd):
        cpu_of(cmd, env)
    out: dict[str, list[float]] = {f"{name}_{kind}": [] for name in ("app", "bare", "deps", "shape")
                                   for kind in ("cpu", "wall")}
    for i in range(runs):
        for name, cmd in (("app", app_cmd), ("bare", bare_cmd), ("deps", deps_cmd), ("shape", shape_cmd)):
            cpu, wall = cpu_of(cmd, env)
            out[f"{name}_cpu"].append(cpu)
            out[f"{name}_wall"].append(wall)
        print(f"  run {i + 1}: app {out['app_cpu'][-1]:.3f} s CPU ({out['app_wall'][-1]:.3f} s wall), "
              f"bare {out['bare_cpu'][-1]:.3f} s CPU ({out['bare_wall'][-1]:.3f} s wall), "
              f"bare + deps {out['deps_cpu'][-1]:.3f} s CPU, plain-Qt window {out['shape_cpu'][-1]:.3f} s CPU",
              flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the workspace, time both launches, print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--workspace", type=Path, help="reuse (or create) the benchmark workspace here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-launch-") as tmp:
        data = args.workspace or Path(tmp) / "ws"
        ensure_workspace(data, args.vendors)
        times = measure(data, Path(tmp), args.runs)
    app_cpu, bare_cpu = statistics.median(times["app_cpu"]), statistics.median(times["bare_cpu"])
    ratio = app_cpu / bare_cpu
    print(f"app  (--quit-after-first-paint, {args.vendors} vendors): median {app_cpu:.3f} s CPU, "
          f"{statistics.median(times['app_wall']):.3f} s wall")
    print(f"bare (PySide6, one QLabel):               median {bare_cpu:.3f} s CPU, "
          f"{statistics.median(times['bare_wall']):.3f} s wall")
    deps_cpu = statistics.median(times["deps_cpu"])
    print(f"bare + pydantic + sqlite-utils imported:  median {deps_cpu:.3f} s CPU "
          f"({deps_cpu / bare_cpu:.2f} x bare: the fixed dependencies' share of the budget)")
    shape_cpu = statistics.median(times["shape_cpu"])
    print(f"deps + the vendor page's shape in plain Qt: median {shape_cpu:.3f} s CPU ({shape_cpu / bare_cpu:.2f} x "
          "bare: the floor for this window with these libraries, before any app code or data)")
    print(f"ratio {ratio:.2f} (target ≤ {TARGET_RATIO}): {'ok' if ratio <= TARGET_RATIO else 'ABOVE TARGET'}")
    print(f"RESULT launch_cpu_s={app_cpu:.3f} s")
    print(f"RESULT bare_qt_cpu_s={bare_cpu:.3f} s")
    print(f"RESULT launch_cpu_ratio={ratio:.2f} x")
    print(f"RESULT fixed_deps_cpu_ratio={deps_cpu / bare_cpu:.2f} x")
    print(f"RESULT plain_qt_window_cpu_ratio={shape_cpu / bare_cpu:.2f} x")
    print(f"RESULT launch_wall_ms={statistics.median(times['app_wall']) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
