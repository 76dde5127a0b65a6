"""Consensus page timings on the 200-vendor workspace: build + show the page, and switch vendor.

Run:  PYTHONPATH=. QT_QPA_PLATFORM=offscreen python benchmarks/bench_consensus.py [--vendors 200]

The page reads only the selected vendor's scorecards (the vendor list comes from one header query),
so both figures should stay well under 150 ms however many vendors the workspace holds. The first
build in a process also pays PySide's one-off creation of Qt enum classes; it is reported separately
(consensus_open_first_ms) and the headline figure is the median of the builds after it.
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


def main(argv: list[str] | None = None) -> int:
    """Generate the workspace, time opening the consensus page and switching vendor, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from vendoreval.services.workspace import Workspace
    from vendoreval.ui.messages import RecordingMessages
    from vendoreval.ui.views.consensus_view import ConsensusView

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        info = generate_workspace(Path(tmp) / "ws", vendors=args.vendors, seed=1)
        ws = Workspace(info.data_dir, evaluator="bench")
        try:
            def open_page() -> tuple[ConsensusView, float]:
                t0 = time.perf_counter()
                view = ConsensusView(ws, messages=RecordingMessages())
                view.resize(1100, 700)
                view.show()
                app.processEvents()
                return view, (time.perf_counter() - t0) * 1000

            view, first = open_page()
            rows = view.table.rowCount()
            vendors = view.vendor.count()
            view.close()
            view.deleteLater()
            opens, switches = [], []
            for i in range(args.runs):
                view, ms = open_page()
                opens.append(ms)
                t0 = time.perf_counter()
                view.vendor.setCurrentIndex((i * 37 + 11) % view.vendor.count())
                app.processEvents()
                switches.append((time.perf_counter() - t0) * 1000)
                view.close()
                view.deleteLater()
                app.processEvents()
        finally:
            ws.close()
    print(f"consensus page on {args.vendors} vendors ({vendors} listed, {rows} criteria shown): "
          f"first build {first:.1f} ms, median build {statistics.median(opens):.1f} ms, "
          f"median vendor switch {statistics.median(switches):.1f} ms")
    print(f"RESULT consensus_open_ms={statistics.median(opens):.1f} ms")
    print(f"RESULT consensus_open_first_ms={first:.1f} ms")
    print(f"RESULT consensus_switch_vendor_ms={statistics.median(switches):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
