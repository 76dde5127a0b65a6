"""The vendor list on 200 vendors: replacing its rows (after an edit or a re-count) and one search keystroke.

Run:  PYTHONPATH=. QT_QPA_PLATFORM=offscreen python benchmarks/bench_vendor_list.py [--workspace DIR] [--repeat 20]

The real main window is opened offscreen on the 200-vendor workspace of benchmarks/workspace_gen.py and
left to finish its background count. Then, sorted by name and by evidence-weighted score: the median time
of ``set_rows`` of every row followed by a repaint of the window, and of one keystroke in the search box
(filter, claim search, repaint). Also printed: how many calls Qt made into Python methods during one
``set_rows`` and repaint (each waits for the interpreter lock while a worker computes).
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


#: The model methods Qt calls (the virtual methods a Python item model overrides).
QT_CALLS = frozenset({"data", "rowCount", "columnCount", "flags", "headerData", "index", "parent",
                      "filterAcceptsRow", "lessThan", "sort"})


def main(argv: list[str] | None = None) -> int:
    """Open the window, wait for its count, then time the list's resets and a search keystroke."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, help="reuse (or create) the 200-vendor workspace here")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from benchmarks.workspace_gen import generate_workspace
    from vendoreval.services.workspace import Workspace
    from vendoreval.ui.main_window import MainWindow
    from vendoreval.ui.messages import RecordingMessages
    from vendoreval.ui.tasks import ThreadRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="bench-vendor-list-") as tmp:
        folder = args.workspace or Path(tmp) / "ws"
        if not (folder / "vendoreval.db").is_file():
            generate_workspace(folder, vendors=200)
        ws = Workspace(folder, evaluator="bench")
        runner = ThreadRunner()
        window = MainWindow(ws, messages=RecordingMessages(), runner=runner,
                            settings=QSettings(str(Path(tmp) / "q.ini"), QSettings.Format.IniFormat))
        window.resize(1300, 850)
        window.show()
        page = window.page("vendors")
        deadline = time.monotonic() + 60
        while (page._full_running or any(r.pending for r in page.list.model.rows())) and time.monotonic() < deadline:
            app.processEvents()
        rows = page.list.model.rows()
        print(f"vendors listed {len(rows)}")
        for sort in (0, 1):
            page.list.sort.setCurrentIndex(sort)
            app.processEvents()
            resets, keys = [], []
            for _ in range(args.repeat):
                t = time.perf_counter()
                page.list.set_rows(rows, keep=page.list.current_id())
                window.repaint()
                app.processEvents()
                resets.append(time.perf_counter() - t)
            for i in range(args.repeat):
                t = time.perf_counter()
                page.list.search.setText("vendor 1" if i % 2 == 0 else "")
                window.repaint()
                app.processEvents()
                keys.append(time.perf_counter() - t)
            print(f"{page.list.sort.currentText():40s} set_rows + repaint {statistics.median(resets) * 1000:6.1f} ms, "
                  f"search keystroke {statistics.median(keys) * 1000:6.1f} ms")
        calls: collections.Counter[str] = collections.Counter()

        def count(frame: FrameType, event: str, _arg: object) -> None:
            if event == "call" and frame.f_code.co_name in QT_CALLS:
                calls[frame.f_code.co_name] += 1

        sys.setprofile(count)
        page.list.set_rows(rows, keep=page.list.current_id())
        window.repaint()
        app.processEvents()
        sys.setprofile(None)
        print(f"calls from Qt into Python in one set_rows + repaint: {sum(calls.values())} "
              f"({', '.join(f'{k} {n}' for k, n in calls.most_common(5))})")
        window.close()
        runner.shutdown()
        ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
