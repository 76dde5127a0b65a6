"""The process killed (SIGKILL) a moment after typing: everything that was on screen is in the database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from vendoreval.services.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from vendoreval.services.workspace import Workspace
    from vendoreval.ui.app import application
    from vendoreval.ui.main_window import MainWindow
    from vendoreval.ui.messages import RecordingMessages
    from vendoreval.ui.tasks import SyncRunner

    app = application()
    w = MainWindow(Workspace(Path(sys.argv[1]), "ann"), messages=RecordingMessages(), runner=SyncRunner())
    w.show()
    vendors = w.page("vendors")
    vendors.new_vendor({"name": "Killed Co"})
    vendors.detail.profile.description.setPlainText("typed just before the crash")
    vendors.detail.tabs.setCurrentWidget(vendors.detail.scorecards)
    vendors.detail.scorecards.start_scorecard("gdpr")
    editor = w.page("scorecard")
    editor.set_level(3)
    editor.rationale.setPlainText("DPA clause 4 covers it")
    # no focus change, no close: only the pause after typing may save these
    QTimer.singleShot(1300, lambda: print("READY", flush=True))
    app.exec()
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_after_a_pause_loses_nothing(data_dir: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        deadline = time.monotonic() + 30
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if "READY" in line or not line:
                break
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    ws = Workspace(data_dir, "ann")
    try:
        vendor = ws.vendors.find("Killed Co")
        assert vendor.description == "typed just before the crash"
        card = ws.scorecards.list(vendor.id)[0]
        score = next(iter(card.scores.values()))
        assert score.level == 3 and score.rationale == "DPA clause 4 covers it"
    finally:
        ws.close()
